//! Published corpora imported as they are laid out: PolNeAR's folders and
//! annotators (brat). The fixtures in `tests/fixtures/import/<corpus>/`
//! are small files written for these tests in each corpus's published
//! layout (folders, file names, columns, encodings); no real corpus is
//! shipped.

use crate::util;

use serde_json::Value;
use util::dir::copy_tree;
use util::Dir;

const POLNEAR: &str = "tests/fixtures/import/polnear/data/dev";
const HARBOUR: &str = "daily_2016-01-05_harbour-vote";

/// A temporary folder holding `tests/fixtures/import`.
fn with_fixtures() -> Dir {
    let dir = Dir::new();
    let sub = "tests/fixtures/import";
    copy_tree(&util::repo().join(sub), &dir.join(sub));
    dir
}

fn records(gold: &Value) -> &Vec<Value> {
    gold["quotes"].as_array().unwrap()
}

/// `fmt --check` finds every file of a freshly imported corpus canonical,
/// and `validate` finds it valid.
pub(crate) fn canonical_and_valid(dir: &Dir, corpus: &str) {
    let fmt = dir.run_expect(0, &["fmt", "--check", corpus]);
    assert!(fmt.contains("0 changed,"), "{fmt}");
    let valid = dir.run_expect(0, &["validate", corpus]);
    assert!(valid.contains("valid: 0 errors, 0 warnings"), "{valid}");
}

#[test]
fn polnear_imports_as_published_with_the_first_annotator() {
    let dir = with_fixtures();
    let out = dir.run_expect(0, &["import", "--from", "brat", POLNEAR, "--out", "out"]);
    // The ids are the base names, without the annotator's suffix.
    let g = dir.json(&format!("out/{HARBOUR}.json"));
    assert_eq!(g["source"]["annotator"], "a1b2", "{g:#}");
    let quotes = records(&g);
    assert_eq!(quotes.len(), 2, "{g:#}");
    // A text column over three lines, the last starting with "T", is one span.
    assert_eq!(
        quotes[1]["content"]["text"],
        "The harbour is not for sale.\n\nThe council will decide in spring,"
    );
    // The note on the Content span is the record's note.
    assert_eq!(quotes[1]["note"], "The quote runs over a blank line.");
    assert_eq!(
        dir.json("out/wire_2016-01-06_bridge.json")["source"]["annotator"],
        "c3d4"
    );
    // The other annotator is named, and spans nothing reads are counted.
    assert!(
        out.contains("annotators (articles): a1b2 (1), c3d4 (2)"),
        "{out}"
    );
    assert!(
        out.contains(&format!("  {HARBOUR}: read a1b2; not read c3d4")),
        "{out}"
    );
    assert!(out.contains("1 Discuss"), "{out}");
    assert!(!out.contains("missing-text"), "{out}");
    assert!(!out.contains("no-annotations"), "{out}");
    canonical_and_valid(&dir, "out");
}

#[test]
fn polnear_annotator_picks_one_or_all() {
    let dir = with_fixtures();
    let out = dir.run_expect(
        0,
        &[
            "import",
            "--from",
            "brat",
            POLNEAR,
            "--annotator",
            "c3d4",
            "--out",
            "c",
        ],
    );
    assert!(
        out.contains(&format!("  {HARBOUR}: read c3d4; not read a1b2")),
        "{out}"
    );
    let g = dir.json(&format!("c/{HARBOUR}.json"));
    assert_eq!(g["source"]["annotator"], "c3d4");
    assert_eq!(records(&g).len(), 1);
    assert_eq!(records(&g)[0]["content"]["text"], "the vote would wait.");

    // An annotator who did not annotate an article leaves it out, and says so.
    let out = dir.run_expect(
        0,
        &[
            "import",
            "--from",
            "brat",
            POLNEAR,
            "--annotator",
            "a1b2",
            "--out",
            "a",
        ],
    );
    assert!(
        out.contains("1 article not annotated by this annotator"),
        "{out}"
    );
    assert!(!dir.join("a/wire_2016-01-06_bridge.json").exists());

    let out = dir.run_expect(
        0,
        &[
            "import",
            "--from",
            "brat",
            POLNEAR,
            "--annotator",
            "all",
            "--out",
            "all",
        ],
    );
    assert!(out.contains("into all/a1b2: 1 article"), "{out}");
    assert!(out.contains("into all/c3d4: 2 articles"), "{out}");
    assert_eq!(
        dir.json(&format!("all/a1b2/{HARBOUR}.json")),
        dir.json(&format!("a/{HARBOUR}.json"))
    );
    assert_eq!(
        dir.json(&format!("all/c3d4/{HARBOUR}.json")),
        dir.json(&format!("c/{HARBOUR}.json"))
    );
    canonical_and_valid(&dir, "all/c3d4");
    // Again: every corpus's files exist, so nothing at all is written.
    let again = dir.run_expect(
        2,
        &[
            "import",
            "--from",
            "brat",
            POLNEAR,
            "--annotator",
            "all",
            "--out",
            "all",
        ],
    );
    assert!(
        again.contains("already exist; nothing was written"),
        "{again}"
    );

    let none = dir.run_expect(
        2,
        &[
            "import",
            "--from",
            "brat",
            POLNEAR,
            "--annotator",
            "zz99",
            "--out",
            "z",
        ],
    );
    assert!(none.contains("annotator \"zz99\""), "{none}");
}
