//! The operator console: its sign-in cookie and the checks against forged changes, then the
//! page in a real browser (Debian's headless Chromium driven over WebDriver): a registry in an
//! outage and a dead letter are on it, and its Retry button puts the dead letter back in the
//! outbox. With `GATEWAY_WRITE_SCREENSHOT=1` the page is saved to `docs/console.png`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use gateway_adapters::transport::resilience::{BreakerConfig, RetryConfig};
use gateway_domain::{StatusSink, System};
use gateway_mocks::FaultConfig;
use registry_gateway::auth::Role;
use registry_gateway::status_sync::{Progress, StatusSync};
use registry_gateway::store::DeadLetterFilter;
use reqwest::header::{COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::redirect::Policy;

use crate::helpers::{TestApp, issuer, spawn_app_with};
use crate::sync_helpers::{decision, fast_sync_config};
use crate::sync_partners::{PartnerFaults, TestSink};

fn operator_token() -> String {
    issuer().token("console-test", &[Role::Operator], Duration::from_secs(600))
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

/// Signs in through the form; the console's cookie as a `Cookie` header value.
async fn sign_in(app: &TestApp, token: &str) -> reqwest::Response {
    no_redirects()
        .post(format!("{}/console/login", app.server.url()))
        .header(ORIGIN, app.server.url())
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
}

/// An app whose VSAA breaker opens on the first failure and stays open, with VSAA in an
/// outage and one check made through it; and one dead letter of BARIS, left by a sync.
async fn app_with_an_outage_and_a_dead_letter() -> (TestApp, String) {
    let app = spawn_app_with(|config| {
        let vsaa = &mut config.registries.vsaa.transport;
        vsaa.retry = RetryConfig { max_attempts: 1, ..RetryConfig::default() };
        vsaa.breaker = BreakerConfig { failure_threshold: 1, open_for_ms: 600_000, max_open_for_ms: 600_000 };
    })
    .await;
    app.simulators.faults(System::Vsaa).set(FaultConfig { outage: true, ..FaultConfig::default() });
    let applicant = app.population.persons()[0].code.as_str().to_owned();
    let record = app.check_alone(&applicant).await;
    assert!(record.gaps.iter().any(|g| g.system == System::Vsaa));

    let rejected = decision(42);
    app.store.store_messages(&[rejected.clone(), decision(43)], &[System::Baris]).await.unwrap();
    let sink = TestSink::new(System::Baris);
    sink.set_faults(PartnerFaults { reject_refs: [rejected.decision_ref.clone()].into(), ..Default::default() });
    let sinks: Vec<Arc<dyn StatusSink>> = vec![Arc::new(sink)];
    let sync = app.server.observe(StatusSync::new(app.store.clone(), sinks, fast_sync_config(&[System::Baris])));
    let report = sync.run_once(Progress::Hidden).await;
    assert_eq!((report.partners[0].delivered, report.partners[0].dead_lettered), (1, 1), "{report:?}");
    (app, rejected.decision_ref)
}

fn cookie_of(response: &reqwest::Response) -> String {
    let set = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/console"), "{set}");
    set.split(';').next().unwrap().to_owned()
}

fn csrf_of(page: &str) -> String {
    let at = page.find(r#"name="csrf" value=""#).expect("a form with the session's token") + 19;
    page[at..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_console_signs_in_with_a_cookie_and_refuses_forged_changes() {
    let (app, reference) = app_with_an_outage_and_a_dead_letter().await;
    let url = app.server.url();
    let client = no_redirects();

    // A browser without the cookie is sent to the form; a token without the role is refused.
    let page = client.get(format!("{url}/console")).header("accept", "text/html").send().await.unwrap();
    assert_eq!((page.status().as_u16(), &page.headers()[LOCATION]), (303, &"/console/login".parse().unwrap()));
    let caseworker = issuer().token("console-test", &[Role::Caseworker], Duration::from_secs(60));
    let refused = sign_in(&app, &caseworker).await;
    assert_eq!(refused.headers()[LOCATION], "/console/login?refused=role");
    assert!(refused.headers().get(SET_COOKIE).is_none());
    let refused = sign_in(&app, "not.a.token").await;
    assert_eq!(refused.headers()[LOCATION], "/console/login?refused=token");

    let signed_in = sign_in(&app, &operator_token()).await;
    assert_eq!((signed_in.status().as_u16(), &signed_in.headers()[LOCATION]), (303, &"/console".parse().unwrap()));
    let cookie = cookie_of(&signed_in);
    let page = client.get(format!("{url}/console")).header(COOKIE, &cookie).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    let html = page.text().await.unwrap();
    assert!(html.contains(&reference), "the dead letter is listed");
    let csrf = csrf_of(&html);

    // The cookie is the console's only: elsewhere it is no credential.
    let feed = client.get(format!("{url}/v1/deliveries")).header(COOKIE, &cookie).send().await.unwrap();
    assert_eq!(feed.status(), 401);

    let retry = |origin: &str, csrf: &str| {
        client
            .post(format!("{url}/console/dead-letters/retry"))
            .header(COOKIE, &cookie)
            .header(ORIGIN, origin)
            .form(&[("csrf", csrf), ("partner", "baris"), ("decision", reference.as_str())])
            .send()
    };
    // From another site's page, or without the session's token, nothing changes.
    assert_eq!(retry("http://evil.example", &csrf).await.unwrap().status(), 403);
    assert_eq!(retry(&url, "0123456789abcdef0123456789abcdef").await.unwrap().status(), 403);
    assert_eq!(retry(&url, "").await.unwrap().status(), 403);
    assert_eq!(app.store.dead_letters(&DeadLetterFilter::default()).await.unwrap().len(), 1);

    let done = retry(&url, &csrf).await.unwrap();
    assert_eq!((done.status().as_u16(), &done.headers()[LOCATION]), (303, &"/console?retried=1".parse().unwrap()));
    assert!(app.store.dead_letters(&DeadLetterFilter::default()).await.unwrap().is_empty());
    assert_eq!(app.store.outbox_counts(System::Baris).await.unwrap().pending, 1);

    // Signing out clears the cookie.
    let out = client
        .post(format!("{url}/console/logout"))
        .header(COOKIE, &cookie)
        .header(ORIGIN, &url)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert!(out.headers()[SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
}

/// Debian's chromedriver, when installed.
fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("chromedriver")).find(|candidate| candidate.is_file())
}

/// The chromedriver this test started; stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_driver(binary: &PathBuf) -> Driver {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
    let started = Instant::now();
    while reqwest::get(format!("{}/status", driver.url)).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not answer");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    driver
}

#[tokio::test]
async fn the_console_in_a_browser_shows_the_outage_and_retries_a_dead_letter() {
    let Some(binary) = chromedriver() else {
        assert!(std::env::var_os("CI").is_none(), "chromedriver is not installed (apt-get install chromium-driver)");
        eprintln!(
            "note: chromedriver is not installed (apt-get install chromium chromium-driver); the browser test is skipped"
        );
        return;
    };
    let (app, reference) = app_with_an_outage_and_a_dead_letter().await;
    let driver = start_driver(&binary).await;
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400"],
        }),
    );
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session");
    let result = drive(&browser, &app, &reference).await;
    if result.is_err() {
        // What the browser was showing, to tell why.
        let at = browser.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        let source = browser.source().await.unwrap_or_default();
        eprintln!("the browser was at {at}:\n{source}");
    }
    let _ = browser.close().await;
    drop(driver);
    result.unwrap();
}

async fn drive(
    browser: &fantoccini::Client,
    app: &TestApp,
    reference: &str,
) -> Result<(), fantoccini::error::CmdError> {
    let url = app.server.url();
    // Straight to the console: without the cookie, the browser lands on the sign-in form.
    browser.goto(&format!("{url}/console")).await?;
    assert_eq!(browser.current_url().await?.path(), "/console/login");
    browser.find(Locator::Id("token")).await?.send_keys(&operator_token()).await?;
    browser.find(Locator::Id("sign-in")).await?.click().await?;
    browser.wait().at_most(Duration::from_secs(10)).for_element(Locator::Id("registries")).await?;
    assert_eq!(browser.current_url().await?.path(), "/console");

    // The outage: VSAA's breaker is open and its call an error.
    let vsaa = browser.find(Locator::Css(r#"#registries tr[data-system="vsaa"]"#)).await?;
    assert_eq!(vsaa.find(Locator::Css("[data-breaker]")).await?.text().await?, "open");
    assert!(vsaa.text().await?.contains("100 %"), "{}", vsaa.text().await?);
    let nva = browser.find(Locator::Css(r#"#registries tr[data-system="nva"]"#)).await?;
    assert_eq!(nva.find(Locator::Css("[data-breaker]")).await?.text().await?, "closed");
    assert!(browser.find(Locator::Id("not-closed")).await?.text().await?.contains("vsaa"));
    // The dead letter, and the sync run that left it.
    let letter = format!(r#"#dead-letters tr.dead-letter[data-decision="{reference}"]"#);
    let row = browser.find(Locator::Css(&letter)).await?;
    assert!(row.text().await?.contains("rejected:household-unknown"), "{}", row.text().await?);
    let baris = browser.find(Locator::Css(r#"#partners tr[data-partner="baris"]"#)).await?;
    assert!(baris.text().await?.contains("Retry all 1"), "{}", baris.text().await?);
    assert_eq!(browser.find_all(Locator::Css("#syncs h3.sync-run")).await?.len(), 1);

    if std::env::var("GATEWAY_WRITE_SCREENSHOT").is_ok_and(|v| v == "1") {
        let png = browser.screenshot().await?;
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/console.png");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, png).unwrap();
        eprintln!("wrote {}", path.display());
    }

    row.find(Locator::Css("button")).await?.click().await?;
    let banner = browser.wait().at_most(Duration::from_secs(10)).for_element(Locator::Id("retried")).await?;
    assert!(banner.text().await?.starts_with("1 dead letter(s) put back"), "{}", banner.text().await?);
    assert!(browser.find_all(Locator::Css(&letter)).await?.is_empty(), "the row is gone");
    assert!(app.store.dead_letters(&DeadLetterFilter::default()).await.unwrap().is_empty());
    assert_eq!(app.store.outbox_counts(System::Baris).await.unwrap().pending, 1, "back in the outbox");
    Ok(())
}
