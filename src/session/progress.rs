//! A progress bar on standard error, shown only when it is a terminal.
//!
//! The runner scores articles in batches and reports them when a batch is
//! done, so the count moves in steps; the bar ticks on its own every
//! 100 ms (a spinner and the elapsed time), so that a slow extractor never
//! looks like a hung run. It counts articles to be scored, not corpus
//! entries: its total is the entries with gold, brought down as the run
//! finds entries it does not score (drafts, a selection, other shards),
//! and an article counts once every extractor has scored it.

use std::io::IsTerminal;
use std::time::Duration;

use super::Reporter;
use crate::corpus::Corpus;
use crate::run::RunEvent;

/// How often the bar is drawn while nothing is reported.
const TICK: Duration = Duration::from_millis(100);

/// Counts scored articles against the articles to be scored, with the
/// failures so far. Draws nothing when standard error is not a terminal.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    count: Count,
    /// Whether the bar shows the count yet (from the first scored article).
    counting: bool,
}

impl Progress {
    /// A bar for running `extractors` extractors on `corpus`.
    pub fn new(corpus: &Corpus, extractors: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::no_length();
            bar.set_style(style("{spinner} {elapsed:>3} scoring…"));
            bar.enable_steady_tick(TICK);
            bar
        });
        Progress {
            bar,
            count: Count::new(corpus.len_hint(), corpus.annotated_hint(), extractors),
            counting: false,
        }
    }
}

impl Reporter for Progress {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        let Some(bar) = &self.bar else { return };
        match event {
            RunEvent::ArticleDone { result, .. } => {
                self.count.done(result.failure.is_some());
                if !self.counting {
                    // Until now the corpus was being read and the first
                    // batch scored: the articles skipped in it are known,
                    // so the total shown from here on is not a guess.
                    self.counting = true;
                    bar.set_style(style(if self.count.total().is_some() {
                        "{spinner} {elapsed:>3} [{bar:30}] {pos}/{len} articles · {rate} · ETA {eta} {msg}"
                    } else {
                        "{spinner} {elapsed:>3} {pos} articles · {rate} {msg}"
                    }));
                }
            }
            RunEvent::ArticleSkipped | RunEvent::ArticleBroken(_) => self.count.not_scored(),
            // The run's report follows: the bar makes way for it.
            RunEvent::RunFinished(_) => {
                bar.finish_and_clear();
                return;
            }
            RunEvent::ArticleStarted { .. } => return,
        }
        if let Some(total) = self.count.total() {
            bar.set_length(total);
        }
        bar.set_position(self.count.scored);
        if self.count.failures > 0 {
            bar.set_message(format!("· {} failed", self.count.failures));
        }
    }
}

/// The bar's style: `template` with the `{rate}` key.
fn style(template: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(template)
        .expect("a valid template")
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rate(state.per_sec()));
            },
        )
        .progress_chars("=> ")
}

/// The pace as people read it: articles a second, with one decimal below
/// 10 and none above; below one a second, seconds an article.
fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        "–/s".to_string()
    } else if per_sec >= 10.0 {
        format!("{per_sec:.0}/s")
    } else if per_sec >= 1.0 {
        format!("{per_sec:.1}/s")
    } else {
        let secs = 1.0 / per_sec;
        if secs < 10.0 {
            format!("{secs:.1}s/article")
        } else {
            format!("{secs:.0}s/article")
        }
    }
}

/// What the bar counts, from the run's events.
#[derive(Clone, Debug, PartialEq)]
struct Count {
    /// How many extractors score each article.
    extractors: u64,
    /// The corpus's entries, when known.
    entries: Option<u64>,
    /// Its entries with a gold file, when known: the most a run can score.
    annotated: Option<u64>,
    /// Entries found not to be scored (skipped or unreadable).
    not_scored: u64,
    /// Articles every extractor has scored.
    scored: u64,
    /// Extractors done with the article in hand.
    partial: u64,
    /// Articles an extractor failed on (one per extractor and article).
    failures: u64,
}

impl Count {
    fn new(entries: Option<usize>, annotated: Option<usize>, extractors: usize) -> Count {
        Count {
            extractors: extractors.max(1) as u64,
            entries: entries.map(|n| n as u64),
            annotated: annotated.map(|n| n as u64),
            not_scored: 0,
            scored: 0,
            partial: 0,
            failures: 0,
        }
    }

    /// The articles to be scored, as far as the run has read: the corpus
    /// entries with gold, or, once more entries than that are known not to
    /// be scored (a selection, drafts), the entries less those. Either is
    /// at least the articles the run will score; the last event makes it
    /// exact.
    fn total(&self) -> Option<u64> {
        let left = self.entries.map(|n| n.saturating_sub(self.not_scored));
        let bound = match (left, self.annotated) {
            (Some(l), Some(a)) => Some(l.min(a)),
            (l, a) => l.or(a),
        };
        bound.map(|b| b.max(self.scored))
    }

    /// An extractor is done with an article. The runner reports every
    /// extractor's result of one article before the next article's, so the
    /// article counts once the last of them is in.
    fn done(&mut self, failed: bool) {
        self.failures += u64::from(failed);
        self.partial += 1;
        if self.partial == self.extractors {
            self.partial = 0;
            self.scored += 1;
        }
    }

    /// An entry of the corpus is not scored.
    fn not_scored(&mut self) {
        self.not_scored += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_articles_to_be_scored_count() {
        // Six entries, four with gold: two unannotated and one draft are
        // skipped; the other three are scored by two extractors, one
        // failing once.
        let mut c = Count::new(Some(6), Some(4), 2);
        assert_eq!(c.total(), Some(4), "no more than the entries with gold");
        c.not_scored();
        c.not_scored();
        assert_eq!(c.total(), Some(4), "unannotated entries were never counted");
        c.done(false);
        assert_eq!(c.scored, 0, "one extractor of two is not the article");
        c.done(true);
        assert_eq!((c.scored, c.failures), (1, 1));
        c.not_scored();
        assert_eq!(c.total(), Some(3), "a draft is found not to be scored");
        for _ in 0..4 {
            c.done(false);
        }
        assert_eq!((c.scored, c.total(), c.failures), (3, Some(3), 1));
    }

    #[test]
    fn a_selection_brings_the_total_down_as_the_run_reads() {
        // 100 entries with gold, 10 of them selected.
        let mut c = Count::new(Some(100), Some(100), 1);
        for _ in 0..90 {
            c.not_scored();
        }
        assert_eq!(c.total(), Some(10));
    }

    #[test]
    fn a_corpus_of_unknown_size_counts_without_a_total() {
        let mut c = Count::new(None, None, 0);
        c.not_scored();
        c.done(false);
        assert_eq!((c.scored, c.total()), (1, None));
    }

    #[test]
    fn the_pace_has_at_most_one_decimal() {
        assert_eq!(rate(2.345_678), "2.3/s");
        assert_eq!(rate(12.4), "12/s");
        assert_eq!(rate(312.7), "313/s");
        // A slow extractor: seconds an article rather than "0.0/s".
        assert_eq!(rate(0.4), "2.5s/article");
        assert_eq!(rate(0.04), "25s/article");
        assert_eq!(rate(0.0), "–/s");
        assert_eq!(rate(f64::INFINITY), "–/s");
    }
}
