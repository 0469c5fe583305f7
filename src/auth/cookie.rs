//! The operator console's way in for a browser, which cannot add a bearer header: the
//! console's sign-in form (`POST /console/login`) checks the operator's token and puts it in an
//! `HttpOnly`, `SameSite=Strict` cookie scoped to `/console` (`Secure` when the API is served
//! over TLS). [`authorize`](super::authorize) takes that cookie in place of the header on the
//! console's routes only ([`accepts_cookie`]), and then, for a request that changes something
//! (a POST), two checks against cross-site request forgery: the request must come from the
//! console's own origin (`Origin`, or `Sec-Fetch-Site: same-origin`), and its form must carry
//! the session's [`CookieSession::csrf`] token, which the console's forms hold in a hidden
//! field. The token is derived from the cookie itself, so any instance behind a balancer
//! checks it alike, and a page elsewhere, which can read neither, cannot forge it.

use axum::extract::Request;
use axum::http::header::{COOKIE, HOST, ORIGIN};
use axum::http::{HeaderMap, HeaderValue, Method};
use sha2::{Digest, Sha256};

/// The cookie's name.
pub const COOKIE_NAME: &str = "gateway_console";

/// Where the cookie is sent, and the routes that accept it.
pub const CONSOLE_PATH: &str = "/console";

/// Whether the route at `path` takes the console's cookie in place of a bearer header.
pub fn accepts_cookie(path: &str) -> bool {
    path == CONSOLE_PATH || path.starts_with("/console/")
}

/// A request authenticated by the console's cookie: the anti-forgery token its forms carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieSession {
    pub csrf: String,
}

impl CookieSession {
    pub fn for_token(token: &str) -> Self {
        let mut hash = Sha256::new();
        hash.update(b"registry-gateway console csrf\0");
        hash.update(token.as_bytes());
        Self { csrf: hex::encode(&hash.finalize()[..16]) }
    }

    /// Whether a form's token is this session's (compared in constant time).
    pub fn accepts(&self, form_token: &str) -> bool {
        let (a, b) = (self.csrf.as_bytes(), form_token.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
    }
}

/// The console's cookie in the request, when it has one.
pub fn token(request: &Request) -> Option<&str> {
    request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// Whether a request that changes something may have come from another site's page: only the
/// console's own origin is taken. Browsers send `Origin` with every POST (and
/// `Sec-Fetch-Site`); a request with neither is not from a browser's form and is refused too,
/// since only a browser sends the cookie.
pub fn cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    !same_origin(headers).unwrap_or(false)
}

/// `Some(true)` when the request says it comes from the API's own origin, `Some(false)` when it
/// says it comes from elsewhere, `None` when it says nothing (not a browser). A browser's
/// `Sec-Fetch-Site` (which no page can set) is asked first; then `Origin`, against `Host`.
pub fn same_origin(headers: &HeaderMap) -> Option<bool> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|s| s.to_str().ok()) {
        return Some(site == "same-origin");
    }
    let origin = headers.get(ORIGIN).and_then(|o| o.to_str().ok())?;
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    Some(origin_host.is_some() && origin_host == host)
}

/// The `Set-Cookie` value that signs a browser in with `token`.
pub fn set(token: &str, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE_NAME}={token}; Path={CONSOLE_PATH}; HttpOnly; SameSite=Strict{secure}"))
        .ok()
}

/// The `Set-Cookie` value that signs a browser out.
pub fn clear(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE_NAME}=; Path={CONSOLE_PATH}; HttpOnly; SameSite=Strict; Max-Age=0{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("gateway_console=; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_the_consoles_own_origin_may_post() {
        let post = Method::POST;
        assert!(!cross_site(&post, &headers(&[("host", "gw:8080"), ("origin", "http://gw:8080")])));
        assert!(cross_site(&post, &headers(&[("host", "gw:8080"), ("origin", "http://evil.example")])));
        assert!(cross_site(&post, &headers(&[("host", "gw:8080"), ("origin", "null")])));
        assert!(!cross_site(&post, &headers(&[("host", "gw:8080"), ("sec-fetch-site", "same-origin")])));
        assert!(cross_site(&post, &headers(&[("host", "gw:8080"), ("sec-fetch-site", "cross-site")])));
        assert!(cross_site(
            &post,
            &headers(&[("host", "gw:8080"), ("origin", "http://gw:8080"), ("sec-fetch-site", "same-site")])
        ));
        assert!(cross_site(&post, &headers(&[("host", "gw:8080")])), "no browser headers: refused");
        assert!(!cross_site(&Method::GET, &headers(&[("host", "gw:8080")])));
    }

    #[test]
    fn the_form_token_follows_the_cookie() {
        let session = CookieSession::for_token("header.payload.signature");
        assert_eq!(session.csrf.len(), 32);
        assert!(session.accepts(&session.csrf));
        assert!(!session.accepts(&CookieSession::for_token("another.token.entirely").csrf));
        assert!(!session.accepts(""));
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_scoped_to_the_console() {
        let value = set("abc", false).unwrap();
        assert_eq!(value, "gateway_console=abc; Path=/console; HttpOnly; SameSite=Strict");
        assert!(set("abc", true).unwrap().to_str().unwrap().ends_with("; Secure"));
        assert!(accepts_cookie("/console") && accepts_cookie("/console/dead-letters/retry"));
        assert!(!accepts_cookie("/consoles") && !accepts_cookie("/metrics") && !accepts_cookie("/v1/deliveries"));
    }
}
