//! A progress bar on standard error, shown only when it is a terminal.

use std::io::IsTerminal;

use super::Reporter;
use crate::corpus::Corpus;
use crate::run::RunEvent;

/// Counts scored articles against the corpus's size, with the failures so
/// far. Draws nothing when standard error is not a terminal.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    failures: u64,
    extractors: usize,
}

impl Progress {
    /// A bar for running `extractors` extractors on `corpus`.
    pub fn new(corpus: &Corpus, extractors: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = match corpus.len_hint() {
                Some(n) => indicatif::ProgressBar::new((n * extractors) as u64),
                None => indicatif::ProgressBar::new_spinner(),
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {pos}/{len} articles · {per_sec} · ETA {eta} {msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar
        });
        Progress {
            bar,
            failures: 0,
            extractors,
        }
    }
}

impl Reporter for Progress {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        let Some(bar) = &self.bar else { return };
        match event {
            RunEvent::ArticleDone { result, .. } => {
                if result.failure.is_some() {
                    self.failures += 1;
                    bar.set_message(format!("· {} failed", self.failures));
                }
                bar.inc(1);
            }
            // Unscored articles still count towards the total shown.
            RunEvent::ArticleSkipped | RunEvent::ArticleBroken(_) => {
                bar.inc(self.extractors as u64)
            }
            // The run's report follows: the bar makes way for it.
            RunEvent::RunFinished(_) => bar.finish_and_clear(),
            RunEvent::ArticleStarted { .. } => {}
        }
    }
}
