//! `quotecheck import`.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS};
use crate::corpus::import::{import_with, reason, Annotator, Format, Import, Options, WriteError};
use crate::corpus::{Issue, Severity};
use crate::session::UntilClosed;

/// Import a corpus annotated in another format as a quotecheck corpus.
///
/// Reads brat standoff (`.ann` + `.txt`), Citron JSON, SpkAtt-style JSON
/// (German news quotation attribution) or Gender Gap Tracker JSON, from one
/// file or a folder of them, and writes `<id>.txt` and `<id>.json` for each
/// article into the output folder. Every span is checked against the
/// text; a span whose offsets are slightly off is moved to where its text
/// is, and a record that cannot be mapped is skipped and reported with its
/// file, line or JSON path. An article that lost a record is written as a
/// draft. Nothing in the output folder is overwritten without --force.
///
/// PolNeAR's layout (`text/<id>.txt` beside `attributions/<id>_<annotator>.ann`)
/// is read as published; an article annotated by several people is read
/// from the annotator whose suffix sorts first unless --annotator says
/// otherwise. SpkAtt file names (`70626 - <title> (<date>).pretty.json`)
/// become ids by the rule in docs/import.md (`70626`); --id-map lists them.
/// Records with the same content (a quote relayed through two sources) are
/// folded into one, the second source an alias of the speaker. PDNC
/// (`data/<Novel>/quotation_info.csv` beside `novel_text.txt` and
/// `character_info.csv`) gives one article a novel, each speaker a
/// character with its aliases.
///
/// Exit code 0 when everything was imported, 1 when some records or files
/// were skipped, 2 when nothing could be read or nothing was written.
///
/// Examples:
///   quotecheck import --from brat PolNeAR/data/dev --out corpus/polnear
///   quotecheck import --from brat PolNeAR/data/dev --annotator all --out agree/
///   quotecheck import --from spkatt data/dev --out corpus/de --id-map de-ids.tsv
///   quotecheck import --from citron parc-citron/test --out corpus/parc --force
///   quotecheck import --from spkatt wikinews/ --out corpus/de
///   quotecheck import --from pdnc project-dialogism-novel-corpus/data --out corpus/pdnc
///
/// The mapping of each format is in docs/import.md.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ImportArgs {
    /// The format to read.
    #[arg(long, value_enum, value_name = "FORMAT")]
    from: From,

    /// A file, or a folder of files (read recursively; ids are the paths
    /// relative to it, without the extension).
    path: PathBuf,

    /// The folder to write the corpus into (created if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// Overwrite files that already exist in the output folder.
    #[arg(long)]
    force: bool,

    /// brat in PolNeAR's layout: read the annotations of the annotator with
    /// this suffix (`<id>_<suffix>.ann`), or `all`: one corpus per annotator
    /// in `DIR/<suffix>/`. Default: for each article, the suffix that sorts
    /// first.
    #[arg(long, value_name = "SUFFIX|all")]
    annotator: Option<String>,

    /// Also write FILE: one line per imported article, its id, a tab and
    /// the source file it came from (ids made from file names, such as
    /// SpkAtt's titles, can be traced back).
    #[arg(long, value_name = "FILE")]
    id_map: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum From {
    Brat,
    Citron,
    Spkatt,
    /// The SpkAtt-2023 shared task's `sentence:token` format.
    #[value(name = "spkatt-2023")]
    Spkatt2023,
    Ggt,
    /// The Project Dialogism Novel Corpus: a folder a novel.
    Pdnc,
}

impl From {
    fn format(self) -> Format {
        match self {
            From::Brat => Format::Brat,
            From::Citron => Format::Citron,
            From::Spkatt => Format::Spkatt,
            From::Spkatt2023 => Format::Spkatt2023,
            From::Ggt => Format::Ggt,
            From::Pdnc => Format::Pdnc,
        }
    }
}

pub fn run(args: ImportArgs) -> anyhow::Result<u8> {
    let format = args.from.format();
    let annotator = match args.annotator.as_deref() {
        None | Some("all") => Annotator::First,
        Some(a) => Annotator::Only(a.to_string()),
    };
    let first = import_with(&args.path, format, &Options { annotator })?;
    // One import per output folder: with `--annotator all`, one per annotator.
    let mut imports: Vec<(Import, PathBuf)> = Vec::new();
    if args.annotator.as_deref() == Some("all") {
        if first.annotators.articles.is_empty() {
            anyhow::bail!(
                "`{}` holds no annotations in PolNeAR's layout (`attributions/<id>_<annotator>.ann`), so `--annotator all` has no annotators to split by",
                args.path.display()
            );
        }
        for a in first.annotators.articles.keys() {
            let options = Options {
                annotator: Annotator::Only(a.clone()),
            };
            imports.push((import_with(&args.path, format, &options)?, args.out.join(a)));
        }
    } else {
        imports.push((first, args.out.clone()));
    }
    let mut out = UntilClosed::new(std::io::stdout().lock());
    if imports.iter().all(|(im, _)| im.articles.is_empty()) {
        for (im, _) in &imports {
            print_issues(&mut out, &im.issues, false)?;
        }
        writeln!(out, "nothing imported: no file could be read")?;
        return Ok(EXIT_BAD_INPUT);
    }
    // Nothing is written when any target of any of the corpora exists.
    let targets: Vec<PathBuf> = imports
        .iter()
        .flat_map(|(im, dir)| im.targets(dir))
        .chain(args.id_map.clone())
        .collect();
    if let Err(err) = crate::corpus::write::refuse_overwrite(&targets, args.force) {
        return refuse(err);
    }
    for (im, dir) in &imports {
        if let Err(err) = im.write(dir, args.force) {
            return refuse(err);
        }
    }
    if let Some(map) = &args.id_map {
        let mut lines: Vec<String> = imports
            .iter()
            .flat_map(|(im, _)| &im.articles)
            .map(|a| format!("{}\t{}\n", a.id, a.file))
            .collect();
        lines.sort();
        lines.dedup();
        if let Err(err) = crate::corpus::write::atomically(map, lines.concat().as_bytes()) {
            return refuse(err);
        }
    }
    let mut complete = true;
    for (i, (im, dir)) in imports.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        print_issues(&mut out, &im.issues, false)?;
        summary(&mut out, im, &dir.display().to_string())?;
        complete &= im.is_complete();
    }
    Ok(if complete { EXIT_OK } else { EXIT_PROBLEMS })
}

/// Reports that nothing was written: targets exist (listed), or a write failed.
pub(super) fn refuse(err: WriteError) -> anyhow::Result<u8> {
    match &err {
        WriteError::WouldOverwrite(paths) => {
            let mut e = std::io::stderr().lock();
            writeln!(e, "error: {err}:")?;
            for p in paths {
                writeln!(e, "  {}", p.display())?;
            }
            Ok(EXIT_BAD_INPUT)
        }
        WriteError::Io { .. } => Err(err.into()),
    }
}

/// Errors and warnings in full, then notes one a line, as `validate` prints them.
///
/// Without `articles`, issues do not name their article: each imported
/// document is a file of its own, which the issue names already.
pub(super) fn print_issues(
    out: &mut impl Write,
    issues: &[Issue],
    articles: bool,
) -> std::io::Result<()> {
    for issue in issues.iter().filter(|i| i.severity != Severity::Note) {
        let issue = Issue {
            article: issue.article.clone().filter(|_| articles),
            ..issue.clone()
        };
        writeln!(out, "{issue}")?;
    }
    let notes: Vec<&Issue> = issues
        .iter()
        .filter(|i| i.severity == Severity::Note)
        .collect();
    if !notes.is_empty() {
        writeln!(out, "notes:")?;
        for issue in notes {
            let at = issue.line.map_or(String::new(), |l| format!(":{l}"));
            writeln!(
                out,
                "  [{}] {}{at}: {}",
                issue.code, issue.file, issue.message
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn summary(out: &mut impl Write, im: &Import, dest: &str) -> std::io::Result<()> {
    let articles = im.articles.len();
    let drafts = im.drafts();
    write!(
        out,
        "imported {} ({}) into {dest}: {articles} article{} ({} gold, {drafts} draft)",
        im.path,
        im.format,
        plural(articles),
        articles - drafts,
    )?;
    if im.unreadable > 0 {
        write!(
            out,
            "; {} file{} not imported",
            im.unreadable,
            plural(im.unreadable)
        )?;
    }
    writeln!(out)?;
    let repaired = match im.repaired() {
        0 => String::new(),
        n => format!(" ({n} repaired)"),
    };
    let relayed = match im.relayed() {
        0 => String::new(),
        n => format!(", {n} folded into an earlier record with the same content"),
    };
    writeln!(
        out,
        "records: {} in, {} written{repaired}{relayed}, {} skipped",
        im.records_in(),
        im.written(),
        im.skipped()
    )?;
    let by = im.skipped_by_reason();
    if !by.is_empty() {
        writeln!(out, "skipped records by reason:")?;
        for (code, n) in by {
            writeln!(out, "  {n:>4}  {code}: {}", reason(code))?;
        }
    }
    if drafts > 0 && im.skipped() > 0 {
        writeln!(
            out,
            "articles that lost a record are drafts: fix them and set \"status\": \"gold\" (docs/import.md)"
        )?;
    }
    annotators(out, im)
}

/// Whose annotations were read, in PolNeAR's layout.
fn annotators(out: &mut impl Write, im: &Import) -> std::io::Result<()> {
    let a = &im.annotators;
    if a.articles.is_empty() {
        return Ok(());
    }
    let counts: Vec<String> = a
        .articles
        .iter()
        .map(|(s, n)| format!("{s} ({n})"))
        .collect();
    writeln!(out, "annotators (articles): {}", counts.join(", "))?;
    if a.not_annotated > 0 {
        writeln!(
            out,
            "{} article{} not annotated by this annotator, so not imported",
            a.not_annotated,
            plural(a.not_annotated)
        )?;
    }
    if !a.several.is_empty() {
        writeln!(
            out,
            "{} article{} annotated by several; the others' annotations are not imported (--annotator SUFFIX or all reads them):",
            a.several.len(),
            plural(a.several.len())
        )?;
        for (id, read, others) in &a.several {
            writeln!(out, "  {id}: read {read}; not read {}", others.join(", "))?;
        }
    }
    Ok(())
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
