//! Helpers for tests that run the real `quotecheck` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
