//! Helpers for tests that run the real `quotecheck` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use quotecheck::corpus::{Corpus, Item, OffsetIndex, OffsetUnit, Span};
use serde_json::{json, Value};

/// A fresh temporary folder to run the binary in.
pub struct Dir {
    dir: tempfile::TempDir,
}

impl Dir {
    /// An empty folder.
    pub fn new() -> Dir {
        Dir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A folder holding `files` (relative path → bytes).
    pub fn with(files: &[(&str, Vec<u8>)]) -> Dir {
        let d = Dir::new();
        for (name, bytes) in files {
            d.write(name, bytes);
        }
        d
    }

    /// Writes one file, creating its folders.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the folder.
    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `quotecheck ARGS` in the folder with a clean environment and
    /// returns `exit: N` followed by stdout and stderr.
    pub fn run(&self, args: &[&str]) -> String {
        let out = assert_cmd::Command::cargo_bin("quotecheck")
            .unwrap()
            .current_dir(self.path())
            .env_clear()
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        format!("exit: {}\n{stdout}{stderr}", out.status.code().unwrap())
    }

    /// Like [`Dir::run`], but panics with the command, the folder listing
    /// and the output unless the exit code is `code`.
    pub fn run_expect(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        if !out.starts_with(&format!("exit: {code}\n")) {
            panic!(
                "`quotecheck {}` did not exit with {code}\nfolder: {}\n{}\n--- output\n{out}",
                args.join(" "),
                self.path().display(),
                self.listing()
            );
        }
        out
    }

    /// Every file below the folder, one per line.
    pub fn listing(&self) -> String {
        let mut files = Vec::new();
        let mut stack = vec![self.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    files.push(
                        e.path()
                            .strip_prefix(self.path())
                            .unwrap()
                            .display()
                            .to_string(),
                    );
                }
            }
        }
        files.sort();
        files.join("\n")
    }
}

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Predictions for one article: record i of the gold is dropped when
/// i % 6 == 0, gets a wrong speaker when 1, becomes text-only when 2, is
/// cut to its first half when 3, loses its kind when 4, and is copied
/// exactly when 5; plus one spurious prediction.
fn damaged(text: &str, gold: &[quotecheck::corpus::GoldQuote], unit: OffsetUnit) -> Value {
    let ix = OffsetIndex::new(text);
    let span =
        |s: Span| json!({"start": ix.from_byte(unit, s.start), "end": ix.from_byte(unit, s.end)});
    let mut quotes = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        let content: Vec<Value> = g.content.iter().map(|s| span(*s)).collect();
        let mut q = json!({"content": content});
        if let Some(sp) = &g.speaker {
            q["speaker"] = span(sp.span);
        }
        if let Some(cue) = g.cue {
            q["cue"] = json!({"text": cue.slice(text)});
        }
        if let Some(k) = g.kind {
            q["kind"] = json!(k.as_str());
        }
        match i % 6 {
            0 => continue,
            1 => q["speaker"] = json!({"text": "Somebody Else"}),
            2 => {
                q["content"] = json!({"text": g.content.iter().map(|s| s.slice(text)).collect::<Vec<_>>().join(" ")})
            }
            3 => {
                let s = g.content[0];
                let mut mid = s.start + (s.end - s.start) / 2;
                while !text.is_char_boundary(mid) {
                    mid += 1;
                }
                q["content"] = span(Span::new(s.start, mid));
            }
            4 => {
                q.as_object_mut().unwrap().remove("kind");
            }
            _ => {}
        }
        quotes.push(q);
    }
    let end = text.len();
    let mut start = end.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    quotes.push(json!({"content": span(Span::new(start, end)), "kind": "direct"}));
    json!({"offsets": unit.as_str(), "quotes": quotes})
}

/// A JSON-lines replay of the whole project corpus, made from its gold by
/// the deterministic damage of [`damaged`], in all three offset units.
pub fn replay_of_corpus() -> String {
    let corpus = Corpus::open(repo().join("corpus")).unwrap();
    let mut lines = String::new();
    for (n, item) in corpus.items().enumerate() {
        let Item::Article { article, .. } = item else {
            panic!("corpus/ is valid")
        };
        let Some(gold) = &article.gold else { continue };
        let unit = OffsetUnit::ALL[n % 3];
        let mut line = damaged(&article.text, &gold.quotes, unit);
        line["id"] = json!(article.id.as_str());
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    lines
}

/// Makes sure `examples/textacy/.venv` holds spaCy, textacy and the model,
/// by running `examples/textacy/setup.sh` (quick when it is ready; safe to
/// run from several test binaries at once). Panics with set-up's output if
/// it fails: tests of the textacy example are never skipped.
pub fn textacy_ready() {
    static READY: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    READY.get_or_init(|| {
        let script = repo().join("examples/textacy/setup.sh");
        let out = std::process::Command::new("bash")
            .arg(&script)
            .output()
            .unwrap_or_else(|e| panic!("cannot run bash {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "the textacy example could not be set up ({} exited with {}):\n{}{}\n\
             hint: run examples/textacy/setup.sh by hand to see why; it needs python3 with \
             the venv module and access to the Python package index",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    });
}
