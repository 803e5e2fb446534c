//! The report and gate flags every scoring command shares (`run`,
//! `merge`), turned into the library's reporters and gates.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::config::Config;
use crate::gate::{Baseline, Gates, MinF1};
use crate::report::terminal;
use crate::session::{ReportFiles, Target, Terminal, WorstDiffs};

/// Where and how results are reported, and which gates decide the exit code.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Also write the JSON report to PATH (`-` for standard output, which
    /// moves the terminal report to standard error).
    #[arg(long, value_name = "PATH")]
    pub(crate) json: Option<PathBuf>,

    /// Fail (exit 1) unless every extractor's micro F1 reaches X; CRITERION
    /// is end-to-end (the default; `attribution` names it too), content,
    /// cue or kind. Repeat for several criteria.
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

    /// How many article texts the HTML page embeds: the failed articles
    /// first, then those with the lowest end-to-end F1; the others are one
    /// row each in a table, and the page says so. `all` embeds every text
    /// (a page of 20,000 articles is hundreds of MB).
    #[arg(long, value_name = "N|all", default_value = "300")]
    pub(crate) html_articles: crate::report::html::Embed,

    /// Let a run that scores no article pass. Without it, a run whose
    /// corpus, `--articles` or `--rerun-failed` selection leaves nothing to
    /// score exits 2 and says why (one shard of a sharded run may hold
    /// nothing; `merge` then checks that some shard scored an article).
    #[arg(long)]
    pub(crate) allow_empty: bool,

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
    /// The gates: flags first, then quotecheck.toml.
    pub fn gates(&self, config: &Config) -> anyhow::Result<Gates> {
        Ok(Gates {
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
            allow_empty: self.allow_empty,
        })
    }

    /// Whether a gate compares with a baseline (which needs every article).
    pub fn has_baseline(&self, config: &Config) -> bool {
        self.baseline.is_some() || config.gates.baseline.is_some()
    }

    /// The report files asked for, with `$GITHUB_STEP_SUMMARY` when set.
    pub fn files(&self) -> ReportFiles {
        ReportFiles {
            json: self.json.as_deref().map(Target::from_arg),
            junit: self.junit.clone(),
            markdown: self.markdown.clone(),
            step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
            html: self.html.clone(),
            html_articles: self.html_articles,
            worst: self.worst,
        }
    }

    /// The terminal report: on standard output, or on standard error when
    /// the JSON report goes to standard output.
    pub fn terminal(&self, snapshots: terminal::SnapshotOptions, diffs: WorstDiffs) -> Terminal {
        let to_stderr = self.json.as_deref().is_some_and(|p| p.as_os_str() == "-");
        let (out, is_terminal): (Box<dyn std::io::Write>, bool) = if to_stderr {
            (Box::new(std::io::stderr()), std::io::stderr().is_terminal())
        } else {
            (Box::new(std::io::stdout()), std::io::stdout().is_terminal())
        };
        let options = terminal::TerminalOptions {
            worst: self.worst,
            color: self.color.enabled(is_terminal),
        };
        Terminal::new(out, options, snapshots, diffs)
    }
}
