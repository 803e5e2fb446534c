//! `quotecheck diff`.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};

use anyhow::{bail, Context};

use super::select::ExtractorArgs;
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::corpus::Corpus;
use crate::extract::{Cache, Extractor};
use crate::run::{run, Keep, RunEvent, RunSettings, Selection};
use crate::session::UntilClosed;

/// Print one article's gold diff: what an extractor got wrong on it.
///
/// The gold rendering is compared with the extractor's aligned predictions:
/// a wrong speaker is one -/+ pair of lines, a missed quote a - block, a
/// spurious prediction a + block, a near miss both texts with their
/// similarity. Nothing is asked and nothing is written (cached outputs are
/// reused, never stored).
///
/// Exit code 0 when the extractor matches the gold on the article, 1 when it
/// does not (or failed on it), 2 on bad input (unknown article, no gold).
///
/// Examples:
///   quotecheck diff bbc-libya-us-talks
///   quotecheck diff world/saginoura-bus --replay saved=runs/v1.jsonl
///   quotecheck diff bbc-libya-us-talks --extractor textacy --scheme exact
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct DiffArgs {
    /// The article id, as `quotecheck run` lists it.
    article: String,

    #[command(flatten)]
    common: ExtractorArgs,

    /// Colour the diff: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = super::output::ColorChoice::Auto)]
    color: super::output::ColorChoice,
}

pub fn run_diff(args: DiffArgs) -> anyhow::Result<u8> {
    let config = super::input::config(args.common.config.as_deref())?;
    let setup = args.common.resolve(&config)?;
    let corpus = Corpus::open(&setup.corpus).context("nothing was compared")?;
    check_article(&corpus, &args.article)?;
    let extractors: Vec<&dyn Extractor> = setup.extractors.iter().map(|e| e.as_ref()).collect();
    let settings = RunSettings {
        scheme: setup.scheme,
        // A diff shows what a run scores, `require_verbatim = true` included.
        fidelity: crate::align::FidelityPolicy {
            require_verbatim: config.require_verbatim,
        },
        include_drafts: true,
        selection: Selection {
            ids: Some(HashSet::from([args.article.clone()])),
            ..Selection::default()
        },
        jobs: 1,
        cache: Some(Cache::default_location().read_only()),
        keep: Keep::All,
        ..RunSettings::default()
    };
    let mut out = UntilClosed::new(std::io::stdout().lock());
    let color = args.color.enabled(std::io::stdout().is_terminal());
    let mut all_match = true;
    let mut failure: Option<anyhow::Error> = None;
    run(&corpus, &extractors, &settings, &mut |event| {
        let RunEvent::ArticleDone {
            extractor,
            article,
            result,
        } = event
        else {
            return;
        };
        if let Some(f) = &result.failure {
            all_match = false;
            let _ = writeln!(out, "{extractor} failed on {}: {f}", article.id);
            return;
        }
        let diff = result.gold_diff(article, extractor, &setup.scheme);
        all_match &= diff.is_match();
        let written = if diff.has_changes() {
            diff.write_colored(&mut out, color)
        } else {
            writeln!(out, "{extractor} matches the gold of {}", article.id)
        };
        if let Err(e) = written {
            failure.get_or_insert(e.into());
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    out.flush()?;
    Ok(if all_match { EXIT_OK } else { EXIT_PROBLEMS })
}

/// Fails unless `id` is a loadable article with gold.
fn check_article(corpus: &Corpus, id: &str) -> anyhow::Result<()> {
    if corpus.find(id)?.gold.is_none() {
        bail!("article {id:?} is unannotated: there is no gold to compare with");
    }
    Ok(())
}
