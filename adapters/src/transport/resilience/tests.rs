//! Retry and breaker logic against `tower_test::mock`, without HTTP.

use std::time::{Duration, Instant};

use gateway_domain::SourceError;
use tower::{BoxError, Layer, Service, ServiceExt};
use tower_test::mock;

use super::*;

#[derive(Debug, Clone)]
struct TestCall {
    idempotent: bool,
    deadline: Instant,
}

impl Retryable for TestCall {
    fn is_idempotent(&self) -> bool {
        self.idempotent
    }
    fn deadline(&self) -> Instant {
        self.deadline
    }
}

fn read() -> TestCall {
    TestCall { idempotent: true, deadline: Instant::now() + Duration::from_secs(3600) }
}

fn unbox(error: BoxError) -> SourceError {
    *error.downcast::<SourceError>().expect("the mock only fails with SourceError")
}

fn unavailable() -> SourceError {
    SourceError::Unavailable { detail: "test".into(), retry_after: None }
}

type Inner = tower::util::MapErr<mock::Mock<TestCall, &'static str>, fn(BoxError) -> SourceError>;

fn mocked() -> (Inner, mock::Handle<TestCall, &'static str>) {
    let (service, handle) = mock::pair::<TestCall, &'static str>();
    (service.map_err(unbox as fn(BoxError) -> SourceError), handle)
}

fn retrying(inner: Inner) -> tower::retry::Retry<RetryPolicy, Inner> {
    tower::retry::Retry::new(RetryPolicy::new(RetryConfig::default()), inner)
}

async fn no_more_requests(handle: &mut mock::Handle<TestCall, &'static str>) -> bool {
    // Pending (still open) or closed (the service is gone): either way nothing was sent.
    matches!(tokio::time::timeout(Duration::from_millis(200), handle.next_request()).await, Err(_) | Ok(None))
}

#[tokio::test(start_paused = true)]
async fn a_retryable_error_is_retried_until_the_read_succeeds() {
    let (inner, mut handle) = mocked();
    let task = tokio::spawn(retrying(inner).oneshot(read()));
    for _ in 0..2 {
        let (_, reply) = handle.next_request().await.unwrap();
        reply.send_error(unavailable());
    }
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_response("answer");
    assert_eq!(task.await.unwrap(), Ok("answer"));
}

#[tokio::test(start_paused = true)]
async fn attempts_stop_at_the_configured_maximum() {
    let (inner, mut handle) = mocked();
    let task = tokio::spawn(retrying(inner).oneshot(read()));
    for _ in 0..RetryConfig::default().max_attempts {
        let (_, reply) = handle.next_request().await.unwrap();
        reply.send_error(SourceError::Timeout);
    }
    assert_eq!(task.await.unwrap(), Err(SourceError::Timeout));
    assert!(no_more_requests(&mut handle).await);
}

#[tokio::test(start_paused = true)]
async fn rejections_missing_records_and_malformed_answers_are_not_retried() {
    for error in [
        SourceError::NotFound,
        SourceError::Rejected { code: "x".into() },
        SourceError::Malformed { detail: "x".into() },
    ] {
        let (inner, mut handle) = mocked();
        let task = tokio::spawn(retrying(inner).oneshot(read()));
        let (_, reply) = handle.next_request().await.unwrap();
        reply.send_error(error.clone());
        assert_eq!(task.await.unwrap(), Err(error));
        assert!(no_more_requests(&mut handle).await);
    }
}

#[tokio::test(start_paused = true)]
async fn writes_are_never_retried() {
    let (inner, mut handle) = mocked();
    let write = TestCall { idempotent: false, ..read() };
    let task = tokio::spawn(retrying(inner).oneshot(write));
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_error(unavailable());
    assert!(task.await.unwrap().is_err());
    assert!(no_more_requests(&mut handle).await);
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_waited_at_least() {
    let (inner, mut handle) = mocked();
    let task = tokio::spawn(retrying(inner).oneshot(read()));
    let (_, reply) = handle.next_request().await.unwrap();
    let first = tokio::time::Instant::now();
    reply.send_error(SourceError::RateLimited { retry_after: Some(Duration::from_secs(1)) });
    let (_, reply) = handle.next_request().await.unwrap();
    assert!(first.elapsed() >= Duration::from_secs(1), "waited {:?}", first.elapsed());
    reply.send_response("answer");
    assert_eq!(task.await.unwrap(), Ok("answer"));
}

#[tokio::test(start_paused = true)]
async fn no_retry_is_started_that_would_end_after_the_deadline() {
    let (inner, mut handle) = mocked();
    let soon = TestCall { idempotent: true, deadline: Instant::now() + Duration::from_millis(500) };
    let task = tokio::spawn(retrying(inner).oneshot(soon));
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_error(SourceError::RateLimited { retry_after: Some(Duration::from_secs(1)) });
    assert!(matches!(task.await.unwrap(), Err(SourceError::RateLimited { .. })));
    assert!(no_more_requests(&mut handle).await);
}

#[test]
fn backoff_grows_exponentially_with_jitter_and_a_cap() {
    let policy = RetryPolicy::new(RetryConfig { max_attempts: 10, base_backoff_ms: 100, max_backoff_ms: 1_000 });
    for _ in 0..50 {
        let first = policy.backoff(1, None);
        assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first));
        let third = policy.backoff(3, None);
        assert!((Duration::from_millis(200)..=Duration::from_millis(400)).contains(&third));
        assert!(policy.backoff(9, None) <= Duration::from_millis(1_000));
        assert!(policy.backoff(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
    }
}

/// First opening; a failed probe doubles it. Wide enough that a loaded machine cannot blur them.
const OPEN_FOR: Duration = Duration::from_millis(200);

fn breaker_config() -> BreakerConfig {
    BreakerConfig { failure_threshold: 3, open_for_ms: OPEN_FOR.as_millis() as u64, max_open_for_ms: 10_000 }
}

type Mocked = (BreakerService<Inner>, mock::Handle<TestCall, &'static str>, Breaker);

fn with_breaker() -> Mocked {
    let (inner, handle) = mocked();
    let breaker = Breaker::new(breaker_config());
    (BreakerLayer::new(breaker.clone()).layer(inner), handle, breaker)
}

/// A breaker opened by three consecutive failures.
async fn tripped() -> Mocked {
    let (mut service, mut handle, breaker) = with_breaker();
    for _ in 0..3 {
        fail_once(&mut service, &mut handle, unavailable()).await;
    }
    (service, handle, breaker)
}

async fn fail_once(
    service: &mut BreakerService<Inner>,
    handle: &mut mock::Handle<TestCall, &'static str>,
    error: SourceError,
) {
    let call = service.ready().await.unwrap().call(read());
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_error(error);
    assert!(call.await.is_err());
}

#[tokio::test]
async fn consecutive_failures_open_the_breaker_and_calls_then_fail_fast() {
    let (mut service, mut handle, breaker) = with_breaker();
    for _ in 0..3 {
        assert_eq!(breaker.state(), BreakerState::Closed);
        fail_once(&mut service, &mut handle, SourceError::Timeout).await;
    }
    assert_eq!(breaker.state(), BreakerState::Open);
    let result = service.ready().await.unwrap().call(read()).await;
    assert!(matches!(result, Err(SourceError::Unavailable { .. })));
    assert!(no_more_requests(&mut handle).await, "the registry was not called");
}

#[tokio::test]
async fn a_successful_probe_after_the_backoff_closes_the_breaker() {
    let (mut service, mut handle, breaker) = tripped().await;
    tokio::time::sleep(OPEN_FOR + Duration::from_millis(20)).await;
    assert_eq!(breaker.state(), BreakerState::HalfOpen);
    let probe = service.ready().await.unwrap().call(read());
    // While the probe is out, nothing else goes through.
    let second = service.ready().await.unwrap().call(read()).await;
    assert!(matches!(second, Err(SourceError::Unavailable { .. })));
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_response("answer");
    assert_eq!(probe.await, Ok("answer"));
    assert_eq!(breaker.state(), BreakerState::Closed);
}

#[tokio::test]
async fn a_failed_probe_opens_the_breaker_again_for_longer() {
    let (mut service, mut handle, breaker) = tripped().await;
    tokio::time::sleep(OPEN_FOR + Duration::from_millis(20)).await;
    fail_once(&mut service, &mut handle, unavailable()).await;
    assert_eq!(breaker.state(), BreakerState::Open);
    tokio::time::sleep(OPEN_FOR + OPEN_FOR / 4).await;
    assert_eq!(breaker.state(), BreakerState::Open, "the second opening lasts twice as long");
    tokio::time::sleep(OPEN_FOR).await;
    assert_eq!(breaker.state(), BreakerState::HalfOpen);
}

#[tokio::test]
async fn answers_that_a_registry_cannot_help_do_not_open_the_breaker() {
    let (mut service, mut handle, breaker) = with_breaker();
    for _ in 0..5 {
        fail_once(&mut service, &mut handle, SourceError::NotFound).await;
        fail_once(&mut service, &mut handle, SourceError::Rejected { code: "x".into() }).await;
    }
    assert_eq!(breaker.state(), BreakerState::Closed);
}

#[tokio::test]
async fn shed_calls_and_calls_cut_by_the_deadline_teach_the_breaker_nothing() {
    let (mut service, mut handle, breaker) = with_breaker();
    for _ in 0..2 {
        fail_once(&mut service, &mut handle, unavailable()).await;
    }
    // Shed by the gateway's own queue, or a timeout that came with the request's deadline:
    // neither counts as a failure, nor resets the failures already seen.
    for _ in 0..5 {
        fail_once(&mut service, &mut handle, SourceError::RateLimited { retry_after: None }).await;
        let expired = TestCall { idempotent: true, deadline: Instant::now() };
        let call = service.ready().await.unwrap().call(expired);
        let (_, reply) = handle.next_request().await.unwrap();
        reply.send_error(SourceError::Timeout);
        assert!(call.await.is_err());
    }
    assert_eq!(breaker.state(), BreakerState::Closed);
    fail_once(&mut service, &mut handle, SourceError::Timeout).await;
    assert_eq!(breaker.state(), BreakerState::Open, "the third real failure opens it");
}

#[tokio::test]
async fn a_probe_that_learns_nothing_hands_the_probe_to_the_next_call() {
    let (mut service, mut handle, breaker) = tripped().await;
    tokio::time::sleep(OPEN_FOR + Duration::from_millis(20)).await;
    fail_once(&mut service, &mut handle, SourceError::RateLimited { retry_after: None }).await;
    assert_eq!(breaker.state(), BreakerState::HalfOpen, "still waiting for a probe that reaches the registry");
    let probe = service.ready().await.unwrap().call(read());
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_response("answer");
    assert_eq!(probe.await, Ok("answer"));
    assert_eq!(breaker.state(), BreakerState::Closed);
}

#[tokio::test]
async fn admission_sheds_what_cannot_start_before_the_deadline_without_calling() {
    let (inner, mut handle) = mocked();
    let limiter = QuotaConfig { per_second: 1, burst: Some(1) }.limiter();
    let mut admitted = AdmissionLayer::new(1, limiter, Duration::from_millis(50)).layer(inner);
    let soon = || TestCall { idempotent: true, deadline: Instant::now() + Duration::from_millis(300) };
    // The one token goes to the first call; the second cannot get one before its deadline.
    let first = tokio::spawn(admitted.ready().await.unwrap().call(soon()));
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_response("answer");
    assert_eq!(first.await.unwrap(), Ok("answer"));
    let second = admitted.ready().await.unwrap().call(soon()).await;
    assert!(matches!(second, Err(SourceError::RateLimited { .. })));
    // A call that would have to wait past the minimum before its deadline is shed at once.
    let late = TestCall { idempotent: true, deadline: Instant::now() + Duration::from_millis(20) };
    assert!(matches!(admitted.ready().await.unwrap().call(late).await, Err(SourceError::RateLimited { .. })));
    assert!(no_more_requests(&mut handle).await, "the registry was asked once");
    // With a token free, even a short call starts: the queue did not eat its time.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let short = TestCall { idempotent: true, deadline: Instant::now() + Duration::from_millis(20) };
    let short = tokio::spawn(admitted.ready().await.unwrap().call(short));
    let (_, reply) = handle.next_request().await.unwrap();
    reply.send_response("answer");
    assert_eq!(short.await.unwrap(), Ok("answer"));
}

// Real time: the quota's token bucket keeps the wall clock.
#[tokio::test]
async fn the_stack_counts_retries_quota_waits_and_openings_on_its_breaker() {
    let breaker = Breaker::new(breaker_config());
    let counters = breaker.counters();
    // Two failed attempts and a success: two retries.
    let (inner, mut handle) = mocked();
    let quick = RetryConfig { max_attempts: 3, base_backoff_ms: 5, max_backoff_ms: 10 };
    let retrying = tower::retry::Retry::new(RetryPolicy::new(quick).counting(counters.clone()), inner);
    let task = tokio::spawn(retrying.oneshot(read()));
    for _ in 0..2 {
        let (_, reply) = handle.next_request().await.unwrap();
        reply.send_error(unavailable());
    }
    handle.next_request().await.unwrap().1.send_response("answer");
    assert_eq!(task.await.unwrap(), Ok("answer"));
    // The second call finds the one token taken and waits for the next.
    let (inner, mut handle) = mocked();
    let limiter = QuotaConfig { per_second: 1, burst: Some(1) }.limiter();
    let mut admitted = AdmissionLayer::new(4, limiter, Duration::ZERO).counting(counters.clone()).layer(inner);
    for _ in 0..2 {
        let call = tokio::spawn(admitted.ready().await.unwrap().call(read()));
        handle.next_request().await.unwrap().1.send_response("answer");
        assert_eq!(call.await.unwrap(), Ok("answer"));
    }
    // Three failures open the breaker once; a failure while open keeps it open.
    let (inner, mut handle) = mocked();
    let mut service = BreakerLayer::new(breaker.clone()).layer(inner);
    for _ in 0..3 {
        fail_once(&mut service, &mut handle, unavailable()).await;
    }
    assert_eq!(breaker.state(), BreakerState::Open);
    assert_eq!(breaker.counts(), StackCounts { retries: 2, quota_waits: 1, opened: 1 });
}
