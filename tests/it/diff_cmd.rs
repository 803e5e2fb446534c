//! `quotecheck diff ARTICLE` through the real binary.

use crate::util;

use util::corpus::damaged_project;

#[test]
fn prints_one_articles_diff_and_writes_nothing() {
    let (dir, corpus) = damaged_project();
    let before = dir.listing();
    let out = dir.run_expect(
        1,
        &[
            "diff",
            "kestrel-bank-rates",
            "--corpus",
            &corpus,
            "--replay",
            "v=damaged.jsonl",
        ],
    );
    assert_eq!(dir.listing(), before, "diff writes nothing");
    insta::assert_snapshot!(out);
}

#[test]
fn exit_0_when_the_extractor_matches_the_gold() {
    let (dir, corpus) = damaged_project();
    // A gold file is also a valid prediction file: replayed, it matches.
    let gold: serde_json::Value = serde_json::from_slice(
        &std::fs::read(util::repo().join("corpus/world/lyon-musee-greve.json")).unwrap(),
    )
    .unwrap();
    dir.write("perfect/world/lyon-musee-greve.json", gold.to_string());
    let out = dir.run_expect(
        0,
        &[
            "diff",
            "world/lyon-musee-greve",
            "--corpus",
            &corpus,
            "--replay",
            "p=perfect",
        ],
    );
    assert_eq!(
        out,
        "exit: 0\np matches the gold of world/lyon-musee-greve\n"
    );
}

#[test]
fn unknown_unannotated_and_failed_articles() {
    let (dir, corpus) = damaged_project();
    let out = dir.run_expect(
        2,
        &[
            "diff",
            "no-such-article",
            "--corpus",
            &corpus,
            "--replay",
            "damaged.jsonl",
        ],
    );
    assert!(out.contains("no article \"no-such-article\""), "{out}");
    let out = dir.run_expect(
        2,
        &[
            "diff",
            "library-hours-vote",
            "--corpus",
            &corpus,
            "--replay",
            "damaged.jsonl",
        ],
    );
    assert!(out.contains("is unannotated"), "{out}");
    dir.write("empty.jsonl", "");
    let out = dir.run_expect(
        1,
        &[
            "diff",
            "kestrel-bank-rates",
            "--corpus",
            &corpus,
            "--replay",
            "empty.jsonl",
        ],
    );
    assert!(
        out.contains("empty failed on kestrel-bank-rates: missing"),
        "{out}"
    );
}

#[test]
fn compare_writes_intervals_and_p_values_and_is_reproducible() {
    let (dir, corpus) = damaged_project();
    let args = [
        "compare",
        "--corpus",
        &corpus,
        "--extractor",
        "baseline",
        "--replay",
        "d=damaged.jsonl",
        "--json",
        "c.json",
        "--resamples",
        "200",
    ];
    let first = dir.run_expect(0, &args);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("c.json")).unwrap()).unwrap();
    assert_eq!(
        dir.run_expect(0, &args),
        first,
        "a fixed seed prints the same"
    );
    let c = &json["comparison"];
    for e in c["extractors"].as_array().unwrap() {
        let f = &e["attribution"];
        assert!(f["ci_low"].as_f64().unwrap() <= f["f1"].as_f64().unwrap());
        assert!(f["f1"].as_f64().unwrap() <= f["ci_high"].as_f64().unwrap());
    }
    let pair = &c["pairs"][0];
    assert_eq!(
        (pair["a"].as_str(), pair["b"].as_str()),
        (Some("baseline"), Some("d"))
    );
    let p = pair["attribution"]["p_value"].as_f64().unwrap();
    assert!(p > 0.0 && p <= 1.0 && pair["attribution"]["p_adjusted"].as_f64().unwrap() >= p);
    assert_eq!(c["articles"].as_array().unwrap().len(), 9);

    // Markdown and HTML side by side.
    dir.run_expect(
        0,
        &[
            "compare",
            "--corpus",
            &corpus,
            "--extractor",
            "baseline",
            "--replay",
            "d=damaged.jsonl",
            "--resamples",
            "50",
            "--markdown",
            "c.md",
            "--html",
            "c.html",
        ],
    );
    let md = std::fs::read_to_string(dir.join("c.md")).unwrap();
    insta::assert_snapshot!("compare_markdown", md);
    let html = std::fs::read_to_string(dir.join("c.html")).unwrap();
    assert!(
        html.contains("baseline") && html.contains("bbc-libya-us-talks") && html.contains("<mark")
    );

    let out = dir.run_expect(
        2,
        &["compare", "--corpus", &corpus, "--extractor", "baseline"],
    );
    assert!(
        out.contains("compare needs at least two extractors"),
        "{out}"
    );
}
