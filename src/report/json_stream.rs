//! The JSON report written as articles finish, so that `run --json` keeps
//! no article's result in memory: each article's entry goes to a spill
//! file of its extractor when it is scored, already pretty-printed and
//! indented as the report has it, and the report is put together at the
//! end from the run's totals and the spill files, the entries copied as
//! they are with every article's snapshot state filled in. The bytes are
//! those [`Report::write`] gives for the same run with every article kept.
//! `merge` writes its report the same way, from the entries of its parts
//! ([`JsonSpill::add_entry`]).
//!
//! Spill files are anonymous temporary files in the folder asked for
//! (the report's own: [`spill_dir`](super::junit_stream::spill_dir)), gone
//! on every exit path.

use std::collections::HashMap;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::PathBuf;

use super::json::{article_json, ArticleJson, FailureJson, Report};
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
    /// Its failed articles' entries of `extractors[].failures`, printed as
    /// the report has them: a run that keeps only some failures
    /// ([`FailureTail`](crate::run::FailureTail)) still lists every one.
    failures: crate::spill::SpillList,
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
                    failures: Default::default(),
                });
                self.extractors.len() - 1
            }
        };
        let spill = &mut self.extractors[at];
        let entry = Entry::of(article)?;
        entry.write_to(&mut spill.file)?;
        spill.articles += 1;
        spill.ignored += article.ignored;
        if article.status != "ok" {
            let failure = FailureJson {
                id: article.id.clone(),
                status: article.status.clone(),
                error: article.error.clone().unwrap_or_default(),
            };
            spill
                .failures
                .push(&indented(&serde_json::to_vec_pretty(&failure)?));
        }
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
            if spill.is_some() {
                e.failures.clear();
            }
            e.articles_scored = spill.as_ref().map_or(0, |s| s.articles);
            e.ignored = spill.as_ref().map_or(0, |s| s.ignored);
            spills.push(spill);
        }
        let mut text = Vec::new();
        header.write(&mut text)?;
        let text = String::from_utf8(text).expect("serde_json writes UTF-8");
        // Each extractor's empty lists, in extractor order, are where its
        // articles and failures go (`failures` after `articles`).
        const EMPTY: &str = "      \"articles\": [],";
        const NO_FAILURES: &str = "      \"failures\": [],";
        let mut spills = spills.into_iter();
        let mut failures: Option<crate::spill::SpillList> = None;
        for line in text.split_inclusive('\n') {
            let bare = line.trim_end_matches('\n');
            if bare == NO_FAILURES {
                match failures.take() {
                    Some(list) if !list.is_empty() => {
                        out.write_all(b"      \"failures\": [\n")?;
                        let mut n = 0;
                        list.try_for_each(|f| {
                            let comma: &[u8] = if n > 0 { b",\n" } else { b"" };
                            n += 1;
                            out.write_all(comma)?;
                            out.write_all(f.as_bytes())
                        })?;
                        out.write_all(b"\n      ],\n")?;
                    }
                    _ => out.write_all(line.as_bytes())?,
                }
                continue;
            }
            if bare != EMPTY {
                out.write_all(line.as_bytes())?;
                continue;
            }
            let mut spill = spills.next().flatten();
            failures = spill.as_mut().map(|s| std::mem::take(&mut s.failures));
            match spill {
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

/// `pretty` indented as an entry of `extractors[].articles` or
/// `extractors[].failures` is.
fn indented(pretty: &[u8]) -> String {
    let mut text = Vec::with_capacity(pretty.len() + pretty.len() / 4);
    for (n, line) in pretty.split(|&b| b == b'\n').enumerate() {
        if n > 0 {
            text.push(b'\n');
        }
        text.extend_from_slice(INDENT.as_bytes());
        text.extend_from_slice(line);
    }
    String::from_utf8(text).expect("serde_json writes UTF-8")
}

/// Copies a spill's entries, separated by commas, each with its snapshot
/// state.
fn copy_articles(
    spill: Spill,
    states: Option<&HashMap<&str, SnapshotState>>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut file = spill.file.into_inner().map_err(|e| e.into_error())?;
    file.rewind()?;
    let mut file = BufReader::new(file);
    let mut entry = Entry::default();
    for n in 0..spill.articles {
        entry.read_from(&mut file)?;
        let state = match states {
            Some(states) => states.get(entry.id.as_str()).copied().unwrap_or_default(),
            None => entry.state,
        };
        if n > 0 {
            out.write_all(b",\n")?;
        }
        let (head, tail) = entry.text.split_at(entry.at);
        out.write_all(head)?;
        write!(out, "\"{}\"", state.as_str())?;
        out.write_all(tail)?;
    }
    Ok(())
}

/// One article's entry as the report prints it (pretty, indented), with
/// its snapshot state cut out, for it is known only at the end.
#[derive(Default)]
struct Entry {
    /// The article id, to look its state up.
    id: String,
    /// The entry's bytes but for its state.
    text: Vec<u8>,
    /// Where in `text` the state goes.
    at: usize,
    /// The state the entry was written with.
    state: SnapshotState,
}

/// The states by their number in a spill file.
const STATES: [SnapshotState; 4] = [
    SnapshotState::Unchanged,
    SnapshotState::Changed,
    SnapshotState::New,
    SnapshotState::None,
];

impl Entry {
    /// `article` pretty-printed at the indentation of an entry of
    /// `extractors[].articles`, its `snapshot` value cut out.
    fn of(article: &ArticleJson) -> std::io::Result<Entry> {
        let mut text = indented(&serde_json::to_vec_pretty(article)?).into_bytes();
        // The object's own keys are indented two spaces more than its
        // braces, and a string holds no line break: this is the entry's
        // own `snapshot`, not a nested one.
        let key = format!("\n{INDENT}  \"snapshot\": ");
        let value = format!("\"{}\"", article.snapshot.as_str());
        let at = memchr::memmem::find(&text, key.as_bytes())
            .map(|at| at + key.len())
            .filter(|&at| text[at..].starts_with(value.as_bytes()))
            .ok_or_else(|| std::io::Error::other("an article entry without its snapshot state"))?;
        text.drain(at..at + value.len());
        Ok(Entry {
            id: article.id.clone(),
            text,
            at,
            state: article.snapshot,
        })
    }

    /// Writes the entry: the lengths of its id and bytes, where its state
    /// goes and which it was, then the id and the bytes.
    fn write_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        for n in [self.id.len(), self.text.len(), self.at] {
            out.write_all(&(n as u64).to_le_bytes())?;
        }
        let state = STATES.iter().position(|s| *s == self.state).unwrap_or(3);
        out.write_all(&[state as u8])?;
        out.write_all(self.id.as_bytes())?;
        out.write_all(&self.text)
    }

    /// Reads the next entry [`Entry::write_to`] wrote into `self`, reusing
    /// its buffers.
    fn read_from(&mut self, file: &mut impl Read) -> std::io::Result<()> {
        let mut number = || -> std::io::Result<usize> {
            let mut n = [0u8; 8];
            file.read_exact(&mut n)?;
            usize::try_from(u64::from_le_bytes(n)).map_err(std::io::Error::other)
        };
        let (id, len, at) = (number()?, number()?, number()?);
        let mut state = [0u8];
        file.read_exact(&mut state)?;
        self.state = STATES
            .get(usize::from(state[0]))
            .copied()
            .unwrap_or_default();
        let mut id_bytes = std::mem::take(&mut self.id).into_bytes();
        id_bytes.resize(id, 0);
        file.read_exact(&mut id_bytes)?;
        self.id = String::from_utf8(id_bytes).map_err(std::io::Error::other)?;
        self.text.resize(len, 0);
        file.read_exact(&mut self.text)?;
        self.at = at.min(len);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry whose id and issue hold what the splice looks for.
    fn article(id: &str, snapshot: &str) -> ArticleJson {
        let counts = serde_json::json!({ "tp": 1, "fp": 0, "fn": 2 });
        serde_json::from_value(serde_json::json!({
            "id": id,
            "position": 3,
            "text_sha256": "ab".repeat(32),
            "status": "ok",
            "error": null,
            "snapshot": snapshot,
            "elapsed_ms": 5,
            "cached": false,
            "content": counts, "attribution": counts, "cue": counts, "kind": counts,
            "per_kind": { "recall": {}, "precision": {} },
            "alignment": [],
            "issues": [{ "snapshot": "none", "message": "a\n  \"snapshot\": \"none\"" }],
        }))
        .unwrap()
    }

    /// What the report prints for `article` with `state`: pretty, indented.
    fn printed(mut article: ArticleJson, state: SnapshotState) -> String {
        article.snapshot = state;
        let pretty = serde_json::to_string_pretty(&article).unwrap();
        pretty
            .lines()
            .map(|l| format!("{INDENT}{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn spilled_entries_are_printed_as_the_report_prints_them_with_their_states() {
        let ids = [
            "plain",
            "quote \" and \"snapshot\": \"none\" in an id",
            "ünï\ncode",
        ];
        for (states, written) in [(true, "none"), (false, "new"), (true, "changed")] {
            let mut spill = JsonSpill::new(None);
            for id in ids {
                spill.add_entry("e", &article(id, written)).unwrap();
            }
            let changed = (ids[1].to_string(), SnapshotState::Changed);
            let found: HashMap<&str, SnapshotState> = [(changed.0.as_str(), changed.1)].into();
            let mut out = Vec::new();
            let spill = spill.extractors.pop().unwrap();
            copy_articles(spill, states.then_some(&found), &mut out).unwrap();
            let want: Vec<String> = ids
                .iter()
                .map(|id| {
                    let state = match (states, *id == ids[1]) {
                        (true, true) => SnapshotState::Changed,
                        (true, false) => SnapshotState::None,
                        (false, _) => article(id, written).snapshot,
                    };
                    printed(article(id, written), state)
                })
                .collect();
            assert_eq!(String::from_utf8(out).unwrap(), want.join(",\n"));
        }
    }
}
