//! `quotecheck merge`.

use std::io::{BufRead, BufReader, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::output::ReportArgs;
use crate::extract::Failure;
use crate::report::json::{failure_kind, ArticleJson, Report};
use crate::report::json_read::read_streaming;
use crate::report::json_result::SnapshotStates;
use crate::report::junit::CaseData;
use crate::report::junit_stream::{spill_dir, spill_file};
use crate::report::merge::{merge_named, merge_streams, Entries, MergeError, Part};
use crate::report::terminal::SnapshotOptions;
use crate::run::{Dropped, FailureTail, Lowest};
use crate::score::{Criterion, Totals};
use crate::session::{conclude, Outcome, StreamedJson, StreamedJunit, Target, WorstDiffs};
use crate::snapshot::store::is_ci;

/// Combine JSON reports of runs over disjoint parts of one corpus into one.
///
/// A part is any report of `quotecheck run --json` over a subset of a corpus:
/// a shard (`--shard K/N`, one per machine of a CI matrix), an `--articles`
/// selection, an engine's partition, or a report merged before. Parts merge
/// in any order and grouping; parts that cover the corpus give exactly the
/// report one unsharded run gives (counts summed; micro and macro figures,
/// accuracies and per-kind figures recomputed from the per-article data),
/// and articles no part covers count as not selected. `merge` writes the
/// same reports and applies the same gates as `run`.
///
/// Parts are read as streams: memory does not grow with their size (a copy
/// of their article entries goes to temporary files beside the --json
/// report, and past 32,768 articles the digests of their ids to the
/// system's temporary folder, TMPDIR; all removed when `merge` ends).
///
/// Exit codes are those of `run`: 0 pass, 1 a gate failed or an extractor
/// failed on some article, 2 bad input (an article in two parts, the same
/// id with another text, parts of another corpus, scheme, snapshot policy,
/// --require-verbatim or extractor version, parts run with --repeat, or no
/// article scored in any part, unless --allow-empty).
///
/// Examples:
///   quotecheck merge part-*.json --json report.json --junit junit.xml --markdown summary.md
///   quotecheck merge parts/*.json --min-f1 0.7 --baseline main.json
///   quotecheck merge world.json rest.json --json all.json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct MergeArgs {
    /// The reports to merge, in any order: shards, selections, merged reports.
    #[arg(required = true, value_name = "PART")]
    parts: Vec<PathBuf>,

    /// Read [gates] from PATH instead of ./quotecheck.toml.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,

    #[command(flatten)]
    report: ReportArgs,
}

pub fn run(args: MergeArgs) -> anyhow::Result<u8> {
    let config = super::input::config(args.config.as_deref())?;
    let gates = args.report.gates(&config)?;
    let mut files = args.report.files();
    // Spill files go beside the report that is largest, on its disk.
    let dir = match (&files.json, &files.junit) {
        (Some(Target::File(path)), _) | (_, Some(path)) => Some(spill_dir(path)),
        _ => None,
    };
    let mut json = files.json.take().map(StreamedJson::new);
    let mut junit = files.junit.take().map(StreamedJunit::new);
    // The HTML page and the baseline gate list every article; the other
    // reports only the worst.
    let keep_all = files.html.is_some() || args.report.has_baseline(&config);
    let parts = args
        .parts
        .iter()
        .map(|path| read_part(path, dir.as_deref()))
        .collect::<anyhow::Result<Vec<Part<'static>>>>()?;
    let count = parts.len();
    let names: Vec<String> = parts
        .first()
        .map(|p| p.header.extractors.iter().map(|e| e.name.clone()).collect())
        .unwrap_or_default();
    let mut kept: Vec<Keeper> = names
        .iter()
        .map(|_| Keeper::new(keep_all, args.report.worst))
        .collect();
    let mut states = SnapshotStates::new(names.iter().cloned());
    let merged = merge_streams(parts, &mut |i, a| {
        let name = &names[i];
        if let Some(json) = json.as_mut() {
            json.add_entry(name, a);
        }
        if let Some(junit) = junit.as_mut() {
            junit.add_case(name, &CaseData::from(a));
        }
        states.add(i, a);
        kept[i].add(a);
        Ok(())
    })
    .map_err(merge_error)?;
    if merged.corpus.not_selected > 0 {
        eprintln!(
            "note: {} of the corpus's {} articles are in none of the {count} parts merged",
            merged.corpus.not_selected, merged.corpus.articles,
        );
    }
    let snapshots = states.finish(merged.snapshot_update);
    let mut report = merged;
    let mut totals = Vec::new();
    let mut dropped = Vec::new();
    let mut tails = Vec::new();
    for (e, keeper) in report.extractors.iter_mut().zip(kept) {
        let (articles, t, d, tail) = keeper.finish();
        e.articles = articles;
        totals.push(t);
        dropped.push(d);
        tails.push(tail);
    }
    let mut result = report
        .to_result_with(totals, dropped)
        .map_err(|e| anyhow::anyhow!("cannot merge: {e}"))?;
    for (e, tail) in result.extractors.iter_mut().zip(tails) {
        e.more_failures = tail;
    }
    let outcome = Outcome::new(result, report, snapshots, &gates);
    // Pairings are not in JSON reports, so a merge shows no diffs.
    let mut terminal = args.report.terminal(
        SnapshotOptions {
            ci: is_ci(),
            command: "quotecheck run".into(),
            diffs: None,
        },
        WorstDiffs::new(Some(0), outcome.result.scheme),
    );
    let mut reporters: Vec<&mut dyn crate::session::Reporter> = vec![&mut files];
    if let Some(json) = json.as_mut() {
        reporters.push(json);
    }
    if let Some(junit) = junit.as_mut() {
        reporters.push(junit);
    }
    reporters.push(&mut terminal);
    conclude(&outcome, &mut reporters)?;
    for note in &outcome.notes {
        eprintln!("{}", crate::text::printable(note));
    }
    Ok(outcome.exit_code())
}

fn merge_error(e: MergeError) -> anyhow::Error {
    super::hinted(format!("cannot merge: {e}"), e.hint())
}

/// Reads the report at `path` as a stream: its header, and its article
/// entries copied to a temporary file in `dir` (one compact line each,
/// after its extractor's index) to be read back in order.
fn read_part(path: &Path, dir: Option<&Path>) -> anyhow::Result<Part<'static>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let spill = spill_file(dir).context("cannot make a temporary file for the parts' articles")?;
    let mut out = BufWriter::new(spill);
    let header = read_streaming(file, &mut |n, a| {
        write!(out, "{n} ")
            .and_then(|()| serde_json::to_writer(&mut out, &a).map_err(std::io::Error::from))
            .and_then(|()| out.write_all(b"\n"))
            .map_err(|e| format!("cannot copy its articles to a temporary file: {e}"))
    })
    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let spill = out
        .into_inner()
        .map_err(|e| e.into_error())
        .and_then(|mut f| f.rewind().map(|()| f))
        .context("cannot read back the temporary copy of the parts' articles")?;
    let entries: Entries<'static> = Box::new(BufReader::new(spill).lines().map(|line| {
        let line = line.map_err(|e| e.to_string())?;
        let (n, entry) = line.split_once(' ').ok_or("a damaged line")?;
        let n: usize = n.parse().map_err(|_| "a damaged line".to_string())?;
        let entry: ArticleJson = serde_json::from_str(entry).map_err(|e| e.to_string())?;
        Ok((n, entry))
    }));
    Ok(Part {
        name: path.display().to_string(),
        header,
        entries,
    })
}

/// What a merge keeps of one extractor's articles for the reports written
/// from the outcome and the gates, as `run` keeps them: every article
/// when a report lists them all, otherwise the failures and the worst
/// (lowest end-to-end F1), with counts of the others.
struct Keeper {
    all: bool,
    /// Every article, or (until `finish`) only the failures.
    kept: Vec<ArticleJson>,
    /// The failures past the first [`FailureTail::KEPT`], when not every
    /// article is kept.
    more_failures: FailureTail,
    worst: Lowest<ArticleJson>,
    totals: Totals,
    dropped: Dropped,
}

impl Keeper {
    fn new(all: bool, worst: usize) -> Keeper {
        Keeper {
            all,
            kept: Vec::new(),
            more_failures: FailureTail::default(),
            worst: Lowest::new(Some(worst)),
            totals: Totals::new(),
            dropped: Dropped::default(),
        }
    }

    fn add(&mut self, a: &ArticleJson) {
        let score = a.score();
        self.totals.add(&score);
        if self.all {
            self.kept.push(a.clone());
            return;
        }
        if a.status != "ok" {
            if self.kept.len() < FailureTail::KEPT {
                self.kept.push(a.clone());
            } else {
                let failure =
                    Failure::new(failure_kind(&a.status), a.error.clone().unwrap_or_default());
                self.more_failures.add(&a.id, &failure);
            }
            return;
        }
        let f1 = score.counts(Criterion::Attribution).f1();
        if f1 >= 1.0 {
            self.count_dropped(a.cached, a.ignored, false);
        } else if !self.worst.admits(f1, &a.id) {
            self.count_dropped(a.cached, a.ignored, true);
        } else if let Some(out) = self.worst.offer(f1, a.id.clone(), a.clone()) {
            self.count_dropped(out.cached, out.ignored, true);
        }
    }

    fn count_dropped(&mut self, cached: bool, ignored: usize, below_one: bool) {
        let d = &mut self.dropped;
        d.articles += 1;
        d.below_one += usize::from(below_one);
        d.cached += usize::from(cached);
        d.ignored += ignored;
    }

    /// The articles kept, in corpus order, the totals over all of them,
    /// what is known of the others, and the failures not kept.
    fn finish(self) -> (Vec<ArticleJson>, Totals, Dropped, FailureTail) {
        let mut kept = self.kept;
        kept.extend(self.worst.into_items());
        kept.sort_by_key(|a| a.position);
        (kept, self.totals, self.dropped, self.more_failures)
    }
}

/// Reads the JSON reports at `paths` whole (what `compare` reads).
pub(crate) fn read_parts(paths: &[PathBuf]) -> anyhow::Result<Vec<Report>> {
    paths
        .iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Report::read(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        })
        .collect()
}

/// Merges `parts`, read from `paths`, with errors that name the files.
pub(crate) fn merge_parts(paths: &[PathBuf], parts: &[Report]) -> anyhow::Result<Report> {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let named: Vec<(&str, &Report)> = names.iter().map(String::as_str).zip(parts).collect();
    merge_named(&named).map_err(merge_error)
}
