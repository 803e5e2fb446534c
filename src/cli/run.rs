//! `quotecheck run`.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::select::Selected;
use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS};
use crate::config::Config;
use crate::corpus::Corpus;
use crate::extract::{Cache, Extractor, FailureKind, STATE_DIR};
use crate::gate::{self, Baseline, Gates, MinF1};
use crate::report::{json, junit, markdown, terminal};
use crate::run::{run as run_corpus, RunEvent, RunSettings, Selection};

/// Score extractors on a corpus and print the report.
///
/// Each extractor's predictions are matched one-to-one with the gold quotes
/// of every annotated article and scored as scoring.md defines: content,
/// end-to-end (content and speaker), cue and kind precision, recall and F1,
/// micro and macro, with speaker/cue/kind accuracy and per-kind figures.
/// An article on which an extractor failed (or that a replay lacks) is
/// scored as empty and listed.
///
/// Exit code 0 when every article was scored and every gate passed, 1 when
/// an extractor failed on some article or a gate failed (--min-f1,
/// --baseline), 2 when the corpus or a replay cannot be read, some
/// article of the corpus is invalid, or an extractor is unavailable.
///
/// Examples:
///   quotecheck run                       # the configured extractors, or the baseline
///   quotecheck run --extractor textacy --articles 'bbc/**'
///   quotecheck run --replay saved=runs/v1.jsonl
///   quotecheck run --corpus corpus --replay old=runs/v1 --replay new=runs/v2 --json report.json
///   quotecheck run --replay runs/model.jsonl --scheme exact --json - | jq .extractors[0].micro
///   quotecheck run --min-f1 0.7 --min-f1 content=0.8 --baseline main.json --junit junit.xml
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct RunArgs {
    #[command(flatten)]
    common: Selected,

    /// Also write the JSON report to PATH (`-` for standard output, which
    /// moves the terminal report to standard error).
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,

    /// Score articles whose gold is still a draft.
    #[arg(long)]
    include_drafts: bool,

    /// Score only the articles whose id matches GLOB (`*` within a path
    /// segment, `**` across segments, `?`, `[abc]`). Repeat to add patterns.
    #[arg(long, value_name = "GLOB")]
    articles: Vec<String>,

    /// Fail (exit 1) unless every extractor's micro F1 reaches X; CRITERION
    /// is content, attribution (the default: end-to-end), cue or kind.
    /// Repeat for several criteria.
    #[arg(long, value_name = "[CRITERION=]X")]
    min_f1: Vec<MinF1>,

    /// Compare with the JSON report of an earlier run: fail (exit 1) when a
    /// micro F1 drops by more than --tolerance, listing the articles that
    /// got worse.
    #[arg(long, value_name = "REPORT")]
    baseline: Option<PathBuf>,

    /// How much a micro F1 may drop below the baseline [default: from
    /// quotecheck.toml, else 0].
    #[arg(long, value_name = "X")]
    tolerance: Option<f64>,

    /// Write a JUnit XML report to PATH: a test suite per extractor, a test
    /// case per article.
    #[arg(long, value_name = "PATH")]
    junit: Option<PathBuf>,

    /// Write a Markdown summary to PATH; it is also appended to
    /// $GITHUB_STEP_SUMMARY when that is set.
    #[arg(long, value_name = "PATH")]
    markdown: Option<PathBuf>,

    /// Rerun only the articles on which an extractor failed in the last run.
    #[arg(long)]
    rerun_failed: bool,

    /// Run every extractor afresh instead of reusing outputs cached in
    /// .quotecheck/cache (see `quotecheck cache clear`).
    #[arg(long)]
    no_cache: bool,

    /// How many of the worst articles to list per extractor.
    #[arg(long, default_value_t = 5, value_name = "N")]
    worst: usize,

    /// Colour the terminal report: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn run(args: RunArgs) -> anyhow::Result<u8> {
    let config = Config::discover(args.common.config.as_deref())?;
    let chosen = args.common.resolve(&config)?;
    let corpus = Corpus::open(&chosen.corpus).context("nothing was scored")?;
    let extractors: Vec<&dyn Extractor> = chosen.extractors.iter().map(|e| e.as_ref()).collect();
    let mut selection = Selection::default();
    for glob in &args.articles {
        let pattern = glob::Pattern::new(glob)
            .with_context(|| format!("invalid --articles pattern {glob:?}"))?;
        selection.patterns.push(pattern);
    }
    if args.rerun_failed {
        selection.ids = Some(LastRun::read()?.failed.into_iter().collect());
    }
    let settings = RunSettings {
        scheme: chosen.scheme,
        include_drafts: args.include_drafts,
        selection,
        jobs: chosen.jobs,
        cache: (!args.no_cache).then(Cache::default_location),
    };
    let progress = Progress::new(&corpus, extractors.len());
    let result = run_corpus(&corpus, &extractors, &settings, &mut |event| {
        progress.on(&event)
    });
    progress.finish();
    LastRun::from_result(&result).write()?;

    let gates = Gates {
        min_f1: if args.min_f1.is_empty() {
            config.gates.min_f1()?
        } else {
            args.min_f1.clone()
        },
        baseline: match args
            .baseline
            .clone()
            .or_else(|| config.gates.baseline.as_ref().map(|b| config.base.join(b)))
        {
            Some(path) => Some(Baseline::read(&path)?),
            None => None,
        },
        tolerance: args.tolerance.or(config.gates.tolerance).unwrap_or(0.0),
    };
    let gated = !gates.min_f1.is_empty() || gates.baseline.is_some();
    let outcome = gate::check(&result, &gates);
    if let Some(path) = &args.junit {
        let mut buf = Vec::new();
        junit::write(&result, &outcome, &mut buf)?;
        write_atomically(path, &buf)
            .with_context(|| format!("cannot write the JUnit report to {}", path.display()))?;
    }
    let markdown = || -> anyhow::Result<Vec<u8>> {
        let mut buf = Vec::new();
        markdown::write(&result, &outcome, args.worst, &mut buf)?;
        Ok(buf)
    };
    if let Some(path) = &args.markdown {
        write_atomically(path, &markdown()?)
            .with_context(|| format!("cannot write the Markdown summary to {}", path.display()))?;
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

    let json_to_stdout = args.json.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if let Some(path) = &args.json {
        if json_to_stdout {
            json::write(&result, &mut std::io::stdout().lock())?;
        } else {
            let mut buf = Vec::new();
            json::write(&result, &mut buf)?;
            write_atomically(path, &buf)
                .with_context(|| format!("cannot write the JSON report to {}", path.display()))?;
        }
    }
    let color = |is_terminal: bool| match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut options = terminal::TerminalOptions {
        worst: args.worst,
        ..Default::default()
    };
    if json_to_stdout {
        options.color = color(std::io::stderr().is_terminal());
        terminal::write(&result, options, &mut std::io::stderr().lock())?;
        if gated {
            terminal::write_gates(&outcome, options, &mut std::io::stderr().lock())?;
        }
    } else {
        options.color = color(std::io::stdout().is_terminal());
        let mut out = std::io::stdout().lock();
        terminal::write(&result, options, &mut out)?;
        if gated {
            terminal::write_gates(&outcome, options, &mut out)?;
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
    Ok(if !result.corpus.broken.is_empty() || unavailable {
        EXIT_BAD_INPUT
    } else if !outcome.passed()
        || result
            .extractors
            .iter()
            .any(|e| e.failures().next().is_some())
    {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// so a reader never sees half a file.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::fs::write(tmp.path(), bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// What `--rerun-failed` reruns: the articles of the last run on which an
/// extractor failed, kept in `.quotecheck/last-run.json`.
#[derive(serde::Serialize, serde::Deserialize)]
struct LastRun {
    failed: Vec<String>,
}

impl LastRun {
    fn path() -> PathBuf {
        Path::new(STATE_DIR).join("last-run.json")
    }

    fn from_result(result: &crate::run::RunResult) -> LastRun {
        let failed: BTreeSet<String> = result
            .extractors
            .iter()
            .flat_map(|e| e.failures().map(|a| a.id.clone()))
            .collect();
        LastRun {
            failed: failed.into_iter().collect(),
        }
    }

    fn read() -> anyhow::Result<LastRun> {
        let path = LastRun::path();
        let bytes = std::fs::read(&path).with_context(|| {
            format!("--rerun-failed needs a previous run, but {} cannot be read\nhint: run `quotecheck run` first", path.display())
        })?;
        serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "{} is damaged\nhint: run `quotecheck run` without --rerun-failed to rewrite it",
                path.display()
            )
        })
    }

    fn write(&self) -> anyhow::Result<()> {
        let path = LastRun::path();
        let bytes = serde_json::to_vec_pretty(self)?;
        write_atomically(&path, &bytes)
            .with_context(|| format!("cannot record the run in {}", path.display()))
    }
}

/// A progress bar on standard error, only when it is a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    failures: std::cell::Cell<u64>,
    extractors: usize,
}

impl Progress {
    fn new(corpus: &Corpus, extractors: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = match corpus.len_hint() {
                Some(n) => indicatif::ProgressBar::new((n * extractors) as u64),
                None => indicatif::ProgressBar::new_spinner(),
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {pos}/{len} articles · {per_sec} · ETA {eta} {msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar
        });
        Progress {
            bar,
            failures: std::cell::Cell::new(0),
            extractors,
        }
    }

    fn on(&self, event: &RunEvent<'_>) {
        let Some(bar) = &self.bar else { return };
        match event {
            RunEvent::ArticleDone { result, .. } => {
                if result.failure.is_some() {
                    self.failures.set(self.failures.get() + 1);
                    bar.set_message(format!("· {} failed", self.failures.get()));
                }
                bar.inc(1);
            }
            // Unscored articles still count towards the total shown.
            RunEvent::ArticleSkipped | RunEvent::ArticleBroken(_) => {
                bar.inc(self.extractors as u64)
            }
            _ => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
