//! The folder layout: `<id>.txt` article texts and `<id>.json` gold files
//! below one root, paired by id.
//!
//! Listing happens when the corpus is opened (names only, so ids are
//! checked before anything is read); each entry's files are read when it
//! is parsed.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::limits::{kind_of, ReadLimits};
use super::parse::{finish, read_json, read_text};
use super::{CorpusError, Item};
use crate::corpus::id::ArticleId;
use crate::corpus::issue::{Issue, Severity};
use crate::corpus::model::Article;
use crate::corpus::records::{resolve_gold, show, Diagnostics, Place};
use crate::corpus::write::text_sha256;

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
/// id, in id order; and what listing found that belongs to no article
/// (links not followed, temporary files left by an interrupted write).
pub(super) fn list(
    root: &Path,
    display: &str,
) -> Result<(Vec<FolderEntry>, Vec<Issue>), CorpusError> {
    let Walk {
        files,
        mut refused,
        issues,
    } = walk(root, ReadLimits::current().follow_links)?;
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
            Ok(_) if refused.contains_key(&id) => Err(refused.remove(&id).unwrap_or_default()),
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
    Ok((entries, issues))
}

/// The `.txt` and `.json` files below `root`, by id (the path below `root`
/// without the extension, `/`-separated).
type Files = BTreeMap<String, (Option<PathBuf>, Option<PathBuf>)>;

/// What walking a corpus folder found.
struct Walk {
    files: Files,
    /// Ids whose `.txt` or `.json` is not a regular file, with why: they
    /// are listed (so the article is reported) but never read.
    refused: HashMap<String, Vec<Issue>>,
    /// What belongs to no article.
    issues: Vec<Issue>,
}

/// Walks the folder below `root`, each folder once: a symbolic link is
/// followed when it leads inside the corpus (or anywhere with
/// `follow_links`) and to something not listed yet, so a link loop ends.
fn walk(root: &Path, follow_links: bool) -> Result<Walk, CorpusError> {
    let io_at = |path: &Path| {
        let path = path.display().to_string();
        move |source| CorpusError::Io { path, source }
    };
    let real_root = std::fs::canonicalize(root).map_err(io_at(root))?;
    let mut out = Walk {
        files: Files::new(),
        refused: HashMap::new(),
        issues: Vec::new(),
    };
    let mut visited: HashSet<PathBuf> = HashSet::from([real_root.clone()]);
    let mut stack = vec![root.to_path_buf()];
    // Links to folders wait until every real folder is listed, so that
    // an article is known by its real path, not by a link's.
    let mut links: VecDeque<(PathBuf, PathBuf)> = VecDeque::new();
    while let Some(dir) = stack.pop().or_else(|| {
        while let Some((link, target)) = links.pop_front() {
            if visited.insert(target.clone()) {
                return Some(link);
            }
            out.issues.push(Issue::new(
                Severity::Note,
                "link-loop",
                link.display().to_string(),
                format!(
                    "a symbolic link to `{}`, a folder listed already; it is not listed again",
                    target.display()
                ),
            ));
        }
        None
    }) {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(io_at(&dir))? {
            entries.push(entry.map_err(io_at(&dir))?);
        }
        // In name order: which of two links to one folder is followed does
        // not depend on the order the file system lists them in.
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let path = entry.path();
            let shown = path.display().to_string();
            let mut file_type = entry.file_type().map_err(io_at(&path))?;
            let ext = match path.extension().and_then(|e| e.to_str()) {
                Some(e @ ("txt" | "json")) => Some(e),
                _ => None,
            };
            if file_type.is_symlink() {
                let target = match std::fs::canonicalize(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        if ext.is_some() {
                            out.issues.push(
                                Issue::new(
                                    Severity::Warning,
                                    "broken-link",
                                    &shown,
                                    format!(
                                        "a symbolic link that leads nowhere ({e}); it is skipped"
                                    ),
                                )
                                .hint("remove the link, or point it at the file"),
                            );
                        }
                        continue;
                    }
                };
                if !follow_links && !target.starts_with(&real_root) {
                    out.issues.push(
                        Issue::new(
                            Severity::Warning,
                            "link-outside",
                            &shown,
                            format!("a symbolic link to `{}`, outside the corpus; it is not followed", target.display()),
                        )
                        .hint("copy what it leads to into the corpus, or pass --follow-links to follow links that lead outside it"),
                    );
                    continue;
                }
                file_type = match std::fs::metadata(&target) {
                    Ok(m) => m.file_type(),
                    Err(_) => continue,
                };
                if file_type.is_dir() {
                    links.push_back((path, target));
                    continue;
                }
            } else if file_type.is_dir() {
                let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if !visited.insert(real) {
                    continue;
                }
            }
            if file_type.is_dir() {
                if let Some(ext) = ext {
                    let id = id_of(root, &path);
                    out.refused.entry(id.clone()).or_default().push(
                        Issue::new(Severity::Error, "not-a-file", &shown, format!("`{}` is a folder, not {}; the article is skipped", entry.file_name().to_string_lossy(), if ext == "txt" { "an article text" } else { "a gold file" }))
                            .article(&id)
                            .hint("rename the folder: a `.txt` or `.json` name belongs to an article's file"),
                    );
                    out.files.entry(id).or_default();
                }
                stack.push(path);
                continue;
            }
            let Some(ext) = ext else {
                if crate::atomic::is_leftover(&entry.file_name().to_string_lossy()) {
                    out.issues.push(
                        Issue::new(Severity::Warning, "leftover-temporary", &shown, "a temporary file left by an interrupted write; nothing reads it")
                            .hint("the next import, fmt or accept that writes into this folder removes it; or delete it"),
                    );
                }
                continue;
            };
            let id = id_of(root, &path);
            if !file_type.is_file() {
                out.refused.entry(id.clone()).or_default().push(
                    Issue::new(Severity::Error, "not-a-file", &shown, format!("it is {}, not a regular file, so it is not read; the article is skipped", kind_of(file_type)))
                        .article(&id)
                        .hint("a corpus holds regular files only: put the file itself there"),
                );
                out.files.entry(id).or_default();
                continue;
            }
            let slot = out.files.entry(id).or_default();
            if ext == "txt" {
                slot.0 = Some(path);
            } else {
                slot.1 = Some(path);
            }
        }
    }
    Ok(out)
}

/// The id of a file or folder below `root`: its path below `root` without
/// the extension, `/`-separated.
fn id_of(root: &Path, path: &Path) -> String {
    let stem = path.with_extension("");
    let rel = stem.strip_prefix(root).unwrap_or(&stem);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
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
    let (value, dups) = match read_json(json, &json_display, &entry.id) {
        Ok(v) => v,
        Err(issue) => return broken(vec![*issue]),
    };
    let mut diag = Diagnostics::new(Place {
        file: &json_display,
        line: None,
        article: &entry.id,
    });
    diag.duplicate_keys(&dups);
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
        &[
            "article",
            "text_sha256",
            "offsets",
            "status",
            "source",
            "language",
            "quotes",
            "ignore",
        ],
        "",
        None,
    );
    check_text_hash(obj.get("text_sha256"), &text, &mut diag);
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

/// Checks a gold file's `text_sha256` against the text beside it: a gold
/// file written for another text (an interrupted import, a text edited
/// afterwards) is an error, whatever its records say.
fn check_text_hash(hash: Option<&Value>, text: &str, diag: &mut Diagnostics<'_>) {
    let Some(hash) = hash else {
        return;
    };
    let Some(hash) = hash
        .as_str()
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    else {
        diag.error(
            "wrong-type",
            "text_sha256",
            None,
            format!("`text_sha256` must be 64 hex digits, not {}", show(hash)),
        );
        return;
    };
    if !hash.eq_ignore_ascii_case(&text_sha256(text)) {
        diag.error(
            "text-hash-mismatch",
            "text_sha256",
            None,
            "the gold file was written for another text: its `text_sha256` is not the hash of the .txt beside it (an interrupted import, or a text edited afterwards)",
        )
        .hint = Some("import the article again (with --force); if the text was edited on purpose, check every record against it and remove `text_sha256`".into());
    }
}
