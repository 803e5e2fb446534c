//! `quotecheck run`.

use std::path::PathBuf;

use anyhow::Context;

use super::output::ReportArgs;
use super::select::ExtractorArgs;
use crate::corpus::Corpus;
use crate::extract::{Cache, Extractor};
use crate::report::terminal;
use crate::run::{Keep, RunSettings, Selection, Shard, ShardSpec};
use crate::session::{
    Extractors, LastRun, OnUnreferenced, Progress, RecordLastRun, Reporter, Session, SnapshotCheck,
    Status, StreamedJson, StreamedJunit, WorstDiffs,
};
use crate::snapshot::store::{is_ci, SnapshotSettings, UnknownPolicy, UpdatePolicy, DEFAULT_ROOT};

/// Score extractors on a corpus and print the report.
///
/// Each extractor's predictions are matched one-to-one with the gold quotes
/// of every annotated article and scored as docs/scoring.md defines: content,
/// end-to-end (content and speaker), cue and kind precision, recall and F1,
/// micro and macro, with speaker/cue/kind accuracy and per-kind figures.
/// An article on which an extractor failed (or that a replay lacks) is
/// scored as empty and listed.
///
/// Snapshots: for an extractor with a folder in snapshots/ (or every
/// extractor, with --update new or always), each article's rendering is
/// compared with its accepted snapshot. An unchanged article passes however
/// imperfect it is; a changed or new one fails the run and, locally, is
/// written as a pending .snap.new to review (`quotecheck review`). See
/// docs/snapshots.md.
///
/// An error the extractor reports for an article is compared the same way
/// (a snapshot can accept a refusal); a time-out or crash never is.
///
/// An extractor that could not start (a worker, an endpoint that does not
/// answer its handshake) is shown as `unavailable: <why>`, and one that
/// failed on every article as such, without figures; no gate passes on
/// either.
///
/// Exit code 0 when every article was scored and every gate passed, 1 when
/// an extractor failed on some article (unless its snapshot accepts that
/// failure), a gate failed (--min-f1, --baseline) or a snapshot changed
/// without being accepted, 2 when the corpus or a replay cannot be read,
/// some article of the corpus is invalid, an extractor is unavailable, a
/// snapshot cannot be read or written, or nothing was scored (a selection
/// that matches nothing, an empty corpus, only unannotated or draft
/// articles) unless --allow-empty is given. One shard (--shard) that holds
/// no article exits 0. --rerun-failed when no article failed in the last
/// run exits 0 if that run passed, 2 otherwise.
///
/// Memory does not grow with the corpus: past 32,768 articles, the ids
/// read (to catch a repeated one), a replay's index and the split of
/// --shard go to unnamed temporary files in the system's temporary folder
/// (TMPDIR), removed when the run ends: 100 to 200 bytes of disk an article.
///
/// Examples:
///   quotecheck run                       # the default extractors, or the baseline
///   quotecheck run --extractor textacy --articles 'world/**'
///   quotecheck run --replay saved=runs/v1.jsonl
///   quotecheck run --corpus corpus --replay old=runs/v1 --replay new=runs/v2 --json report.json
///   quotecheck run --replay runs/model.jsonl --scheme exact --json - | jq .extractors[0].micro
///   quotecheck run --min-f1 0.7 --min-f1 content=0.8 --baseline main.json --junit junit.xml
///   quotecheck run --extractor gpt --require-verbatim  # misquoted direct quotes count as wrong
///   quotecheck run --extractor mine --update new     # start snapshots of mine, to review
///   quotecheck run --extractor textacy --repeat 3    # ask 3 times: stability, majority snapshots
///   CI=true quotecheck run                          # fails on any unaccepted snapshot change
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct RunArgs {
    #[command(flatten)]
    common: ExtractorArgs,

    #[command(flatten)]
    report: ReportArgs,

    /// Score articles whose gold is still a draft.
    #[arg(long)]
    include_drafts: bool,

    /// Make a quote given as text that is stitched, altered or fabricated
    /// (docs/scoring.md §8) a false positive instead of a match when its
    /// kind (predicted, else its gold quote's) is direct or mixed. Also
    /// `require_verbatim = true` in quotecheck.toml.
    #[arg(long)]
    require_verbatim: bool,

    /// Score only the articles whose id matches GLOB (`*` within a path
    /// segment, `**` across segments, `?`, `[abc]`). Repeat to add patterns.
    #[arg(long, value_name = "GLOB")]
    articles: Vec<String>,

    /// Run only part K of N of the corpus (1 ≤ K ≤ N), split
    /// deterministically by text size, and write a partial report; combine
    /// the parts with `quotecheck merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<ShardSpec>,

    /// Show the gold diffs of the N worst articles of each extractor
    /// (`all`: of every article with a mismatch; `none` or 0: none).
    #[arg(long, value_name = "N|all|none", default_value = "none", value_parser = parse_diffs)]
    diffs: DiffLimit,

    /// Rerun only the articles on which an extractor failed in the last run.
    #[arg(long)]
    rerun_failed: bool,

    /// Run every extractor afresh instead of reusing outputs cached in
    /// .quotecheck/cache (see `quotecheck cache clear`).
    #[arg(long)]
    no_cache: bool,

    /// Ask every extractor K times about each article and report its
    /// stability: the share of gold quotes whose verdict flips between
    /// repeats, end-to-end F1 as mean ± sd over repeats, and an interval
    /// over articles and repeats. The figures stay the first run's, which
    /// keeps its cache; the other repeats are cached under their number.
    /// Snapshots keep the majority rendering and mark unstable articles. A
    /// deterministic extractor (a replay, the baseline) is asked once
    /// (docs/llm-extractors.md).
    #[arg(long, value_name = "K", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..))]
    repeat: u16,

    /// What to do with a rendering that differs from its snapshot, as
    /// insta's INSTA_UPDATE: `auto` (`new` locally, `no` when CI is set),
    /// `new` (write it as a pending .snap.new), `always` (write the .snap:
    /// accept it), `no` (write nothing). `new` and `always` also start
    /// snapshots for extractors that have none [default: QUOTECHECK_UPDATE,
    /// else auto].
    #[arg(long, value_name = "POLICY", value_parser = parse_update)]
    update: Option<UpdatePolicy>,

    /// The snapshot folder: one sub-folder per extractor.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_ROOT)]
    snapshots: PathBuf,

    /// Neither compare nor write snapshots.
    #[arg(long, conflicts_with = "update")]
    no_snapshots: bool,

    /// Snapshots whose article is gone from the corpus, or whose extractor
    /// is no longer configured: `report` them, `delete` them, or `ignore`
    /// them. Checked only on a full run (no --articles, --shard or
    /// --rerun-failed) [default: report].
    #[arg(long, value_enum, value_name = "ACTION")]
    unreferenced: Option<UnreferencedAction>,

    /// How many diffs of changed snapshots to show per extractor (`all`,
    /// `none`, or a number).
    #[arg(long, value_name = "N|all|none", default_value = "3", value_parser = parse_diffs)]
    snapshot_diffs: DiffLimit,
}

/// `--unreferenced`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
enum UnreferencedAction {
    #[default]
    Report,
    Delete,
    Ignore,
}

impl From<UnreferencedAction> for OnUnreferenced {
    fn from(action: UnreferencedAction) -> OnUnreferenced {
        match action {
            UnreferencedAction::Report => OnUnreferenced::Report,
            UnreferencedAction::Delete => OnUnreferenced::Delete,
            UnreferencedAction::Ignore => OnUnreferenced::Ignore,
        }
    }
}

fn parse_update(s: &str) -> Result<UpdatePolicy, UnknownPolicy> {
    s.parse()
}

pub fn run(args: RunArgs) -> anyhow::Result<u8> {
    let config = super::input::config(args.common.config.as_deref())?;
    let setup = args.common.resolve(&config)?;
    let corpus = Corpus::open(&setup.corpus).context("nothing was scored")?;
    // What the folder listing skipped (links outside the corpus, files a
    // killed write left), on stderr: the report itself is about articles.
    for issue in corpus.listing_issues() {
        if issue.severity != crate::corpus::Severity::Note {
            eprint!("{issue}");
        }
    }
    let extractors: Vec<&dyn Extractor> = setup.extractors.iter().map(|e| e.as_ref()).collect();
    let mut selection = Selection::default();
    for glob in &args.articles {
        let pattern = glob::Pattern::new(glob)
            .with_context(|| format!("invalid --articles pattern {glob:?}"))?;
        selection.patterns.push(pattern);
    }
    if let Some(ShardSpec { index, count }) = args.shard {
        selection.shard = Some(
            Shard::of(&corpus, index, count)
                .context("cannot split the corpus into shards (its ids are sorted in the temporary folder, TMPDIR)")?,
        );
    }
    if args.rerun_failed {
        let last = LastRun::read()?;
        if let Some((status, message)) = last.nothing_to_rerun() {
            if status == Status::Passed {
                println!("{message}");
            } else {
                eprintln!("error: {message}");
            }
            return Ok(status.code());
        }
        selection.ids = Some(last.failed.into_iter().collect());
    }
    let mut files = args.report.files();
    let fidelity = crate::align::FidelityPolicy {
        require_verbatim: args.require_verbatim || config.require_verbatim,
    };
    let baseline = args.report.has_baseline(&config);
    // The JSON and JUnit reports are written as articles finish
    // (report::json_stream, report::junit_stream): only the HTML page and
    // the baseline gate make the run keep every article.
    let mut json = files.json.take().map(StreamedJson::new);
    let mut junit = files.junit.take().map(StreamedJunit::new);
    let settings = RunSettings {
        scheme: setup.scheme,
        fidelity,
        include_drafts: args.include_drafts,
        selection,
        jobs: setup.jobs,
        cache: (!args.no_cache).then(Cache::default_location),
        // Reports that list every article need every result; the terminal
        // and Markdown reports only the worst, so memory can stay flat.
        keep: if files.lists_every_article() || baseline {
            Keep::All
        } else {
            Keep::Worst(args.report.worst)
        },
        repeats: args.repeat.into(),
        ..RunSettings::default()
    };
    let ci = is_ci();
    let mode = match args.update {
        Some(mode) => Some(mode),
        None => UpdatePolicy::from_env()?,
    };
    let update = mode.unwrap_or_default().resolve(ci);
    let names: Vec<&str> = extractors.iter().map(|e| e.name()).collect();
    let snapshots = if args.no_snapshots {
        None
    } else {
        let root = args.snapshots.display().to_string();
        SnapshotCheck::start(
            SnapshotSettings {
                root: args.snapshots.clone(),
                update,
                start: matches!(mode, Some(UpdatePolicy::New | UpdatePolicy::Always)),
                // JUnit shows every diff; the terminal at most this many.
                keep_diffs: if args.report.junit.is_some() {
                    None
                } else {
                    args.snapshot_diffs.0
                },
                fidelity,
            },
            setup.scheme,
            &names,
            args.unreferenced.unwrap_or_default().into(),
            &mut |path| {
                eprintln!(
                    "waiting for another quotecheck run using {root}/ to finish (lock file {})",
                    path.display()
                )
            },
        )?
    };
    let session = Session {
        corpus: &corpus,
        extractors: &extractors,
        settings,
        snapshots,
        configured: Extractors {
            defaults: config.default_names(),
            configured: config.extractors.keys().cloned().collect(),
        },
        gates: args.report.gates(&config)?,
    };
    let mut progress = Progress::new(&corpus, extractors.len());
    let mut terminal = args.report.terminal(
        terminal::SnapshotOptions {
            ci,
            command: crate::session::local_command(std::env::args().skip(1)),
            diffs: args.snapshot_diffs.0,
        },
        WorstDiffs::new(args.diffs.0, setup.scheme),
    );
    let mut last_run = RecordLastRun;
    let mut reporters: Vec<&mut dyn Reporter> = vec![&mut progress, &mut last_run, &mut files];
    if let Some(json) = json.as_mut() {
        reporters.push(json);
    }
    if let Some(junit) = junit.as_mut() {
        reporters.push(junit);
    }
    reporters.push(&mut terminal);
    let outcome = session.run(&mut reporters)?;
    for note in &outcome.notes {
        eprintln!("{}", crate::text::printable(note));
    }
    Ok(outcome.exit_code())
}

/// How many diffs to show: `None` for all.
#[derive(Clone, Copy, Debug)]
struct DiffLimit(Option<usize>);

/// A value of `--diffs` that is not a limit.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not a number, `all` or `none`")]
struct BadDiffLimit(String);

/// `all` → no limit; `none` → 0; else a count.
fn parse_diffs(s: &str) -> Result<DiffLimit, BadDiffLimit> {
    match s {
        "all" => Ok(DiffLimit(None)),
        "none" => Ok(DiffLimit(Some(0))),
        n => n
            .parse()
            .map(|n| DiffLimit(Some(n)))
            .map_err(|_| BadDiffLimit(n.to_string())),
    }
}
