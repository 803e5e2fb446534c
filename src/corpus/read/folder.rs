//! The folder layout: `<id>.txt` article texts and `<id>.json` gold files
//! below one root, paired by id.
//!
//! Listing happens when the corpus is opened (names only, so ids are
//! checked before anything is read); each entry's files are read when it
//! is parsed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::parse::{finish, read_json, read_text};
use super::{CorpusError, Item};
use crate::corpus::id::ArticleId;
use crate::corpus::issue::{Issue, Severity};
use crate::corpus::model::Article;
use crate::corpus::records::{resolve_gold, show, Diagnostics, Place};

/// One article of a folder corpus: its id and whichever of its files exist.
#[derive(Debug)]
pub(super) struct FolderEntry {
    /// The id as found.
    pub id: String,
    txt: Option<PathBuf>,
    json: Option<PathBuf>,
    /// The safe id, or what listing found wrong with it: an unsafe id or
    /// a case collision.
    listed: Result<ArticleId, Vec<Issue>>,
}

impl FolderEntry {
    /// Whether listing found both files under a usable id: an article
    /// with gold, unless reading it finds something wrong.
    pub fn has_gold(&self) -> bool {
        self.txt.is_some() && self.json.is_some() && self.listed.is_ok()
    }

    /// Where the gold file is, or would be beside the text.
    pub fn gold_path(&self) -> Option<PathBuf> {
        self.json
            .clone()
            .or_else(|| self.txt.as_ref().map(|t| t.with_extension("json")))
    }
}

/// Lists a folder corpus: every `.txt` and `.json` below `root`, paired by
/// id, in id order.
pub(super) fn list(root: &Path, display: &str) -> Result<Vec<FolderEntry>, CorpusError> {
    let files = files_by_id(root)?;
    let mut seen_lower: HashMap<String, String> = HashMap::new();
    let mut entries = Vec::with_capacity(files.len());
    for (id, (txt, json)) in files {
        let file = txt
            .as_ref()
            .or(json.as_ref())
            .map_or_else(|| display.to_string(), |p| p.display().to_string());
        let listed = match ArticleId::new(&id) {
            Err(e) => Err(vec![
                Issue::new(Severity::Error, "unsafe-id", &file, format!("{e}; the article is skipped"))
                    .article(&id)
                    .hint("rename the file: ids become file names, so only letters A-Z a-z, digits, `.`, `_` and `-` are allowed"),
            ]),
            Ok(safe) => match seen_lower.insert(id.to_lowercase(), id.clone()) {
                Some(other) => Err(vec![Issue::new(
                    Severity::Error,
                    "case-collision",
                    &file,
                    format!("ids {other:?} and {id:?} differ only in letter case; the second is skipped"),
                )
                .article(&id)
                .hint("they would collide on case-insensitive file systems: rename one")]),
                None => Ok(safe),
            },
        };
        entries.push(FolderEntry {
            id,
            txt,
            json,
            listed,
        });
    }
    Ok(entries)
}

/// The `.txt` and `.json` files below `root`, by id (the path below `root`
/// without the extension, `/`-separated).
type Files = BTreeMap<String, (Option<PathBuf>, Option<PathBuf>)>;

fn files_by_id(root: &Path) -> Result<Files, CorpusError> {
    let mut files = Files::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let io = |source| CorpusError::Io {
            path: dir.display().to_string(),
            source,
        };
        for entry in std::fs::read_dir(&dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let (stem, is_txt) = match path.extension().and_then(|e| e.to_str()) {
                Some("txt") => (path.with_extension(""), true),
                Some("json") => (path.with_extension(""), false),
                _ => continue,
            };
            let rel = stem.strip_prefix(root).unwrap_or(&stem);
            let id = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let slot = files.entry(id).or_default();
            if is_txt {
                slot.0 = Some(path);
            } else {
                slot.1 = Some(path);
            }
        }
    }
    Ok(files)
}

/// Reads and resolves the files of one entry.
pub(super) fn load(entry: &FolderEntry) -> Item {
    let broken = |issues| Item::Broken {
        id: entry.id.clone(),
        issues,
    };
    let id = match &entry.listed {
        Ok(id) => id.clone(),
        Err(listing) => return broken(listing.clone()),
    };
    let Some(txt) = &entry.txt else {
        let json = entry.json.as_ref().expect("an entry has a .txt or a .json");
        return broken(vec![Issue::new(
            Severity::Error,
            "missing-text",
            json.display().to_string(),
            format!(
                "gold file without its article text: `{}.txt` is missing",
                entry.id
            ),
        )
        .article(&entry.id)
        .hint("add the article text next to it, or remove the gold file")]);
    };
    let txt_display = txt.display().to_string();
    let text = match read_text(txt, &txt_display, &entry.id) {
        Ok(t) => t,
        Err(issue) => return broken(vec![*issue]),
    };
    let Some(json) = &entry.json else {
        let note = Issue::new(
            Severity::Note,
            "unannotated",
            &txt_display,
            "no gold file, so it is not scored",
        )
        .article(&entry.id);
        return Item::Article {
            article: Article {
                id,
                text,
                gold: None,
            },
            issues: vec![note],
        };
    };
    let json_display = json.display().to_string();
    let value = match read_json(json, &json_display, &entry.id) {
        Ok(v) => v,
        Err(issue) => return broken(vec![*issue]),
    };
    let mut diag = Diagnostics::new(Place {
        file: &json_display,
        line: None,
        article: &entry.id,
    });
    let Some(obj) = value.as_object() else {
        diag.error(
            "wrong-type",
            "",
            None,
            format!("a gold file must be a JSON object, not {}", show(&value)),
        );
        return broken(diag.issues);
    };
    diag.unknown_keys(
        obj,
        &["article", "offsets", "status", "source", "quotes", "ignore"],
        "",
        None,
    );
    match obj.get("article") {
        Some(Value::String(a)) if *a == entry.id => {}
        None => {}
        Some(other) => {
            diag.error(
                "article-mismatch",
                "article",
                None,
                format!(
                    "`article` is {} but the file belongs to article {:?}",
                    show(other),
                    entry.id
                ),
            )
            .hint = Some("fix `article`, or rename the file".into());
        }
    }
    let gold = resolve_gold(obj, &text, &mut diag);
    finish(id, text, gold, diag)
}
