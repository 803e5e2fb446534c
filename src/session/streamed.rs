//! `run --json` and `run --junit` written as articles finish: [`Reporter`]s
//! that spill what each article's entry or test case needs to disk when it
//! is scored and write the report at the end (`report::json_stream`,
//! `report::junit_stream`), so that neither report makes the run keep its
//! articles' results in memory.

use std::io::Write;
use std::path::PathBuf;

use super::writers::{Target, UntilClosed};
use super::{Outcome, Reporter, SessionError};
use crate::report::json::ArticleJson;
use crate::report::json_stream::JsonSpill;
use crate::report::junit::CaseData;
use crate::report::junit_stream::{spill_dir, JunitSpill};
use crate::run::RunEvent;

/// Spills one article with `add`, unless an earlier spill failed: the
/// first failure is kept, to be the report's error at the end.
fn spill_with<S>(
    spill: Option<&mut S>,
    error: &mut Option<std::io::Error>,
    add: impl FnOnce(&mut S) -> std::io::Result<()>,
) {
    if let (Some(spill), None) = (spill, &*error) {
        if let Err(e) = add(spill) {
            *error = Some(e);
        }
    }
}

/// The JSON report, streamed.
#[derive(Debug)]
pub struct StreamedJson {
    target: Target,
    spill: Option<JsonSpill>,
    error: Option<std::io::Error>,
}

impl StreamedJson {
    /// The JSON report to `target`.
    pub fn new(target: Target) -> StreamedJson {
        // Spilled beside the report, on its disk.
        let dir = match &target {
            Target::File(path) => Some(spill_dir(path)),
            Target::Stdout => None,
        };
        StreamedJson {
            target,
            spill: Some(JsonSpill::new(dir)),
            error: None,
        }
    }

    /// Adds `extractor`'s entry `article`, as a report has it (what
    /// `merge` gives, in corpus order).
    pub fn add_entry(&mut self, extractor: &str, article: &ArticleJson) {
        spill_with(self.spill.as_mut(), &mut self.error, |spill| {
            spill.add_entry(extractor, article)
        });
    }

    fn failed(&self, source: std::io::Error) -> SessionError {
        match &self.target {
            Target::Stdout => SessionError::Print(source),
            Target::File(path) => SessionError::Write {
                what: "write the JSON report to",
                path: path.clone(),
                source,
            },
        }
    }
}

impl Reporter for StreamedJson {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        if let RunEvent::ArticleDone {
            extractor, result, ..
        } = event
        {
            spill_with(self.spill.as_mut(), &mut self.error, |spill| {
                spill.add(extractor, result)
            });
        }
    }

    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        if let Some(e) = self.error.take() {
            return Err(self.failed(e));
        }
        let Some(spill) = self.spill.take() else {
            return Ok(());
        };
        let write =
            |out: &mut dyn Write| spill.write(&outcome.report, outcome.snapshots.as_ref(), out);
        let written = match &self.target {
            Target::Stdout => {
                let mut out = UntilClosed::new(std::io::stdout().lock());
                write(&mut out).and_then(|()| out.flush())
            }
            Target::File(path) => crate::atomic::write_with(path, write),
        };
        written.map_err(|e| self.failed(e))
    }
}

/// The JUnit report, streamed.
#[derive(Debug)]
pub struct StreamedJunit {
    path: PathBuf,
    spill: Option<JunitSpill>,
    error: Option<std::io::Error>,
}

impl StreamedJunit {
    /// The JUnit report to the file `path`, spilled beside it.
    pub fn new(path: PathBuf) -> StreamedJunit {
        StreamedJunit {
            spill: Some(JunitSpill::new(Some(spill_dir(&path)))),
            path,
            error: None,
        }
    }

    /// Adds the test case of `extractor` on an article (what `merge`
    /// gives, in corpus order).
    pub fn add_case(&mut self, extractor: &str, case: &CaseData) {
        spill_with(self.spill.as_mut(), &mut self.error, |spill| {
            spill.add_case(extractor, case)
        });
    }

    fn failed(&self, source: std::io::Error) -> SessionError {
        SessionError::Write {
            what: "write the JUnit report to",
            path: self.path.clone(),
            source,
        }
    }
}

impl Reporter for StreamedJunit {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        if let RunEvent::ArticleDone {
            extractor, result, ..
        } = event
        {
            spill_with(self.spill.as_mut(), &mut self.error, |spill| {
                spill.add(extractor, result)
            });
        }
    }

    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        if let Some(e) = self.error.take() {
            return Err(self.failed(e));
        }
        let Some(spill) = self.spill.take() else {
            return Ok(());
        };
        crate::atomic::write_with(&self.path, |out| {
            spill.write(
                &outcome.result,
                &outcome.gates,
                outcome.snapshots.as_ref(),
                outcome.allow_empty,
                out,
            )
        })
        .map_err(|e| self.failed(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, Prediction, Span};
    use crate::extract::{builtin, from_fn, Extractor};
    use crate::gate::{Gates, MinF1};
    use crate::run::{Keep, RunSettings};
    use crate::score::Criterion;
    use crate::session::Session;

    /// Runs the baseline and an extractor that fails on some articles over
    /// the repository's corpus, keeping every article, with the streamed
    /// reports written into `dir`; gives the outcome.
    fn run_streamed(dir: &std::path::Path) -> Outcome {
        let corpus = Corpus::open(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap();
        let baseline = builtin("baseline").unwrap();
        let flaky = from_fn("flaky", |article| {
            if article.text.len() % 3 == 0 {
                return Err("no <answer> & \"none\"\u{7}");
            }
            Ok(vec![Prediction::at(Span::new(0, 10))])
        });
        let extractors: Vec<&dyn Extractor> = vec![baseline.as_ref(), &flaky];
        let session = Session {
            corpus: &corpus,
            extractors: &extractors,
            settings: RunSettings {
                keep: Keep::All,
                ..RunSettings::default()
            },
            snapshots: None,
            configured: Default::default(),
            gates: Gates {
                min_f1: vec![MinF1 {
                    criterion: Criterion::Content,
                    min: 0.9,
                }],
                ..Gates::default()
            },
        };
        // Into a folder that does not exist yet: spilling makes it.
        let mut json = StreamedJson::new(Target::File(dir.join("out/report.json")));
        let mut junit = StreamedJunit::new(dir.join("out/junit.xml"));
        session.run(&mut [&mut json, &mut junit]).unwrap()
    }

    #[test]
    fn streamed_reports_are_the_reports_of_every_article_kept() {
        let dir = tempfile::tempdir().unwrap();
        let outcome = run_streamed(dir.path());
        let failed = &outcome.result.extractors[1];
        assert!(failed.articles.iter().any(|a| a.failure.is_some()));
        assert!(failed.articles.iter().any(|a| a.failure.is_none()));

        let mut whole = Vec::new();
        crate::report::junit::write(
            &outcome.result,
            &outcome.gates,
            None,
            outcome.allow_empty,
            &mut whole,
        )
        .unwrap();
        let streamed = std::fs::read(dir.path().join("out/junit.xml")).unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(whole).unwrap()
        );

        let mut whole = Vec::new();
        outcome.report.write(&mut whole).unwrap();
        let streamed = std::fs::read(dir.path().join("out/report.json")).unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(whole).unwrap()
        );
        // The spill files were anonymous: nothing but the reports is left.
        let mut left: Vec<String> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["junit.xml", "report.json"]);
    }
}
