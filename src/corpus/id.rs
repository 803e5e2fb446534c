//! Article ids: the only part of the input that becomes a file name.

use std::fmt;

/// A validated article id: `[A-Za-z0-9._-]` segments separated by `/`, no
/// segment `.` or `..`, no empty segment.
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

/// A 64-bit hash of an id, for sets of ids that must stay small however
/// large the corpus (a false collision is negligible: p ≈ 3·10⁻⁸ at a
/// million articles). Stable within one process only.
pub fn hash_id(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(id)
}

#[cfg(test)]
mod tests {
    use super::ArticleId;

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
}
