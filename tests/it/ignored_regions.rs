//! Gold `ignore` regions (corpus.md, scoring.md §4): predictions inside
//! them are set aside, gold content may not overlap them, and PolNeAR's
//! `Discard` spans become them on import.

use crate::util;

use serde_json::json;
use util::Dir;

const EXAMPLE: &str = "docs/examples/ignored-regions";

/// The worked case of scoring.md in a fresh folder, its gold with or
/// without `ignore`.
fn example(with_ignore: bool) -> Dir {
    let dir = Dir::new();
    let root = util::repo().join(EXAMPLE);
    util::dir::copy_tree(&root, dir.path());
    if !with_ignore {
        let mut gold = dir.json("corpus/harbour.json");
        gold.as_object_mut().unwrap().remove("ignore");
        dir.write(
            "corpus/harbour.json",
            serde_json::to_vec_pretty(&gold).unwrap(),
        );
    }
    dir
}

fn content_counts(dir: &Dir) -> (u64, u64, u64) {
    dir.run_expect(
        0,
        &[
            "run", "--corpus", "corpus", "--replay", "replay", "--json", "r.json", "--diffs",
            "none",
        ],
    );
    let report = dir.json("r.json");
    let c = &report["extractors"][0]["micro"]["content"];
    (
        c["tp"].as_u64().unwrap(),
        c["fp"].as_u64().unwrap(),
        c["fn"].as_u64().unwrap(),
    )
}

#[test]
fn a_prediction_inside_an_ignored_region_is_neither_tp_nor_fp() {
    // Set aside: the one inside; still false positives: the one reaching
    // outside and the text-only one.
    assert_eq!(content_counts(&example(true)), (1, 2, 1));
    // The same gold without `ignore` scores as before: one more FP.
    assert_eq!(content_counts(&example(false)), (1, 3, 1));
}

#[test]
fn gold_content_may_not_overlap_an_ignored_region() {
    let dir = example(true);
    let mut gold = dir.json("corpus/harbour.json");
    let q1 = gold["quotes"][0]["content"].clone();
    gold["ignore"] = json!([{"start": q1["start"], "end": q1["end"], "text": q1["text"]}]);
    dir.write(
        "corpus/harbour.json",
        serde_json::to_vec_pretty(&gold).unwrap(),
    );
    let out = dir.run_expect(1, &["validate", "corpus"]);
    assert!(out.contains("error[content-in-ignored-region]"), "{out}");
    assert!(out.contains("\"q1\""), "{out}");

    gold["ignore"] = json!({"start": 0});
    dir.write(
        "corpus/harbour.json",
        serde_json::to_vec_pretty(&gold).unwrap(),
    );
    let out = dir.run_expect(1, &["validate", "corpus"]);
    assert!(out.contains("`ignore` must be a list of spans"), "{out}");
}

#[test]
fn polnear_discard_spans_become_ignored_regions() {
    let dir = Dir::new();
    let sub = "tests/fixtures/import/polnear";
    util::dir::copy_tree(&util::repo().join(sub), &dir.join(sub));
    dir.run_expect(
        0,
        &[
            "import",
            "--from",
            "brat",
            &format!("{sub}/data/dev"),
            "--out",
            "out",
        ],
    );
    let g = dir.json("out/daily_2016-01-05_harbour-vote.json");
    let ignore = g["ignore"]
        .as_array()
        .unwrap_or_else(|| panic!("no ignore in {g:#}"));
    assert_eq!(ignore.len(), 1);
    assert_eq!(ignore[0]["text"], "Read more at example.org.");
    let fmt = dir.run_expect(0, &["fmt", "--check", "out"]);
    assert!(fmt.contains("0 changed"), "{fmt}");
    dir.run_expect(0, &["validate", "out"]);
}
