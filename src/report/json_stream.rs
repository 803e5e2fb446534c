//! The JSON report written as articles finish, so that `run --json` keeps
//! no article's result in memory: each article's entry goes to a spill
//! file of its extractor (one compact JSON line each) when it is scored,
//! and the report is put together at the end from the run's totals and
//! the spill files, with every article's snapshot state filled in. The
//! bytes are those [`Report::write`] gives for the same run with every
//! article kept. `merge` writes its report the same way, from the entries
//! of its parts ([`JsonSpill::add_entry`]).
//!
//! Spill files are anonymous temporary files in the folder asked for
//! (the report's own: [`spill_dir`](super::junit_stream::spill_dir)), gone
//! on every exit path.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Seek, Write};
use std::path::PathBuf;

use super::json::{article_json, ArticleJson, Report};
use super::junit_stream::spill_file;
use crate::run::ArticleResult;
use crate::snapshot::store::SnapshotReport;
use crate::snapshot::SnapshotState;

/// One extractor's articles written so far.
struct Spill {
    name: String,
    file: BufWriter<std::fs::File>,
    articles: usize,
    ignored: usize,
}

/// The article entries of a run, spilled to temporary files as they come.
pub struct JsonSpill {
    dir: Option<PathBuf>,
    extractors: Vec<Spill>,
}

impl std::fmt::Debug for JsonSpill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonSpill")
            .field("extractors", &self.extractors.len())
            .finish()
    }
}

/// How each article entry is laid out: the indentation of an entry of
/// `extractors[].articles` in the pretty-printed report.
const INDENT: &str = "        ";

impl JsonSpill {
    /// An empty spill whose files go to `dir` (the system's temporary
    /// folder when `None`).
    pub fn new(dir: Option<PathBuf>) -> JsonSpill {
        JsonSpill {
            dir,
            extractors: Vec::new(),
        }
    }

    /// Writes `extractor`'s entry for the article of `result`.
    pub fn add(&mut self, extractor: &str, result: &ArticleResult) -> std::io::Result<()> {
        self.add_entry(extractor, &article_json(result))
    }

    /// Writes `extractor`'s entry `article`, as a report has it.
    pub fn add_entry(&mut self, extractor: &str, article: &ArticleJson) -> std::io::Result<()> {
        let at = match self.extractors.iter().position(|s| s.name == extractor) {
            Some(at) => at,
            None => {
                self.extractors.push(Spill {
                    name: extractor.to_string(),
                    file: BufWriter::new(spill_file(self.dir.as_deref())?),
                    articles: 0,
                    ignored: 0,
                });
                self.extractors.len() - 1
            }
        };
        let spill = &mut self.extractors[at];
        serde_json::to_writer(&mut spill.file, article)?;
        spill.file.write_all(b"\n")?;
        spill.articles += 1;
        spill.ignored += article.ignored;
        Ok(())
    }

    /// Writes the report: `report` is the run's (its totals, failures and
    /// statuses; its article lists are not used), `snapshots` what the
    /// snapshot check found for each article.
    pub fn write(
        self,
        report: &Report,
        snapshots: Option<&SnapshotReport>,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let mut header = report.clone();
        let mut spills: Vec<Option<Spill>> = Vec::new();
        let mut by_name: HashMap<String, Spill> = self
            .extractors
            .into_iter()
            .map(|s| (s.name.clone(), s))
            .collect();
        for e in &mut header.extractors {
            let spill = by_name.remove(&e.name);
            e.articles.clear();
            e.articles_scored = spill.as_ref().map_or(0, |s| s.articles);
            e.ignored = spill.as_ref().map_or(0, |s| s.ignored);
            spills.push(spill);
        }
        let mut text = Vec::new();
        header.write(&mut text)?;
        let text = String::from_utf8(text).expect("serde_json writes UTF-8");
        // Each extractor's empty list, in extractor order, is where its
        // articles go.
        const EMPTY: &str = "      \"articles\": [],";
        let mut spills = spills.into_iter();
        for line in text.split_inclusive('\n') {
            if line.trim_end_matches('\n') != EMPTY {
                out.write_all(line.as_bytes())?;
                continue;
            }
            match spills.next().flatten() {
                Some(spill) if spill.articles > 0 => {
                    out.write_all(b"      \"articles\": [\n")?;
                    let states = snapshots.and_then(|s| {
                        s.extractors.iter().find(|x| x.name == spill.name).map(|x| {
                            x.states
                                .iter()
                                .map(|(id, st)| (id.as_str(), *st))
                                .collect::<HashMap<&str, SnapshotState>>()
                        })
                    });
                    copy_articles(spill, states.as_ref(), out)?;
                    out.write_all(b"\n      ],\n")?;
                }
                _ => out.write_all(line.as_bytes())?,
            }
        }
        Ok(())
    }
}

/// Copies a spill's entries, pretty-printed and indented, separated by
/// commas, each with its snapshot state.
fn copy_articles(
    spill: Spill,
    states: Option<&HashMap<&str, SnapshotState>>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut file = spill.file.into_inner().map_err(|e| e.into_error())?;
    file.rewind()?;
    let mut first = true;
    for line in BufReader::new(file).lines() {
        let mut article: ArticleJson = serde_json::from_str(&line?)?;
        if let Some(states) = states {
            article.snapshot = states.get(article.id.as_str()).copied().unwrap_or_default();
        }
        let pretty = serde_json::to_string_pretty(&article)?;
        if !first {
            out.write_all(b",\n")?;
        }
        first = false;
        for (n, l) in pretty.lines().enumerate() {
            if n > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(INDENT.as_bytes())?;
            out.write_all(l.as_bytes())?;
        }
    }
    Ok(())
}
