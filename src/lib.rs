//! quotecheck verifies quote-attribution extractors against gold-standard corpora.
//!
//! The library is a one-way pipeline, one module per stage:
//! [`corpus`] (load, validate) → `extract` → [`align`] → [`score`] →
//! `snapshot` → `report` → `compare`. Each stage only uses the stages
//! before it. [`text`] holds the token rules every stage shares.
#![warn(missing_docs)]

pub mod align;
pub mod atomic;
pub mod cli;
pub mod compare;
pub mod config;
pub mod corpus;
pub mod curate;
pub mod extract;
pub mod gate;
pub mod gen;
pub mod report;
pub mod rng;
pub mod run;
pub mod score;
pub mod session;
pub mod snapshot;
pub mod spill;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The Rust examples of docs/extractors.md, compiled and run as doctests.
#[doc = include_str!("../docs/extractors.md")]
#[cfg(doctest)]
pub struct ExtractorsDoctests;

/// The Rust examples of docs/llm-extractors.md, compiled and run as doctests.
#[doc = include_str!("../docs/llm-extractors.md")]
#[cfg(doctest)]
pub struct LlmExtractorsDoctests;

/// The architecture's one rule, held by a test: a module uses only the
/// modules before it in the order ARCHITECTURE.md gives.
#[cfg(test)]
mod layers {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    /// The order of ARCHITECTURE.md's `layers` block, lowest first.
    fn order() -> Vec<String> {
        let doc = include_str!("../ARCHITECTURE.md");
        let start = doc
            .find("```layers\n")
            .expect("ARCHITECTURE.md has a ```layers block")
            + "```layers\n".len();
        let end = start + doc[start..].find("```").expect("the block ends");
        doc[start..end]
            .split(|c: char| c == '→' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The top-level modules named by every `crate::` path in `code`,
    /// grouped imports (`crate::{a, b::c}`) included; comments are skipped.
    pub(super) fn used_modules(code: &str) -> BTreeSet<String> {
        let mut used = BTreeSet::new();
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                if let Some(group) = rest.strip_prefix('{') {
                    // Top-level names of the group, up to its closing brace
                    // (a group that goes on over lines is read line by line).
                    let mut depth = 0;
                    let mut name = String::new();
                    let mut at_start = true;
                    for c in group.chars() {
                        match c {
                            '{' => depth += 1,
                            '}' if depth == 0 => break,
                            '}' => depth -= 1,
                            ',' if depth == 0 => at_start = true,
                            c if depth == 0 && at_start && (c.is_alphanumeric() || c == '_') => {
                                name.push(c)
                            }
                            _ if !name.is_empty() => {
                                used.insert(std::mem::take(&mut name));
                                at_start = false;
                            }
                            _ => {}
                        }
                    }
                    if !name.is_empty() {
                        used.insert(name);
                    }
                } else {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        used.insert(name);
                    }
                }
            }
        }
        used
    }

    #[test]
    fn layers_run_one_way() {
        let order = order();
        let rank = |m: &str| order.iter().position(|o| o == m);
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        files.sort();
        let mut modules = BTreeSet::new();
        let mut upward = Vec::new();
        for file in &files {
            let relative = file.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str();
            let module = first.to_str().unwrap().trim_end_matches(".rs").to_string();
            if module == "lib" || module == "main" {
                continue;
            }
            let own = rank(&module).unwrap_or_else(|| {
                panic!("src/{module} is not placed in ARCHITECTURE.md's order {order:?}")
            });
            modules.insert(module.clone());
            let code = std::fs::read_to_string(file).unwrap();
            for used in used_modules(&code) {
                match rank(&used) {
                    Some(r) if r > own => upward.push(format!(
                        "{} uses crate::{used}, which comes after {module}",
                        relative.display()
                    )),
                    Some(_) => {}
                    None => panic!(
                        "{} uses crate::{used}, which ARCHITECTURE.md's order does not place",
                        relative.display()
                    ),
                }
            }
        }
        assert!(
            upward.is_empty(),
            "imports that run up the order of ARCHITECTURE.md:\n{}",
            upward.join("\n")
        );
        for placed in &order {
            assert!(
                modules.contains(placed),
                "ARCHITECTURE.md places `{placed}`, which is not a module of src/"
            );
        }
    }

    #[test]
    fn layers_reads_grouped_and_inline_paths() {
        let code = "use crate::{corpus::{Item, Span}, run::Keep};\n\
                    let x = crate::score::f(crate::text::g());\n\
                    // crate::cli is only mentioned\n";
        let used: Vec<String> = used_modules(code).into_iter().collect();
        assert_eq!(used, ["corpus", "run", "score", "text"]);
    }
}
