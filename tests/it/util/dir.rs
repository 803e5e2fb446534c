//! Temporary folders for tests to work in, and the repository they read
//! from. A folder knows how to run the binary in itself (through
//! [`super::bin`]) and how to list what it holds when a test fails; it
//! knows nothing of what a test writes there.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::bin;

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
        let out = bin::quotecheck(self.path()).args(args).output();
        format!(
            "exit: {}\n{}{}",
            out.code().unwrap(),
            out.stdout(),
            out.stderr()
        )
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

    /// The JSON file `name` of the folder, parsed; panics with the folder
    /// listing when it is missing.
    pub fn json(&self, name: &str) -> Value {
        let path = self.join(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", path.display(), self.listing()));
        serde_json::from_str(&text).unwrap()
    }
}

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}
