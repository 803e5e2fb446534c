//! HTTP endpoints: an extractor served over HTTP (a model endpoint). Each
//! article is POSTed as `{"id", "text"}`; the response body is a response
//! of protocol.md (`{"id", "quotes"}` or `{"id", "error"}`).
//!
//! The client is `ureq`: blocking, small, no async runtime — the runner
//! already calls extractors from a thread pool. Busy or failing servers
//! (429, 5xx, refused connections) are retried with exponential back-off;
//! see docs/extractors.md, "HTTP endpoints". TLS (rustls) is the cargo
//! feature `tls`, on by default: a build without it still speaks plain
//! `http://` and refuses `https://` URLs with an error that names the
//! feature, rather than failing inside the client.
//!
//! Why an endpoint cannot be used at all is an [`EndpointError`], found
//! once before the first article; a failed request fails only its article.

use std::io::Read;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::worker::protocol::{
    excerpt, resolve_response, show_duration, Handshake, HandshakeError, Request,
};
use super::worker::Reports;
use super::{Extractor, Failure, FailureKind, Output, Unavailable};
use crate::corpus::json;
use crate::corpus::{json_error_message, Article, Issue, OffsetUnit, Severity};

/// Defaults of the settings of an [`Http`] extractor (and of `quotecheck.toml`).
pub mod defaults {
    use std::time::Duration;

    /// How long one request may take.
    pub const TIMEOUT: Duration = Duration::from_secs(30);
    /// How many times a request is retried on 429, 5xx or a failed connection.
    pub const RETRIES: u32 = 3;
    /// The first back-off; it doubles on each retry.
    pub const RETRY_DELAY: Duration = Duration::from_millis(500);
    /// The largest response body, in bytes.
    pub const MAX_BODY: usize = 64 * 1024 * 1024;
}

/// The longest wait between two attempts, whatever the server asks.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Why an endpoint is unavailable: this build cannot reach it, or its
/// handshake cannot be read. Found once, before the first article; every
/// article then fails as `unavailable` with this message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// An `https://` URL, in a build without the cargo feature `tls`.
    #[error("{url} needs TLS, but this quotecheck was built without its cargo feature `tls` (on by default)")]
    NeedsTls {
        /// The URL.
        url: String,
    },
    /// The GET on `handshake_url` failed (after its retries).
    #[error("the handshake at {url} could not be read: {}", failure.message)]
    HandshakeUnread {
        /// The handshake URL.
        url: String,
        /// How the request failed.
        failure: Failure,
    },
    /// The handshake body is not JSON.
    #[error("the handshake at {url} is not JSON ({why}): {excerpt}")]
    HandshakeNotJson {
        /// The handshake URL.
        url: String,
        /// What the JSON parser said.
        why: String,
        /// The body, cut.
        excerpt: String,
    },
    /// The handshake breaks a rule of protocol.md.
    #[error("the handshake at {url} is bad ({error}): {excerpt}")]
    BadHandshake {
        /// The handshake URL.
        url: String,
        /// The rule it broke.
        error: HandshakeError,
        /// The body, cut.
        excerpt: String,
    },
}

impl EndpointError {
    /// What to do next.
    pub fn hint(&self) -> &'static str {
        match self {
            EndpointError::NeedsTls { .. } => {
                "build quotecheck with its default features, or with `--features tls`"
            }
            EndpointError::HandshakeUnread { .. }
            | EndpointError::HandshakeNotJson { .. }
            | EndpointError::BadHandshake { .. } => {
                "GET on `handshake_url` must return the handshake object (docs/extractors.md, \"HTTP endpoints\")"
            }
        }
    }
}

impl From<EndpointError> for Unavailable {
    /// An endpoint that cannot be reached or described makes its extractor
    /// unavailable, with the same message and hint.
    fn from(error: EndpointError) -> Unavailable {
        let hint = error.hint();
        Unavailable::new(error).with_hint(hint)
    }
}

/// An extractor served over HTTP.
///
/// ```no_run
/// use std::time::Duration;
/// use quotecheck::corpus::OffsetUnit;
/// use quotecheck::extract::{Extractor, Http};
///
/// let endpoint = Http::new("model", "http://127.0.0.1:8000/extract")
///     .with_version("2024-05")
///     .offsets(OffsetUnit::Utf16)
///     .header("Authorization", std::env::var("API_TOKEN").unwrap_or_default())
///     .timeout(Duration::from_secs(10));
/// assert_eq!(endpoint.version(), Some("2024-05"));
/// ```
pub struct Http {
    name: String,
    url: String,
    handshake_url: Option<String>,
    version: Option<String>,
    offsets: Option<OffsetUnit>,
    /// Header names and values; the values are never shown.
    headers: Vec<(String, String)>,
    timeout: Duration,
    /// All tries of one article; `None`: `timeout` × (retries + 1).
    article_timeout: Option<Duration>,
    retries: u32,
    retry_delay: Duration,
    max_body: usize,
    gate: Option<Arc<Gate>>,
    agent: OnceLock<ureq::Agent>,
    /// Version and offsets, once the handshake (if any) is read; the error
    /// says why the extractor is unavailable.
    described: OnceLock<Result<Described, EndpointError>>,
    reports: Reports,
}

struct Described {
    version: Option<String>,
    offsets: OffsetUnit,
}

/// At most `jobs` requests at once.
struct Gate {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Gate {
    fn enter(&self) -> GateGuard<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        GateGuard(self)
    }
}

pub(crate) struct GateGuard<'a>(&'a Gate);

impl Drop for GateGuard<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

/// How one attempt ended, before retries are decided.
enum Attempt {
    /// A response: status, body (or its start), `Retry-After` in seconds.
    Status(u16, Vec<u8>, Option<u64>),
    /// No answer in time.
    Timeout,
    /// The body was over the limit.
    TooLarge,
    /// No response at all (refused, reset, unknown host…).
    Unreachable(String),
}

impl Http {
    /// An endpoint at `url`, reported as `name`, with default settings.
    pub fn new(name: impl Into<String>, url: impl Into<String>) -> Http {
        Http {
            name: name.into(),
            url: url.into(),
            handshake_url: None,
            version: None,
            offsets: None,
            headers: Vec::new(),
            timeout: defaults::TIMEOUT,
            article_timeout: None,
            retries: defaults::RETRIES,
            retry_delay: defaults::RETRY_DELAY,
            max_body: defaults::MAX_BODY,
            gate: None,
            agent: OnceLock::new(),
            described: OnceLock::new(),
            reports: Reports::default(),
        }
    }

    /// Where to GET the handshake object (protocol.md) that gives the
    /// version and the unit of offsets.
    pub fn handshake_url(mut self, url: impl Into<String>) -> Http {
        self.handshake_url = Some(url.into());
        self
    }

    /// The extractor's version (wins over the handshake's). Without a
    /// version, outputs are not cached.
    pub fn with_version(mut self, version: impl Into<String>) -> Http {
        self.version = Some(version.into());
        self
    }

    /// The unit of offsets in responses that do not say (wins over the
    /// handshake's; default `codepoint`).
    pub fn offsets(mut self, unit: OffsetUnit) -> Http {
        self.offsets = Some(unit);
        self
    }

    /// A header sent with every request. Its value is never shown.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Http {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// How long one request may take (default 30 s); a request that takes
    /// longer fails its article as `timeout` and is not retried.
    pub fn timeout(mut self, timeout: Duration) -> Http {
        self.timeout = timeout;
        self
    }

    /// The bound of all tries of one article, the waits between them
    /// (`Retry-After` included) too: no try starts, and no wait begins,
    /// that would end after it; a try is cut short at it. Default:
    /// `timeout` × (retries + 1).
    pub fn article_timeout(mut self, timeout: Duration) -> Http {
        self.article_timeout = Some(timeout);
        self
    }

    /// The bound of all tries of one article, as set or by default.
    fn article_limit(&self) -> Duration {
        self.article_timeout
            .unwrap_or_else(|| self.timeout.saturating_mul(self.retries.saturating_add(1)))
    }

    /// How many times a request is retried on 429, 5xx or a failed
    /// connection (default 3).
    pub fn retries(mut self, retries: u32) -> Http {
        self.retries = retries;
        self
    }

    /// The wait before the first retry (default 500 ms); it doubles on
    /// each retry, and a longer `Retry-After` is honoured.
    pub fn retry_delay(mut self, delay: Duration) -> Http {
        self.retry_delay = delay;
        self
    }

    /// The largest response body in bytes (default 64 MiB); a larger one
    /// fails its article as `output-too-large`.
    pub fn max_body(mut self, bytes: usize) -> Http {
        self.max_body = bytes.max(1);
        self
    }

    /// How many requests may be in flight at once (default: one per
    /// thread of the run).
    pub fn jobs(mut self, jobs: usize) -> Http {
        let jobs = jobs.max(1);
        self.gate = Some(Arc::new(Gate {
            free: Mutex::new(jobs),
            freed: Condvar::new(),
        }));
        self
    }

    fn agent(&self) -> &ureq::Agent {
        self.agent.get_or_init(|| {
            ureq::Agent::config_builder()
                .timeout_global(Some(self.timeout))
                .http_status_as_error(false)
                .max_redirects(0)
                .user_agent(concat!("quotecheck/", env!("CARGO_PKG_VERSION")))
                .build()
                .into()
        })
    }

    fn described(&self) -> &Result<Described, EndpointError> {
        self.described.get_or_init(|| {
            let mut urls = std::iter::once(&self.url).chain(&self.handshake_url);
            if let Err(error) = urls.try_for_each(|u| reachable(u)) {
                self.reports.push(
                    Issue::new(Severity::Error, "unavailable", &self.url, error.to_string())
                        .hint(error.hint()),
                );
                return Err(error);
            }
            let mut d = Described {
                version: self.version.clone(),
                offsets: self.offsets.unwrap_or_default(),
            };
            let Some(url) = &self.handshake_url else {
                return Ok(d);
            };
            let handshake = self.handshake(url);
            match handshake {
                Ok(h) => {
                    d.version = d.version.or(Some(h.version));
                    d.offsets = self.offsets.unwrap_or(h.offsets);
                    Ok(d)
                }
                Err(error) => {
                    self.reports.push(
                        Issue::new(Severity::Error, "unavailable", url, error.to_string())
                            .hint(error.hint()),
                    );
                    Err(error)
                }
            }
        })
    }

    fn handshake(&self, url: &str) -> Result<Handshake, EndpointError> {
        let body = self
            .with_retries(url, |limit| self.attempt(url, None, limit))
            .map_err(|failure| EndpointError::HandshakeUnread {
                url: url.to_string(),
                failure,
            })?;
        let value: Value =
            serde_json::from_slice(&body).map_err(|e| EndpointError::HandshakeNotJson {
                url: url.to_string(),
                why: json_error_message(&e),
                excerpt: excerpt(&body),
            })?;
        Handshake::from_value(&value).map_err(|error| EndpointError::BadHandshake {
            url: url.to_string(),
            error,
            excerpt: excerpt(&body),
        })
    }

    /// One request: a POST of `body`, or a GET when there is none, given
    /// at most `limit` (`timeout`, or less when `article_timeout` is near).
    fn attempt(&self, url: &str, body: Option<&[u8]>, limit: Duration) -> Attempt {
        let sent = match body {
            Some(body) => {
                let mut req = self
                    .agent()
                    .post(url)
                    .header("Content-Type", "application/json");
                for (k, v) in &self.headers {
                    req = req.header(k.as_str(), v.as_str());
                }
                req.config().timeout_global(Some(limit)).build().send(body)
            }
            None => {
                let mut req = self.agent().get(url);
                for (k, v) in &self.headers {
                    req = req.header(k.as_str(), v.as_str());
                }
                req.config().timeout_global(Some(limit)).build().call()
            }
        };
        let mut response = match sent {
            Ok(r) => r,
            Err(e) => return failed(e),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if (200..300).contains(&status) {
            match response
                .body_mut()
                .with_config()
                .limit(self.max_body as u64)
                .read_to_vec()
            {
                Ok(bytes) => Attempt::Status(status, bytes, retry_after),
                Err(ureq::Error::BodyExceedsLimit(_)) => Attempt::TooLarge,
                Err(e) => failed(e),
            }
        } else {
            // Only the start of an error body is shown.
            let mut start = Vec::new();
            let _ = response
                .body_mut()
                .as_reader()
                .take(4096)
                .read_to_end(&mut start);
            Attempt::Status(status, start, retry_after)
        }
    }

    /// Runs `attempt` until it succeeds, retrying on 429, 5xx and failed
    /// connections with exponential back-off, all within `article_timeout`;
    /// the body of a 2xx response. `attempt` is given the time it may take.
    fn with_retries(
        &self,
        url: &str,
        attempt: impl Fn(Duration) -> Attempt,
    ) -> Result<Vec<u8>, Failure> {
        let bound = self.article_limit();
        let deadline = Instant::now().checked_add(bound);
        let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let mut tries = 0u32;
        loop {
            tries += 1;
            let limit = left().map_or(self.timeout, |l| l.min(self.timeout));
            let cut_short = limit < self.timeout;
            let (retry_after, last) = match attempt(limit) {
                Attempt::Status(status, body, _) if (200..300).contains(&status) => {
                    return Ok(body)
                }
                Attempt::Status(status, body, retry_after)
                    if status == 429 || (500..600).contains(&status) =>
                {
                    (retry_after, status_failure(url, status, &body))
                }
                Attempt::Status(status, body, _) => {
                    return Err(status_failure(url, status, &body));
                }
                Attempt::Timeout if cut_short => {
                    return Err(Failure::new(
                        FailureKind::Timeout,
                        format!(
                            "{url} did not answer within the {} left of `article_timeout` ({}), after {tries} attempt(s)",
                            show_duration(limit),
                            show_duration(bound)
                        ),
                    ))
                }
                Attempt::Timeout => {
                    return Err(Failure::new(
                        FailureKind::Timeout,
                        format!(
                            "{url} did not answer within {} (`timeout`)",
                            show_duration(self.timeout)
                        ),
                    ))
                }
                Attempt::TooLarge => {
                    return Err(Failure::new(
                        FailureKind::OutputTooLarge,
                        format!(
                            "{url} answered with a body over the limit of {} bytes (`max_line`)",
                            self.max_body
                        ),
                    ))
                }
                Attempt::Unreachable(why) => (
                    None,
                    Failure::new(FailureKind::Error, format!("cannot reach {url}: {why}")),
                ),
            };
            if tries > self.retries {
                let mut last = last;
                if tries > 1 {
                    last.message = format!("{} (after {tries} attempts)", last.message);
                }
                return Err(last);
            }
            let backoff = self
                .retry_delay
                .saturating_mul(1 << (tries - 1).min(16))
                .max(Duration::from_secs(retry_after.unwrap_or(0)))
                .min(MAX_BACKOFF);
            // A wait that would end past the article's bound is not begun:
            // the article fails now, with what the last try said.
            if left().is_some_and(|l| backoff >= l) {
                let mut last = last;
                let asked = match retry_after {
                    Some(secs) if Duration::from_secs(secs) == backoff => {
                        format!(" (the server asked for {secs}s with Retry-After)")
                    }
                    _ => String::new(),
                };
                last.message = format!(
                    "{} (after {tries} attempt(s); waiting {}{asked} would pass `article_timeout` ({}))",
                    last.message,
                    show_duration(backoff),
                    show_duration(bound)
                );
                return Err(last);
            }
            std::thread::sleep(backoff);
        }
    }
}

/// How a [`Http::post`] failed: the failure, and the status of the last
/// answer when there was one (a chat server's refusal of a request field
/// is told by its status).
pub(crate) struct Refused {
    pub(crate) status: Option<u16>,
    pub(crate) body: Vec<u8>,
    pub(crate) failure: Failure,
}

impl Http {
    /// A place among the `jobs` requests in flight, held until dropped;
    /// `None` without a bound. [`Http::post`] does not take one itself, so
    /// that an adapter can hold it over several requests of one article.
    pub(crate) fn slot(&self) -> Option<GateGuard<'_>> {
        self.gate.as_ref().map(|g| g.enter())
    }

    /// One article's POST of `body` to the endpoint's URL, with its
    /// retries and its `article_timeout`: the body of the 2xx answer. For
    /// adapters that speak another protocol over the same transport (the
    /// chat adapter), which take a [`Http::slot`] first.
    pub(crate) fn post(&self, body: &[u8]) -> Result<Vec<u8>, Refused> {
        if let Err(why) = self.described() {
            return Err(Refused {
                status: None,
                body: Vec::new(),
                failure: Failure::new(FailureKind::Unavailable, why.to_string()),
            });
        }
        let last = std::cell::RefCell::new((None, Vec::new()));
        self.with_retries(&self.url, |limit| {
            let attempt = self.attempt(&self.url, Some(body), limit);
            if let Attempt::Status(status, body, _) = &attempt {
                *last.borrow_mut() = (Some(*status), body.clone());
            }
            attempt
        })
        .map_err(|failure| {
            let (status, body) = last.into_inner();
            Refused {
                status,
                body,
                failure,
            }
        })
    }

    /// The values of the headers, to be kept out of every message.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &str> {
        self.headers.iter().map(|(_, v)| v.as_str())
    }

    /// The names of the headers, lower-cased and sorted (for fingerprints).
    pub(crate) fn header_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .headers
            .iter()
            .map(|(k, _)| k.to_ascii_lowercase())
            .collect();
        names.sort();
        names
    }

    /// The URL requests are posted to.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The endpoint's problems as a whole (an unreachable URL).
    pub(crate) fn reports(&self) -> Vec<Issue> {
        self.reports.all(&self.url)
    }
}

/// Whether this build can reach `url`: `https://` needs the `tls` feature.
fn reachable(url: &str) -> Result<(), EndpointError> {
    let https = url
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
    if https && !cfg!(feature = "tls") {
        return Err(EndpointError::NeedsTls {
            url: url.to_string(),
        });
    }
    Ok(())
}

/// The failure of a request answered with a status that is not 2xx.
fn status_failure(url: &str, status: u16, body: &[u8]) -> Failure {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map_or(String::new(), |r| format!(" {r}"));
    let shown = if body.iter().all(u8::is_ascii_whitespace) {
        String::new()
    } else {
        format!(": {}", excerpt(body))
    };
    Failure::new(
        FailureKind::Error,
        format!("{url} answered {status}{reason}{shown}"),
    )
}

/// An attempt that got no usable response.
fn failed(e: ureq::Error) -> Attempt {
    match e {
        ureq::Error::Timeout(_) => Attempt::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Attempt::Timeout,
        ureq::Error::BodyExceedsLimit(_) => Attempt::TooLarge,
        other => Attempt::Unreachable(other.to_string()),
    }
}

impl Extractor for Http {
    fn extract(&self, article: &Article) -> Result<Output, Failure> {
        let described = match self.described() {
            Ok(d) => d,
            Err(why) => return Err(Failure::new(FailureKind::Unavailable, why.to_string())),
        };
        let id = article.id.as_str();
        let body = Request {
            id,
            text: &article.text,
        }
        .line();
        let _gate = self.gate.as_ref().map(|g| g.enter());
        let bytes = self.with_retries(&self.url, |limit| {
            self.attempt(&self.url, Some(&body), limit)
        })?;
        let (value, duplicates) = match json::parse_bytes(&bytes) {
            Some(parsed) => parsed,
            None => (
                serde_json::from_slice(&bytes).map_err(|e| {
                    Failure::new(
                        FailureKind::InvalidOutput,
                        format!(
                            "the response is not JSON ({}): {}",
                            json_error_message(&e),
                            excerpt(&bytes)
                        ),
                    )
                })?,
                Vec::new(),
            ),
        };
        match value.get("id") {
            None => {}
            Some(Value::String(s)) if s == id => {}
            Some(other) => {
                return Err(Failure::new(
                    FailureKind::InvalidOutput,
                    format!(
                        "the response is for article {other}, not {id:?}: {}",
                        excerpt(&bytes)
                    ),
                ))
            }
        }
        resolve_response(
            value,
            article,
            described.offsets,
            &self.url,
            &excerpt(&bytes),
            &duplicates,
        )
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn version(&self) -> Option<&str> {
        self.described().as_ref().ok()?.version.as_deref()
    }

    fn check(&self) -> Result<(), Unavailable> {
        match self.described() {
            Ok(_) => Ok(()),
            Err(error) => Err(error.clone().into()),
        }
    }

    /// The URL, version, unit of offsets and the header names (never their
    /// values); `None`, so never cached, without a version.
    fn fingerprint(&self) -> Option<String> {
        let d = self.described().as_ref().ok()?;
        let version = d.version.as_ref()?;
        let names = self.header_names();
        Some(format!(
            "http\0{}\0{version}\0{}\0headers {}\0quotecheck {}",
            self.url,
            d.offsets,
            names.join(","),
            env!("CARGO_PKG_VERSION")
        ))
    }

    fn finish(&self, in_corpus: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        let _ = in_corpus;
        self.reports.all(&self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_needs_the_tls_feature() {
        assert_eq!(reachable("http://127.0.0.1:9/x"), Ok(()));
        // No handshake URL: checking reaches nothing on the network.
        let endpoint = Http::new("h", "HTTPS://127.0.0.1:9/x");
        if cfg!(feature = "tls") {
            assert!(endpoint.check().is_ok());
        } else {
            let why = endpoint.check().unwrap_err();
            assert!(why.to_string().contains("cargo feature `tls`"), "{why}");
            assert_eq!(
                why.hint(),
                Some(EndpointError::NeedsTls { url: String::new() }.hint())
            );
            let article = Article {
                id: crate::corpus::ArticleId::new("a").unwrap(),
                text: "text".into(),
                gold: None,
            };
            let failure = endpoint.extract(&article).unwrap_err();
            assert_eq!(failure.kind, FailureKind::Unavailable);
            assert_eq!(endpoint.finish(&|_| true)[0].code, "unavailable");
        }
    }
}
