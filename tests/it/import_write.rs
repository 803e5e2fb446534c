//! How `import` writes (docs/reliability.md, "Input"): an article is
//! replaced as a unit, a gold file records the hash of the text it was
//! written for, and temporary files a killed import left behind are
//! reported and then removed by the next writer into that folder.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::util::{bin, Dir};

/// `n` brat articles under `src/`, their text varied by `version` so that
/// two versions differ in every file.
fn brat_source(dir: &Dir, src: &str, n: usize, version: &str) {
    for i in 0..n {
        let text = format!("Ana Ruiz said the bridge would reopen in {version}.\n");
        let start = text.find("the bridge").unwrap();
        let end = text.find('.').unwrap();
        dir.write(&format!("{src}/a{i:03}.txt"), &text);
        dir.write(
            &format!("{src}/a{i:03}.ann"),
            format!(
                "T1\tContent {start} {end}\t{}\nT2\tSource 0 8\tAna Ruiz\nT3\tCue 9 13\tsaid\nT4\tAttribution 9 13\tsaid\nE1\tAttribution:T4 Cue:T3 Source:T2 Content:T1\n",
                &text[start..end]
            ),
        );
    }
}

#[test]
fn the_gold_records_the_hash_of_its_text_and_validate_checks_it() {
    let dir = Dir::new();
    brat_source(&dir, "src", 2, "May");
    dir.run_expect(0, &["import", "--from", "brat", "src", "--out", "out"]);
    let gold: Value = dir.json("out/a000.json");
    let hash = gold["text_sha256"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    dir.run_expect(0, &["validate", "out"]);
    // What an import is canonical: fmt keeps the hash.
    dir.run_expect(0, &["fmt", "--check", "out"]);
    // So does promoting a draft.
    let mut draft = dir.json("out/a000.json");
    draft["status"] = Value::from("draft");
    dir.write(
        "out/a000.json",
        serde_json::to_string_pretty(&draft).unwrap(),
    );
    dir.run_expect(0, &["promote", "--corpus", "out", "a000"]);
    assert_eq!(dir.json("out/a000.json")["text_sha256"], hash);
    assert_eq!(dir.json("out/a000.json")["status"], "gold");

    // A text replaced without its gold (an import interrupted between
    // the two renames) is flagged, with what to do.
    dir.write(
        "out/a001.txt",
        "Ana Ruiz said the bridge would reopen in June.\n",
    );
    let out = dir.run_expect(1, &["validate", "out"]);
    assert!(out.contains("[text-hash-mismatch]"), "{out}");
    assert!(out.contains("out/a001.json"), "{out}");
    assert!(
        out.contains("the gold file was written for another text"),
        "{out}"
    );
    assert!(
        out.contains("import the article again (with --force)"),
        "{out}"
    );

    // A gold file without the field (older ones) stays valid.
    let mut old = dir.json("out/a000.json");
    old.as_object_mut().unwrap().remove("text_sha256");
    dir.write("out/a000.json", serde_json::to_string_pretty(&old).unwrap());
    let out = dir.run_expect(1, &["validate", "out"]);
    assert!(!out.contains("a000"), "{out}");

    let mut bad = old.clone();
    bad["text_sha256"] = Value::from("xyz");
    dir.write("out/a000.json", serde_json::to_string(&bad).unwrap());
    let out = dir.run_expect(1, &["validate", "out"]);
    assert!(out.contains("`text_sha256` must be 64 hex digits"), "{out}");
}

/// Kills `import --force` at spread-out moments while it replaces one
/// version of a corpus with another: afterwards every article is the old
/// pair, the new pair, or flagged by `validate`; never a mixed pair that
/// passes. Temporary files a kill left are reported by `validate` and
/// removed by the next import.
#[test]
fn an_import_killed_at_any_moment_leaves_whole_articles() {
    const N: usize = 150;
    let dir = Dir::new();
    brat_source(&dir, "old", N, "May");
    brat_source(&dir, "new", N, "June");
    dir.run_expect(0, &["import", "--from", "brat", "old", "--out", "out"]);
    let read = |name: &str, i: usize| {
        std::fs::read(dir.join(&format!("{name}/a{i:03}.txt"))).unwrap_or_default()
    };
    let old_json: Vec<Vec<u8>> = (0..N)
        .map(|i| std::fs::read(dir.join(&format!("out/a{i:03}.json"))).unwrap())
        .collect();
    let (mut mixed, mut leftovers_seen) = (0, 0);
    for attempt in 0..30u64 {
        let from = if attempt % 2 == 0 { "new" } else { "old" };
        let mut child = bin::quotecheck(dir.path())
            .args(["import", "--from", "brat", from, "--out", "out", "--force"])
            .command()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // From before it starts to after it is done.
        std::thread::sleep(Duration::from_micros(attempt * attempt * 150));
        // SIGKILL: nothing of quotecheck runs after it.
        let _ = child.kill();
        let _ = child.wait();

        let leftover = std::fs::read_dir(dir.join("out"))
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".tmp-"));
        let out = dir.run(&["validate", "out"]);
        if leftover {
            leftovers_seen += 1;
            assert!(out.contains("[leftover-temporary]"), "{out}");
        }
        for (i, old_json) in old_json.iter().enumerate() {
            let txt = read("out", i);
            let json = std::fs::read(dir.join(&format!("out/a{i:03}.json"))).unwrap();
            let whole = (txt == read("old", i) && json == *old_json)
                || (txt == read("new", i) && !json.is_empty() && {
                    let g: Value = serde_json::from_slice(&json).unwrap();
                    g["quotes"][0]["content"]["text"] == "the bridge would reopen in June"
                });
            if !whole {
                mixed += 1;
                assert!(
                    out.contains(&format!("out/a{i:03}.json"))
                        && out.contains("[text-hash-mismatch]"),
                    "a{i:03} is neither pair and validate does not flag it:\n{out}"
                );
            }
        }
    }
    // The next import removes what killed ones left.
    dir.run_expect(
        0,
        &["import", "--from", "brat", "new", "--out", "out", "--force"],
    );
    let names: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    dir.run_expect(0, &["validate", "out"]);
    eprintln!("{mixed} mixed pairs flagged, {leftovers_seen} kills left temporary files");
}

/// A temporary file of a writer that still runs is not a leftover: only
/// those whose process is gone are removed.
#[test]
fn only_temporary_files_of_writers_no_longer_running_are_removed() {
    let dir = Dir::new();
    brat_source(&dir, "src", 1, "May");
    // This test process runs; pid 0 names no writer that could.
    let mine = format!(".tmp-{}-abcdef", std::process::id());
    dir.write(&format!("out/{mine}"), "in progress");
    dir.write("out/.tmp-2147483646-abcdef", "left behind");
    dir.write("out/.tmp-abcdef", "left by an older version");
    let out = dir.run_expect(0, &["validate", "out"]);
    assert_eq!(out.matches("[leftover-temporary]").count(), 2, "{out}");
    dir.run_expect(0, &["import", "--from", "brat", "src", "--out", "out"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [mine.as_str(), "a000.json", "a000.txt"]);
}
