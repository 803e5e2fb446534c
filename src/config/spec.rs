//! The typed form of one `[extractors.NAME]` table, and how a table as
//! written becomes one: which keys apply to which kind of extractor, and
//! the checks of every value.
//!
//! It knows the settings, not the extractors they build
//! ([`super::Config::build`] does that).

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::units::{parse_duration, ByteSize, DurationError};
use super::BUILTINS;
use crate::corpus::OffsetUnit;

/// What is wrong with one `[extractors.NAME]` table.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExtractorProblem {
    /// The name cannot name an extractor.
    #[error("{0}")]
    Name(String),
    /// None of `builtin`, `replay`, `command`, `url` and `chat` is given.
    #[error("says neither `builtin`, `replay`, `command`, `url` nor `chat`: give exactly one")]
    NoKind,
    /// More than one of them is given.
    #[error("has {}: give exactly one", .0.join(" and "))]
    SeveralKinds(Vec<&'static str>),
    /// `builtin` names no built-in extractor.
    #[error("unknown builtin {name:?}; built-in extractors: {known}")]
    UnknownBuiltin {
        /// The name given.
        name: String,
        /// The built-in extractors, comma-separated.
        known: String,
    },
    /// `language` of a built-in baseline names no language it reads.
    #[error("`language` is {0:?}; use \"en\", \"de\", \"fr\", \"ja\" or \"auto\" (docs/baseline.md, Languages)")]
    Language(String),
    /// Keys that do not apply to this kind of extractor.
    #[error("{}", Misplaced::list(.0))]
    Misplaced(Vec<Misplaced>),
    /// `command` is an empty list.
    #[error("`command` is empty: give the program and its arguments, such as [\"python3\", \"extract.py\"]")]
    EmptyCommand,
    /// `url` or `handshake_url` is not an HTTP URL.
    #[error("`{key}` must start with http:// or https://, not {url:?}")]
    NotHttp {
        /// The key.
        key: &'static str,
        /// The value.
        url: String,
    },
    /// A duration key is not a duration.
    #[error("`{key}`: {error}")]
    Duration {
        /// The key.
        key: &'static str,
        /// Why.
        error: DurationError,
    },
    /// A time-out of zero.
    #[error("`{key}` must be longer than 0")]
    ZeroDuration {
        /// The key.
        key: &'static str,
    },
    /// `jobs = 0`.
    #[error("`jobs` must be at least 1")]
    NoJobs,
    /// `offsets` is not an offset unit.
    #[error("`offsets` is {0:?}; use \"codepoint\", \"utf8\" or \"utf16\"")]
    Offsets(String),
    /// `version` is blank.
    #[error("`version` is empty")]
    EmptyVersion,
    /// A path of `cache_inputs` that does not exist (found when the
    /// extractor is built).
    #[error("`cache_inputs`: {0} does not exist (paths are relative to the configuration file's folder)")]
    MissingCacheInput(String),
    /// A key of `env` that cannot be an environment variable.
    #[error("`env`: {0:?} cannot be an environment variable")]
    Env(String),
    /// A key of `headers` that is not a header name.
    #[error("`headers`: {0:?} is not a valid header name")]
    HeaderName(String),
    /// A header value `env:` without a variable name. The value itself is
    /// never shown: it may be a secret.
    #[error("`headers`: the value of {0} says `env:` but names no variable (write \"env:NAME\")")]
    HeaderVariableMissing(String),
    /// A `chat` extractor without `model`.
    #[error("`model` is missing: a `chat` extractor names the model to ask (such as model = \"gpt-4o-mini\")")]
    NoModel,
    /// `prompt` cannot be read or has no `{text}` (found when the
    /// extractor is built).
    #[error("`prompt`: {path}: {why}")]
    Prompt {
        /// The template file.
        path: String,
        /// Why it cannot be used.
        why: String,
    },
    /// A price of `price_per_million` that is negative or not finite.
    #[error("`price_per_million`: prices must be numbers of 0 or more")]
    Price,
    /// A header read from an environment variable that is not set (found
    /// when the extractor is built).
    #[error(
        "header `{header}` is read from the environment variable {variable}, which is not set"
    )]
    HeaderVariableUnset {
        /// The header.
        header: String,
        /// The variable.
        variable: String,
    },
}

/// Keys set on an extractor they do not apply to, grouped by the kinds of
/// extractor they do apply to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misplaced {
    /// The keys, in table order.
    pub keys: Vec<&'static str>,
    /// The kinds they apply to: `command`, `url`.
    pub kinds: &'static [&'static str],
}

impl Misplaced {
    fn list(groups: &[Misplaced]) -> String {
        let parts: Vec<String> = groups.iter().map(Misplaced::to_string).collect();
        parts.join("; ")
    }
}

impl fmt::Display for Misplaced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quoted = |names: &[&str], sep: &str| {
            names
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let verb = if self.keys.len() == 1 {
            "applies"
        } else {
            "apply"
        };
        let kinds = match self.kinds.split_last() {
            Some((last, [])) => quoted(&[last], ""),
            Some((last, rest)) => format!("{} and `{last}`", quoted(rest, ", ")),
            None => String::new(),
        };
        write!(
            f,
            "{} only {verb} to {kinds} extractors",
            quoted(&self.keys, ", ")
        )
    }
}

/// One `[extractors.NAME]` table: exactly one of `builtin`, `replay`,
/// `command` or `url`, with the settings of that kind.
#[derive(Clone, Debug, PartialEq)]
pub enum ExtractorSpec {
    /// `builtin = "KIND"`: a built-in extractor (one of [`BUILTINS`]),
    /// with the `language` it reads every article in (`None`: `auto`,
    /// each article's own; docs/baseline.md).
    Builtin(&'static str, Option<crate::extract::baseline::Lang>),
    /// `replay = "PATH"`: saved predictions, a folder or a JSON-lines file
    /// (relative to [`Config::base`](super::Config::base)).
    Replay(PathBuf),
    /// `command = [...]`: a worker process (protocol.md).
    Worker(WorkerSpec),
    /// `url = "..."`: an HTTP endpoint (protocol.md).
    Http(HttpSpec),
    /// `chat = "..."`: a model behind an OpenAI-compatible chat API
    /// (docs/llm-extractors.md).
    Chat(ChatSpec),
}

/// The settings of a chat model.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatSpec {
    /// The transport's settings, as for an HTTP endpoint: `url` is the
    /// API's base (`chat`), requests go to `{chat}/chat/completions`.
    pub http: HttpSpec,
    /// The model asked.
    pub model: String,
    /// The prompt template file, relative to
    /// [`Config::base`](super::Config::base).
    pub prompt: Option<PathBuf>,
    /// `temperature` of every request.
    pub temperature: Option<f64>,
    /// `seed` of every request.
    pub seed: Option<i64>,
    /// `max_tokens` of every request.
    pub max_tokens: Option<u64>,
    /// The price of a million tokens.
    pub price: Option<crate::extract::Price>,
}

/// `price_per_million` as written.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrice {
    prompt: f64,
    completion: f64,
}

/// The settings of a worker process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerSpec {
    /// The program and its arguments, run without a shell; never empty.
    pub command: Vec<String>,
    /// Environment variables for the worker.
    pub env: BTreeMap<String, String>,
    /// Its working folder, relative to [`Config::base`](super::Config::base).
    pub cwd: Option<PathBuf>,
    /// Files and folders whose content is part of the cache key, relative
    /// to [`Config::base`](super::Config::base).
    pub cache_inputs: Vec<PathBuf>,
    /// Per-article time-out; longer than 0.
    pub timeout: Option<Duration>,
    /// How long it may take to send its handshake; longer than 0.
    pub handshake_timeout: Option<Duration>,
    /// How many times each process is restarted after a crash or a time-out.
    pub restarts: Option<u32>,
    /// The longest response line.
    pub max_line: Option<ByteSize>,
    /// How many processes at most.
    pub jobs: Option<NonZeroUsize>,
}

/// The settings of an HTTP endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpSpec {
    /// Where articles are posted; `http://` or `https://`.
    pub url: String,
    /// Where the handshake is served (GET); `http://` or `https://`.
    pub handshake_url: Option<String>,
    /// The endpoint's version; not blank.
    pub version: Option<String>,
    /// The unit of the endpoint's offsets.
    pub offsets: Option<OffsetUnit>,
    /// Headers sent with every request, by valid header name.
    pub headers: BTreeMap<String, HeaderValue>,
    /// Per-request time-out; longer than 0.
    pub timeout: Option<Duration>,
    /// The bound of all tries of one article, back-offs included; longer
    /// than 0.
    pub article_timeout: Option<Duration>,
    /// How many times a request is retried on 429, 5xx or a failed connection.
    pub retries: Option<u32>,
    /// The first back-off between retries.
    pub retry_delay: Option<Duration>,
    /// The largest response body (`max_line` in the file).
    pub max_body: Option<ByteSize>,
    /// How many requests in flight at most.
    pub jobs: Option<NonZeroUsize>,
}

/// The value of a header.
#[derive(Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// Sent as written.
    Literal(String),
    /// `"env:NAME"`: read from the environment variable NAME when the
    /// extractor is built.
    Env(String),
}

impl fmt::Debug for HeaderValue {
    // A header may carry a secret: its value is never shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderValue::Literal(_) => f.write_str("Literal(..)"),
            HeaderValue::Env(var) => f.debug_tuple("Env").field(var).finish(),
        }
    }
}

/// One `[extractors.NAME]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExtractor {
    builtin: Option<String>,
    replay: Option<PathBuf>,
    command: Option<Vec<String>>,
    url: Option<String>,
    chat: Option<String>,
    timeout: Option<String>,
    jobs: Option<usize>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    cwd: Option<PathBuf>,
    cache_inputs: Option<Vec<PathBuf>>,
    handshake_timeout: Option<String>,
    restarts: Option<u32>,
    max_line: Option<ByteSize>,
    handshake_url: Option<String>,
    version: Option<String>,
    offsets: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    retries: Option<u32>,
    retry_delay: Option<String>,
    article_timeout: Option<String>,
    model: Option<String>,
    prompt: Option<PathBuf>,
    temperature: Option<f64>,
    seed: Option<i64>,
    max_tokens: Option<u64>,
    price_per_million: Option<RawPrice>,
    language: Option<String>,
}

/// Which kinds of extractor a key applies to (worker-process and HTTP keys).
const KEY_KINDS: &[(&str, &[&str])] = &[
    ("timeout", &["command", "url", "chat"]),
    ("jobs", &["command", "url", "chat"]),
    ("max_line", &["command", "url", "chat"]),
    ("env", &["command"]),
    ("cwd", &["command"]),
    ("cache_inputs", &["command"]),
    ("handshake_timeout", &["command"]),
    ("restarts", &["command"]),
    ("handshake_url", &["url"]),
    ("version", &["url"]),
    ("offsets", &["url"]),
    ("headers", &["url", "chat"]),
    ("retries", &["url", "chat"]),
    ("retry_delay", &["url", "chat"]),
    ("article_timeout", &["url", "chat"]),
    ("model", &["chat"]),
    ("prompt", &["chat"]),
    ("temperature", &["chat"]),
    ("seed", &["chat"]),
    ("max_tokens", &["chat"]),
    ("price_per_million", &["chat"]),
    ("language", &["builtin"]),
];

impl RawExtractor {
    /// The kinds given: `builtin`, `replay`, `command` or `url`.
    fn kinds(&self) -> Vec<&'static str> {
        [
            self.builtin.as_ref().map(|_| "builtin"),
            self.replay.as_ref().map(|_| "replay"),
            self.command.as_ref().map(|_| "command"),
            self.url.as_ref().map(|_| "url"),
            self.chat.as_ref().map(|_| "chat"),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Whether the worker-process or HTTP key `key` is set.
    fn has(&self, key: &str) -> bool {
        match key {
            "timeout" => self.timeout.is_some(),
            "jobs" => self.jobs.is_some(),
            "max_line" => self.max_line.is_some(),
            "env" => !self.env.is_empty(),
            "cwd" => self.cwd.is_some(),
            "cache_inputs" => self.cache_inputs.is_some(),
            "handshake_timeout" => self.handshake_timeout.is_some(),
            "restarts" => self.restarts.is_some(),
            "handshake_url" => self.handshake_url.is_some(),
            "version" => self.version.is_some(),
            "offsets" => self.offsets.is_some(),
            "headers" => !self.headers.is_empty(),
            "retries" => self.retries.is_some(),
            "retry_delay" => self.retry_delay.is_some(),
            "article_timeout" => self.article_timeout.is_some(),
            "model" => self.model.is_some(),
            "prompt" => self.prompt.is_some(),
            "temperature" => self.temperature.is_some(),
            "seed" => self.seed.is_some(),
            "max_tokens" => self.max_tokens.is_some(),
            "price_per_million" => self.price_per_million.is_some(),
            "language" => self.language.is_some(),
            _ => false,
        }
    }

    /// The keys set that do not apply to `kind`, grouped by the kinds they
    /// apply to, in table order.
    fn misplaced_keys(&self, kind: &str) -> Vec<Misplaced> {
        let mut groups: Vec<Misplaced> = Vec::new();
        for &(key, kinds) in KEY_KINDS {
            if kinds.contains(&kind) || !self.has(key) {
                continue;
            }
            match groups.iter_mut().find(|g| g.kinds == kinds) {
                Some(group) => group.keys.push(key),
                None => groups.push(Misplaced {
                    keys: vec![key],
                    kinds,
                }),
            }
        }
        groups
    }

    /// The typed spec, checking the settings in the order of [`KEY_KINDS`]
    /// after the kind: the first problem found is the one reported.
    pub(super) fn into_spec(mut self) -> Result<ExtractorSpec, ExtractorProblem> {
        let kinds = self.kinds();
        let kind = match kinds.as_slice() {
            [kind] => *kind,
            [] => return Err(ExtractorProblem::NoKind),
            many => return Err(ExtractorProblem::SeveralKinds(many.to_vec())),
        };
        let builtin = match &self.builtin {
            Some(b) => Some(BUILTINS.iter().copied().find(|k| k == b).ok_or_else(|| {
                ExtractorProblem::UnknownBuiltin {
                    name: b.clone(),
                    known: BUILTINS.join(", "),
                }
            })?),
            None => None,
        };
        let misplaced = self.misplaced_keys(kind);
        if !misplaced.is_empty() {
            return Err(ExtractorProblem::Misplaced(misplaced));
        }
        if let Some(kind) = builtin {
            let language = match self.language.as_deref() {
                None | Some("auto") => None,
                Some(tag) => Some(
                    crate::extract::baseline::Lang::from_tag(tag)
                        .filter(|l| l.tag() == tag)
                        .ok_or_else(|| ExtractorProblem::Language(tag.to_string()))?,
                ),
            };
            return Ok(ExtractorSpec::Builtin(kind, language));
        }
        if let Some(path) = self.replay {
            return Ok(ExtractorSpec::Replay(path));
        }
        if let Some(base) = self.chat.take() {
            return self.chat(base).map(ExtractorSpec::Chat);
        }
        match self.command.take() {
            Some(command) => self.worker(command).map(ExtractorSpec::Worker),
            None => self.http().map(ExtractorSpec::Http),
        }
    }

    /// The settings of a worker process: only worker keys are set.
    fn worker(self, command: Vec<String>) -> Result<WorkerSpec, ExtractorProblem> {
        if command.first().is_none_or(|p| p.is_empty()) {
            return Err(ExtractorProblem::EmptyCommand);
        }
        let timeout = duration("timeout", self.timeout, false)?;
        let handshake_timeout = duration("handshake_timeout", self.handshake_timeout, false)?;
        let jobs = jobs(self.jobs)?;
        for (k, v) in &self.env {
            if k.is_empty() || k.contains(['=', '\0']) || v.contains('\0') {
                return Err(ExtractorProblem::Env(k.clone()));
            }
        }
        Ok(WorkerSpec {
            command,
            env: self.env,
            cwd: self.cwd,
            cache_inputs: self.cache_inputs.unwrap_or_default(),
            timeout,
            handshake_timeout,
            restarts: self.restarts,
            max_line: self.max_line,
            jobs,
        })
    }

    /// The settings of a chat model: its transport's as an endpoint's,
    /// with `chat` as the URL.
    fn chat(mut self, base: String) -> Result<ChatSpec, ExtractorProblem> {
        let model = self
            .model
            .take()
            .filter(|m| !m.trim().is_empty())
            .ok_or(ExtractorProblem::NoModel)?;
        let price = match self.price_per_million.take() {
            Some(RawPrice { prompt, completion }) => {
                let fine = |p: f64| p.is_finite() && p >= 0.0;
                if !(fine(prompt) && fine(completion)) {
                    return Err(ExtractorProblem::Price);
                }
                Some(crate::extract::Price { prompt, completion })
            }
            None => None,
        };
        let (prompt, temperature, seed, max_tokens) = (
            self.prompt.take(),
            self.temperature,
            self.seed,
            self.max_tokens,
        );
        self.url = Some(base);
        let http = self.http().map_err(|p| match p {
            ExtractorProblem::NotHttp { key: "url", url } => {
                ExtractorProblem::NotHttp { key: "chat", url }
            }
            other => other,
        })?;
        Ok(ChatSpec {
            http,
            model,
            prompt,
            temperature,
            seed,
            max_tokens,
            price,
        })
    }

    /// The settings of an HTTP endpoint: only endpoint keys are set.
    fn http(self) -> Result<HttpSpec, ExtractorProblem> {
        let url = self.url.unwrap_or_default();
        for (key, u) in [
            ("url", Some(&url)),
            ("handshake_url", self.handshake_url.as_ref()),
        ] {
            if let Some(u) = u.filter(|u| !(u.starts_with("http://") || u.starts_with("https://")))
            {
                return Err(ExtractorProblem::NotHttp {
                    key,
                    url: u.clone(),
                });
            }
        }
        let timeout = duration("timeout", self.timeout, false)?;
        let retry_delay = duration("retry_delay", self.retry_delay, true)?;
        let article_timeout = duration("article_timeout", self.article_timeout, false)?;
        let jobs = jobs(self.jobs)?;
        let offsets = match self.offsets {
            Some(o) => Some(OffsetUnit::parse(&o).ok_or(ExtractorProblem::Offsets(o))?),
            None => None,
        };
        if self.version.as_ref().is_some_and(|v| v.trim().is_empty()) {
            return Err(ExtractorProblem::EmptyVersion);
        }
        let mut headers = BTreeMap::new();
        for (k, v) in self.headers {
            let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            if k.is_empty() || !k.bytes().all(token) {
                return Err(ExtractorProblem::HeaderName(k));
            }
            let value = match v.strip_prefix("env:") {
                Some("") => return Err(ExtractorProblem::HeaderVariableMissing(k)),
                Some(var) => HeaderValue::Env(var.to_string()),
                None => HeaderValue::Literal(v),
            };
            headers.insert(k, value);
        }
        Ok(HttpSpec {
            url,
            handshake_url: self.handshake_url,
            version: self.version,
            offsets,
            headers,
            timeout,
            article_timeout,
            retries: self.retries,
            retry_delay,
            max_body: self.max_line,
            jobs,
        })
    }
}

/// The duration `key`, if set; zero only when `zero_allowed`.
fn duration(
    key: &'static str,
    value: Option<String>,
    zero_allowed: bool,
) -> Result<Option<Duration>, ExtractorProblem> {
    let Some(v) = value else {
        return Ok(None);
    };
    let d = parse_duration(&v).map_err(|error| ExtractorProblem::Duration { key, error })?;
    if d.is_zero() && !zero_allowed {
        return Err(ExtractorProblem::ZeroDuration { key });
    }
    Ok(Some(d))
}

/// `jobs`, if set: at least 1.
fn jobs(value: Option<usize>) -> Result<Option<NonZeroUsize>, ExtractorProblem> {
    value
        .map(|n| NonZeroUsize::new(n).ok_or(ExtractorProblem::NoJobs))
        .transpose()
}
