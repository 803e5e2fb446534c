//! `quotecheck.toml`: named extractors and project settings.
//!
//! Read from the working folder (or `--config PATH`); flags on the command
//! line override it. It never lives inside a corpus. Unknown keys are
//! errors, so a typo cannot silently change what is run.
//!
//! The file is parsed once, when it is read, into typed values: the
//! [`Scheme`], one [`ExtractorSpec`] per extractor (with its durations,
//! sizes and offset unit parsed), and the [`MinF1`] gates. Nothing after
//! [`Config::read`] parses a setting again; building an extractor
//! ([`Config::build`]) can only fail for what the file cannot say in
//! advance (a replay that cannot be opened, an environment variable that
//! is not set). This module knows the extractors' builders, not how they
//! run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::align::Scheme;
use crate::extract::chat::Prompt;
use crate::extract::{check_name, Chat, Extractor, Http, Renamed, Replay, Worker};
use crate::gate::MinF1;

mod spec;
mod units;

use spec::RawExtractor;
pub use spec::{
    ChatSpec, ExtractorProblem, ExtractorSpec, HeaderValue, HttpSpec, Misplaced, WorkerSpec,
};
pub use units::{parse_duration, parse_size, ByteSize, DurationError, SizeError};

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
    /// `scheme` is not a scheme.
    #[error("{path} is not a valid quotecheck configuration:\nscheme: {reason}")]
    Scheme {
        /// The file.
        path: String,
        /// Why the scheme was refused.
        reason: String,
    },
    /// An entry of `gates.min_f1` is not `[CRITERION=]X`.
    #[error("{path} is not a valid quotecheck configuration:\ngates.min_f1: {entry:?}: {reason}")]
    MinF1 {
        /// The file.
        path: String,
        /// The entry as written.
        entry: String,
        /// Why it was refused.
        reason: String,
    },
    /// `default_extractors` names an extractor that does not exist.
    #[error("{path} is not a valid quotecheck configuration:\ndefault_extractors: {name:?} is neither configured nor built in; known extractors: {known}")]
    UnknownDefault {
        /// The file.
        path: String,
        /// The name.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// The top-level `jobs = 0`.
    #[error("{path} is not a valid quotecheck configuration:\njobs: must be at least 1 (remove the key for one job per core)")]
    NoJobs {
        /// The file.
        path: String,
    },
    /// `default_extractors` is an empty list.
    #[error("{path} is not a valid quotecheck configuration:\ndefault_extractors is empty: name at least one extractor, or remove the key to run every configured one")]
    NoDefault {
        /// The file.
        path: String,
    },
    /// An extractor entry is inconsistent.
    #[error("{path}: extractor {name:?}: {problem}")]
    Extractor {
        /// The file.
        path: String,
        /// The extractor's name.
        name: String,
        /// What is wrong.
        problem: ExtractorProblem,
    },
    /// A name given on the command line is not configured.
    #[error("unknown extractor {name:?}")]
    UnknownExtractor {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
}

impl ConfigError {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::UnknownExtractor { known, .. } => {
                Some(format!("known extractors: {known}"))
            }
            _ => None,
        }
    }
}

/// The whole file, parsed.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The corpus to use when `--corpus` is not given.
    pub corpus: Option<PathBuf>,
    /// The scheme to use when `--scheme` is not given.
    pub scheme: Option<Scheme>,
    /// `require_verbatim = true`: as `--require-verbatim` on every run.
    pub require_verbatim: bool,
    /// The number of jobs when `--jobs` is not given.
    pub jobs: Option<usize>,
    /// The largest article line, text or gold file read, when
    /// `--max-article-bytes` is not given.
    pub max_article_bytes: Option<u64>,
    /// The extractors a command runs when none is named with `--extractor`
    /// or `--replay`; when absent, every configured one (or, with none
    /// configured, the built-in baseline). Each is configured or built in.
    pub default_extractors: Option<Vec<String>>,
    /// Named extractors, in name order.
    pub extractors: BTreeMap<String, ExtractorSpec>,
    /// The gates of `quotecheck run`.
    pub gates: GatesConfig,
    /// Where relative paths in the file are resolved from (the file's folder).
    pub base: PathBuf,
    /// The file the configuration was read from, if any.
    pub path: Option<String>,
}

/// The `[gates]` table, parsed; the command line's flags override each key.
#[derive(Clone, Debug, Default)]
pub struct GatesConfig {
    /// Like `--min-f1`: `["0.7", "content=0.8"]`.
    pub min_f1: Vec<MinF1>,
    /// Like `--baseline`: a previous JSON report (relative to [`Config::base`]).
    pub baseline: Option<PathBuf>,
    /// Like `--tolerance`.
    pub tolerance: Option<f64>,
}

/// The file as written: what TOML gives, before any value is checked.
/// Field names and order make the messages of unknown keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    corpus: Option<PathBuf>,
    scheme: Option<String>,
    require_verbatim: Option<bool>,
    jobs: Option<usize>,
    max_article_bytes: Option<u64>,
    default_extractors: Option<Vec<String>>,
    #[serde(default)]
    extractors: BTreeMap<String, RawExtractor>,
    #[serde(default)]
    gates: RawGates,
}

/// The `[gates]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGates {
    #[serde(default)]
    min_f1: Vec<String>,
    baseline: Option<PathBuf>,
    tolerance: Option<f64>,
}

impl Config {
    /// Reads `path`.
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: display.clone(),
            source,
        })?;
        let raw: RawConfig = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: display.clone(),
            message: e.to_string(),
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Config::parse(raw, base, display)
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

    /// Parses every value of the file, in the order its problems are
    /// reported: gates, scheme, each extractor in name order, then the
    /// default extractors.
    fn parse(raw: RawConfig, base: PathBuf, display: String) -> Result<Config, ConfigError> {
        let min_f1 = raw
            .gates
            .min_f1
            .iter()
            .map(|s| {
                s.parse::<MinF1>().map_err(|e| ConfigError::MinF1 {
                    // The default file name whatever file was read, as
                    // this message has always said.
                    path: FILE_NAME.to_string(),
                    entry: s.clone(),
                    reason: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let scheme = match &raw.scheme {
            Some(s) => Some(s.parse::<Scheme>().map_err(|e| ConfigError::Scheme {
                path: display.clone(),
                reason: e.to_string(),
            })?),
            None => None,
        };
        let mut extractors = BTreeMap::new();
        for (name, e) in raw.extractors {
            let problem = |problem| ConfigError::Extractor {
                path: display.clone(),
                name: name.clone(),
                problem,
            };
            check_name(&name).map_err(|m| problem(ExtractorProblem::Name(m.to_string())))?;
            let spec = e.into_spec().map_err(problem)?;
            extractors.insert(name, spec);
        }
        if raw.jobs == Some(0) {
            return Err(ConfigError::NoJobs { path: display });
        }
        if raw.max_article_bytes == Some(0) {
            return Err(ConfigError::Invalid {
                path: display,
                message: "`max_article_bytes` must be at least 1".into(),
            });
        }
        let config = Config {
            corpus: raw.corpus,
            scheme,
            require_verbatim: raw.require_verbatim.unwrap_or(false),
            jobs: raw.jobs,
            max_article_bytes: raw.max_article_bytes,
            default_extractors: raw.default_extractors,
            extractors,
            gates: GatesConfig {
                min_f1,
                baseline: raw.gates.baseline,
                tolerance: raw.gates.tolerance,
            },
            base,
            path: Some(display),
        };
        config.check_defaults()?;
        Ok(config)
    }

    /// Every default extractor exists, and there is at least one.
    fn check_defaults(&self) -> Result<(), ConfigError> {
        let Some(defaults) = &self.default_extractors else {
            return Ok(());
        };
        for name in defaults {
            if !self.extractors.contains_key(name) && !BUILTINS.contains(&name.as_str()) {
                return Err(ConfigError::UnknownDefault {
                    path: self.display(),
                    name: name.clone(),
                    known: self.known_names().join(", "),
                });
            }
        }
        if defaults.is_empty() {
            return Err(ConfigError::NoDefault {
                path: self.display(),
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
        let unknown = || ConfigError::UnknownExtractor {
            name: name.to_string(),
            known: self.known_names().join(", "),
        };
        match self.extractors.get(name) {
            Some(ExtractorSpec::Builtin(kind, language)) => {
                Ok(builtin(kind, name, *language).ok_or_else(unknown)?)
            }
            Some(ExtractorSpec::Replay(path)) => {
                Ok(Box::new(Replay::open(name, self.base.join(path))?))
            }
            Some(ExtractorSpec::Worker(spec)) => Ok(Box::new(self.worker(name, spec)?)),
            Some(ExtractorSpec::Http(spec)) => Ok(Box::new(self.http(name, spec)?)),
            Some(ExtractorSpec::Chat(spec)) => Ok(Box::new(self.chat(name, spec)?)),
            None => Ok(builtin(name, name, None).ok_or_else(unknown)?),
        }
    }
}

impl Config {
    /// A worker-process extractor. It runs in the configuration's folder
    /// (or `cwd`, relative to it), so relative paths in `command` resolve
    /// as the configuration's other paths do. Each of `cache_inputs` must
    /// exist.
    fn worker(&self, name: &str, spec: &WorkerSpec) -> Result<Worker, ConfigError> {
        let mut w = Worker::new(name, spec.command.iter().cloned());
        for input in &spec.cache_inputs {
            let path = self.base.join(input);
            if !path.exists() {
                return Err(ConfigError::Extractor {
                    path: self.display(),
                    name: name.to_string(),
                    problem: ExtractorProblem::MissingCacheInput(path.display().to_string()),
                });
            }
            w = w.cache_input(path);
        }
        for (k, v) in &spec.env {
            w = w.env(k, v);
        }
        match &spec.cwd {
            Some(cwd) => w = w.cwd(self.base.join(cwd)),
            None if !self.base.as_os_str().is_empty() => w = w.cwd(&self.base),
            None => {}
        }
        if let Some(t) = spec.timeout {
            w = w.timeout(t);
        }
        if let Some(t) = spec.handshake_timeout {
            w = w.handshake_timeout(t);
        }
        if let Some(n) = spec.restarts {
            w = w.restarts(n);
        }
        if let Some(ByteSize(n)) = spec.max_line {
            w = w.max_line(usize::try_from(n).unwrap_or(usize::MAX));
        }
        if let Some(n) = spec.jobs {
            w = w.jobs(n.get());
        }
        Ok(w)
    }

    /// An HTTP extractor. Header values written `env:NAME` are read from
    /// the environment now; a missing variable is an error.
    fn http(&self, name: &str, spec: &HttpSpec) -> Result<Http, ConfigError> {
        self.transport(name, spec, Http::new(name, &spec.url))
    }

    /// A chat model. The prompt template is read now: its content is part
    /// of the cache key.
    fn chat(&self, name: &str, spec: &ChatSpec) -> Result<Chat, ConfigError> {
        let problem = |problem| ConfigError::Extractor {
            path: self.display(),
            name: name.to_string(),
            problem,
        };
        let mut chat = Chat::new(name, &spec.http.url, &spec.model);
        if let Some(path) = &spec.prompt {
            let path = self.base.join(path);
            let shown = path.display().to_string();
            let why = |why: String| {
                problem(ExtractorProblem::Prompt {
                    path: shown.clone(),
                    why,
                })
            };
            let template = std::fs::read_to_string(&path).map_err(|e| why(e.to_string()))?;
            chat = chat.prompt(Prompt::new(template).map_err(|e| why(e.to_string()))?);
        }
        if let Some(t) = spec.temperature {
            chat = chat.temperature(t);
        }
        if let Some(s) = spec.seed {
            chat = chat.seed(s);
        }
        if let Some(n) = spec.max_tokens {
            chat = chat.max_tokens(n);
        }
        if let Some(p) = spec.price {
            chat = chat.price(p);
        }
        let mut failed = None;
        chat = chat.map_http(|h| match self.transport(name, &spec.http, h) {
            Ok(h) => h,
            Err(e) => {
                failed = Some(e);
                Http::new(name, "")
            }
        });
        match failed {
            Some(e) => Err(e),
            None => Ok(chat),
        }
    }

    /// The settings of an HTTP transport on `h`. Header values written
    /// `env:NAME` are read from the environment now; a missing variable
    /// is an error.
    fn transport(&self, name: &str, spec: &HttpSpec, mut h: Http) -> Result<Http, ConfigError> {
        if let Some(u) = &spec.handshake_url {
            h = h.handshake_url(u);
        }
        if let Some(v) = &spec.version {
            h = h.with_version(v);
        }
        if let Some(o) = spec.offsets {
            h = h.offsets(o);
        }
        for (k, v) in &spec.headers {
            let value = match v {
                HeaderValue::Env(var) => {
                    std::env::var(var).map_err(|_| ConfigError::Extractor {
                        path: self.display(),
                        name: name.to_string(),
                        problem: ExtractorProblem::HeaderVariableUnset {
                            header: k.clone(),
                            variable: var.clone(),
                        },
                    })?
                }
                HeaderValue::Literal(v) => v.clone(),
            };
            h = h.header(k, value);
        }
        if let Some(t) = spec.timeout {
            h = h.timeout(t);
        }
        if let Some(n) = spec.retries {
            h = h.retries(n);
        }
        if let Some(t) = spec.retry_delay {
            h = h.retry_delay(t);
        }
        if let Some(t) = spec.article_timeout {
            h = h.article_timeout(t);
        }
        if let Some(ByteSize(n)) = spec.max_body {
            h = h.max_body(usize::try_from(n).unwrap_or(usize::MAX));
        }
        if let Some(n) = spec.jobs {
            h = h.jobs(n.get());
        }
        Ok(h)
    }
}

/// The built-in extractor `kind`, under the name `name`, reading every
/// article in `language` when one is given.
fn builtin(
    kind: &str,
    name: &str,
    language: Option<crate::extract::baseline::Lang>,
) -> Option<Box<dyn Extractor>> {
    let inner: Box<dyn Extractor> = match (kind, language) {
        ("baseline", Some(lang)) => Box::new(crate::extract::baseline::Baseline::with_language(
            Some(lang),
        )),
        _ => crate::extract::builtin(kind)?,
    };
    Some(if kind == name {
        inner
    } else {
        Box::new(Renamed::new(name, inner))
    })
}
