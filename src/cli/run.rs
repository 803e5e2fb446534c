//! `quotecheck run`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;

use super::select::Selected;
use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS};
use crate::config::Config;
use crate::corpus::Corpus;
use crate::extract::Extractor;
use crate::report::{json, terminal};
use crate::run::{run as run_corpus, RunSettings, Selection};

/// Score extractors on a corpus and print the report.
///
/// Each extractor's predictions are matched one-to-one with the gold quotes
/// of every annotated article and scored as scoring.md defines: content,
/// end-to-end (content and speaker), cue and kind precision, recall and F1,
/// micro and macro, with speaker/cue/kind accuracy and per-kind figures.
/// An article on which an extractor failed (or that a replay lacks) is
/// scored as empty and listed.
///
/// Exit code 0 when every article was scored, 1 when an extractor failed on
/// some article, 2 when the corpus or a replay cannot be read or some
/// article of the corpus is invalid.
///
/// Examples:
///   quotecheck run                       # the configured extractors, or the baseline
///   quotecheck run --extractor textacy --articles 'bbc/**'
///   quotecheck run --replay saved=runs/v1.jsonl
///   quotecheck run --corpus corpus --replay old=runs/v1 --replay new=runs/v2 --json report.json
///   quotecheck run --replay runs/model.jsonl --scheme exact --json - | jq .extractors[0].micro
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
    let (scheme, corpus_path) = (chosen.scheme, chosen.corpus.clone());
    let extractors = chosen.extractors;
    let corpus = Corpus::open(&corpus_path).context("nothing was scored")?;
    let extractors: Vec<&dyn Extractor> = extractors.iter().map(|e| e.as_ref()).collect();
    let mut selection = Selection::default();
    for glob in &args.articles {
        let pattern = glob::Pattern::new(glob)
            .with_context(|| format!("invalid --articles pattern {glob:?}"))?;
        selection.patterns.push(pattern);
    }
    let settings = RunSettings {
        scheme,
        include_drafts: args.include_drafts,
        selection,
        jobs: chosen.jobs,
    };
    let result = run_corpus(&corpus, &extractors, &settings, &mut |_| {});

    let json_to_stdout = args.json.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if let Some(path) = &args.json {
        if json_to_stdout {
            json::write(&result, &mut std::io::stdout().lock())?;
        } else {
            let mut buf = Vec::new();
            json::write(&result, &mut buf)?;
            std::fs::write(path, buf)
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
    } else {
        options.color = color(std::io::stdout().is_terminal());
        let mut out = std::io::stdout().lock();
        terminal::write(&result, options, &mut out)?;
        out.flush()?;
    }
    Ok(if !result.corpus.broken.is_empty() {
        EXIT_BAD_INPUT
    } else if result
        .extractors
        .iter()
        .any(|e| e.failures().next().is_some())
    {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}
