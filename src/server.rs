//! The HTTP server: an accept loop over hyper with the limits `axum::serve` does not offer. At
//! most `max_connections` connections are served at once (one more is told 503 and closed);
//! a request's headers must arrive within `header_read_timeout` (which also closes an idle
//! keep-alive connection); the router's edge bounds the rest of each request.
//!
//! When the shutdown token is cancelled the loop stops accepting (the listener is closed, so
//! new connections are refused), every connection finishes the request it is answering and
//! closes (hyper's graceful shutdown: an idle keep-alive connection closes at once), and
//! `serve` returns once all are closed, or after the request timeout and a second at most.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;

use crate::config::ServerConfig;

/// The answer to a connection over the limit: written whole without reading the request, then
/// the connection is closed.
static OVERLOADED: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let body = r#"{"type":"urn:registry-gateway:problem:overloaded","title":"The gateway has more connections than it serves at once; retry after Retry-After seconds","status":503}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\nretry-after: 1\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
});

/// Serves `router` on `listener` until `shutdown` is cancelled, then lets the connections
/// finish what they are answering (see the module's description).
/// With `tls`, each connection's handshake must end within the header read timeout, and one
/// that fails (no client certificate where one is required, a certificate from another CA)
/// is closed before any request is read.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    config: ServerConfig,
    tls: Option<TlsAcceptor>,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let capacity = config.max_connections.clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let slots = Arc::new(Semaphore::new(capacity));
    let header_timeout = config.header_read_timeout();
    loop {
        let accepted = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: wait instead of spinning, then go on.
                tracing::warn!(error = %error, "Accepting a connection failed.");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        let tls = tls.clone();
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let _ = stream.set_nodelay(true);
            match tls {
                None => serve_connection(TokioIo::new(stream), service, header_timeout, shutdown).await,
                Some(acceptor) => match tokio::time::timeout(header_timeout, acceptor.accept(stream)).await {
                    Ok(Ok(stream)) => serve_connection(TokioIo::new(stream), service, header_timeout, shutdown).await,
                    Ok(Err(error)) => tracing::debug!(error = %error, "TLS handshake refused."),
                    Err(_) => tracing::debug!("TLS handshake timed out."),
                },
            }
        });
    }
    // New connections are refused from here on; those open finish their requests.
    drop(listener);
    let open = capacity - slots.available_permits();
    tracing::info!(connections = open, "Stopped accepting connections; finishing the requests in flight.");
    let bound = config.request_timeout() + Duration::from_secs(1);
    // Each connection holds a slot until it closes: all slots back means all closed.
    match tokio::time::timeout(bound, slots.acquire_many(capacity as u32)).await {
        Ok(_) => tracing::info!("Every connection is closed."),
        Err(_) => tracing::warn!(
            connections = capacity - slots.available_permits(),
            bound_ms = bound.as_millis() as u64,
            "Connections still open after the shutdown bound are dropped."
        ),
    }
    Ok(())
}

async fn serve_connection<I>(
    io: I,
    service: TowerToHyperService<Router>,
    header_timeout: Duration,
    shutdown: CancellationToken,
) where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(io, service);
    tokio::pin!(connection);
    let result = tokio::select! {
        result = connection.as_mut() => result,
        _ = shutdown.cancelled() => {
            // The request being answered is finished, then the connection closes; an idle
            // one closes at once.
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = result {
        tracing::debug!(error = %error, "Connection ended with an error.");
    }
}

/// Reads the request's head (a client that has not sent it yet would take an early answer
/// for a protocol error), then answers 503 and closes. A second at most either way.
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let mut head = Vec::with_capacity(1024);
        let mut buffer = [0u8; 1024];
        while head.len() < 16 * 1024 && !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buffer[..n]),
            }
        }
        let _ = stream.write_all(&OVERLOADED).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overloaded_answer_is_a_whole_problem() {
        let text = std::str::from_utf8(&OVERLOADED).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())), "{head}");
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(problem["status"], 503);
    }
}
