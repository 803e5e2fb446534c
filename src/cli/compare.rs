//! `quotecheck compare`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::select::ExtractorArgs;
use crate::compare::reports::result_of_report;
use crate::compare::table::{write_markdown, write_terminal};
use crate::compare::{
    agreement_without_gold, compare, status, CompareSettings, ComparisonReport, Unannotated,
};
use crate::corpus::Corpus;
use crate::extract::{Cache, Extractor};
use crate::run::{run, RunResult, RunSettings, Selection};
use crate::session::{nothing_scored_notes, write_html, UntilClosed};

/// Compare extractors side by side, with confidence intervals and tests.
///
/// Runs every extractor named (configured, built-in or replayed; each once,
/// with the output cache) on the same articles and prints: content and
/// end-to-end F1 with 95% percentile bootstrap intervals over articles,
/// speaker and cue accuracy, recall per gold kind; for each pair, the F1
/// difference with a paired bootstrap interval and the p-value of a
/// two-sided paired approximate randomization test (Holm-corrected over all
/// pairs), and how many articles each wins; per article, the F1 of each and
/// the winner; and the gold quotes one finds and another misses, or that
/// they attribute to different speakers. Seeded: reruns print the same.
/// With --suggest-annotation N, the extractors also run on the unannotated
/// articles, are scored against each other there, and the N articles where
/// they disagree most are listed: the most useful to annotate next.
///
/// With --report, compares the extractors of JSON run reports instead of
/// running any: reports of one run, or parts of one (shards, selections),
/// which are merged first as `quotecheck merge` merges them. The intervals
/// and p-values are those of the run, or of the whole run the parts make up.
///
/// An extractor that could not start, or failed on every article, is shown
/// as such and takes no part in the intervals, tests, wins and
/// disagreements.
///
/// Exit code 0 when every extractor ran, 1 when one failed on every
/// article, 2 when the corpus cannot be read, an article is invalid, an
/// extractor could not start, or nothing was scored (unless --allow-empty).
///
/// Examples:
///   quotecheck compare --extractor baseline --replay other=runs/model.jsonl
///   quotecheck compare --replay a=runs/a --replay b=runs/b --json comparison.json
///   quotecheck compare --extractor baseline --extractor textacy --suggest-annotation 5
///   quotecheck compare --report part-1.json --report part-2.json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct CompareArgs {
    #[command(flatten)]
    common: ExtractorArgs,

    /// Compare the extractors of this JSON run report (`run --json`) instead
    /// of running extractors. Repeat to give the parts of one run (shards,
    /// selections, merged reports): they are merged first.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["extractor", "replay", "corpus", "scheme", "jobs", "articles", "html", "no_cache", "suggest_annotation", "repeat"])]
    report: Vec<PathBuf>,

    /// Compare only the articles whose id matches GLOB. Repeat to add patterns.
    #[arg(long, value_name = "GLOB")]
    articles: Vec<String>,

    /// Bootstrap resamples and randomization rounds.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    resamples: usize,

    /// The seed of the resampling; the same seed prints the same figures.
    #[arg(long, default_value_t = CompareSettings::default().seed)]
    seed: u64,

    /// How many disagreements to list (all are in --json).
    #[arg(long, default_value_t = 10, value_name = "N")]
    disagreements: usize,

    /// Also write the comparison as Markdown to PATH.
    #[arg(long, value_name = "PATH")]
    markdown: Option<PathBuf>,

    /// Also write the HTML report to PATH: every article with the
    /// extractors side by side (docs/html-report.md).
    #[arg(long, value_name = "PATH")]
    html: Option<PathBuf>,

    /// How many article texts the HTML page embeds: the failed and worst
    /// first; the others are summarised (`all`: every one).
    #[arg(long, value_name = "N|all", default_value = "300")]
    html_articles: crate::report::html::Embed,

    /// Also write the comparison as JSON to PATH (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,

    /// Run every extractor afresh instead of reusing cached outputs.
    #[arg(long)]
    no_cache: bool,

    /// Ask every extractor K times about each article (as `run --repeat`):
    /// the figures, intervals and tests pool each article's repeats, so an
    /// article with all its repeats is what is resampled and swapped. A
    /// deterministic extractor is asked once and counts K times
    /// (docs/compare.md).
    #[arg(long, value_name = "K", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..))]
    repeat: u16,

    /// Let a comparison that scores no article pass; without it, a corpus
    /// or an --articles selection that leaves nothing to compare exits 2
    /// and says why.
    #[arg(long)]
    allow_empty: bool,

    /// Also run the extractors on the unannotated articles, score each
    /// against each other there (one's output as the other's gold), and list
    /// the N articles where they disagree most: the most useful to annotate
    /// next.
    #[arg(long, value_name = "N")]
    suggest_annotation: Option<usize>,
}

pub fn run_compare(args: CompareArgs) -> anyhow::Result<u8> {
    let (result, unannotated) = if args.report.is_empty() {
        run_extractors(&args)?
    } else {
        (read_reports(&args.report)?, None)
    };
    if result.extractors.len() < 2 {
        return Err(super::hinted(
            "compare needs at least two extractors",
            if args.report.is_empty() {
                "name them with --extractor NAME and --replay NAME=PATH"
            } else {
                "give a report of a run of several extractors (quotecheck run -e A -e B --json PATH)"
            },
        ));
    }
    let cmp = compare(
        &result,
        &CompareSettings {
            resamples: args.resamples.max(1),
            seed: args.seed,
            ..CompareSettings::default()
        },
    );
    let to_stdout = args.json.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if let Some(path) = &args.json {
        let report = ComparisonReport::new(&result, &cmp, unannotated.as_ref());
        if to_stdout {
            report.write(&mut UntilClosed::new(std::io::stdout().lock()))?;
        } else {
            crate::atomic::write_with(path, |out| report.write(out))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    if let Some(path) = &args.markdown {
        crate::atomic::write_with(path, |out| write_markdown(&result, &cmp, out))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.html {
        write_html(&result, None, path, args.html_articles)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out: Box<dyn Write> = if to_stdout {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(UntilClosed::new(std::io::stdout().lock()))
    };
    write_terminal(&result, &cmp, args.disagreements, &mut out)?;
    if let (Some(u), Some(n)) = (&unannotated, args.suggest_annotation) {
        write_unannotated(u, n, &mut out)?;
    }
    for note in nothing_scored_notes(&result, args.allow_empty) {
        eprintln!("{note}");
    }
    Ok(status(&result, args.allow_empty).code())
}

/// Runs the extractors named and, with --suggest-annotation, their
/// agreement without gold.
fn run_extractors(args: &CompareArgs) -> anyhow::Result<(RunResult, Option<Unannotated>)> {
    let config = super::input::config(args.common.config.as_deref())?;
    let setup = args.common.resolve(&config)?;
    if setup.extractors.len() < 2 {
        return Err(super::hinted(
            "compare needs at least two extractors",
            "name them with --extractor NAME and --replay NAME=PATH",
        ));
    }
    let corpus = Corpus::open(&setup.corpus).context("nothing was compared")?;
    let extractors: Vec<&dyn Extractor> = setup.extractors.iter().map(|e| e.as_ref()).collect();
    let mut selection = Selection::default();
    for glob in &args.articles {
        selection.patterns.push(
            glob::Pattern::new(glob)
                .with_context(|| format!("invalid --articles pattern {glob:?}"))?,
        );
    }
    let settings = RunSettings {
        scheme: setup.scheme,
        // Compared as `run` scores them, `require_verbatim = true` included.
        fidelity: crate::align::FidelityPolicy {
            require_verbatim: config.require_verbatim,
        },
        selection,
        jobs: setup.jobs,
        cache: (!args.no_cache).then(Cache::default_location),
        repeats: args.repeat.into(),
        ..RunSettings::default()
    };
    let result = run(&corpus, &extractors, &settings, &mut |_| {});
    // Agreement without gold compares outputs, not stability: once.
    let once = RunSettings {
        repeats: 1,
        ..settings.clone()
    };
    let unannotated = args
        .suggest_annotation
        .map(|_| agreement_without_gold(&corpus, &extractors, &once));
    Ok((result, unannotated))
}

/// The run the reports at `paths` make up, merged as `merge` does.
fn read_reports(paths: &[PathBuf]) -> anyhow::Result<RunResult> {
    let parts = super::merge::read_parts(paths)?;
    let merged = if parts.len() == 1 {
        parts.into_iter().next().expect("one report")
    } else {
        super::merge::merge_parts(paths, &parts)?
    };
    let result = result_of_report(&merged)
        .map_err(|e| anyhow::anyhow!("cannot compare the reports: {e}"))?;
    // The comparison pairs the extractors article by article.
    let same = result.extractors.windows(2).all(|w| {
        w[0].articles.len() == w[1].articles.len()
            && w[0]
                .articles
                .iter()
                .zip(&w[1].articles)
                .all(|(a, b)| a.id == b.id)
    });
    if !same {
        return Err(super::hinted(
            "cannot compare the reports: their extractors were not scored on the same articles",
            "compare the report of one run of every extractor (quotecheck run -e A -e B --json PATH)",
        ));
    }
    Ok(result)
}

fn write_unannotated(u: &Unannotated, n: usize, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "without gold ({} unannotated articles; one extractor's output scored as the other's gold):", u.articles)?;
    for p in &u.pairs {
        writeln!(
            out,
            "  {} vs {}: content agreement F1 {:.3}, end-to-end {:.3}",
            p.a, p.b, p.content_f1, p.attribution_f1
        )?;
    }
    if !u.by_disagreement.is_empty() {
        writeln!(out, "annotate next (least agreement first):")?;
        for a in u.by_disagreement.iter().take(n) {
            let quotes: Vec<String> = a.quotes.iter().map(usize::to_string).collect();
            writeln!(
                out,
                "  {:.3}  {}  (quotes found: {})",
                a.agreement,
                a.id,
                quotes.join(" / ")
            )?;
        }
    }
    Ok(())
}
