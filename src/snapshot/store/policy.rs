//! The update policy: what a run may write when a rendering differs from
//! its snapshot, as asked for (`--update`, `QUOTECHECK_UPDATE`) and as it
//! applies once CI is taken into account.
//!
//! Owns the policy's names and how `auto` resolves; knows nothing of files,
//! folders or renderings.

use std::str::FromStr;

/// The update policy as asked for (`QUOTECHECK_UPDATE`, `--update`), like
/// insta's `INSTA_UPDATE`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UpdateMode {
    /// `new` locally, `no` when `CI` is set.
    #[default]
    Auto,
    /// Write `.snap` directly: an explicit request, the same as accepting.
    Always,
    /// Write changed and new renderings as pending `.snap.new` files.
    New,
    /// Write nothing.
    No,
}

impl UpdateMode {
    /// The policy it means in an environment that is (or is not) CI.
    pub fn resolve(self, ci: bool) -> Update {
        match self {
            UpdateMode::Auto if ci => Update::No,
            UpdateMode::Auto | UpdateMode::New => Update::New,
            UpdateMode::Always => Update::Always,
            UpdateMode::No => Update::No,
        }
    }

    /// The mode in `QUOTECHECK_UPDATE`, if it is set (and not empty).
    pub fn from_env() -> Result<Option<UpdateMode>, String> {
        match std::env::var("QUOTECHECK_UPDATE") {
            Ok(v) if !v.is_empty() => v
                .parse()
                .map(Some)
                .map_err(|e| format!("QUOTECHECK_UPDATE: {e}")),
            _ => Ok(None),
        }
    }
}

impl FromStr for UpdateMode {
    type Err = String;

    fn from_str(s: &str) -> Result<UpdateMode, String> {
        match s {
            "auto" => Ok(UpdateMode::Auto),
            "always" => Ok(UpdateMode::Always),
            "new" => Ok(UpdateMode::New),
            "no" => Ok(UpdateMode::No),
            _ => Err(format!(
                "{s:?} is not an update policy: use auto, always, new or no"
            )),
        }
    }
}

/// The update policy in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Update {
    /// Changed and new renderings are written as `.snap`: accepted.
    Always,
    /// Changed and new renderings are written as pending `.snap.new`.
    New,
    /// Nothing is written.
    No,
}

impl Update {
    /// `always`, `new` or `no`.
    pub fn as_str(self) -> &'static str {
        match self {
            Update::Always => "always",
            Update::New => "new",
            Update::No => "no",
        }
    }
}

impl FromStr for Update {
    type Err = String;

    fn from_str(s: &str) -> Result<Update, String> {
        match s {
            "always" => Ok(Update::Always),
            "new" => Ok(Update::New),
            "no" => Ok(Update::No),
            _ => Err(format!("{s:?} is not always, new or no")),
        }
    }
}

/// Whether the environment is CI: `CI` is set to anything but ``, `0` or
/// `false` (as CI services set it).
pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_modes_resolve_like_insta() {
        assert_eq!(UpdateMode::Auto.resolve(false), Update::New);
        assert_eq!(UpdateMode::Auto.resolve(true), Update::No);
        assert_eq!(UpdateMode::Always.resolve(true), Update::Always);
        assert_eq!(UpdateMode::New.resolve(true), Update::New);
        assert!("sometimes".parse::<UpdateMode>().is_err());
    }
}
