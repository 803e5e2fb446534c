//! Curating gold corpora: canonical formatting, statistics, drafting gold
//! from an extractor, promoting reviewed drafts, and agreement between two
//! annotations of the same articles.
//!
//! A stage after `score`: drafting asks an extractor, agreement scores one
//! annotation against another. Gold files are only ever written here
//! through [`crate::corpus::write`], atomically, and existing gold is never
//! overwritten except by `fmt` (same records, canonical form) and
//! `promote` (status only).

pub mod pairwise;
pub mod table;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::align::Scheme;
use crate::corpus::write::{
    atomically, canonical_order, gold_json_hashed, gold_json_in, WriteError,
};
use crate::corpus::{
    Article, ArticleId, Corpus, CorpusError, Gold, GoldQuote, GoldSpeaker, Item, Kind, PredMention,
    PredPart, Prediction, Status,
};
use crate::extract::Extractor;
use crate::score::{score_article, ArticleScore, Criterion, Totals};

/// What `fmt` found.
#[derive(Clone, Debug, Default)]
pub struct FmtOutcome {
    /// Gold files not in canonical form (rewritten unless checking).
    pub changed: Vec<PathBuf>,
    /// Gold files already canonical.
    pub unchanged: usize,
    /// Articles that cannot be loaded, so were left alone.
    pub skipped: Vec<String>,
}

impl FmtOutcome {
    /// Whether every gold file is canonical once `fmt` is done: none was
    /// left alone as invalid (a file that cannot be read is not canonical
    /// either), and, when only checking (`check`), none would change.
    pub fn is_canonical(&self, check: bool) -> bool {
        self.skipped.is_empty() && (!check || self.changed.is_empty())
    }
}

/// The canonical form of `gold` to replace the gold file `current`: with
/// the text hash when `current` records one (it was checked against the
/// text when the corpus was read, so it stays true).
fn rewritten(current: &[u8], id: &ArticleId, text: &str, gold: &Gold) -> String {
    let hashed = serde_json::from_slice::<serde_json::Value>(current)
        .is_ok_and(|v| v.get("text_sha256").is_some());
    if hashed {
        gold_json_hashed(id, text, gold, gold.offsets)
    } else {
        gold_json_in(id, text, gold, gold.offsets)
    }
}

/// Puts every gold file of a folder corpus in canonical form (or, with
/// `check`, only lists those that are not). Formatting keeps every record
/// and field and the offsets unit, so it never changes a figure.
pub fn fmt(corpus: &Corpus, check: bool) -> Result<FmtOutcome, WriteError> {
    let mut out = FmtOutcome::default();
    for item in corpus.items() {
        match item {
            Item::Broken { id, .. } => out.skipped.push(id),
            Item::Article { article, .. } => {
                let Some(mut gold) = article.gold.clone() else {
                    continue;
                };
                let Some(path) = corpus.gold_path(&article.id) else {
                    continue;
                };
                canonical_order(&mut gold);
                let current = std::fs::read(&path).unwrap_or_default();
                let canonical = rewritten(&current, &article.id, &article.text, &gold);
                if current == canonical.as_bytes() {
                    out.unchanged += 1;
                } else {
                    if !check {
                        atomically(&path, canonical.as_bytes())?;
                    }
                    out.changed.push(path);
                }
            }
        }
    }
    Ok(out)
}

/// A corpus in numbers.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Stats {
    /// The corpus path.
    pub corpus: String,
    /// Articles found.
    pub articles: usize,
    /// With `gold` status.
    pub annotated: usize,
    /// With `draft` status.
    pub drafts: usize,
    /// Without gold.
    pub unannotated: usize,
    /// That cannot be loaded.
    pub broken: usize,
    /// Gold records in loadable articles.
    pub quotes: usize,
    /// Records per kind (`none` for untyped).
    pub kinds: BTreeMap<String, usize>,
    /// Optional records.
    pub optional: usize,
    /// Records with several content parts.
    pub discontinuous: usize,
    /// Records without a speaker.
    pub no_speaker: usize,
    /// Records whose speaker mention is a pronoun.
    pub pronoun_speakers: usize,
    /// Distinct speaker entities per annotated article: a histogram.
    pub speakers_per_article: BTreeMap<usize, usize>,
    /// Files per offsets unit.
    pub offset_units: BTreeMap<String, usize>,
    /// Quote-mark styles seen at the edges of direct quotes.
    pub quote_marks: BTreeMap<String, usize>,
    /// Content length in tokens: a histogram by bucket.
    pub content_tokens: BTreeMap<String, usize>,
    /// Article length in characters: a histogram by bucket.
    pub article_chars: BTreeMap<String, usize>,
}

const PRONOUNS: &[&str] = &[
    "he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "il", "elle", "er",
    "sie",
];

fn bucket(n: usize, edges: &[usize]) -> String {
    for w in edges.windows(2) {
        if n < w[1] {
            return format!("{:>5}–{:<5}", w[0], w[1] - 1);
        }
    }
    format!("{:>5}+     ", edges[edges.len() - 1])
}

/// Counts what a corpus holds.
pub fn stats(corpus: &Corpus) -> Stats {
    let mut s = Stats {
        corpus: corpus.display().to_string(),
        ..Stats::default()
    };
    for item in corpus.items() {
        s.articles += 1;
        let article = match item {
            Item::Broken { .. } => {
                s.broken += 1;
                continue;
            }
            Item::Article { article, .. } => article,
        };
        *s.article_chars
            .entry(bucket(
                article.text.chars().count(),
                &[0, 500, 1000, 2000, 4000, 8000],
            ))
            .or_default() += 1;
        let Some(gold) = &article.gold else {
            s.unannotated += 1;
            continue;
        };
        match gold.status {
            Status::Gold => s.annotated += 1,
            Status::Draft => s.drafts += 1,
        }
        *s.offset_units
            .entry(gold.offsets.as_str().to_string())
            .or_default() += 1;
        let mut entities = std::collections::BTreeSet::new();
        for q in &gold.quotes {
            s.quotes += 1;
            *s.kinds
                .entry(q.kind.map_or("none", Kind::as_str).to_string())
                .or_default() += 1;
            s.optional += usize::from(q.optional);
            s.discontinuous += usize::from(q.content.len() > 1);
            match &q.speaker {
                None => s.no_speaker += 1,
                Some(sp) => {
                    if PRONOUNS.contains(&sp.text.to_lowercase().as_str()) {
                        s.pronoun_speakers += 1;
                    }
                    entities.insert(sp.entity.clone().unwrap_or_else(|| sp.text.clone()));
                }
            }
            let tokens: usize = q
                .content
                .iter()
                .map(|c| crate::text::tokens(c.slice(&article.text)).len())
                .sum();
            *s.content_tokens
                .entry(bucket(tokens, &[0, 5, 10, 20, 40, 80]))
                .or_default() += 1;
            if q.kind == Some(Kind::Direct) {
                let first = q.content[0];
                let last = q.content[q.content.len() - 1];
                // The marks are outside the content (this project's
                // guidelines) or its own first and last characters (corpora
                // whose content includes them, such as the German one); a
                // mark at one end only opens or closes a quotation inside.
                let inside = (
                    first
                        .slice(&article.text)
                        .chars()
                        .next()
                        .filter(|&c| is_quote_mark(c)),
                    last.slice(&article.text)
                        .chars()
                        .next_back()
                        .filter(|&c| is_quote_mark(c)),
                );
                let (before, after) = match inside {
                    (Some(b), Some(a)) => (Some(b), Some(a)),
                    _ => (
                        article.text[..first.start].chars().next_back(),
                        article.text[last.end..].chars().next(),
                    ),
                };
                if let (Some(b), Some(a)) = (before, after) {
                    if !b.is_alphanumeric() && !b.is_whitespace() {
                        *s.quote_marks.entry(format!("{b}…{a}")).or_default() += 1;
                    }
                }
            }
        }
        *s.speakers_per_article.entry(entities.len()).or_default() += 1;
    }
    s
}

/// Whether `c` is a quotation mark: ASCII, typographic, guillemets, CJK corners.
fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '«'
            | '»'
            | '‹'
            | '›'
            | '„'
            | '‚'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '「'
            | '」'
            | '『'
            | '』'
    )
}

/// What `draft` did.
#[derive(Clone, Debug, Default)]
pub struct DraftOutcome {
    /// Draft gold files written, with their number of records.
    pub written: Vec<(PathBuf, usize)>,
    /// Articles skipped, with why.
    pub skipped: Vec<(String, String)>,
}

pub use crate::corpus::draft_record;

/// Writes `status: draft` gold for the unannotated articles of a folder
/// corpus (all of them, or those in `only`) from an extractor's output.
/// Articles with a gold file are never touched.
pub fn draft(
    corpus: &Corpus,
    extractor: &dyn Extractor,
    only: &[String],
) -> Result<DraftOutcome, WriteError> {
    let mut out = DraftOutcome::default();
    let mut targets: Vec<(ArticleId, String, Gold)> = Vec::new();
    let mut annotated: Vec<String> = Vec::new();
    // Drafts are made for unannotated articles: run on those only.
    let mut ids = std::collections::HashSet::new();
    for item in corpus.items() {
        if let Item::Article { article, .. } = item {
            let wanted = only.is_empty() || only.iter().any(|o| o == article.id.as_str());
            match (&article.gold, wanted) {
                (None, true) => {
                    ids.insert(article.id.to_string());
                }
                (Some(_), true) if !only.is_empty() => annotated.push(article.id.to_string()),
                _ => {}
            }
        }
    }
    for id in annotated {
        out.skipped.push((
            id,
            "already has a gold file; drafts never replace gold".into(),
        ));
    }
    let unknown: Vec<String> = only
        .iter()
        .filter(|o| !ids.contains(*o) && !out.skipped.iter().any(|(s, _)| s == *o))
        .cloned()
        .collect();
    for id in unknown {
        out.skipped.push((id, "no such article".into()));
    }
    if ids.is_empty() {
        return Ok(out);
    }
    // The runner scores annotated articles only: drafts call the extractor
    // directly, one article at a time.
    for item in corpus.items() {
        let Item::Article { article, .. } = item else {
            continue;
        };
        if !ids.contains(article.id.as_str()) {
            continue;
        }
        match extractor.extract(&article) {
            Err(f) => out
                .skipped
                .push((article.id.to_string(), format!("the extractor failed: {f}"))),
            Ok(output) => {
                let quotes: Vec<GoldQuote> = output
                    .quotes
                    .iter()
                    .enumerate()
                    .filter_map(|(n, p)| draft_record(&article.text, n + 1, p))
                    .collect();
                let mut gold = Gold {
                    status: Status::Draft,
                    quotes,
                    ..Gold::default()
                };
                canonical_order(&mut gold);
                for (n, q) in gold.quotes.iter_mut().enumerate() {
                    q.id = format!("q{}", n + 1);
                }
                targets.push((article.id.clone(), article.text.clone(), gold));
            }
        }
    }
    for (id, text, gold) in targets {
        let Some(path) = corpus.gold_path(&id) else {
            continue;
        };
        if path.exists() {
            out.skipped.push((
                id.to_string(),
                "a gold file appeared meanwhile; left alone".into(),
            ));
            continue;
        }
        atomically(
            &path,
            gold_json_in(&id, &text, &gold, gold.offsets).as_bytes(),
        )?;
        out.written.push((path, gold.quotes.len()));
    }
    Ok(out)
}

/// The outcome of promoting one article: its id, and the file written or
/// why it was not promoted.
pub type Promotion = (String, Result<PathBuf, NotPromoted>);

/// Why an article was not promoted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotPromoted {
    /// The article does not load; the first line of its first problem.
    #[error("it does not validate: {0}")]
    Invalid(String),
    /// It has no gold file.
    #[error("it has no gold file to promote")]
    NoGold,
    /// Its gold is gold already.
    #[error("it is already gold")]
    AlreadyGold,
    /// No article has that id.
    #[error("no such article")]
    NoSuchArticle,
}

/// Marks reviewed drafts as gold. Each must load without errors.
pub fn promote(corpus: &Corpus, ids: &[String]) -> Result<Vec<Promotion>, WriteError> {
    let mut results = Vec::new();
    let mut wanted: BTreeMap<&str, Option<Result<PathBuf, NotPromoted>>> =
        ids.iter().map(|i| (i.as_str(), None)).collect();
    for item in corpus.items() {
        let (id, outcome) = match item {
            Item::Broken { id, issues } => {
                let why = issues.first().map_or(String::new(), |i| {
                    i.message.lines().next().unwrap_or("").to_string()
                });
                (id, Err(NotPromoted::Invalid(why)))
            }
            Item::Article { article, .. } => {
                let id = article.id.to_string();
                if !wanted.contains_key(id.as_str()) {
                    continue;
                }
                match &article.gold {
                    None => (id, Err(NotPromoted::NoGold)),
                    Some(g) if g.status == Status::Gold => (id, Err(NotPromoted::AlreadyGold)),
                    Some(g) => {
                        let mut gold = g.clone();
                        gold.status = Status::Gold;
                        let path = corpus.gold_path(&article.id).expect("a folder corpus");
                        let current = std::fs::read(&path).unwrap_or_default();
                        let json = rewritten(&current, &article.id, &article.text, &gold);
                        atomically(&path, json.as_bytes())?;
                        (id, Ok(path))
                    }
                }
            }
        };
        if let Some(slot) = wanted.get_mut(id.as_str()) {
            *slot = Some(outcome);
        }
    }
    for (id, outcome) in wanted {
        results.push((
            id.to_string(),
            outcome.unwrap_or(Err(NotPromoted::NoSuchArticle)),
        ));
    }
    Ok(results)
}

/// Agreement of two annotations of the same articles.
#[derive(Clone, Debug, Default)]
pub struct Agreement {
    /// Articles annotated on both sides.
    pub articles: usize,
    /// B scored with A as the reference.
    pub b_against_a: Totals,
    /// A scored with B as the reference.
    pub a_against_b: Totals,
    /// Per article: id, content F1 and end-to-end F1 of B against A, and
    /// the records that differ, worst article first.
    pub per_article: Vec<ArticleAgreement>,
    /// Articles only one side annotates, or whose texts differ.
    pub unpaired: Vec<(String, String)>,
}

/// One article's agreement.
#[derive(Clone, Debug)]
pub struct ArticleAgreement {
    /// The article.
    pub id: String,
    /// B against A.
    pub score: ArticleScore,
    /// Records of A that B lacks (by content).
    pub only_a: Vec<String>,
    /// Records of B that A lacks.
    pub only_b: Vec<String>,
    /// Records both have but with different speakers: (A id, A speaker, B speaker).
    pub speaker_differs: Vec<(String, String, String)>,
}

/// A gold annotation read as predictions, to score another against it (or
/// to show gold where a page expects an extractor's output).
pub fn as_predictions(gold: &[GoldQuote]) -> Vec<Prediction> {
    gold.iter()
        .map(|q| Prediction {
            id: Some(q.id.clone()),
            content: q.content.iter().map(|s| PredPart::Located(*s)).collect(),
            speaker: q.speaker.as_ref().map(|s| PredMention {
                span: s.span,
                text: s.text.clone(),
            }),
            cue: q.cue.map(|c| PredMention {
                span: Some(c),
                text: String::new(),
            }),
            kind: q.kind,
        })
        .collect()
}

fn load(corpus: &Corpus) -> BTreeMap<String, Article> {
    corpus
        .items()
        .filter_map(|i| match i {
            Item::Article { article, .. } if article.gold.is_some() => {
                Some((article.id.to_string(), article))
            }
            _ => None,
        })
        .collect()
}

/// `records` as predictions, without those inside `ignore`, and the index
/// of each kept one in `records`.
fn outside(ignore: &[crate::corpus::Span], records: &[GoldQuote]) -> (Vec<usize>, Vec<Prediction>) {
    as_predictions(records)
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !crate::score::is_ignored(ignore, p))
        .unzip()
}

/// Scores annotation B against annotation A (and A against B), article by
/// article, under `scheme`; records of one inside the other's ignored
/// regions are set aside, as in a run.
pub fn agree(a: &Corpus, b: &Corpus, scheme: &Scheme) -> Result<Agreement, CorpusError> {
    let (a_docs, b_docs) = (load(a), load(b));
    let mut out = Agreement::default();
    for (id, da) in &a_docs {
        let Some(db) = b_docs.get(id) else {
            out.unpaired
                .push((id.clone(), "annotated only in the first".into()));
            continue;
        };
        if da.text != db.text {
            out.unpaired
                .push((id.clone(), "the two texts differ".into()));
            continue;
        }
        let (gold_a, gold_b) = (
            da.gold.as_ref().expect("loaded with gold"),
            db.gold.as_ref().expect("loaded with gold"),
        );
        let (ga, gb) = (&gold_a.quotes, &gold_b.quotes);
        // As in a run (scoring.md §4), the records of one annotation that
        // lie inside the other's ignored regions are set aside: `kept_b`
        // maps the scored predictions back to B's records.
        let (kept_b, pb) = outside(&gold_a.ignore, gb);
        let (_, pa) = outside(&gold_b.ignore, ga);
        let score = score_article(&da.text, ga, &pb, scheme);
        let reverse = score_article(&da.text, gb, &pa, scheme);
        out.b_against_a.add(&score);
        out.a_against_b.add(&reverse);
        out.articles += 1;
        let mut only_a = Vec::new();
        let mut speaker_differs = Vec::new();
        for (g, verdict) in score.alignment.gold.iter().enumerate() {
            match verdict {
                crate::align::GoldVerdict::Matched {
                    prediction,
                    speaker_correct: false,
                    ..
                } => {
                    let name = |s: &Option<GoldSpeaker>| {
                        s.as_ref()
                            .map_or("no speaker".to_string(), |s| format!("{:?}", s.text))
                    };
                    speaker_differs.push((
                        ga[g].id.clone(),
                        name(&ga[g].speaker),
                        name(&gb[kept_b[*prediction]].speaker),
                    ));
                }
                crate::align::GoldVerdict::Matched { .. } => {}
                _ => only_a.push(ga[g].id.clone()),
            }
        }
        let only_b = score
            .alignment
            .predictions
            .iter()
            .enumerate()
            .filter(|(_, v)| matches!(v, crate::align::PredictionVerdict::Spurious))
            .map(|(p, _)| gb[kept_b[p]].id.clone())
            .collect();
        out.per_article.push(ArticleAgreement {
            id: id.clone(),
            score,
            only_a,
            only_b,
            speaker_differs,
        });
    }
    for id in b_docs.keys().filter(|id| !a_docs.contains_key(*id)) {
        out.unpaired
            .push((id.clone(), "annotated only in the second".into()));
    }
    out.per_article.sort_by(|x, y| {
        let f = |a: &ArticleAgreement| a.score.counts(Criterion::Attribution).f1();
        f(x).total_cmp(&f(y)).then_with(|| x.id.cmp(&y.id))
    });
    Ok(out)
}
