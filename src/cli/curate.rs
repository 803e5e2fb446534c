//! The curation commands: `fmt`, `stats`, `draft`, `promote`, `agree`, `show`.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};

use super::output::ColorChoice;
use super::select::ExtractorArgs;
use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS};
use crate::align::{GoldVerdict, Scheme};
use crate::corpus::{Article, Corpus};
use crate::curate;
use crate::extract::{Cache, Extractor};
use crate::report::html::Embed;
use crate::run::{run, Articles, RunSettings, Selection};
use crate::session::UntilClosed;
use crate::snapshot::{render_gold, render_marked, render_predictions, Highlighting};

fn open(path: &std::path::Path) -> anyhow::Result<Corpus> {
    Corpus::open(path).context("nothing was done")
}

fn folder(corpus: &Corpus) -> anyhow::Result<()> {
    if corpus.is_jsonl() {
        bail!(
            "{} is a JSON-lines corpus; this command works on folder corpora",
            corpus.display()
        );
    }
    Ok(())
}

/// Put gold files in one canonical form, so gold diffs in review are minimal.
///
/// Fields in the order of docs/corpus.md, records by position, two-space
/// indentation, the file's offsets unit kept. Formatting keeps every record
/// and field, so it never changes a figure. Invalid files are left alone
/// (run `quotecheck validate` to see why).
///
/// Exit code 0 when every file is (now) canonical; 1 when some file is
/// invalid, and with --check when some file would change (nothing is
/// written).
///
/// Examples:
///   quotecheck fmt
///   quotecheck fmt --check corpus/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct FmtArgs {
    /// The corpus folder.
    #[arg(default_value = "corpus")]
    corpus: PathBuf,
    /// Only list the files that are not canonical; write nothing.
    #[arg(long)]
    check: bool,
}

pub fn fmt(args: FmtArgs) -> anyhow::Result<u8> {
    let corpus = open(&args.corpus)?;
    folder(&corpus)?;
    let o = curate::fmt(&corpus, args.check)?;
    let mut out = UntilClosed::new(std::io::stdout().lock());
    for p in &o.changed {
        writeln!(
            out,
            "{} {}",
            if args.check {
                "would reformat"
            } else {
                "reformatted"
            },
            p.display()
        )?;
    }
    for id in &o.skipped {
        writeln!(out, "left alone (invalid): {id}")?;
    }
    writeln!(
        out,
        "{} changed, {} already canonical, {} invalid",
        o.changed.len(),
        o.unchanged,
        o.skipped.len()
    )?;
    if !o.skipped.is_empty() {
        writeln!(
            out,
            "`quotecheck validate {}` says what is wrong with the invalid files",
            args.corpus.display()
        )?;
    }
    Ok(if o.is_canonical(args.check) {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}

/// What a corpus holds: articles, quotes per kind, speakers, lengths.
///
/// Examples:
///   quotecheck stats
///   quotecheck stats big.jsonl.gz --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct StatsArgs {
    /// The corpus: a folder, or a .jsonl / .jsonl.gz file.
    #[arg(default_value = "corpus")]
    corpus: PathBuf,
    /// `human` (with small histograms) or `json`.
    #[arg(long, value_enum, default_value_t = StatsFormat::Human)]
    format: StatsFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum StatsFormat {
    Human,
    Json,
}

pub fn stats(args: StatsArgs) -> anyhow::Result<u8> {
    let corpus = open(&args.corpus)?;
    let s = curate::stats(&corpus);
    let mut out = UntilClosed::new(std::io::stdout().lock());
    if let StatsFormat::Json = args.format {
        serde_json::to_writer_pretty(&mut out, &s)?;
        writeln!(out)?;
        return Ok(EXIT_OK);
    }
    curate::table::write_stats(&s, &mut out)?;
    Ok(EXIT_OK)
}

/// Write draft gold for unannotated articles from an extractor's output.
///
/// Each unannotated article (or each ARTICLE given) gets `<id>.json` with
/// `"status": "draft"`: the extractor's predictions as gold records to
/// review. Existing gold files are never touched. Drafts are not scored
/// until promoted (or with `run --include-drafts`).
///
/// Examples:
///   quotecheck draft --extractor baseline
///   quotecheck draft --extractor textacy library-hours-vote
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct DraftArgs {
    /// Only these unannotated articles (default: all of them).
    articles: Vec<String>,
    #[command(flatten)]
    common: ExtractorArgs,
}

pub fn draft(args: DraftArgs) -> anyhow::Result<u8> {
    let config = super::input::config(args.common.config.as_deref())?;
    let setup = args.common.resolve(&config)?;
    if setup.extractors.len() != 1 {
        return Err(super::hinted(
            "draft takes exactly one extractor",
            "--extractor NAME",
        ));
    }
    let corpus = open(&setup.corpus)?;
    folder(&corpus)?;
    let o = curate::draft(&corpus, setup.extractors[0].as_ref(), &args.articles)?;
    let mut out = UntilClosed::new(std::io::stdout().lock());
    for (p, n) in &o.written {
        writeln!(out, "drafted {} ({n} records)", p.display())?;
    }
    for (id, why) in &o.skipped {
        writeln!(out, "skipped {id}: {why}")?;
    }
    writeln!(
        out,
        "{} drafted, {} skipped; review them, then `quotecheck promote ID…`",
        o.written.len(),
        o.skipped.len()
    )?;
    Ok(if o.skipped.is_empty() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}

/// Mark reviewed draft gold as gold.
///
/// Each draft must validate; its records are kept as they are.
///
/// Example:
///   quotecheck promote library-hours-vote
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct PromoteArgs {
    /// The articles to promote.
    #[arg(required = true)]
    articles: Vec<String>,
    /// The corpus folder.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
}

pub fn promote(args: PromoteArgs) -> anyhow::Result<u8> {
    let corpus = open(&args.corpus)?;
    folder(&corpus)?;
    let mut failed = false;
    let mut out = UntilClosed::new(std::io::stdout().lock());
    for (id, r) in curate::promote(&corpus, &args.articles)? {
        match r {
            Ok(p) => writeln!(out, "promoted {id} ({})", p.display())?,
            Err(why) => {
                failed = true;
                writeln!(out, "not promoted {id}: {why}")?;
            }
        }
    }
    Ok(if failed { EXIT_PROBLEMS } else { EXIT_OK })
}

/// Agreement between two or more annotations of the same articles.
///
/// With two: scores B's records with A as the reference and the other way
/// round: content and end-to-end F1, speaker and cue agreement (accuracy on
/// the quotes both have), and, per article (worst first), the records only
/// one side has and the quotes they attribute differently.
///
/// With more: every pair, B against A, as a table of content and
/// end-to-end F1 over the articles both annotate, then the mean over the
/// pairs that share an article.
///
/// As in a run, the records of one annotation that lie inside the other's
/// ignored regions (`ignore`, PolNeAR's Discard spans) are set aside.
///
/// Examples (the second on folders that `quotecheck import --annotator all`
/// wrote, one per annotator):
///   quotecheck agree annotator-a/ annotator-b/
///   quotecheck agree six/4b22 six/4e07 six/5fec six/6b86 six/d473 six/ef2d
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct AgreeArgs {
    /// The annotations (corpus folders or JSON-lines files), two or more.
    #[arg(required = true, num_args = 2..)]
    annotations: Vec<PathBuf>,
    /// How content is matched.
    #[arg(long, default_value = "overlap")]
    scheme: String,
    /// How many articles to detail.
    #[arg(long, default_value_t = 10)]
    worst: usize,
}

pub fn agree(args: AgreeArgs) -> anyhow::Result<u8> {
    let scheme: Scheme = args
        .scheme
        .parse()
        .with_context(|| format!("invalid --scheme {:?}", args.scheme))?;
    if args.annotations.len() > 2 {
        let corpora = args
            .annotations
            .iter()
            .map(|p| open(p))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let pairs = curate::pairwise::pairwise(&corpora, &scheme)?;
        let names: Vec<String> = args
            .annotations
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        curate::pairwise::write_pairwise(
            &names,
            &pairs,
            &scheme,
            &mut UntilClosed::new(std::io::stdout().lock()),
        )?;
        return Ok(if curate::pairwise::mean(&pairs).is_none() {
            EXIT_BAD_INPUT
        } else {
            EXIT_OK
        });
    }
    let (a, b) = (open(&args.annotations[0])?, open(&args.annotations[1])?);
    let g = curate::agree(&a, &b, &scheme)?;
    curate::table::write_agreement(
        &g,
        &scheme,
        args.worst,
        &mut UntilClosed::new(std::io::stdout().lock()),
    )?;
    Ok(if g.articles == 0 {
        EXIT_BAD_INPUT
    } else {
        EXIT_OK
    })
}

/// Show an article with its quotes highlighted.
///
/// The text with each gold quote's content, speaker mention and cue marked,
/// then the records. With --extractor or --replay, what each extractor
/// found instead: its predictions, with their verdicts in the records
/// below the text, and the gold quotes it missed; when it found nothing,
/// show says so.
///
/// Markers (with --color never, or when not on a terminal):
///   ⟦…⟧q2         the content of gold record q2
///   ⟦…⟧p3         the content of the extractor's third record
///   ⟦…⟧q2:missed  gold record q2, which the extractor did not find
///   {…}           a speaker mention
///   ‹…›           a cue
/// On a terminal, colours instead: content in green when gold or found, red
/// when missed, magenta when spurious (it matches no gold quote), yellow
/// when optional; speakers in bold, cues underlined.
///
/// Examples:
///   quotecheck show bbc-libya-us-talks
///   quotecheck show bbc-libya-us-talks --extractor baseline
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ShowArgs {
    /// The article id.
    article: String,
    #[command(flatten)]
    common: ExtractorArgs,
    /// Colour: auto, always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Also write the article as a self-contained HTML page to PATH (with
    /// an extractor: its predictions against the gold, side by side).
    #[arg(long, value_name = "PATH")]
    html: Option<PathBuf>,
}

fn find(corpus: &Corpus, id: &str) -> anyhow::Result<Article> {
    Ok(corpus.find(id)?)
}

pub fn show(args: ShowArgs) -> anyhow::Result<u8> {
    let config = super::input::config(args.common.config.as_deref())?;
    let with_extractor = args.common.names_extractors();
    let setup = args.common.resolve(&config)?;
    let corpus = open(&setup.corpus)?;
    let article = find(&corpus, &args.article)?;
    let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
    let color = args.color.enabled(std::io::stdout().is_terminal());
    let settings = RunSettings {
        scheme: setup.scheme,
        include_drafts: true,
        selection: Selection {
            ids: Some(HashSet::from([article.id.to_string()])),
            ..Selection::default()
        },
        jobs: setup.jobs,
        cache: Some(Cache::default_location()),
        // An article without gold is shown against none: the runner gives
        // it to the extractors all the same.
        articles: if article.gold.is_none() {
            Articles::Unannotated
        } else {
            Articles::Annotated
        },
        ..RunSettings::default()
    };
    let extractors: Vec<&dyn Extractor> = setup.extractors.iter().map(|e| e.as_ref()).collect();
    let result = with_extractor.then(|| run(&corpus, &extractors, &settings, &mut |_| {}));
    if let Some(path) = &args.html {
        let written = match &result {
            Some(result) => crate::session::write_html(result, None, path, Embed::All),
            None => {
                // Gold on its own: the page shows it as an extractor's
                // column whose every quote is matched.
                let gold_view = crate::extract::from_fn("gold", |a: &Article| {
                    Ok::<_, String>(curate::as_predictions(
                        a.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]),
                    ))
                });
                let result = run(&corpus, &[&gold_view], &settings, &mut |_| {});
                crate::session::write_html(&result, None, path, Embed::All)
            }
        };
        written.with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = UntilClosed::new(std::io::stdout().lock());
    let Some(result) = result else {
        let marks = Highlighting::gold(gold);
        writeln!(
            out,
            "{}\n",
            render_marked(&article.text, gold, &marks, color)
        )?;
        write!(out, "{}", render_gold(&article.text, gold))?;
        return Ok(EXIT_OK);
    };
    for e in &result.extractors {
        let outcome = match e.articles.first() {
            Some(a) => match &a.failure {
                None => Ok((a.predictions.clone(), a.score.alignment.clone())),
                Some(f) => Err(f.clone()),
            },
            // The runner gives every selected article to every extractor.
            None => continue,
        };
        let (predictions, alignment) = match outcome {
            Ok(scored) => scored,
            Err(f) => {
                writeln!(out, "{} failed on {}: {f}", e.name, article.id)?;
                continue;
            }
        };
        if predictions.is_empty() {
            // Drawing the quotes it missed would put gold markers under the
            // extractor's name, as if it had found them.
            let missed = alignment
                .gold
                .iter()
                .filter(|v| **v == GoldVerdict::Missed)
                .count();
            let draw = "show without --extractor or --replay draws";
            let found = match (&article.gold, missed) {
                (None, _) => "found no quotes (the article has no gold)".to_string(),
                (Some(_), 0) => "found no quotes, and the gold has no required quote".to_string(),
                (Some(_), 1) => {
                    format!("found no quotes; it missed the one required gold quote ({draw} it)")
                }
                (Some(_), n) => {
                    format!("found no quotes; it missed all {n} required gold quotes ({draw} them)")
                }
            };
            writeln!(out, "{} on {}: {found}\n", e.name, article.id)?;
            continue;
        }
        let marks = Highlighting::predictions(gold, &predictions, &alignment);
        writeln!(out, "{} on {}:\n", e.name, article.id)?;
        writeln!(
            out,
            "{}\n",
            render_marked(&article.text, gold, &marks, color)
        )?;
        let records =
            render_predictions(&article.text, gold, &predictions, &alignment, &setup.scheme);
        write!(out, "{records}")?;
    }
    Ok(EXIT_OK)
}
