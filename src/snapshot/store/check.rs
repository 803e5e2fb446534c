//! Checking a run's renderings against the stored snapshots, article by
//! article as the run goes, and what snapshots did in the run
//! ([`SnapshotReport`]).
//!
//! Owns the comparison and the policy's effect on each article (write a
//! pending or an accepted snapshot, or nothing) and finds unreferenced
//! snapshots. It reads and writes only through [`Store`], and knows nothing
//! of reports or the command line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::file::{gold_hash, SnapshotFile};
use super::layout::{remove_if_exists, SnapshotKind, Store};
use super::policy::Update;
use crate::align::{Alignment, Scheme};
use crate::corpus::{Article, Prediction};
use crate::snapshot::{
    grade, majority, snapshot_diff, Grade, Grading, Levels, SnapshotDiff, SnapshotState,
};

/// How a run uses snapshots.
#[derive(Clone, Debug)]
pub struct SnapshotSettings {
    /// The root folder.
    pub root: PathBuf,
    /// The policy in force.
    pub update: Update,
    /// Whether the policy was asked for explicitly as `new` or `always`:
    /// then extractors without a folder get one (snapshots start for them).
    /// Otherwise only extractors that have a folder are compared.
    pub start: bool,
    /// How many diffs to keep per extractor (`None`: all).
    pub keep_diffs: Option<usize>,
    /// The run's fidelity policy, which grades follow (`--require-verbatim`).
    pub fidelity: crate::align::FidelityPolicy,
}

/// What snapshots did for one extractor in a run.
#[derive(Clone, Debug, Default)]
pub struct ExtractorSnapshots {
    /// The extractor.
    pub name: String,
    /// Each compared article's state, in corpus order (articles not
    /// compared are left out).
    pub states: Vec<(String, SnapshotState)>,
    /// Diffs of changed and new articles, in corpus order (at most the
    /// number asked for).
    pub diffs: Vec<(String, SnapshotDiff)>,
    /// Pending snapshots written.
    pub pending_written: usize,
    /// Accepted snapshots written (`always`).
    pub accepted_written: usize,
    /// Snapshots made under another scheme, not compared: that scheme and
    /// how many.
    pub other_scheme: BTreeMap<String, usize>,
    /// The articles on which the extractor failed just as their accepted
    /// snapshots say, in corpus order: such a failure does not fail the run.
    pub accepted_failures: Vec<String>,
    /// The grade of each changed or new article, in corpus order (a
    /// changed article whose accepted rendering cannot be read back has
    /// none).
    pub grades: Vec<(String, Grading)>,
}

impl ExtractorSnapshots {
    /// How many articles are in `state`.
    pub fn count(&self, state: SnapshotState) -> usize {
        self.states.iter().filter(|(_, s)| *s == state).count()
    }

    /// The grade of `article`, when it changed or is new.
    pub fn grading(&self, article: &str) -> Option<&Grading> {
        self.grades
            .iter()
            .find(|(id, _)| id == article)
            .map(|(_, g)| g)
    }

    /// How many changed articles have `grade`.
    pub fn count_grade(&self, grade: Grade) -> usize {
        self.grades.iter().filter(|(_, g)| g.grade == grade).count()
    }

    /// `3 fixed, 1 broke, 1 mixed`: the grades of the changed articles,
    /// in [`Grade::ALL`] order (`new` left out); empty when none changed.
    pub fn grade_counts(&self) -> String {
        Grade::ALL
            .into_iter()
            .filter(|&g| g != Grade::New)
            .filter_map(|g| {
                let n = self.count_grade(g);
                (n > 0).then(|| format!("{n} {g}"))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A snapshot whose article or extractor is gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreferenced {
    /// The article is not in the corpus any more.
    Article {
        /// The extractor.
        extractor: String,
        /// The article id.
        article: String,
        /// The snapshot files (accepted and pending).
        paths: Vec<PathBuf>,
    },
    /// No configured extractor has this name any more.
    Extractor {
        /// The folder's name.
        extractor: String,
        /// The folder.
        path: PathBuf,
        /// The snapshot files in it.
        paths: Vec<PathBuf>,
    },
}

impl Unreferenced {
    /// The files it consists of.
    pub fn paths(&self) -> &[PathBuf] {
        match self {
            Unreferenced::Article { paths, .. } | Unreferenced::Extractor { paths, .. } => paths,
        }
    }
}

/// What snapshots did in a run: what every report says about them.
#[derive(Clone, Debug)]
pub struct SnapshotReport {
    /// The root folder.
    pub root: PathBuf,
    /// The policy in force.
    pub update: Update,
    /// One entry per extractor whose snapshots were compared, in run order.
    pub extractors: Vec<ExtractorSnapshots>,
    /// Snapshots whose article or extractor is gone (full runs only).
    pub unreferenced: Vec<Unreferenced>,
    /// Whether the unreferenced snapshots were deleted.
    pub deleted: bool,
    /// Problems reading or writing snapshot files.
    pub errors: Vec<String>,
}

impl SnapshotReport {
    /// An empty report.
    pub fn new(root: impl Into<PathBuf>, update: Update) -> SnapshotReport {
        SnapshotReport {
            root: root.into(),
            update,
            extractors: Vec::new(),
            unreferenced: Vec::new(),
            deleted: false,
            errors: Vec::new(),
        }
    }

    /// The state of `article` for `extractor`.
    pub fn state(&self, extractor: &str, article: &str) -> SnapshotState {
        self.extractors
            .iter()
            .find(|e| e.name == extractor)
            .and_then(|e| e.states.iter().find(|(id, _)| id == article))
            .map_or(SnapshotState::None, |(_, s)| *s)
    }

    /// The (extractor, article) pairs whose failure is the one their
    /// accepted snapshot shows: such a failure does not fail the run.
    pub fn accepted_failures(&self) -> HashSet<(&str, &str)> {
        self.extractors
            .iter()
            .flat_map(|e| {
                e.accepted_failures
                    .iter()
                    .map(move |a| (e.name.as_str(), a.as_str()))
            })
            .collect()
    }

    /// The changes that were not accepted (every `changed` or `new`
    /// article unless the policy is `always`): they fail the run.
    pub fn unaccepted(&self) -> impl Iterator<Item = (&str, &str, SnapshotState)> {
        let accepted = self.update == Update::Always;
        self.extractors.iter().flat_map(move |e| {
            e.states
                .iter()
                .filter(move |(_, s)| s.is_change() && !accepted)
                .map(move |(id, s)| (e.name.as_str(), id.as_str(), *s))
        })
    }

    /// Whether the snapshots pass: no unaccepted change, no error.
    pub fn passed(&self) -> bool {
        self.unaccepted().next().is_none() && self.errors.is_empty()
    }

    /// The diff kept for `article` of `extractor`, if any.
    pub fn diff(&self, extractor: &str, article: &str) -> Option<&SnapshotDiff> {
        self.extractors
            .iter()
            .find(|e| e.name == extractor)?
            .diffs
            .iter()
            .find(|(id, _)| id == article)
            .map(|(_, d)| d)
    }
}

/// What one repeat of an extractor gave on an article, as
/// [`Checker::check_repeats`] takes it.
#[derive(Clone, Copy, Debug)]
pub struct Outcome<'a> {
    /// Its predictions.
    pub predictions: &'a [Prediction],
    /// Their alignment with the gold.
    pub alignment: &'a Alignment,
    /// The failure, when it failed.
    pub failure: Option<&'a crate::extract::Failure>,
}

/// Compares each article's rendering with its snapshot as a run goes,
/// and writes what the policy says.
#[derive(Debug)]
pub struct Checker {
    store: Store,
    settings: SnapshotSettings,
    scheme: Scheme,
    /// Per extractor name: its index in `report.extractors`, or `None`
    /// when its snapshots are off.
    enabled: HashMap<String, Option<usize>>,
    /// Every article seen per extractor (for unreferenced snapshots).
    seen: HashMap<String, HashSet<String>>,
    gold_hash: Option<(String, String)>,
    report: SnapshotReport,
}

impl Checker {
    /// A checker for a run under `scheme`.
    pub fn new(settings: SnapshotSettings, scheme: Scheme) -> Checker {
        Checker {
            store: Store::new(&settings.root),
            report: SnapshotReport::new(&settings.root, settings.update),
            settings,
            scheme,
            enabled: HashMap::new(),
            seen: HashMap::new(),
            gold_hash: None,
        }
    }

    /// Decides, for each extractor of the run in order, whether its
    /// snapshots are compared; returns the names of those that are.
    pub fn register(&mut self, extractors: &[&str]) -> Vec<String> {
        extractors
            .iter()
            .filter(|name| self.slot(name).is_some())
            .map(|name| name.to_string())
            .collect()
    }

    /// The store it reads and writes.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Whether `extractor`'s snapshots are compared: it has a folder, or
    /// the policy was asked for as `new` or `always` (and its name can be a
    /// folder name).
    pub fn is_enabled(&self, extractor: &str) -> bool {
        self.store.extractor_dir(extractor).is_ok()
            && (self.settings.start || self.store.has_extractor(extractor))
    }

    fn slot(&mut self, extractor: &str) -> Option<usize> {
        if let Some(slot) = self.enabled.get(extractor) {
            return *slot;
        }
        let slot = self.is_enabled(extractor).then(|| {
            self.report.extractors.push(ExtractorSnapshots {
                name: extractor.to_string(),
                ..Default::default()
            });
            self.report.extractors.len() - 1
        });
        self.enabled.insert(extractor.to_string(), slot);
        slot
    }

    /// Compares one article's rendering with its snapshot, writes what the
    /// policy says, and returns the article's state. `failure`: the
    /// extractor failed on the article; a deterministic failure
    /// ([`FailureKind::is_deterministic`](crate::extract::FailureKind::is_deterministic))
    /// is rendered and compared in place of the predictions, any other is
    /// not compared.
    pub fn check(
        &mut self,
        extractor: &str,
        article: &Article,
        predictions: &[Prediction],
        alignment: &Alignment,
        failure: Option<&crate::extract::Failure>,
    ) -> SnapshotState {
        let outcome = Outcome {
            predictions,
            alignment,
            failure,
        };
        self.check_repeats(extractor, article, &[outcome])
    }

    /// [`Checker::check`] for an article the extractor was asked about
    /// several times (`--repeat K`; `outcomes` in repeat order, repeat 0
    /// first). The snapshot's body is the majority rendering (ties: the
    /// earliest repeat's), marked `unstable: A of B repeats` when not every
    /// rendered repeat agreed; repeats whose failure is not rendered do not
    /// count. Besides an unchanged majority, an accepted snapshot that is
    /// itself marked unstable is unchanged when any repeat renders its
    /// body: that difference is within the instability seen when it was
    /// accepted (docs/snapshots.md, "Repeats").
    pub fn check_repeats(
        &mut self,
        extractor: &str,
        article: &Article,
        outcomes: &[Outcome<'_>],
    ) -> SnapshotState {
        let Some(slot) = self.slot(extractor) else {
            return SnapshotState::None;
        };
        let id = article.id.as_str();
        self.seen
            .entry(extractor.to_string())
            .or_default()
            .insert(id.to_string());
        let rendered: Vec<(&Outcome<'_>, String)> = outcomes
            .iter()
            .filter_map(|o| {
                crate::snapshot::render_outcome(
                    article,
                    o.predictions,
                    o.alignment,
                    o.failure,
                    &self.scheme,
                )
                .map(|body| (o, body))
            })
            .collect();
        let bodies: Vec<&str> = rendered.iter().map(|(_, b)| b.as_str()).collect();
        let Some(chosen) = majority(&bodies) else {
            return SnapshotState::None;
        };
        let (outcome, body) = &rendered[chosen.index];
        let (predictions, failure) = (outcome.predictions, outcome.failure);
        let repeats = Repeats {
            unstable: chosen.unstable(&bodies),
            bodies: &bodies,
        };
        match self.compare(
            slot,
            extractor,
            article,
            body.clone(),
            predictions,
            failure,
            repeats,
        ) {
            Ok(Some(state)) => {
                if failure.is_some() && state == SnapshotState::Unchanged {
                    self.report.extractors[slot]
                        .accepted_failures
                        .push(id.to_string());
                }
                self.report.extractors[slot]
                    .states
                    .push((id.to_string(), state));
                state
            }
            Ok(None) => SnapshotState::None,
            Err(e) => {
                self.report
                    .errors
                    .push(format!("snapshot of {extractor} on {id}: {e}"));
                SnapshotState::None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn compare(
        &mut self,
        slot: usize,
        extractor: &str,
        article: &Article,
        body: String,
        predictions: &[Prediction],
        failure: Option<&crate::extract::Failure>,
        repeats: Repeats<'_>,
    ) -> io::Result<Option<SnapshotState>> {
        let id = article.id.as_str();
        let hash = match &self.gold_hash {
            Some((for_id, hash)) if for_id == id => hash.clone(),
            _ => {
                let hash = gold_hash(article);
                self.gold_hash = Some((id.to_string(), hash.clone()));
                hash
            }
        };
        let mut new = SnapshotFile::new(extractor, id, &self.scheme, hash, body);
        new.unstable = repeats.unstable.clone();
        let update = self.settings.update;
        let accepted_path = self.store.accepted_path(extractor, id)?;
        let old = self.store.read(extractor, id, SnapshotKind::Accepted)?;
        let mut old_note = "accepted";
        let state = match &old {
            None => SnapshotState::New,
            Some(Ok(old)) if !old.made_under(&self.scheme) && update != Update::Always => {
                *self.report.extractors[slot]
                    .other_scheme
                    .entry(old.info.scheme.clone())
                    .or_default() += 1;
                return Ok(None);
            }
            Some(Ok(old)) => {
                if old.info.gold != new.info.gold {
                    old_note = "accepted against other gold";
                }
                if old.same_body(&new) || old.same_body_renamed(&new) || repeats.within(old) {
                    SnapshotState::Unchanged
                } else {
                    SnapshotState::Changed
                }
            }
            Some(Err(why)) => {
                if update != Update::Always {
                    self.report.errors.push(format!(
                        "{} cannot be read ({why}): accept its pending snapshot, or rewrite it with --update always",
                        accepted_path.display()
                    ));
                }
                SnapshotState::Changed
            }
        };
        if state.is_change() {
            let gold = article.gold.as_ref().map_or(&[][..], |g| &g.quotes[..]);
            let new_levels = || match failure {
                Some(_) => Levels::failed(gold),
                None => Levels::of_with(
                    &article.text,
                    gold,
                    predictions,
                    &self.scheme,
                    self.settings.fidelity,
                ),
            };
            // An accepted snapshot that cannot be read, or whose rendering
            // cannot be read back on this text, gets no grade.
            let grading = match &old {
                None => Some(grade(None, &new_levels())),
                Some(Ok(o)) => Levels::of_rendering_with(
                    &article.text,
                    gold,
                    &o.body,
                    &self.scheme,
                    self.settings.fidelity,
                )
                .ok()
                .map(|old_levels| grade(Some(&old_levels), &new_levels())),
                Some(Err(_)) => None,
            };
            if let Some(g) = grading {
                new.grading = Some(g.clone());
                self.report.extractors[slot]
                    .grades
                    .push((id.to_string(), g));
            }
        }
        let entry = &mut self.report.extractors[slot];
        let new_label = match (state, update) {
            (SnapshotState::Unchanged, Update::No) => None,
            (SnapshotState::Unchanged, _) => {
                self.store.remove_pending(extractor, id)?;
                // A header of another gold, or predictions named the old
                // way (`p3`), is rewritten when `always` asks for it.
                let stale_header = matches!(&old, Some(Ok(o))
                    if o.info != new.info || o.unstable != new.unstable || !o.same_body(&new));
                if update == Update::Always && stale_header {
                    self.store.write_accepted(&new)?;
                    entry.accepted_written += 1;
                }
                None
            }
            (_, Update::Always) => {
                let path = self.store.write_accepted(&new)?;
                self.store.remove_pending(extractor, id)?;
                entry.accepted_written += 1;
                Some(format!("{} (written)", path.display()))
            }
            (_, Update::New) => {
                let path = self.store.write_pending(&new)?;
                entry.pending_written += 1;
                Some(format!("{} (pending)", path.display()))
            }
            (_, Update::No) => Some(format!("{extractor} on {id} (this run, not written)")),
        };
        if let Some(new_label) = new_label {
            let keep = self
                .settings
                .keep_diffs
                .is_none_or(|n| entry.diffs.len() < n);
            if keep {
                let old_body = match &old {
                    Some(Ok(o)) => Some(o.body_renamed()),
                    _ => None,
                };
                let old_label = match &old {
                    None => format!("{} (none accepted)", accepted_path.display()),
                    Some(_) => format!("{} ({old_note})", accepted_path.display()),
                };
                entry.diffs.push((
                    id.to_string(),
                    snapshot_diff(old_body.as_deref(), &new.body, &old_label, &new_label),
                ));
            }
        }
        Ok(Some(state))
    }

    /// The snapshot files of compared extractors whose article was not
    /// seen in this run, by extractor and article. Only those whose
    /// article is gone from the corpus are unreferenced: the caller checks.
    pub fn unseen(&self) -> io::Result<Vec<(String, String, Vec<PathBuf>)>> {
        let mut out: BTreeMap<(String, String), Vec<PathBuf>> = BTreeMap::new();
        for e in &self.report.extractors {
            let seen = self.seen.get(&e.name);
            for entry in self.store.entries(&e.name)? {
                if !seen.is_some_and(|s| s.contains(&entry.article)) {
                    out.entry((entry.extractor, entry.article))
                        .or_default()
                        .push(entry.path);
                }
            }
        }
        Ok(out
            .into_iter()
            .map(|((e, a), paths)| (e, a, paths))
            .collect())
    }

    /// Ends the run: records the snapshots whose article is gone
    /// (`gone_articles`, from [`Checker::unseen`]) and, when the run
    /// covered every configured extractor (`all_extractors`), the folders
    /// of extractors that are not among them; deletes them when `delete`.
    pub fn finish(
        mut self,
        gone_articles: Vec<(String, String, Vec<PathBuf>)>,
        all_extractors: Option<&[String]>,
        delete: bool,
    ) -> SnapshotReport {
        let mut unreferenced: Vec<Unreferenced> = gone_articles
            .into_iter()
            .map(|(extractor, article, paths)| Unreferenced::Article {
                extractor,
                article,
                paths,
            })
            .collect();
        if let Some(names) = all_extractors {
            match self.store.extractors() {
                Ok(folders) => {
                    for folder in folders.into_iter().filter(|f| !names.contains(f)) {
                        match self.store.entries(&folder) {
                            Ok(entries) if !entries.is_empty() => {
                                unreferenced.push(Unreferenced::Extractor {
                                    path: self.store.root().join(&folder),
                                    extractor: folder,
                                    paths: entries.into_iter().map(|e| e.path).collect(),
                                })
                            }
                            Ok(_) => {}
                            Err(e) => self.report.errors.push(e.to_string()),
                        }
                    }
                }
                Err(e) => self.report.errors.push(e.to_string()),
            }
        }
        if delete && !unreferenced.is_empty() {
            for u in &unreferenced {
                for path in u.paths() {
                    if let Err(e) = remove_if_exists(path) {
                        self.report
                            .errors
                            .push(format!("cannot delete {}: {e}", path.display()));
                    }
                    remove_empty_parents(path, self.store.root());
                }
            }
            self.report.deleted = true;
        }
        self.report.unreferenced = unreferenced;
        self.report
    }
}

/// The repeats behind a snapshot being compared.
#[derive(Clone)]
struct Repeats<'a> {
    /// The mark of the new snapshot.
    unstable: Option<crate::snapshot::Unstable>,
    /// Every repeat's rendering.
    bodies: &'a [&'a str],
}

impl Repeats<'_> {
    /// Whether `old` was accepted unstable and some repeat renders its
    /// body: a difference within the instability it records.
    fn within(&self, old: &SnapshotFile) -> bool {
        old.unstable.is_some()
            && self.bodies.iter().any(|b| {
                let other = SnapshotFile {
                    body: b.to_string(),
                    ..old.clone()
                };
                old.same_body(&other) || old.same_body_renamed(&other)
            })
    }
}

/// Removes the folders above `path` that are left empty, up to (not
/// including) `root`.
fn remove_empty_parents(path: &Path, root: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a failure the extractor decided is rendered into a snapshot; a
    /// time-out, a crash or an unavailable extractor is never written, so
    /// it can never be accepted.
    #[test]
    fn only_deterministic_failures_are_snapshotted() {
        let root = tempfile::tempdir().unwrap();
        let mut checker = Checker::new(
            SnapshotSettings {
                root: root.path().to_path_buf(),
                update: Update::New,
                start: true,
                keep_diffs: None,
                fidelity: Default::default(),
            },
            Scheme::default(),
        );
        let article = |id: &str| crate::corpus::Article {
            id: crate::corpus::ArticleId::new(id).unwrap(),
            text: "Nothing was said.".into(),
            gold: None,
        };
        let none = crate::align::Alignment::default();
        let mut states = Vec::new();
        use crate::extract::FailureKind;
        for kind in [
            FailureKind::Error,
            FailureKind::InvalidOutput,
            FailureKind::Missing,
            FailureKind::Timeout,
            FailureKind::Crashed,
            FailureKind::OutputTooLarge,
            FailureKind::Unavailable,
        ] {
            let failure = crate::extract::Failure::new(kind, "why");
            let state = checker.check("x", &article(kind.as_str()), &[], &none, Some(&failure));
            states.push((kind.as_str(), state, kind.is_deterministic()));
        }
        for (kind, state, deterministic) in states {
            let pending = root.path().join("x").join(format!("{kind}.snap.new"));
            if deterministic {
                assert_eq!(state, SnapshotState::New, "{kind}");
                assert_eq!(
                    SnapshotFile::parse(&std::fs::read_to_string(&pending).unwrap())
                        .unwrap()
                        .body,
                    format!("failed · {kind}\n  why\n")
                );
            } else {
                assert_eq!(state, SnapshotState::None, "{kind}");
                assert!(!pending.exists(), "{kind}");
            }
        }
    }
}
