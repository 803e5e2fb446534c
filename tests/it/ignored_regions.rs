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

#[test]
fn predictions_set_aside_are_counted_in_the_reports() {
    let dir = example(true);
    let out = dir.run_expect(
        0,
        &[
            "run", "--corpus", "corpus", "--replay", "replay", "--json", "r.json", "--diffs",
            "none", "--shard", "1/1",
        ],
    );
    assert!(
        out.contains("  ignored regions: 1 prediction set aside (neither TP nor FP)\n"),
        "{out}"
    );
    let report = dir.json("r.json");
    let e = &report["extractors"][0];
    assert_eq!(e["ignored"], 1, "{e:#}");
    assert_eq!(e["articles"][0]["ignored"], 1, "{e:#}");
    // A merged report recomputes it from the articles.
    dir.run_expect(0, &["merge", "r.json", "--json", "m.json"]);
    assert_eq!(dir.json("m.json")["extractors"][0]["ignored"], 1);
    // Nothing set aside: no line, no field.
    let dir = example(false);
    let out = dir.run_expect(
        0,
        &[
            "run", "--corpus", "corpus", "--replay", "replay", "--json", "r.json", "--diffs",
            "none",
        ],
    );
    assert!(!out.contains("ignored regions"), "{out}");
    let report = dir.json("r.json");
    assert!(report["extractors"][0].get("ignored").is_none());
    assert!(report["extractors"][0]["articles"][0]
        .get("ignored")
        .is_none());
}

#[test]
fn agree_sets_aside_records_inside_the_other_annotations_ignored_regions() {
    // B: A's records plus one inside A's ignored line (B has no `ignore`).
    let dir = example(true);
    util::dir::copy_tree(&dir.join("corpus"), &dir.join("b"));
    let mut gold = dir.json("b/harbour.json");
    gold.as_object_mut().unwrap().remove("ignore");
    let text = std::fs::read_to_string(dir.join("b/harbour.txt")).unwrap();
    let words = "Stay tuned for updates.";
    let start = text[..text.find(words).unwrap()].chars().count();
    gold["quotes"].as_array_mut().unwrap().push(json!({
        "id": "q3", "kind": "direct",
        "content": {"start": start, "end": start + words.chars().count(), "text": words},
        "speaker": null, "cue": null, "optional": false
    }));
    dir.write("b/harbour.json", serde_json::to_vec_pretty(&gold).unwrap());
    let out = dir.run_expect(0, &["agree", "corpus", "b"]);
    // Scored against A, B's q3 is set aside: no false positive.
    assert!(
        out.contains("B against A: content F1 1.000 (P 1.000 R 1.000)"),
        "{out}"
    );
    // Against B, which ignores nothing, A misses q3.
    assert!(
        out.contains("A against B: content F1 0.800 (P 1.000 R 0.667)"),
        "{out}"
    );
    // Without A's ignored regions, B's q3 is a false positive against A.
    let mut a = dir.json("corpus/harbour.json");
    a.as_object_mut().unwrap().remove("ignore");
    dir.write(
        "corpus/harbour.json",
        serde_json::to_vec_pretty(&a).unwrap(),
    );
    let out = dir.run_expect(0, &["agree", "corpus", "b"]);
    assert!(
        out.contains("B against A: content F1 0.800 (P 0.667 R 1.000)"),
        "{out}"
    );
}
