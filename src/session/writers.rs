//! The reports a run ends with: the JSON, JUnit, Markdown and HTML files,
//! `$GITHUB_STEP_SUMMARY`, and the terminal report. Each is a
//! [`Reporter`] that writes when the outcome is known.
//!
//! What goes to standard output goes through [`UntilClosed`]: a reader
//! that has gone (`| head`, quitting `less`) stops the printing, not the
//! run, so the other reports are still written and the exit code is still
//! the outcome's.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Outcome, Reporter, SessionError, WorstDiffs};
use crate::corpus::{Corpus, Item};
use crate::report::{html, junit, markdown, terminal};
use crate::run::{RunEvent, RunResult};

/// Where a report goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A file, written atomically.
    File(PathBuf),
    /// Standard output.
    Stdout,
}

impl Target {
    /// `-` is standard output; anything else a file.
    pub fn from_arg(path: &Path) -> Target {
        if path.as_os_str() == "-" {
            Target::Stdout
        } else {
            Target::File(path.to_path_buf())
        }
    }
}

/// The report files asked for.
#[derive(Clone, Debug, Default)]
pub struct ReportFiles {
    /// The JSON report (docs/report-json.md).
    pub json: Option<Target>,
    /// The JUnit XML report.
    pub junit: Option<PathBuf>,
    /// The Markdown summary.
    pub markdown: Option<PathBuf>,
    /// A file the Markdown summary is appended to (`$GITHUB_STEP_SUMMARY`).
    pub step_summary: Option<PathBuf>,
    /// The HTML page (docs/html-report.md).
    pub html: Option<PathBuf>,
    /// Which article texts the HTML page embeds (`--html-articles`).
    pub html_articles: html::Embed,
    /// How many of the worst articles the Markdown summary lists.
    pub worst: usize,
}

impl ReportFiles {
    /// Whether a report written from the outcome lists every article, so
    /// the run must keep them all. `run` streams the JSON and JUnit reports
    /// ([`StreamedJson`](super::StreamedJson),
    /// [`StreamedJunit`](super::StreamedJunit)) and takes them out of here;
    /// the HTML page is what is left.
    pub fn lists_every_article(&self) -> bool {
        self.json.is_some() || self.junit.is_some() || self.html.is_some()
    }
}

/// A writer that writes to `W` until its reader has gone. Once a write
/// or flush fails with a broken pipe (`quotecheck run | head -1`, quitting
/// `less`), everything after is discarded and reported written, so the
/// command stops printing but not its work, and ends with the exit code it
/// would have had. Other errors are returned as they are.
///
/// ```
/// use std::io::Write;
/// use quotecheck::session::UntilClosed;
///
/// let mut out = UntilClosed::new(std::io::stdout().lock());
/// writeln!(out, "printed while someone reads").unwrap();
/// assert!(!out.closed());
/// ```
#[derive(Debug)]
pub struct UntilClosed<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> UntilClosed<W> {
    /// Writes to `inner`.
    pub fn new(inner: W) -> UntilClosed<W> {
        UntilClosed {
            inner,
            closed: false,
        }
    }

    /// Whether the reader has gone (and output is being discarded).
    pub fn closed(&self) -> bool {
        self.closed
    }

    fn guard<T>(&mut self, done: T, result: std::io::Result<T>) -> std::io::Result<T> {
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(done)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for UntilClosed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.guard(buf.len(), result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.guard((), result)
    }
}

fn write_error(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> SessionError {
    let path = path.to_path_buf();
    move |source| SessionError::Write { what, path, source }
}

impl Reporter for ReportFiles {
    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        let result = &outcome.result;
        if let Some(path) = &self.junit {
            crate::atomic::write_with(path, |out| {
                junit::write(
                    result,
                    &outcome.gates,
                    outcome.snapshots.as_ref(),
                    outcome.allow_empty,
                    out,
                )
            })
            .map_err(write_error("write the JUnit report to", path))?;
        }
        let markdown = |out: &mut dyn Write| {
            markdown::write(
                result,
                &outcome.gates,
                self.worst,
                outcome.snapshots.as_ref(),
                out,
            )
        };
        if let Some(path) = &self.markdown {
            crate::atomic::write_with(path, markdown)
                .map_err(write_error("write the Markdown summary to", path))?;
        }
        if let Some(path) = &self.step_summary {
            let mut summary = Vec::new();
            markdown(&mut summary).expect("writing to memory does not fail");
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| f.write_all(&summary))
                .map_err(|source| SessionError::StepSummary {
                    path: path.clone(),
                    source,
                })?;
        }
        if let Some(path) = &self.html {
            write_html(result, outcome.snapshots.as_ref(), path, self.html_articles)
                .map_err(write_error("write the HTML report to", path))?;
        }
        match &self.json {
            Some(Target::Stdout) => {
                let mut out = UntilClosed::new(std::io::stdout().lock());
                outcome
                    .report
                    .write(&mut out)
                    .and_then(|()| out.flush())
                    .map_err(SessionError::Print)?
            }
            Some(Target::File(path)) => {
                crate::atomic::write_with(path, |out| outcome.report.write(out))
                    .map_err(write_error("write the JSON report to", path))?
            }
            None => {}
        }
        Ok(())
    }
}

/// Writes the HTML page of `result` to `path`. A run keeps no article
/// text, so the corpus is read again and each article is written as it is
/// read: memory holds the result and one article, and the page goes
/// straight to the file. `snapshots`: what the run's snapshots found, for
/// the page's snapshots section; `embed`: which texts it embeds (the others
/// are summarised).
pub fn write_html(
    result: &RunResult,
    snapshots: Option<&crate::snapshot::store::SnapshotReport>,
    path: &Path,
    embed: html::Embed,
) -> std::io::Result<()> {
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
    crate::atomic::write_with(path, |out| {
        html::write_with_snapshots(result, texts, snapshots, embed, out)
    })
}

/// The terminal report: the figures with the worst articles' gold diffs,
/// the gates when any were asked for, and what the snapshots found. A
/// reader that has gone ends the printing, not the run ([`UntilClosed`]).
pub struct Terminal {
    out: UntilClosed<Box<dyn Write>>,
    options: terminal::TerminalOptions,
    snapshot_options: terminal::SnapshotOptions,
    diffs: WorstDiffs,
}

impl Terminal {
    /// A terminal report written to `out`, with the gold diffs `diffs`
    /// keeps as the run goes.
    pub fn new(
        out: Box<dyn Write>,
        options: terminal::TerminalOptions,
        snapshot_options: terminal::SnapshotOptions,
        diffs: WorstDiffs,
    ) -> Terminal {
        Terminal {
            out: UntilClosed::new(out),
            options,
            snapshot_options,
            diffs,
        }
    }
}

impl Reporter for Terminal {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        self.diffs.on_event(event);
    }

    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        let diffs = self.diffs.take_diffs();
        let out = &mut self.out;
        terminal::write(&outcome.result, self.options, &diffs, out).map_err(SessionError::Print)?;
        if outcome.gated {
            terminal::write_gates(&outcome.gates, self.options, out)
                .map_err(SessionError::Print)?;
        }
        if let Some(s) = &outcome.snapshots {
            terminal::write_snapshots(s, self.options, &self.snapshot_options, out)
                .map_err(SessionError::Print)?;
        }
        out.flush().map_err(SessionError::Print)
    }
}
