//! Article ids: the only part of the input that becomes a file name; and
//! the ids people type, which may name nothing: [`Corpus::find`] answers
//! those with the ids they probably meant ([`closest_ids`]).

use std::fmt;

use super::model::Article;
use super::read::{Corpus, Item};

/// The longest segment of an id, in bytes: the last one becomes a file
/// name with `.snap.new` (9 bytes) after it, and file systems allow 255.
pub const MAX_SEGMENT: usize = 255 - ".snap.new".len();

/// A validated article id: `[A-Za-z0-9._-]` segments separated by `/`, no
/// segment `.` or `..`, no empty segment, none longer than [`MAX_SEGMENT`]
/// bytes.
///
/// Ids become snapshot file names and report anchors, so nothing else ever
/// gets past this type: an unsafe id is rejected before any file is touched.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct ArticleId(String);

/// Why an id is unsafe.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unsafe article id {id:?}: {reason}")]
pub struct UnsafeId {
    /// The id as given.
    pub id: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl ArticleId {
    /// Checks `id` and wraps it.
    pub fn new(id: &str) -> Result<ArticleId, UnsafeId> {
        let reason = if id.is_empty() {
            Some("it is empty")
        } else if id.split('/').any(str::is_empty) {
            Some("it has an empty segment (a leading, trailing or double `/`)")
        } else if id.split('/').any(|s| s == "." || s == "..") {
            Some("a segment is `.` or `..`")
        } else if id.split('/').any(|s| s.len() > MAX_SEGMENT) {
            Some("a segment is longer than 246 bytes: with `.snap.new` after it, its file name would pass the 255-byte limit of file systems")
        } else if !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/'))
        {
            Some("only letters A-Z a-z, digits, `.`, `_`, `-` and `/` between segments are allowed")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(UnsafeId {
                id: id.to_string(),
                reason,
            }),
            None => Ok(ArticleId(id.to_string())),
        }
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The ids of [`closest_ids`] in words: `did you mean a?`, `did you mean
/// a, b?`; `None` when there is none.
pub fn did_you_mean<S: AsRef<str>>(ids: &[S]) -> Option<String> {
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    (!ids.is_empty()).then(|| format!("did you mean {}?", ids.join(", ")))
}

/// An article id that names no article of a corpus.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no article {id:?} in {corpus}")]
pub struct UnknownArticle {
    /// The id as given.
    pub id: String,
    /// The corpus, as given.
    pub corpus: String,
    /// The ids it probably meant ([`closest_ids`]), best first.
    pub closest: Vec<String>,
    hint: String,
}

impl UnknownArticle {
    /// `id` names nothing in `corpus`: `closest` are the ids it probably
    /// meant, and `example` is one of the corpus's ids, if it has any.
    pub fn new(
        id: &str,
        corpus: &str,
        closest: Vec<String>,
        example: Option<&str>,
    ) -> UnknownArticle {
        let hint = match (did_you_mean(&closest), example) {
            (Some(suggestion), _) => suggestion,
            (None, Some(example)) => {
                format!("ids are paths relative to the corpus without `.txt`, such as `{example}`")
            }
            (None, None) => format!("{corpus} holds no article"),
        };
        UnknownArticle {
            id: id.to_string(),
            corpus: corpus.to_string(),
            closest,
            hint,
        }
    }

    /// What to do about it: the ids it probably meant, or what an id
    /// looks like.
    pub fn hint(&self) -> &str {
        &self.hint
    }
}

/// Why [`Corpus::find`] found no article.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FindError {
    /// No article has the id.
    #[error(transparent)]
    Unknown(#[from] UnknownArticle),
    /// The article is there but cannot be loaded.
    #[error("article {id:?} cannot be loaded: {message}")]
    Broken {
        /// The id as given.
        id: String,
        /// The first error that keeps it from loading.
        message: String,
        /// The command that lists every problem of the corpus.
        hint: String,
    },
}

impl FindError {
    /// What to do about it.
    pub fn hint(&self) -> &str {
        match self {
            FindError::Unknown(e) => e.hint(),
            FindError::Broken { hint, .. } => hint,
        }
    }
}

impl Corpus {
    /// The article `id` (exactly as the corpus has it), read. When there is
    /// none, the error names the ids it probably meant. Reads the corpus up
    /// to the article, or all of it when it is not there, one article at a
    /// time.
    pub fn find(&self, id: &str) -> Result<Article, FindError> {
        let mut closest = Closest::new(id);
        let mut example = None;
        for item in self.items() {
            let other = match item {
                Item::Article { article, .. } if article.id.as_str() == id => return Ok(article),
                Item::Broken { id: broken, issues } if broken == id => {
                    return Err(FindError::Broken {
                        id: broken,
                        message: issues.first().map_or(String::new(), |i| i.message.clone()),
                        hint: format!("run `quotecheck validate {}`", self.display()),
                    })
                }
                Item::Article { article, .. } => article.id.0,
                Item::Broken { id, .. } => id,
            };
            closest.offer(&other);
            example.get_or_insert(other);
        }
        let unknown =
            UnknownArticle::new(id, self.display(), closest.into_ids(), example.as_deref());
        Err(unknown.into())
    }
}

#[cfg(test)]
mod lookup_tests {
    use super::{did_you_mean, UnknownArticle};

    #[test]
    fn the_suggestion_in_words() {
        assert_eq!(did_you_mean::<&str>(&[]), None);
        assert_eq!(did_you_mean(&["a"]).unwrap(), "did you mean a?");
        assert_eq!(did_you_mean(&["a", "b"]).unwrap(), "did you mean a, b?");
    }

    #[test]
    fn an_unknown_article_hints_the_ids_meant_or_what_an_id_is() {
        let meant = UnknownArticle::new("lyon", "c", vec!["world/lyon".into()], Some("a"));
        assert_eq!(meant.to_string(), "no article \"lyon\" in c");
        assert_eq!(meant.hint(), "did you mean world/lyon?");
        let far = UnknownArticle::new("zzz", "c", Vec::new(), Some("a/b"));
        assert_eq!(
            far.hint(),
            "ids are paths relative to the corpus without `.txt`, such as `a/b`"
        );
        let empty = UnknownArticle::new("zzz", "c", Vec::new(), None);
        assert_eq!(empty.hint(), "c holds no article");
    }
}

/// A 64-bit hash of an id, for sets of ids that must stay small however
/// large the corpus (a false collision is negligible: p ≈ 3·10⁻⁸ at a
/// million articles). Stable within one process only.
pub fn hash_id(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(id)
}

/// A second 64-bit hash of an id, independent of [`hash_id`]: kept beside
/// it where two ids of one hash must be told apart. Stable within one
/// process only.
pub fn check_hash_id(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one((0x5eed_u16, id))
}

/// The ids of `ids` closest to `wanted`, best first, for a "did you mean":
/// at most three, all at the smallest distance found, and none when no id
/// is close enough to be a slip of the keyboard.
///
/// Close means a small edit distance (about one edit in three
/// characters), or a missing path prefix: `bremen-hansewerft` is close to
/// `world/bremen-hansewerft`. `wanted` may be a glob pattern
/// (`--articles`); then an id is close when the pattern matches it once a
/// leading path prefix is taken off, or when the literal part before the
/// first `*`, `?` or `[` is close to the id's start.
///
/// ```
/// use quotecheck::corpus::closest_ids;
///
/// let ids = ["bbc-libya-us-talks", "world/bremen-hansewerft", "van-driver-jailed"];
/// assert_eq!(closest_ids("bbc-libya-us-talk", ids), ["bbc-libya-us-talks"]);
/// assert_eq!(closest_ids("bremen-hansewerft", ids), ["world/bremen-hansewerft"]);
/// assert_eq!(closest_ids("bbc/**", ids), ["bbc-libya-us-talks"]);
/// assert!(closest_ids("ferry-strike-talks", ids).is_empty());
/// ```
pub fn closest_ids<'a>(wanted: &str, ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut closest = Closest::new(wanted);
    for id in ids {
        closest.offer(id);
    }
    closest.into_ids()
}

/// How many ids a "did you mean" names at most.
const SUGGESTED: usize = 3;

/// The ids closest to a wanted id or pattern, kept as ids are offered one
/// at a time, so a corpus is never held in memory to suggest one: what
/// [`closest_ids`] uses, and the runner while it reads a corpus.
#[derive(Clone, Debug)]
pub struct Closest {
    wanted: Vec<char>,
    /// The pattern, when `wanted` has glob syntax.
    pattern: Option<glob::Pattern>,
    /// For a pattern, its literal start; otherwise all of `wanted`.
    literal: Vec<char>,
    /// The distance of the ids kept, and the ids (sorted).
    best: Option<(usize, Vec<String>)>,
}

impl Closest {
    /// Looks for the ids closest to `wanted`, an id or a glob pattern.
    pub fn new(wanted: &str) -> Closest {
        let glob = wanted.contains(['*', '?', '[']);
        let pattern = glob.then(|| glob::Pattern::new(wanted).ok()).flatten();
        let literal: Vec<char> = if glob {
            wanted.chars().take_while(|c| !"*?[".contains(*c)).collect()
        } else {
            wanted.chars().collect()
        };
        Closest {
            wanted: wanted.chars().collect(),
            pattern,
            literal,
            best: None,
        }
    }

    /// Considers `id`.
    pub fn offer(&mut self, id: &str) {
        let Some(d) = self.distance(id) else {
            return;
        };
        match &mut self.best {
            Some((best, _)) if d > *best => {}
            Some((best, ids)) if d == *best => {
                let at = ids.partition_point(|i| i.as_str() < id);
                if ids.get(at).is_none_or(|i| i != id) && at < SUGGESTED {
                    ids.insert(at, id.to_string());
                    ids.truncate(SUGGESTED);
                }
            }
            _ => self.best = Some((d, vec![id.to_string()])),
        }
    }

    /// The closest ids offered, sorted; empty when none was close.
    pub fn into_ids(self) -> Vec<String> {
        self.best.map(|(_, ids)| ids).unwrap_or_default()
    }

    /// How far `id` is from what is wanted, when it is close at all.
    fn distance(&self, id: &str) -> Option<usize> {
        // A leading path prefix left out: `x` for `world/x`.
        let tails = || id.match_indices('/').map(|(i, _)| &id[i + 1..]);
        if let Some(p) = &self.pattern {
            if tails().any(|t| p.matches(t)) {
                return Some(1);
            }
        } else if tails().any(|t| t.chars().eq(self.wanted.iter().copied())) {
            return Some(1);
        }
        let wanted = &self.literal;
        if wanted.is_empty() {
            return None;
        }
        let limit = wanted.len().div_ceil(3).max(1);
        let id: Vec<char> = id.chars().collect();
        // A pattern's literal start is compared with the id's start.
        let against = match self.pattern {
            Some(_) => &id[..id.len().min(wanted.len())],
            None => &id[..],
        };
        if against.len().abs_diff(wanted.len()) > limit {
            return None;
        }
        let d = edit_distance(wanted, against);
        (d <= limit).then_some(d)
    }
}

/// The Levenshtein distance of `a` and `b`, in characters, ignoring ASCII
/// case.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(!ca.eq_ignore_ascii_case(cb)))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{closest_ids, ArticleId};

    #[test]
    fn accepts_safe_ids_and_rejects_traversal() {
        for ok in ["a", "bbc/2011/libya-us_talks.v2", "..a", "a..b"] {
            assert!(ArticleId::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "../x", "a/../b", "./a", "/abs", "a//b", "a/", "a b", "a\\b", "é", "a:b",
        ] {
            assert!(ArticleId::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn closest_ids_are_near_misses_only() {
        let ids = [
            "bbc-libya-us-talks",
            "chef-nunez-apology",
            "world/bremen-hansewerft",
            "world/lyon-musee-greve",
            "van-driver-jailed",
        ];
        // A typo, a missing or a case-changed letter.
        assert_eq!(closest_ids("van-drivr-jailed", ids), ["van-driver-jailed"]);
        assert_eq!(
            closest_ids("Chef-Nunez-Apology", ids),
            ["chef-nunez-apology"]
        );
        // A missing path prefix, for an id and for a pattern.
        assert_eq!(
            closest_ids("lyon-musee-greve", ids),
            ["world/lyon-musee-greve"]
        );
        assert_eq!(closest_ids("bremen-*", ids), ["world/bremen-hansewerft"]);
        // A pattern whose literal start is near an id's.
        assert_eq!(closest_ids("bbc/**", ids), ["bbc-libya-us-talks"]);
        assert_eq!(
            closest_ids("wrld/*", ids),
            ["world/bremen-hansewerft", "world/lyon-musee-greve"]
        );
        // Nothing near.
        assert!(closest_ids("ferry-strike-talks", ids).is_empty());
        assert!(closest_ids("**/*.txt", ids).is_empty());
        assert!(closest_ids("x", ids).is_empty());
        // At most three, sorted, the nearest only.
        let many = ["a1", "a2", "a3", "a4", "ab"];
        assert_eq!(closest_ids("a", many), ["a1", "a2", "a3"]);
        assert_eq!(closest_ids("a5", many), ["a1", "a2", "a3"]);
    }
}
