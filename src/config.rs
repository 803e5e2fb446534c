//! `quotecheck.toml`: named extractors and project settings.
//!
//! Read from the working folder (or `--config PATH`); flags on the command
//! line override it. It never lives inside a corpus. Unknown keys are
//! errors, so a typo cannot silently change what is run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::align::Scheme;
use crate::corpus::OffsetUnit;
use crate::extract::{check_name, Extractor, Http, Renamed, Replay, Worker};

/// The file name looked for in the working folder.
pub const FILE_NAME: &str = "quotecheck.toml";

pub use crate::extract::BUILTINS;

/// A problem with the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown or mistyped keys.
    #[error("{path} is not a valid quotecheck configuration:\n{message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, with its line and column.
        message: String,
    },
    /// An extractor entry is inconsistent.
    #[error("{path}: extractor {name:?}: {message}")]
    Extractor {
        /// The file.
        path: String,
        /// The extractor's name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A name given on the command line is not configured.
    #[error("unknown extractor {name:?}\nhint: known extractors: {known}")]
    UnknownExtractor {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
}

/// The whole file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The corpus to use when `--corpus` is not given.
    pub corpus: Option<PathBuf>,
    /// The scheme to use when `--scheme` is not given.
    pub scheme: Option<String>,
    /// The number of jobs when `--jobs` is not given.
    pub jobs: Option<usize>,
    /// The extractors a command runs when none is named with `--extractor`
    /// or `--replay`; when absent, every configured one (or, with none
    /// configured, the built-in baseline).
    pub default_extractors: Option<Vec<String>>,
    /// Named extractors, in name order.
    #[serde(default)]
    pub extractors: BTreeMap<String, ExtractorConfig>,
    /// The gates of `quotecheck run`.
    #[serde(default)]
    pub gates: GatesConfig,
    /// Where relative paths in the file are resolved from (the file's folder).
    #[serde(skip)]
    pub base: PathBuf,
    /// The file the configuration was read from, if any.
    #[serde(skip)]
    pub path: Option<String>,
}

/// One `[extractors.NAME]` table: exactly one of `builtin`, `replay`,
/// `command` or `url`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractorConfig {
    /// A built-in extractor, by name (`baseline`).
    pub builtin: Option<String>,
    /// Saved predictions: a folder or a JSON-lines file.
    pub replay: Option<PathBuf>,
    /// A worker process: argv, run without a shell (protocol.md).
    pub command: Option<Vec<String>>,
    /// An HTTP endpoint (protocol.md).
    pub url: Option<String>,
    /// Per-article time-out of a worker or endpoint, such as `"30s"`.
    pub timeout: Option<String>,
    /// How many worker processes (or requests in flight) at most.
    pub jobs: Option<usize>,
    /// Environment variables for a worker.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Working folder of a worker.
    pub cwd: Option<PathBuf>,
    /// How long a worker may take to send its handshake, such as `"120s"`.
    pub handshake_timeout: Option<String>,
    /// How many times each worker process is restarted after a crash or a
    /// time-out.
    pub restarts: Option<u32>,
    /// The longest response line of a worker, or body of an endpoint:
    /// bytes, or a size such as `"64MiB"`.
    pub max_line: Option<ByteSize>,
    /// Where an endpoint serves its handshake (GET).
    pub handshake_url: Option<String>,
    /// An endpoint's version.
    pub version: Option<String>,
    /// The unit of an endpoint's offsets: `codepoint`, `utf8` or `utf16`.
    pub offsets: Option<String>,
    /// Headers sent to an endpoint; a value `"env:NAME"` is read from the
    /// environment variable NAME.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// How many times an endpoint request is retried on 429, 5xx or a
    /// failed connection.
    pub retries: Option<u32>,
    /// The first back-off between retries, such as `"500ms"`.
    pub retry_delay: Option<String>,
}

/// A size in bytes, written as a number of bytes or as a string with a
/// unit (`"64MiB"`, `"500KB"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ByteSize, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ByteSize;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number of bytes or a size such as \"64MiB\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ByteSize, E> {
                u64::try_from(v)
                    .ok()
                    .filter(|&v| v > 0)
                    .map(ByteSize)
                    .ok_or_else(|| E::custom(format!("a size must be positive, not {v}")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ByteSize, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ByteSize, E> {
                parse_size(v).map(ByteSize).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Parses a duration written as a number and a unit: `"500ms"`, `"30s"`,
/// `"1.5s"`, `"2m"`, `"1h"`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let bad = || {
        format!("{s:?} is not a duration; write a number and a unit, such as \"30s\", \"500ms\" or \"2m\"")
    };
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(bad)?;
    let (number, unit) = t.split_at(split);
    let n: f64 = number.parse().map_err(|_| bad())?;
    let scale = match unit.trim() {
        "ms" => 0.001,
        "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err(bad()),
    };
    Duration::try_from_secs_f64(n * scale).map_err(|_| bad())
}

/// Parses a size: a number of bytes with an optional unit (`B`, `KB`, `MB`,
/// `GB`, `KiB`, `MiB`, `GiB`).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let bad =
        || format!("{s:?} is not a size; write bytes or a size such as \"64MiB\" or \"500KB\"");
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number.parse().map_err(|_| bad())?;
    let scale: u64 = match unit.trim() {
        "" | "B" => 1,
        "KB" | "kB" => 1000,
        "MB" => 1000 * 1000,
        "GB" => 1000 * 1000 * 1000,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => return Err(bad()),
    };
    n.checked_mul(scale).filter(|&b| b > 0).ok_or_else(bad)
}

/// Which kinds of extractor a key applies to (worker-process and HTTP keys).
const KEY_KINDS: &[(&str, &[&str])] = &[
    ("timeout", &["command", "url"]),
    ("jobs", &["command", "url"]),
    ("max_line", &["command", "url"]),
    ("env", &["command"]),
    ("cwd", &["command"]),
    ("handshake_timeout", &["command"]),
    ("restarts", &["command"]),
    ("handshake_url", &["url"]),
    ("version", &["url"]),
    ("offsets", &["url"]),
    ("headers", &["url"]),
    ("retries", &["url"]),
    ("retry_delay", &["url"]),
];

impl ExtractorConfig {
    /// Checks the settings of a worker or an endpoint (values only: which
    /// keys apply to which kind is checked before).
    fn check_remote(&self) -> Result<(), String> {
        if let Some(command) = &self.command {
            if command.first().is_none_or(|p| p.is_empty()) {
                return Err(
                    "`command` is empty: give the program and its arguments, such as [\"python3\", \"extract.py\"]"
                        .into(),
                );
            }
        }
        for (key, url) in [("url", &self.url), ("handshake_url", &self.handshake_url)] {
            if let Some(u) = url {
                if !(u.starts_with("http://") || u.starts_with("https://")) {
                    return Err(format!(
                        "`{key}` must start with http:// or https://, not {u:?}"
                    ));
                }
            }
        }
        for (key, value) in [
            ("timeout", &self.timeout),
            ("handshake_timeout", &self.handshake_timeout),
            ("retry_delay", &self.retry_delay),
        ] {
            if let Some(v) = value {
                let d = parse_duration(v).map_err(|m| format!("`{key}`: {m}"))?;
                if d.is_zero() && key != "retry_delay" {
                    return Err(format!("`{key}` must be longer than 0"));
                }
            }
        }
        if self.jobs == Some(0) {
            return Err("`jobs` must be at least 1".into());
        }
        if let Some(o) = &self.offsets {
            if OffsetUnit::parse(o).is_none() {
                return Err(format!(
                    "`offsets` is {o:?}; use \"codepoint\", \"utf8\" or \"utf16\""
                ));
            }
        }
        if self.version.as_ref().is_some_and(|v| v.trim().is_empty()) {
            return Err("`version` is empty".into());
        }
        for (k, v) in &self.env {
            if k.is_empty() || k.contains(['=', '\0']) || v.contains('\0') {
                return Err(format!("`env`: {k:?} cannot be an environment variable"));
            }
        }
        for (k, v) in &self.headers {
            let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            if k.is_empty() || !k.bytes().all(token) {
                return Err(format!("`headers`: {k:?} is not a valid header name"));
            }
            // The value itself is never shown: it may be a secret.
            if v.strip_prefix("env:").is_some_and(str::is_empty) {
                return Err(format!(
                    "`headers`: the value of {k} says `env:` but names no variable (write \"env:NAME\")"
                ));
            }
        }
        Ok(())
    }

    /// The kind of extractor: `builtin`, `replay`, `command` or `url`.
    fn kinds(&self) -> Vec<&'static str> {
        [
            self.builtin.as_ref().map(|_| "builtin"),
            self.replay.as_ref().map(|_| "replay"),
            self.command.as_ref().map(|_| "command"),
            self.url.as_ref().map(|_| "url"),
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
            "handshake_timeout" => self.handshake_timeout.is_some(),
            "restarts" => self.restarts.is_some(),
            "handshake_url" => self.handshake_url.is_some(),
            "version" => self.version.is_some(),
            "offsets" => self.offsets.is_some(),
            "headers" => !self.headers.is_empty(),
            "retries" => self.retries.is_some(),
            "retry_delay" => self.retry_delay.is_some(),
            _ => false,
        }
    }

    /// The keys set that do not apply to `kind`, as a message.
    fn misplaced_keys(&self, kind: &str) -> Option<String> {
        // Grouped by the kinds they apply to, in table order.
        let mut groups: Vec<(&[&str], Vec<&str>)> = Vec::new();
        for (key, kinds) in KEY_KINDS {
            if kinds.contains(&kind) || !self.has(key) {
                continue;
            }
            match groups.iter_mut().find(|(k, _)| k == kinds) {
                Some((_, keys)) => keys.push(key),
                None => groups.push((kinds, vec![key])),
            }
        }
        if groups.is_empty() {
            return None;
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|(kinds, keys)| {
                let verb = if keys.len() == 1 { "applies" } else { "apply" };
                let list = keys
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let to = kinds
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                format!("{list} only {verb} to {to} extractors")
            })
            .collect();
        Some(parts.join("; "))
    }
}

/// The `[gates]` table; the command line's flags override each key.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatesConfig {
    /// Like `--min-f1`: `["0.7", "content=0.8"]`.
    #[serde(default)]
    pub min_f1: Vec<String>,
    /// Like `--baseline`: a previous JSON report.
    pub baseline: Option<PathBuf>,
    /// Like `--tolerance`.
    pub tolerance: Option<f64>,
}

impl GatesConfig {
    /// The `min_f1` entries, parsed.
    pub fn min_f1(&self) -> Result<Vec<crate::gate::MinF1>, ConfigError> {
        self.min_f1
            .iter()
            .map(|s| {
                s.parse().map_err(|e| ConfigError::Invalid {
                    path: FILE_NAME.to_string(),
                    message: format!("gates.min_f1: {s:?}: {e}"),
                })
            })
            .collect()
    }
}

impl Config {
    /// Reads `path`.
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: display.clone(),
            source,
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: display.clone(),
            message: e.to_string(),
        })?;
        config.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.path = Some(display);
        config.check()?;
        Ok(config)
    }

    /// Reads `explicit` if given, else `quotecheck.toml` in the working
    /// folder if there is one, else the empty configuration.
    pub fn discover(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        match explicit {
            Some(path) => Config::read(path),
            None if Path::new(FILE_NAME).is_file() => Config::read(Path::new(FILE_NAME)),
            None => Ok(Config::default()),
        }
    }

    fn display(&self) -> String {
        self.path.clone().unwrap_or_else(|| FILE_NAME.to_string())
    }

    fn check(&self) -> Result<(), ConfigError> {
        let err = |name: &str, message: String| ConfigError::Extractor {
            path: self.display(),
            name: name.to_string(),
            message,
        };
        self.gates.min_f1()?;
        if let Some(scheme) = &self.scheme {
            scheme.parse::<Scheme>().map_err(|e| ConfigError::Invalid {
                path: self.display(),
                message: format!("scheme: {e}"),
            })?;
        }
        for (name, e) in &self.extractors {
            check_name(name).map_err(|m| err(name, m))?;
            let kinds = e.kinds();
            match kinds.as_slice() {
                [_] => {}
                [] => {
                    return Err(err(
                        name,
                        "says neither `builtin`, `replay`, `command` nor `url`: give exactly one"
                            .into(),
                    ))
                }
                many => {
                    return Err(err(
                        name,
                        format!("has {}: give exactly one", many.join(" and ")),
                    ))
                }
            }
            if let Some(b) = &e.builtin {
                if !BUILTINS.contains(&b.as_str()) {
                    return Err(err(
                        name,
                        format!(
                            "unknown builtin {b:?}; built-in extractors: {}",
                            BUILTINS.join(", ")
                        ),
                    ));
                }
            }
            if let Some(message) = e.misplaced_keys(kinds[0]) {
                return Err(err(name, message));
            }
            e.check_remote().map_err(|m| err(name, m))?;
        }
        for name in self.default_extractors.iter().flatten() {
            if !self.extractors.contains_key(name) && !BUILTINS.contains(&name.as_str()) {
                return Err(ConfigError::Invalid {
                    path: self.display(),
                    message: format!(
                        "default_extractors: {name:?} is neither configured nor built in; known extractors: {}",
                        self.known_names().join(", ")
                    ),
                });
            }
        }
        if self.default_extractors.as_ref().is_some_and(Vec::is_empty) {
            return Err(ConfigError::Invalid {
                path: self.display(),
                message: "default_extractors is empty: name at least one extractor, or remove the key to run every configured one".into(),
            });
        }
        Ok(())
    }

    /// Every name `--extractor` accepts: the configured ones, then the
    /// built-ins not shadowed by them.
    pub fn known_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.extractors.keys().cloned().collect();
        names.extend(
            BUILTINS
                .iter()
                .filter(|b| !self.extractors.contains_key(**b))
                .map(|b| b.to_string()),
        );
        names
    }

    /// The extractors to run when none is named: `default_extractors`, else
    /// every configured one, else the first built-in.
    pub fn default_names(&self) -> Vec<String> {
        if let Some(names) = &self.default_extractors {
            return names.clone();
        }
        let mut names: Vec<String> = self.extractors.keys().cloned().collect();
        if names.is_empty() {
            names.extend(BUILTINS.first().map(|b| b.to_string()));
        }
        names
    }

    /// Builds the extractor called `name`: a configured one, or a built-in.
    pub fn build(&self, name: &str) -> Result<Box<dyn Extractor>, anyhow::Error> {
        match self.extractors.get(name) {
            Some(e) => {
                if let Some(b) = &e.builtin {
                    return Ok(builtin(b, name).expect("checked on read"));
                }
                if let Some(path) = &e.replay {
                    return Ok(Box::new(Replay::open(name, self.base.join(path))?));
                }
                if let Some(command) = &e.command {
                    return Ok(Box::new(self.worker(name, command, e)));
                }
                if let Some(url) = &e.url {
                    return Ok(Box::new(self.http(name, url, e)?));
                }
                unreachable!("checked on read")
            }
            None => builtin(name, name).ok_or_else(|| {
                ConfigError::UnknownExtractor {
                    name: name.to_string(),
                    known: self.known_names().join(", "),
                }
                .into()
            }),
        }
    }
}

impl Config {
    /// A worker-process extractor. It runs in the configuration's folder
    /// (or `cwd`, relative to it), so relative paths in `command` resolve
    /// as the configuration's other paths do.
    fn worker(&self, name: &str, command: &[String], e: &ExtractorConfig) -> Worker {
        let duration = |v: &str| parse_duration(v).expect("checked on read");
        let mut w = Worker::new(name, command.iter().cloned());
        for (k, v) in &e.env {
            w = w.env(k, v);
        }
        match &e.cwd {
            Some(cwd) => w = w.cwd(self.base.join(cwd)),
            None if !self.base.as_os_str().is_empty() => w = w.cwd(&self.base),
            None => {}
        }
        if let Some(t) = &e.timeout {
            w = w.timeout(duration(t));
        }
        if let Some(t) = &e.handshake_timeout {
            w = w.handshake_timeout(duration(t));
        }
        if let Some(n) = e.restarts {
            w = w.restarts(n);
        }
        if let Some(ByteSize(n)) = e.max_line {
            w = w.max_line(usize::try_from(n).unwrap_or(usize::MAX));
        }
        if let Some(n) = e.jobs {
            w = w.jobs(n);
        }
        w
    }

    /// An HTTP extractor. Header values written `env:NAME` are read from
    /// the environment now; a missing variable is an error.
    fn http(&self, name: &str, url: &str, e: &ExtractorConfig) -> Result<Http, ConfigError> {
        let duration = |v: &str| parse_duration(v).expect("checked on read");
        let mut h = Http::new(name, url);
        if let Some(u) = &e.handshake_url {
            h = h.handshake_url(u);
        }
        if let Some(v) = &e.version {
            h = h.with_version(v);
        }
        if let Some(o) = &e.offsets {
            h = h.offsets(OffsetUnit::parse(o).expect("checked on read"));
        }
        for (k, v) in &e.headers {
            let value = match v.strip_prefix("env:") {
                Some(var) => std::env::var(var).map_err(|_| ConfigError::Extractor {
                    path: self.display(),
                    name: name.to_string(),
                    message: format!(
                        "header `{k}` is read from the environment variable {var}, which is not set"
                    ),
                })?,
                None => v.clone(),
            };
            h = h.header(k, value);
        }
        if let Some(t) = &e.timeout {
            h = h.timeout(duration(t));
        }
        if let Some(n) = e.retries {
            h = h.retries(n);
        }
        if let Some(t) = &e.retry_delay {
            h = h.retry_delay(duration(t));
        }
        if let Some(ByteSize(n)) = e.max_line {
            h = h.max_body(usize::try_from(n).unwrap_or(usize::MAX));
        }
        if let Some(n) = e.jobs {
            h = h.jobs(n);
        }
        Ok(h)
    }
}

/// The built-in extractor `kind`, under the name `name`.
fn builtin(kind: &str, name: &str) -> Option<Box<dyn Extractor>> {
    let inner = crate::extract::builtin(kind)?;
    Some(if kind == name {
        inner
    } else {
        Box::new(Renamed::new(name, inner))
    })
}
