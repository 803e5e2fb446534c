//! `quotecheck export`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::import::{plural, print_issues, refuse};
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::corpus::export::{export, Format};
use crate::corpus::Corpus;
use crate::session::UntilClosed;

/// Export a gold corpus to the formats annotation tools and extractors read.
///
/// Writes brat standoff (`<id>.ann` + `<id>.txt`, PolNeAR's labels) or
/// Citron JSON (`<id>.json`) for every annotated article, so curated gold
/// can go back to brat or train Citron. What the format cannot carry
/// (kinds, entities, optional records, …) is counted in the summary;
/// importing the output gives back everything the format carries.
/// Unannotated articles are not exported. Nothing in the output folder is
/// overwritten without --force.
///
/// Exit code 0 when every article was exported, 1 when some article could
/// not be read, 2 when the corpus cannot be read or nothing was written.
///
/// Examples:
///   quotecheck export --to brat corpus --out brat/
///   quotecheck export --to citron corpus --out citron-data/ --force
///
/// The mapping of each format is in docs/import.md.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(long, value_enum, value_name = "FORMAT")]
    to: To,

    /// The corpus: a folder of .txt/.json pairs, or a .jsonl / .jsonl.gz file.
    #[arg(default_value = "corpus")]
    corpus: PathBuf,

    /// The folder to write into (created if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// Overwrite files that already exist in the output folder.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum To {
    Brat,
    Citron,
}

pub fn run(args: ExportArgs) -> anyhow::Result<u8> {
    let format = match args.to {
        To::Brat => Format::Brat,
        To::Citron => Format::Citron,
    };
    let corpus = Corpus::open(&args.corpus).context("nothing was exported")?;
    let done = match export(&corpus, format, &args.out, args.force) {
        Ok(done) => done,
        Err(err) => return refuse(err),
    };
    let mut out = UntilClosed::new(std::io::stdout().lock());
    print_issues(&mut out, &done.issues, true)?;
    write!(
        out,
        "exported {} to {format} in {}: {} article{}, {} record{}, {} file{}",
        corpus.display(),
        args.out.display(),
        done.articles,
        plural(done.articles),
        done.records,
        plural(done.records),
        done.files,
        plural(done.files)
    )?;
    if done.not_exported > 0 {
        write!(
            out,
            "; {} article{} not exported",
            done.not_exported,
            plural(done.not_exported)
        )?;
    }
    writeln!(out)?;
    if !done.lost.is_empty() {
        writeln!(out, "not carried by {format} (see docs/import.md):")?;
        let lines = done
            .lost
            .records
            .iter()
            .map(|(field, n)| (field, n, "record"))
            .chain(
                done.lost
                    .articles
                    .iter()
                    .map(|(field, n)| (field, n, "article")),
            );
        for (field, n, unit) in lines {
            let unit = format!("{unit}{}", plural(*n));
            writeln!(out, "  {n:>4} {unit:<8}  {field}")?;
        }
    }
    Ok(if done.broken == 0 {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}
