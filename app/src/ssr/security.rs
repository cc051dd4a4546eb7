//! Defences every response and every write share: the public origin the portal is served
//! from, same-origin enforcement for state-changing requests (CSRF), and the security
//! headers (CSP with a per-page nonce, framing, sniffing, referrer, HSTS over https).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::error::AppError;

/// Where people reach the portal, e.g. `https://desk.example.com`: scheme, host and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublicUrlError {
    #[error("the public URL must start with http:// or https://")]
    Scheme,
    #[error("the public URL needs a host name")]
    Host,
    #[error("the public URL must not carry a path, query or credentials (use e.g. https://desk.example.com)")]
    Extra,
}

impl PublicUrl {
    pub fn parse(s: &str) -> Result<Self, PublicUrlError> {
        let s = s.trim();
        let (scheme, rest) = [("https://", "https"), ("http://", "http")]
            .into_iter()
            .find_map(|(prefix, scheme)| s.strip_prefix(prefix).map(|rest| (scheme, rest)))
            .ok_or(PublicUrlError::Scheme)?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.is_empty() || rest.starts_with(':') {
            return Err(PublicUrlError::Host);
        }
        if rest.contains(['/', '?', '#', '@']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PublicUrlError::Extra);
        }
        Ok(Self { origin: format!("{scheme}://{}", rest.to_ascii_lowercase()) })
    }

    /// `scheme://host[:port]`, exactly as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn is_https(&self) -> bool {
        self.origin.starts_with("https://")
    }
}

impl std::str::FromStr for PublicUrl {
    type Err = PublicUrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Whether a state-changing request comes from a page of this portal. Browsers say so in
/// `Sec-Fetch-Site`, which pages cannot forge; older ones send `Origin`, which must then
/// match the public URL (or, when none is configured, the `Host` the request was sent to).
/// A request with neither is refused: it carries no proof of where it came from.
pub fn is_same_origin(headers: &HeaderMap, public_url: Option<&PublicUrl>) -> bool {
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return site == "same-origin";
    }
    let Some(origin) = header(header::ORIGIN.as_str()) else {
        return false;
    };
    match public_url {
        Some(url) => origin.eq_ignore_ascii_case(url.origin()),
        None => header(header::HOST.as_str()).is_some_and(|host| {
            origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
        }),
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses, with 403 and before anything runs, a state-changing request from elsewhere.
pub async fn require_same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if is_state_changing(req.method()) && !is_same_origin(req.headers(), state.public_url.as_ref()) {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "refused a cross-origin request");
        return (StatusCode::FORBIDDEN, axum::Json(AppError::Forbidden)).into_response();
    }
    next.run(req).await
}

/// The Content-Security-Policy: scripts only from this origin or inline with this page's
/// nonce, WebAssembly allowed to compile, nothing may frame the portal.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Adds the security headers to every response; pages have set their nonce'd CSP already.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if !headers.contains_key(&name)
            && let Ok(value) = HeaderValue::from_str(value)
        {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_SECURITY_POLICY, &content_security_policy(None));
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if state.public_url.as_ref().is_some_and(PublicUrl::is_https) {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    response
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
    fn public_urls_are_origins_only() {
        let url = PublicUrl::parse("https://Desk.Example.com/").unwrap();
        assert_eq!(url.origin(), "https://desk.example.com");
        assert!(url.is_https());
        assert!(!PublicUrl::parse("http://127.0.0.1:3000").unwrap().is_https());
        assert_eq!(PublicUrl::parse("desk.example.com"), Err(PublicUrlError::Scheme));
        assert_eq!(PublicUrl::parse("https://"), Err(PublicUrlError::Host));
        assert_eq!(PublicUrl::parse("https://desk.example.com/portal"), Err(PublicUrlError::Extra));
        assert_eq!(PublicUrl::parse("https://user@desk.example.com"), Err(PublicUrlError::Extra));
    }

    #[test]
    fn the_browsers_fetch_metadata_decides_first() {
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "same-origin")]), None));
        let forged = headers(&[("sec-fetch-site", "cross-site"), ("origin", "http://a"), ("host", "a")]);
        assert!(!is_same_origin(&forged, None));
        assert!(!is_same_origin(&headers(&[("sec-fetch-site", "same-site")]), None));
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_match() {
        let url = PublicUrl::parse("https://desk.example.com").unwrap();
        assert!(is_same_origin(&headers(&[("origin", "https://desk.example.com")]), Some(&url)));
        assert!(!is_same_origin(&headers(&[("origin", "https://evil.example")]), Some(&url)));
        assert!(!is_same_origin(&headers(&[("origin", "http://desk.example.com")]), Some(&url)));
        assert!(is_same_origin(
            &headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]),
            None
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "http://evil.example"), ("host", "127.0.0.1:3000")]),
            None
        ));
        assert!(!is_same_origin(&headers(&[("origin", "null"), ("host", "null")]), None));
    }

    #[test]
    fn a_request_without_provenance_is_not_same_origin() {
        assert!(!is_same_origin(&HeaderMap::new(), None));
    }

    #[test]
    fn only_writes_are_checked() {
        assert!(!is_state_changing(&Method::GET));
        assert!(!is_state_changing(&Method::HEAD));
        assert!(is_state_changing(&Method::POST));
        assert!(is_state_changing(&Method::DELETE));
    }

    #[test]
    fn the_policy_never_allows_inline_scripts_without_the_nonce() {
        let page = content_security_policy(Some("abc"));
        assert!(page.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(page.contains("frame-ancestors 'none'"));
        assert!(!page.contains("unsafe-inline"));
        assert!(!content_security_policy(None).contains("nonce"));
    }
}
