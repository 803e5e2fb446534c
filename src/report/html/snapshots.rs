//! The snapshots section of the page: per extractor, the articles whose
//! rendering changed from its accepted snapshot or has none, with their
//! grades (docs/snapshots.md, "Grades"), each linked to its article.
//!
//! Formats a [`SnapshotReport`]; it grades nothing itself.

use maud::{html, Markup};

use super::page::article_anchor;
use crate::snapshot::store::SnapshotReport;
use crate::snapshot::SnapshotState;

/// The section, or nothing when no snapshot changed.
pub(super) fn section(report: &SnapshotReport) -> Markup {
    let extractors: Vec<_> = report
        .extractors
        .iter()
        .filter(|e| e.states.iter().any(|(_, s)| s.is_change()))
        .collect();
    if extractors.is_empty() {
        return html! {};
    }
    html! {
        section #snapshots {
            h2 { "Snapshots" }
            @for e in extractors {
                @let changed = e.count(SnapshotState::Changed);
                @let new = e.count(SnapshotState::New);
                @let grades = e.grade_counts();
                p {
                    strong { (e.name) } ": "
                    @if changed > 0 { (changed) " changed" }
                    @if changed > 0 && new > 0 { ", " }
                    @if new > 0 { (new) " new" }
                    @if !grades.is_empty() { " — " (grades) }
                }
                table.snapshots {
                    thead { tr { th { "article" } th { "state" } th { "grade" } th { "what changed" } } }
                    tbody {
                        @for (id, state) in e.states.iter().filter(|(_, s)| s.is_change()) {
                            @let grading = e.grading(id);
                            tr data-grade=(grading.map_or("ungraded", |g| g.grade.as_str())) {
                                td { a href=(format!("#{}", article_anchor(id))) { (id) } }
                                td { (state.as_str()) }
                                td.grade { (grading.map_or("ungraded", |g| g.grade.as_str())) }
                                td { (grading.map_or(String::new(), |g| g.changes.join(", "))) }
                            }
                        }
                    }
                }
            }
        }
    }
}
