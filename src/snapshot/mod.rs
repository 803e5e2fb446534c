//! Showing people what an extractor got wrong: renderings of gold and
//! predictions, and the gold diff (the pipeline stage after [`crate::score`]).
//!
//! A *rendering* is a stable, line-based text of an article's records, one
//! block per quote, made for snapshot files and review:
//!
//! ```text
//! p@774 · matched q10
//!   at       @774-942
//!   content  The message was simple and unambiguous – Gaddafi must leave power
//!            so that a new political process can begin that reflects the will
//!            and aspirations of the Libyan people,
//!   speaker  "Libyan people" @928-941
//!   cue      "said" @947-951
//!   kind     direct
//!   checks   speaker ✗ · cue ✓ · kind ✓ · sim 1 ≥ 0.5
//! ```
//!
//! and in the gold diff, where everything the scorer finds equal is shown
//! the same on both sides:
//!
//! ```text
//! @@ -1,8 +1,8 @@
//!  q10 ⇄ p@774 · matched
//!    at       @774-942
//!    content  The message was simple and unambiguous – Gaddafi must leave power
//!             so that a new political process can begin that reflects the will
//!             and aspirations of the Libyan people,
//! -  speaker  "it" @944-946 → US State Department
//! +  speaker  "Libyan people" @928-941 ✗
//!    cue      "said" @947-951
//!    kind     direct
//! ```
//!
//! [`render_gold`] renders gold quotes, [`render_predictions`] predictions
//! with their verdicts. The *gold diff* ([`gold_diff()`]) lays the gold and
//! the predictions out block against block in one order, so that a wrong
//! speaker is one `-`/`+` pair of lines, a missed quote a `-` block and a
//! spurious prediction a `+` block, and prints it as a unified diff, plain
//! or coloured with the differing words highlighted.
//!
//! Everything shown follows the alignment of [`crate::align`] (scoring.md
//! §5): blocks come in its position order and predictions are named by
//! the first position they locate (`p@774`), so the output does not change
//! when the records of a file are reordered, and one prediction more or
//! less renames no other. Positions are code points; nothing volatile (times,
//! paths, record order) is shown. Wrapping is deterministic and counts
//! columns as a terminal does, CJK and emoji included.
//!
//! A *snapshot* is an accepted rendering of an extractor's predictions on
//! one article; [`snapshot_diff()`] shows an accepted rendering against a new
//! one, with each hunk named by the prediction it is in, and
//! [`SnapshotState`] says how they compare. A changed snapshot is *graded*
//! by the gold ([`grade()`]): each required gold quote's [`Level`] in the
//! accepted output and in the new one says whether it is `fixed`, `broke`,
//! `mixed` or `neutral` ([`Grade`]).
//!
//! The *highlighting* ([`Highlighting`]) says which span of an article's
//! text is drawn as which quote, verdict ([`Highlight`]), speaker or cue,
//! and how overlapping spans nest; `quotecheck show` draws it on a terminal
//! ([`render_marked`]) and the HTML report as markup.
//!
//! This module formats records it is given, already scored, and knows
//! nothing of runs, reports or the command line. The one exception is
//! [`store`]: snapshot storage, the only part of the module that reads and
//! writes files (`snapshots/<extractor>/<article-id>.snap` in insta's
//! format, pending `.snap.new` files, the lock of the folder) and that
//! compares a run's renderings with what is stored ([`store::Checker`]).

mod gold_diff;
mod grade;
mod majority;
mod marks;
mod names;
mod render;
mod snapshot_diff;
pub mod store;
mod view;
mod wrap;

pub use gold_diff::{gold_diff, DiffLabels, DiffLine, GoldDiff, Hunk, LineTag};
pub use grade::{grade, read_rendering, Grade, Grading, Level, Levels, ReadError, Rendered};
pub use majority::{majority, Majority, Unstable};
pub use marks::{render_marked, Highlight, Highlighting, Mark, MarkPart, MarkedQuote, Piece};
pub use names::{prediction_names, rename_legacy};
pub use render::{render_failure, render_gold, render_outcome, render_predictions};
pub use snapshot_diff::{snapshot_diff, SnapshotDiff, SnapshotState};
