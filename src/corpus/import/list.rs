//! Finding the source documents of an import: their ids, the files that
//! hold their annotations and text, and, where one article was annotated
//! by several people, whose annotations are read.
//!
//! Two brat layouts are understood: `<id>.ann` next to `<id>.txt`, and
//! PolNeAR's, where a folder holds `text/<id>.txt` beside
//! `attributions/<id>_<annotator>.ann` (docs/import.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Format, ImportError};
use crate::corpus::issue::{Issue, Severity};

/// A listed source document: its id, the file holding its annotations and,
/// when it is not next to them, the file holding its text.
pub(super) struct Listed {
    /// The id as found (not yet checked).
    pub id: String,
    /// The annotations (or the whole document, for JSON formats).
    pub file: PathBuf,
    /// The text, when it is not `file` with the extension `.txt`.
    pub text: Option<PathBuf>,
    /// The annotator's suffix, in PolNeAR's layout.
    pub annotator: Option<String>,
}

/// Whose annotations are read when an article has several.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Annotator {
    /// The annotator whose suffix sorts first, for each article.
    #[default]
    First,
    /// Only this annotator's; articles they did not annotate are left out.
    Only(String),
}

/// The annotators found and what was chosen, for the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Annotators {
    /// Each annotator's suffix and how many articles they annotated.
    pub articles: BTreeMap<String, usize>,
    /// Articles annotated by several people: the id, the annotator read,
    /// and the others.
    pub several: Vec<(String, String, Vec<String>)>,
    /// Articles left out because the chosen annotator did not annotate them.
    pub not_annotated: usize,
}

/// The document at `path` when `path` is a single file.
pub(super) fn single(path: &Path, format: Format) -> Result<Listed, ImportError> {
    let display = path.display().to_string();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if format == Format::Pdnc {
        // A novel is named by its folder: `data/Emma/quotation_info.csv` is `Emma`.
        let folder = path.parent().and_then(Path::file_name);
        return match folder {
            Some(name) if path.file_name().is_some_and(|n| n == PDNC_QUOTES) => Ok(Listed {
                id: name.to_string_lossy().into_owned(),
                file: path.to_path_buf(),
                text: None,
                annotator: None,
            }),
            _ => Err(ImportError::NotAFile {
                path: display,
                format,
                why: "give a novel's quotation_info.csv or a folder of novels",
            }),
        };
    }
    let file = match format {
        Format::Brat if ext == "ann" => path.to_path_buf(),
        Format::Brat if ext == "txt" => path.with_extension("ann"),
        Format::Brat => {
            return Err(ImportError::NotAFile {
                path: display,
                format,
                why: "give a .ann file (its .txt next to it) or a folder of them",
            })
        }
        _ if ext == "txt" => {
            return Err(ImportError::NotAFile {
                path: display,
                format,
                why: "give the .json file or a folder of them",
            })
        }
        _ => path.to_path_buf(),
    };
    Ok(Listed {
        id: stem,
        file,
        text: None,
        annotator: None,
    })
}

/// The file of a PDNC novel's quotes, beside `novel_text.txt` and `character_info.csv`.
const PDNC_QUOTES: &str = "quotation_info.csv";

/// The id of a path below `root`: its components joined by `/`.
fn rel_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// In PolNeAR's layout, the article and annotator of
/// `<dir>/attributions/<base>_<annotator>.ann`: the text is
/// `<dir>/text/<base>.txt`. Article names contain `_` themselves, so the
/// suffix is what follows the last `_` after which a text exists.
fn polnear(ann: &Path) -> Option<(PathBuf, String, PathBuf)> {
    let dir = ann.parent()?;
    if dir.file_name()? != "attributions" {
        return None;
    }
    let split = dir.parent()?;
    let texts = split.join("text");
    let stem = ann.file_stem()?.to_str()?;
    let (base, suffix) = stem.rsplit_once('_')?;
    let txt = texts.join(format!("{base}.txt"));
    (!suffix.is_empty() && txt.is_file()).then(|| (split.join(base), suffix.to_string(), txt))
}

/// Every document of `format` below `root`, in id order, with whose
/// annotations are read chosen by `annotator`. A `.txt` that no `.ann`
/// annotates in a brat folder is listed as a note.
pub(super) fn list(
    root: &Path,
    format: Format,
    annotator: &Annotator,
    issues: &mut Vec<Issue>,
    chosen: &mut Annotators,
) -> std::io::Result<Vec<Listed>> {
    let ext = format.extension();
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    // PolNeAR's layout: id → annotator → (annotations, text).
    let mut by_annotator: BTreeMap<String, BTreeMap<String, (PathBuf, PathBuf)>> = BTreeMap::new();
    let mut texts = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    // Each folder once, however symbolic links loop.
    let mut visited = std::collections::HashSet::new();
    while let Some(dir) = stack.pop() {
        if !visited.insert(std::fs::canonicalize(&dir)?) {
            continue;
        }
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                // SpkAtt-2023 publishes each split twice; the other layout
                // (sentences keyed by number) holds the same annotations.
                if format == Format::Spkatt2023
                    && path
                        .file_name()
                        .is_some_and(|n| n == "task1_alternative_format")
                {
                    issues.push(Issue::new(
                        Severity::Note,
                        "not-read",
                        path.display().to_string(),
                        "the same annotations as `task1/` in SpkAtt's alternative layout; not read",
                    ));
                    continue;
                }
                stack.push(path);
                continue;
            }
            let this_ext = path.extension().and_then(|e| e.to_str());
            if format == Format::Pdnc {
                // One novel a folder, named by the folder (the root itself
                // when it is one novel's folder).
                if path.file_name().is_some_and(|n| n == PDNC_QUOTES) {
                    let folder = path.parent().unwrap_or(root);
                    let id = match rel_id(root, folder) {
                        id if id.is_empty() => root
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        id => id,
                    };
                    found.insert(id, path);
                }
                continue;
            }
            if this_ext == Some(ext) {
                if format == Format::Brat {
                    if let Some((article, suffix, txt)) = polnear(&path) {
                        by_annotator
                            .entry(rel_id(root, &article))
                            .or_default()
                            .insert(suffix, (path, txt));
                        continue;
                    }
                }
                found.insert(rel_id(root, &path.with_extension("")), path);
            } else if format == Format::Brat && this_ext == Some("txt") {
                texts.push(path);
            }
        }
    }
    let annotated: std::collections::HashSet<&PathBuf> = by_annotator
        .values()
        .flat_map(|m| m.values().map(|(_, txt)| txt))
        .collect();
    let mut lone_txt: Vec<&PathBuf> = texts
        .iter()
        .filter(|t| !t.with_extension("ann").exists() && !annotated.contains(t))
        .collect();
    lone_txt.sort();
    for txt in lone_txt {
        issues.push(Issue::new(
            Severity::Note,
            "no-annotations",
            txt.display().to_string(),
            "no .ann file next to it, so it is not imported",
        ));
    }
    let mut listed: Vec<Listed> = found
        .into_iter()
        .map(|(id, file)| Listed {
            id,
            file,
            text: None,
            annotator: None,
        })
        .collect();
    for (id, mut by) in by_annotator {
        for suffix in by.keys() {
            *chosen.articles.entry(suffix.clone()).or_insert(0) += 1;
        }
        let pick = match annotator {
            Annotator::First => by.keys().next().cloned(),
            Annotator::Only(a) => by.contains_key(a).then(|| a.clone()),
        };
        let Some(pick) = pick else {
            chosen.not_annotated += 1;
            continue;
        };
        let (file, txt) = by.remove(&pick).expect("the pick is a key");
        if !by.is_empty() {
            chosen
                .several
                .push((id.clone(), pick.clone(), by.keys().cloned().collect()));
        }
        listed.push(Listed {
            id,
            file,
            text: Some(txt),
            annotator: Some(pick),
        });
    }
    listed.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(listed)
}

/// The safe article id of a SpkAtt-style file name (docs/import.md), each
/// `/`-separated segment on its own:
///
/// 1. a trailing `.pretty` is dropped (`x.pretty.json` is `x`);
/// 2. a name that is a safe id already is kept;
/// 3. a name `<digits> - <title>` (the German corpus: `70626 - Größtes
///    Flusskraftwerk … (2011-11-30)`) becomes its number, the Wikinews
///    article id;
/// 4. any other name is transliterated (`ä` → `ae`, `ö` → `oe`, `ü` → `ue`,
///    `ß` → `ss`, capitals likewise), and each run of characters other than
///    letters A-Z a-z, digits, `.` and `_` (a run of `-` included) becomes
///    one `-`, trimmed at both ends.
///
/// `None` when a segment is left empty.
pub fn spkatt_id(name: &str) -> Option<String> {
    let segments: Option<Vec<String>> = name.split('/').map(spkatt_segment).collect();
    segments.map(|s| s.join("/"))
}

fn spkatt_segment(name: &str) -> Option<String> {
    let name = name.strip_suffix(".pretty").unwrap_or(name);
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if !name.is_empty() && name != "." && name != ".." && name.chars().all(safe) {
        return Some(name.to_string());
    }
    if let Some((number, _title)) = name.split_once(" - ") {
        if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) {
            return Some(number.to_string());
        }
    }
    let mut out = String::new();
    let mut gap = false;
    for c in name.chars() {
        let t: &str = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'Ä' => "Ae",
            'Ö' => "Oe",
            'Ü' => "Ue",
            'ß' => "ss",
            _ => "",
        };
        if !t.is_empty() || (safe(c) && c != '-') {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            if t.is_empty() {
                out.push(c);
            } else {
                out.push_str(t);
            }
        } else {
            gap = true;
        }
    }
    let out = out.trim_matches('-').to_string();
    (!out.is_empty() && out != "." && out != "..").then_some(out)
}

#[cfg(test)]
mod tests {
    use super::spkatt_id;

    #[test]
    fn spkatt_file_names_become_safe_ids() {
        let cases = [
            (
                "70626 - Größtes Flusskraftwerk in Norddeutschland eingeweiht (2011-11-30).pretty",
                "70626",
            ),
            (
                "dev/2745 - Festnahme von zwei „Al-Qaida“-Mitgliedern (2005-01-23).pretty",
                "dev/2745",
            ),
            ("ministerin", "ministerin"),
            ("a.pretty", "a"),
            ("Größte Bär-Meldung (2006)", "Groesste-Baer-Meldung-2006"),
            ("12a - x", "12a-x"),
        ];
        for (name, id) in cases {
            assert_eq!(spkatt_id(name).as_deref(), Some(id), "{name}");
        }
        assert_eq!(spkatt_id("„“"), None);
        assert_eq!(spkatt_id(".pretty"), None);
    }
}
