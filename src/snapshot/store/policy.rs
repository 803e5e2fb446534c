//! The update policy: what a run may write when a rendering differs from
//! its snapshot, as asked for (`--update`, `QUOTECHECK_UPDATE`) and as it
//! applies once CI is taken into account.
//!
//! Owns the policy's names and how `auto` resolves; knows nothing of files,
//! folders or renderings.

use std::str::FromStr;

/// The update policy as asked for (`--update`, `QUOTECHECK_UPDATE`), like
/// insta's `INSTA_UPDATE`: it may leave the choice to the environment
/// (`auto`). [`UpdatePolicy::resolve`] turns it into the [`Update`] a run
/// applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UpdatePolicy {
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

impl UpdatePolicy {
    /// What the policy does in an environment that is (or is not) CI.
    pub fn resolve(self, ci: bool) -> Update {
        match self {
            UpdatePolicy::Auto if ci => Update::No,
            UpdatePolicy::Auto | UpdatePolicy::New => Update::New,
            UpdatePolicy::Always => Update::Always,
            UpdatePolicy::No => Update::No,
        }
    }

    /// The policy in `QUOTECHECK_UPDATE`, if it is set (and not empty).
    pub fn from_env() -> Result<Option<UpdatePolicy>, PolicyVariableError> {
        match std::env::var("QUOTECHECK_UPDATE") {
            Ok(v) if !v.is_empty() => v.parse().map(Some).map_err(PolicyVariableError),
            _ => Ok(None),
        }
    }
}

impl FromStr for UpdatePolicy {
    type Err = UnknownPolicy;

    fn from_str(s: &str) -> Result<UpdatePolicy, UnknownPolicy> {
        match s {
            "auto" => Ok(UpdatePolicy::Auto),
            "always" => Ok(UpdatePolicy::Always),
            "new" => Ok(UpdatePolicy::New),
            "no" => Ok(UpdatePolicy::No),
            _ => Err(UnknownPolicy {
                value: s.to_string(),
            }),
        }
    }
}

/// A name that is not an update policy.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not an update policy: use auto, always, new or no")]
pub struct UnknownPolicy {
    /// The name given.
    pub value: String,
}

/// `QUOTECHECK_UPDATE` names no update policy.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("QUOTECHECK_UPDATE: {0}")]
pub struct PolicyVariableError(pub UnknownPolicy);

/// What a run does with a rendering that differs from its snapshot: the
/// [`UpdatePolicy`] resolved for the environment, as reports record it.
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
    type Err = UnknownUpdate;

    fn from_str(s: &str) -> Result<Update, UnknownUpdate> {
        match s {
            "always" => Ok(Update::Always),
            "new" => Ok(Update::New),
            "no" => Ok(Update::No),
            _ => Err(UnknownUpdate {
                value: s.to_string(),
            }),
        }
    }
}

/// A name that is not an [`Update`] (`auto` is a policy, not an update).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not always, new or no")]
pub struct UnknownUpdate {
    /// The name given.
    pub value: String,
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
        assert_eq!(UpdatePolicy::Auto.resolve(false), Update::New);
        assert_eq!(UpdatePolicy::Auto.resolve(true), Update::No);
        assert_eq!(UpdatePolicy::Always.resolve(true), Update::Always);
        assert_eq!(UpdatePolicy::New.resolve(true), Update::New);
        assert!("sometimes".parse::<UpdatePolicy>().is_err());
    }

    #[test]
    fn unknown_names_say_what_is_known() {
        assert_eq!(
            "sometimes".parse::<UpdatePolicy>().unwrap_err().to_string(),
            "\"sometimes\" is not an update policy: use auto, always, new or no"
        );
        assert_eq!(
            PolicyVariableError("x".parse::<UpdatePolicy>().unwrap_err()).to_string(),
            "QUOTECHECK_UPDATE: \"x\" is not an update policy: use auto, always, new or no"
        );
        assert_eq!(
            "auto".parse::<Update>().unwrap_err().to_string(),
            "\"auto\" is not always, new or no"
        );
    }
}
