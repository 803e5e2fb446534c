//! `quotecheck.toml`: named extractors and project settings.
//!
//! Read from the working folder (or `--config PATH`); flags on the command
//! line override it. It never lives inside a corpus. Unknown keys are
//! errors, so a typo cannot silently change what is run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::align::Scheme;
use crate::extract::{check_name, Extractor, Renamed, Replay};

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
    /// How many workers to start.
    pub jobs: Option<usize>,
    /// Environment variables for a worker.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Working folder of a worker.
    pub cwd: Option<PathBuf>,
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
            let kinds: Vec<&str> = [
                e.builtin.as_ref().map(|_| "builtin"),
                e.replay.as_ref().map(|_| "replay"),
                e.command.as_ref().map(|_| "command"),
                e.url.as_ref().map(|_| "url"),
            ]
            .into_iter()
            .flatten()
            .collect();
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
            if e.command.is_some() || e.url.is_some() {
                return Err(err(
                    name,
                    "worker-process (`command`) and HTTP (`url`) extractors are not supported by this version; \
                     save their output and use `replay`"
                        .into(),
                ));
            }
            if e.builtin.is_some() || e.replay.is_some() {
                let extra: Vec<&str> = [
                    e.timeout.as_ref().map(|_| "timeout"),
                    e.jobs.as_ref().map(|_| "jobs"),
                    (!e.env.is_empty()).then_some("env"),
                    e.cwd.as_ref().map(|_| "cwd"),
                ]
                .into_iter()
                .flatten()
                .collect();
                if !extra.is_empty() {
                    let verb = if extra.len() == 1 { "applies" } else { "apply" };
                    let list = extra
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    return Err(err(
                        name,
                        format!("{list} only {verb} to `command` and `url` extractors"),
                    ));
                }
            }
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

/// The built-in extractor `kind`, under the name `name`.
fn builtin(kind: &str, name: &str) -> Option<Box<dyn Extractor>> {
    let inner = crate::extract::builtin(kind)?;
    Some(if kind == name {
        inner
    } else {
        Box::new(Renamed::new(name, inner))
    })
}
