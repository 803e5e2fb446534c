//! `quotecheck run`.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::output::{write_atomically, ReportArgs};
use super::select::Selected;
use crate::config::Config;
use crate::corpus::Corpus;
use crate::extract::{Cache, Extractor, STATE_DIR};

use crate::report::{json, terminal};
use crate::run::{run as run_corpus, Keep, RunEvent, RunSettings, Selection, Shard};
use crate::snapshot::store::{
    is_ci, Checker, SnapshotReport, SnapshotSettings, UnknownPolicy, Update, UpdatePolicy,
    DEFAULT_ROOT,
};

/// Score extractors on a corpus and print the report.
///
/// Each extractor's predictions are matched one-to-one with the gold quotes
/// of every annotated article and scored as scoring.md defines: content,
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
/// Exit code 0 when every article was scored and every gate passed, 1 when
/// an extractor failed on some article (unless its snapshot accepts that
/// failure), a gate failed (--min-f1, --baseline) or a snapshot changed
/// without being accepted, 2 when the corpus or a replay cannot be read,
/// some article of the corpus is invalid, an extractor is unavailable, or
/// a snapshot cannot be read or written.
///
/// Examples:
///   quotecheck run                       # the default extractors, or the baseline
///   quotecheck run --extractor textacy --articles 'bbc/**'
///   quotecheck run --replay saved=runs/v1.jsonl
///   quotecheck run --corpus corpus --replay old=runs/v1 --replay new=runs/v2 --json report.json
///   quotecheck run --replay runs/model.jsonl --scheme exact --json - | jq .extractors[0].micro
///   quotecheck run --min-f1 0.7 --min-f1 content=0.8 --baseline main.json --junit junit.xml
///   quotecheck run --extractor mine --update new     # start snapshots of mine, to review
///   CI=true quotecheck run                          # fails on any unaccepted snapshot change
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct RunArgs {
    #[command(flatten)]
    common: Selected,

    #[command(flatten)]
    report: ReportArgs,

    /// Score articles whose gold is still a draft.
    #[arg(long)]
    include_drafts: bool,

    /// Score only the articles whose id matches GLOB (`*` within a path
    /// segment, `**` across segments, `?`, `[abc]`). Repeat to add patterns.
    #[arg(long, value_name = "GLOB")]
    articles: Vec<String>,

    /// Run only part K of N of the corpus (1 ≤ K ≤ N), split
    /// deterministically by text size, and write a partial report; combine
    /// the parts with `quotecheck merge`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<(usize, usize)>,

    /// Show the gold diffs of the N worst articles of each extractor
    /// (`all`: of every article with a mismatch; `none` or 0: none).
    #[arg(long, value_name = "N|all|none", default_value = "3", value_parser = parse_diffs)]
    diffs: DiffLimit,

    /// Rerun only the articles on which an extractor failed in the last run.
    #[arg(long)]
    rerun_failed: bool,

    /// Run every extractor afresh instead of reusing outputs cached in
    /// .quotecheck/cache (see `quotecheck cache clear`).
    #[arg(long)]
    no_cache: bool,

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
    #[arg(long, value_name = "N|all|none", default_value = "10", value_parser = parse_diffs)]
    snapshot_diffs: DiffLimit,
}

/// `--unreferenced`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum UnreferencedAction {
    Report,
    Delete,
    Ignore,
}

fn parse_update(s: &str) -> Result<UpdatePolicy, UnknownPolicy> {
    s.parse()
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
    if let Some((index, count)) = args.shard {
        selection.shard = Some(Shard::of(&corpus, index, count));
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
        // Reports that list every article need every result; the terminal
        // and Markdown reports only the worst, so memory can stay flat.
        keep: if args.report.json.is_some()
            || args.report.junit.is_some()
            || args.report.html.is_some()
            || args.report.baseline.is_some()
            || config.gates.baseline.is_some()
        {
            Keep::All
        } else {
            Keep::Worst(args.report.worst)
        },
    };
    let ci = is_ci();
    let mode = match args.update {
        Some(mode) => Some(mode),
        None => UpdatePolicy::from_env()?,
    };
    let update = mode.unwrap_or_default().resolve(ci);
    let mut checker = None;
    let mut _lock = None;
    if !args.no_snapshots {
        let mut c = Checker::new(
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
            },
            chosen.scheme,
        );
        let names: Vec<&str> = extractors.iter().map(|e| e.name()).collect();
        if !c.register(&names).is_empty() {
            let unreferenced = args.unreferenced.unwrap_or(UnreferencedAction::Report);
            if update != Update::No || unreferenced == UnreferencedAction::Delete {
                let root = args.snapshots.display().to_string();
                let lock = c.store().lock(&mut |path| {
                    eprintln!(
                        "waiting for another quotecheck run using {root}/ to finish (lock file {})",
                        path.display()
                    )
                });
                _lock =
                    Some(lock.with_context(|| format!("cannot lock the snapshot folder {root}"))?);
            }
            checker = Some(c);
        }
    }
    let progress = Progress::new(&corpus, extractors.len());
    let collector = DiffCollector::new(args.diffs.0, chosen.scheme);
    let result = run_corpus(&corpus, &extractors, &settings, &mut |event| {
        progress.on(&event);
        collector.on(&event);
        if let (
            Some(c),
            RunEvent::ArticleDone {
                extractor,
                article,
                result,
            },
        ) = (checker.as_mut(), &event)
        {
            c.check(
                extractor,
                article,
                &result.predictions,
                &result.score.alignment,
                result.failure.as_ref(),
            );
        }
    });
    progress.finish();
    LastRun::from_result(&result).write()?;

    let full = args.articles.is_empty() && args.shard.is_none() && !args.rerun_failed;
    let snapshots = match checker {
        Some(c) => Some(finish_snapshots(
            c,
            &args,
            &config,
            &corpus,
            &extractors,
            full,
        )?),
        None => None,
    };
    drop(_lock);
    let mut report = json::Report::from_result(&result);
    if let Some(s) = &snapshots {
        report.set_snapshots(s);
    }
    let options = terminal::SnapshotOptions {
        ci,
        command: local_command(),
        diffs: args.snapshot_diffs.0,
    };
    args.report.finish_with_snapshots(
        &config,
        &result,
        &report,
        &collector.into_diffs(),
        snapshots.as_ref(),
        &options,
    )
}

/// Ends the snapshot comparison of a run: on a full run, finds (and
/// deletes, when asked) the snapshots whose article or extractor is gone.
fn finish_snapshots(
    checker: Checker,
    args: &RunArgs,
    config: &Config,
    corpus: &Corpus,
    extractors: &[&dyn Extractor],
    full: bool,
) -> anyhow::Result<SnapshotReport> {
    let action = args.unreferenced.unwrap_or(UnreferencedAction::Report);
    if !full || action == UnreferencedAction::Ignore {
        if !full && action == UnreferencedAction::Delete {
            eprintln!(
                "note: --unreferenced delete deletes nothing on a filtered run (--articles, --shard, --rerun-failed)"
            );
        }
        return Ok(checker.finish(Vec::new(), None, false));
    }
    let mut unseen = checker
        .unseen()
        .context("cannot list the snapshot folder")?;
    if !unseen.is_empty() {
        // Snapshots of articles that were not scored: unreferenced only
        // when the article is not in the corpus at all (a draft or an
        // unannotated article may come back).
        let candidates: std::collections::HashSet<&str> =
            unseen.iter().map(|(_, a, _)| a.as_str()).collect();
        let mut present: BTreeSet<String> = BTreeSet::new();
        for item in corpus.items() {
            let id = match item {
                crate::corpus::Item::Article { article, .. } => article.id.to_string(),
                crate::corpus::Item::Broken { id, .. } => id,
            };
            if candidates.contains(id.as_str()) {
                present.insert(id);
            }
        }
        unseen.retain(|(_, a, _)| !present.contains(a));
    }
    // Folders of other extractors are judged only when the run ran the
    // default set (not one chosen with --extractor or --replay), and the
    // folder of an extractor that is configured but not run by default is
    // never unreferenced.
    let mut defaults = config.default_names();
    let mut ran: Vec<String> = extractors.iter().map(|e| e.name().to_string()).collect();
    ran.sort();
    defaults.sort();
    let mut known = ran.clone();
    known.extend(config.extractors.keys().cloned());
    let all = (!defaults.is_empty() && ran == defaults).then_some(&known[..]);
    Ok(checker.finish(unseen, all, action == UnreferencedAction::Delete))
}

/// The command line of this run as one to run locally: without the
/// options that only make sense on CI (`--update`, `--shard`).
fn local_command() -> String {
    let mut out = vec!["quotecheck".to_string()];
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--update" || arg == "--shard" {
            args.next();
            continue;
        }
        if arg.starts_with("--update=") || arg.starts_with("--shard=") {
            continue;
        }
        let plain = !arg.is_empty()
            && arg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
        out.push(if plain {
            arg
        } else {
            format!("'{}'", arg.replace('\'', "'\\''"))
        });
    }
    out.join(" ")
}

/// How many diffs to show: `None` for all.
#[derive(Clone, Copy, Debug)]
struct DiffLimit(Option<usize>);

/// `all` → no limit; `none` → 0; else a count.
fn parse_diffs(s: &str) -> Result<DiffLimit, String> {
    match s {
        "all" => Ok(DiffLimit(None)),
        "none" => Ok(DiffLimit(Some(0))),
        n => n
            .parse()
            .map(|n| DiffLimit(Some(n)))
            .map_err(|_| format!("{n:?} is not a number, `all` or `none`")),
    }
}

/// A kept diff: the article's end-to-end F1, its id, its diff.
type KeptDiff = (f64, String, crate::snapshot::GoldDiff);

/// Keeps the gold diffs the terminal report shows: the worst articles of
/// each extractor (lowest end-to-end F1, then id), at most `limit`, as they
/// are scored, so memory is bounded by the limit, not the corpus.
struct DiffCollector {
    limit: Option<usize>,
    scheme: crate::align::Scheme,
    kept: std::cell::RefCell<std::collections::BTreeMap<String, Vec<KeptDiff>>>,
}

impl DiffCollector {
    fn new(limit: Option<usize>, scheme: crate::align::Scheme) -> DiffCollector {
        DiffCollector {
            limit,
            scheme,
            kept: Default::default(),
        }
    }

    fn on(&self, event: &RunEvent<'_>) {
        let RunEvent::ArticleDone {
            extractor,
            article,
            result,
        } = event
        else {
            return;
        };
        // A failed article is listed with its failure; its diff would only
        // repeat every gold quote as missed.
        if self.limit == Some(0) || result.failure.is_some() {
            return;
        }
        let f1 = result
            .score
            .counts(crate::score::Criterion::Attribution)
            .f1();
        let mut kept = self.kept.borrow_mut();
        let list = kept.entry(extractor.to_string()).or_default();
        let key = |(f, id): (f64, &str)| (f, id.to_string());
        if let Some(limit) = self.limit {
            if list.len() >= limit {
                let last = list.last().map(|(f, id, _)| key((*f, id)));
                if last.is_some_and(|(lf, lid)| (f1, &result.id) >= (lf, &lid)) {
                    return;
                }
            }
        }
        let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
        let diff = crate::snapshot::gold_diff(
            &article.text,
            gold,
            &result.predictions,
            &result.score.alignment,
            &self.scheme,
            crate::snapshot::DiffLabels {
                article: &result.id,
                extractor,
            },
        );
        if diff.is_match() {
            return;
        }
        let at = list.partition_point(|(f, id, _)| (*f, id.as_str()) < (f1, result.id.as_str()));
        list.insert(at, (f1, result.id.clone(), diff));
        if let Some(limit) = self.limit {
            list.truncate(limit);
        }
    }

    fn into_diffs(self) -> terminal::Diffs {
        self.kept
            .into_inner()
            .into_iter()
            .map(|(name, list)| (name, list.into_iter().map(|(_, id, d)| (id, d)).collect()))
            .collect()
    }
}

/// Parses `K/N` with 1 ≤ K ≤ N.
fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (k, n) = s.split_once('/').ok_or("expected K/N, such as 2/4")?;
    let k: usize = k
        .trim()
        .parse()
        .map_err(|_| format!("{k:?} is not a whole number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("{n:?} is not a whole number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("{k}/{n}: K must be between 1 and N"));
    }
    Ok((k, n))
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
