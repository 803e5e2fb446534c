//! The outputs every scoring command shares (`run`, `merge`): the JSON,
//! JUnit and Markdown reports, the gates, the terminal report, the
//! snapshot outcome, and the exit code they make.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS};
use crate::config::Config;
use crate::corpus::{Corpus, Item};
use crate::extract::FailureKind;
use crate::gate::{self, Baseline, Gates, MinF1};
use crate::report::{html, json, junit, markdown, terminal};
use crate::run::RunResult;
use crate::snapshot::store::{is_ci, SnapshotReport};

/// Where and how results are reported, and which gates decide the exit code.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Also write the JSON report to PATH (`-` for standard output, which
    /// moves the terminal report to standard error).
    #[arg(long, value_name = "PATH")]
    pub(crate) json: Option<PathBuf>,

    /// Fail (exit 1) unless every extractor's micro F1 reaches X; CRITERION
    /// is content, attribution (the default: end-to-end), cue or kind.
    /// Repeat for several criteria.
    #[arg(long, value_name = "[CRITERION=]X")]
    pub(crate) min_f1: Vec<MinF1>,

    /// Compare with the JSON report of an earlier run: fail (exit 1) when a
    /// micro F1 drops by more than --tolerance, listing the articles that
    /// got worse.
    #[arg(long, value_name = "REPORT")]
    pub(crate) baseline: Option<PathBuf>,

    /// How much a micro F1 may drop below the baseline [default: from
    /// quotecheck.toml, else 0].
    #[arg(long, value_name = "X")]
    pub(crate) tolerance: Option<f64>,

    /// Write a JUnit XML report to PATH: a test suite per extractor, a test
    /// case per article.
    #[arg(long, value_name = "PATH")]
    pub(crate) junit: Option<PathBuf>,

    /// Write a Markdown summary to PATH; it is also appended to
    /// $GITHUB_STEP_SUMMARY when that is set.
    #[arg(long, value_name = "PATH")]
    pub(crate) markdown: Option<PathBuf>,

    /// Write an HTML page to PATH: the summary, a chart of per-article F1,
    /// and each article's text with its quotes highlighted by verdict, the
    /// records and the gold diff, extractors side by side. One
    /// self-contained file that loads nothing (see docs/html-report.md).
    #[arg(long, value_name = "PATH")]
    pub(crate) html: Option<PathBuf>,

    /// How many of the worst articles to list per extractor.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub(crate) worst: usize,

    /// Colour the terminal report: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a stream that is (or is not) a terminal.
    pub(crate) fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

impl ReportArgs {
    /// Writes every report asked for and returns the exit code; what the
    /// snapshots found is read from `report` (as `merge` has it).
    pub fn finish(
        &self,
        config: &Config,
        result: &RunResult,
        report: &json::Report,
        diffs: &terminal::Diffs,
    ) -> anyhow::Result<u8> {
        let snapshots = report.snapshots();
        let options = terminal::SnapshotOptions {
            ci: is_ci(),
            command: "quotecheck run".into(),
            diffs: None,
        };
        self.finish_with_snapshots(config, result, report, diffs, snapshots.as_ref(), &options)
    }

    /// Writes every report asked for, with what the snapshots found
    /// (`None` when no snapshot was compared), and returns the exit code:
    /// a snapshot change that was not accepted fails the run like a gate.
    pub fn finish_with_snapshots(
        &self,
        config: &Config,
        result: &RunResult,
        report: &json::Report,
        diffs: &terminal::Diffs,
        snapshots: Option<&SnapshotReport>,
        snapshot_options: &terminal::SnapshotOptions,
    ) -> anyhow::Result<u8> {
        let gates = Gates {
            min_f1: if self.min_f1.is_empty() {
                config.gates.min_f1.clone()
            } else {
                self.min_f1.clone()
            },
            baseline: match self
                .baseline
                .clone()
                .or_else(|| config.gates.baseline.as_ref().map(|b| config.base.join(b)))
            {
                Some(path) => Some(Baseline::read(&path)?),
                None => None,
            },
            tolerance: self.tolerance.or(config.gates.tolerance).unwrap_or(0.0),
        };
        let gated = !gates.min_f1.is_empty() || gates.baseline.is_some();
        let outcome = gate::check(result, &gates);
        if let Some(path) = &self.junit {
            let mut buf = Vec::new();
            junit::write(result, &outcome, snapshots, &mut buf)?;
            write_atomically(path, &buf)
                .with_context(|| format!("cannot write the JUnit report to {}", path.display()))?;
        }
        let markdown = || -> anyhow::Result<Vec<u8>> {
            let mut buf = Vec::new();
            markdown::write(result, &outcome, self.worst, &mut buf)?;
            Ok(buf)
        };
        if let Some(path) = &self.markdown {
            write_atomically(path, &markdown()?).with_context(|| {
                format!("cannot write the Markdown summary to {}", path.display())
            })?;
        }
        if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) {
            use std::io::Write as _;
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&summary)
                .with_context(|| {
                    format!(
                        "cannot append to $GITHUB_STEP_SUMMARY ({})",
                        Path::new(&summary).display()
                    )
                })?;
            f.write_all(&markdown()?)?;
        }
        if let Some(path) = &self.html {
            write_html(result, path)
                .with_context(|| format!("cannot write the HTML report to {}", path.display()))?;
        }

        let json_to_stdout = self.json.as_deref().is_some_and(|p| p.as_os_str() == "-");
        if let Some(path) = &self.json {
            if json_to_stdout {
                report.write(&mut std::io::stdout().lock())?;
            } else {
                let mut buf = Vec::new();
                report.write(&mut buf)?;
                write_atomically(path, &buf).with_context(|| {
                    format!("cannot write the JSON report to {}", path.display())
                })?;
            }
        }
        let color = |is_terminal: bool| match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let mut options = terminal::TerminalOptions {
            worst: self.worst,
            ..Default::default()
        };
        if json_to_stdout {
            options.color = color(std::io::stderr().is_terminal());
            terminal::write(result, options, diffs, &mut std::io::stderr().lock())?;
            if gated {
                terminal::write_gates(&outcome, options, &mut std::io::stderr().lock())?;
            }
            if let Some(s) = snapshots {
                terminal::write_snapshots(
                    s,
                    options,
                    snapshot_options,
                    &mut std::io::stderr().lock(),
                )?;
            }
        } else {
            options.color = color(std::io::stdout().is_terminal());
            let mut out = std::io::stdout().lock();
            terminal::write(result, options, diffs, &mut out)?;
            if gated {
                terminal::write_gates(&outcome, options, &mut out)?;
            }
            if let Some(s) = snapshots {
                terminal::write_snapshots(s, options, snapshot_options, &mut out)?;
            }
            out.flush()?;
        }
        let unavailable = result.extractors.iter().any(|e| {
            e.failures().any(|a| {
                a.failure
                    .as_ref()
                    .is_some_and(|f| f.kind == FailureKind::Unavailable)
            })
        });
        let snapshot_errors = snapshots.is_some_and(|s| !s.errors.is_empty());
        let snapshots_failed = snapshots.is_some_and(|s| !s.passed());
        Ok(
            if !result.corpus.broken.is_empty() || unavailable || snapshot_errors {
                EXIT_BAD_INPUT
            } else if !outcome.passed()
                || snapshots_failed
                || unaccepted_failures(result, snapshots)
            {
                EXIT_PROBLEMS
            } else {
                EXIT_OK
            },
        )
    }
}

/// Whether an extractor failed on some article without that failure being
/// accepted in the article's snapshot (docs/snapshots.md, "Failures").
fn unaccepted_failures(result: &RunResult, snapshots: Option<&SnapshotReport>) -> bool {
    let accepted = snapshots
        .map(SnapshotReport::accepted_failures)
        .unwrap_or_default();
    result.extractors.iter().any(|e| {
        e.failures()
            .any(|a| !accepted.contains(&(e.name.as_str(), a.id.as_str())))
    })
}

/// Writes the HTML page. A run keeps no article text, so the corpus is
/// read again and each article is written as it is read: memory holds the
/// result and one article, and the page goes straight to the file.
pub(crate) fn write_html(result: &RunResult, path: &Path) -> std::io::Result<()> {
    let corpus;
    let texts = if !html::carries_pairings(result) {
        html::Texts::Unavailable(
            "these results were read from JSON reports, which keep no pairings; quotecheck run --html shows them".into(),
        )
    } else {
        match Corpus::open(&result.corpus.path) {
            Ok(c) => {
                corpus = c;
                html::Texts::Articles(Box::new(corpus.items().filter_map(|item| match item {
                    Item::Article { article, .. } => Some(article),
                    Item::Broken { .. } => None,
                })))
            }
            Err(e) => html::Texts::Unavailable(format!("the corpus cannot be read again: {e}")),
        }
    };
    write_atomically_with(path, |out| html::write(result, texts, out))
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// so a reader never sees half a file.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |out| out.write_all(bytes))
}

/// Like [`write_atomically`], with the contents written by `write`.
fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    crate::atomic::write_with(path, write)
}
