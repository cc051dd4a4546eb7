//! Passwords (argon2id), session tokens and the middleware that turns a session cookie into
//! the signed-in user. Tokens are random; the store keeps only their SHA-256.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::AppState;
use crate::domain::user::CurrentUser;

/// What the session middleware found: attached to every request's extensions.
#[derive(Clone, Debug, Default)]
pub struct SignedIn {
    pub user: Option<CurrentUser>,
    pub token_hash: Option<String>,
    /// The user's unread notifications as the session lookup counted them.
    pub unread: i64,
}

#[derive(Clone, Debug)]
pub struct SessionConfig {
    pub cookie_name: &'static str,
    /// A session unused this long ends.
    pub idle_timeout: chrono::Duration,
    /// A session ends this long after sign-in, however busy.
    pub absolute_timeout: chrono::Duration,
    pub secure_cookie: bool,
}

impl SessionConfig {
    /// Over https the cookie is `Secure` and takes the `__Host-` prefix, which browsers
    /// only accept from a secure origin for the whole host (no `Domain`, `Path=/`).
    pub fn new(https: bool, idle_timeout: chrono::Duration, absolute_timeout: chrono::Duration) -> Self {
        Self {
            cookie_name: if https { "__Host-sb_session" } else { "sb_session" },
            idle_timeout,
            absolute_timeout,
            secure_cookie: https,
        }
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self::new(false, chrono::Duration::days(7), chrono::Duration::days(30))
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(argon2().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// True when `password` matches `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A hash to verify against when the e-mail is unknown, so both failures take as long.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password for timing").unwrap_or_default())
}

/// `bytes` random bytes from the OS-seeded CSPRNG, hex encoded.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session cookie's value, if the request carries one.
pub fn session_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

pub fn set_cookie_header(config: &SessionConfig, token: &str) -> String {
    cookie::Cookie::build((config.cookie_name, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(config.secure_cookie)
        .max_age(cookie::time::Duration::seconds(config.absolute_timeout.num_seconds()))
        .build()
        .to_string()
}

pub fn clear_cookie_header(config: &SessionConfig) -> String {
    cookie::Cookie::build((config.cookie_name, ""))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(config.secure_cookie)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// Resolves the session cookie to the signed-in user once per request (one indexed query,
/// which also counts their unread notifications for the bell).
pub async fn resolve_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut signed_in = SignedIn::default();
    if let Some(token) = session_cookie(req.headers(), state.sessions.cookie_name) {
        let hash = token_hash(&token);
        match state.store.find_session_user(&hash, Utc::now(), &state.sessions).await {
            Ok(Some((user, unread))) => {
                signed_in = SignedIn { user: Some(user), token_hash: Some(hash), unread };
            }
            Ok(None) => {}
            Err(error) => tracing::error!(?error, "session lookup failed"),
        }
    }
    req.extensions_mut().insert(signed_in);
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batter", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let a = random_token(32);
        let b = random_token(32);
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(header::COOKIE, "theme=dark; sb_session=abc123; x=y".parse().unwrap());
        assert_eq!(session_cookie(&headers, "sb_session").as_deref(), Some("abc123"));
        assert_eq!(session_cookie(&headers, "other"), None);
    }

    #[test]
    fn over_https_the_cookie_is_secure_and_host_prefixed() {
        let config = SessionConfig::new(true, chrono::Duration::hours(1), chrono::Duration::hours(8));
        let header = set_cookie_header(&config, "tok");
        assert!(header.starts_with("__Host-sb_session=tok"), "{header}");
        assert!(header.contains("Secure") && header.contains("Path=/") && !header.contains("Domain"));
        assert!(header.contains("Max-Age=28800"), "{header}");
    }

    #[test]
    fn the_cookie_is_http_only_and_same_site_lax() {
        let header = set_cookie_header(&SessionConfig::default(), "tok");
        assert!(header.contains("HttpOnly"));
        assert!(header.contains("SameSite=Lax"));
        assert!(header.contains("Path=/"));
        assert!(!header.contains("Secure"));
    }
}
