//! The JUnit report written as articles finish, so that `run --junit`
//! keeps no article's result in memory: each article's [`CaseData`] goes
//! to a spill file of its extractor (one compact JSON line) when it is
//! scored. At the end, when the snapshots' verdicts and the gates are
//! known, each extractor's cases are rendered from its spill to a second
//! file, counted, and the report put together around them
//! ([`junit::assemble`]). The bytes are those [`junit::write`] gives for
//! the same run with every article kept.
//!
//! Spill files are anonymous temporary files (unlinked as soon as they
//! are made) in the folder asked for, beside the report, so they are on
//! the report's disk and gone on every exit path, a kill included.

use std::io::{BufRead, BufReader, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use super::junit::{self, CaseData, SuiteBody, Verdicts};
use crate::gate::GateOutcome;
use crate::run::{ArticleResult, RunResult};
use crate::snapshot::store::SnapshotReport;

/// An anonymous temporary file in `dir` (the system's temporary folder
/// when `None`): removed by the system when it is closed, however the
/// process ends.
pub fn spill_file(dir: Option<&Path>) -> std::io::Result<std::fs::File> {
    match dir {
        Some(dir) => {
            // The report's folder, which writing the report makes anyway.
            std::fs::create_dir_all(dir)?;
            tempfile::tempfile_in(dir)
        }
        None => tempfile::tempfile(),
    }
}

/// The folder a report's spill files go to: the report's own.
pub fn spill_dir(report: &Path) -> PathBuf {
    match report.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The test cases of a run, spilled to temporary files as they come.
#[derive(Debug)]
pub struct JunitSpill {
    dir: Option<PathBuf>,
    extractors: Vec<(String, BufWriter<std::fs::File>)>,
}

impl JunitSpill {
    /// An empty spill whose files go to `dir` (the system's temporary
    /// folder when `None`).
    pub fn new(dir: Option<PathBuf>) -> JunitSpill {
        JunitSpill {
            dir,
            extractors: Vec::new(),
        }
    }

    /// Writes the case data of `extractor` on the article of `result`.
    pub fn add(&mut self, extractor: &str, result: &ArticleResult) -> std::io::Result<()> {
        self.add_case(extractor, &CaseData::of(result))
    }

    /// Writes the case data `case` of `extractor`.
    pub fn add_case(&mut self, extractor: &str, case: &CaseData) -> std::io::Result<()> {
        let at = match self.extractors.iter().position(|(n, _)| n == extractor) {
            Some(at) => at,
            None => {
                let file = spill_file(self.dir.as_deref())?;
                self.extractors
                    .push((extractor.to_string(), BufWriter::new(file)));
                self.extractors.len() - 1
            }
        };
        let file = &mut self.extractors[at].1;
        serde_json::to_writer(&mut *file, case)?;
        file.write_all(b"\n")
    }

    /// Writes the report of `result` (its extractors, statuses and corpus;
    /// its article lists are not used), with the gates' and snapshots'
    /// outcome; `allow_empty` as for [`junit::write`].
    pub fn write(
        self,
        result: &RunResult,
        gates: &GateOutcome,
        snapshots: Option<&SnapshotReport>,
        allow_empty: bool,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let verdicts = Verdicts::new(gates, snapshots);
        let mut spills = self.extractors;
        let mut suites = Vec::new();
        for e in &result.extractors {
            let mut rendered = BufWriter::new(spill_file(self.dir.as_deref())?);
            let counts = match spills.iter().position(|(n, _)| *n == e.name) {
                Some(at) => {
                    let (_, spill) = spills.swap_remove(at);
                    let mut file = spill.into_inner().map_err(|e| e.into_error())?;
                    file.rewind()?;
                    let cases = BufReader::new(file).lines().map(|line| {
                        serde_json::from_str::<CaseData>(&line?).map_err(std::io::Error::from)
                    });
                    junit::render_cases(&e.name, cases, &verdicts, &mut rendered)?
                }
                None => junit::CaseCounts::default(),
            };
            let mut rendered = rendered.into_inner().map_err(|e| e.into_error())?;
            rendered.rewind()?;
            suites.push(SuiteBody {
                name: &e.name,
                status: e.status(),
                cases: Box::new(BufReader::new(rendered)),
                counts,
            });
        }
        junit::assemble(result, suites, gates, allow_empty, out)
    }
}
