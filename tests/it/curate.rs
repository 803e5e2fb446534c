//! Curation: fmt, stats, draft, promote, agree and show through the real
//! binary, and fmt's promise never to change a figure.

use crate::util;

use proptest::prelude::*;
use quotecheck::align::Scheme;
use quotecheck::corpus::{Corpus, Item};
use serde_json::json;
use util::Dir;

const TEXT: &str =
    "“We will stay,” the mayor said. Residents said they were relieved. 😀 “Good,” said Ana.\n";

fn cp(needle: &str) -> serde_json::Value {
    util::cp(TEXT, needle)
}

fn quote(id: &str, content: &str, speaker: Option<&str>, kind: &str) -> serde_json::Value {
    json!({"id": id, "kind": kind, "content": cp(content), "speaker": speaker.map(cp), "cue": null, "optional": false})
}

/// Annotator A: three quotes.
fn annotation_a() -> serde_json::Value {
    json!({"quotes": [
        quote("a1", "We will stay,", Some("the mayor"), "direct"),
        quote("a2", "they were relieved", Some("Residents"), "indirect"),
        quote("a3", "Good,", Some("Ana"), "direct"),
    ]})
}

/// Annotator B: a different speaker for the first quote, no second quote,
/// the third, and one A does not have.
fn annotation_b() -> serde_json::Value {
    json!({"quotes": [
        quote("b1", "We will stay,", Some("Residents"), "direct"),
        quote("b2", "Good,", Some("Ana"), "direct"),
        quote("b3", "Residents said they were relieved", None, "indirect"),
    ]})
}

#[test]
fn agree_on_two_annotations_with_known_differences() {
    let dir = Dir::new();
    for (side, gold) in [("a", annotation_a()), ("b", annotation_b())] {
        dir.write(&format!("{side}/x.txt"), TEXT);
        dir.write(&format!("{side}/x.json"), gold.to_string());
    }
    let out = dir.run_expect(0, &["agree", "a", "b"]);
    // B against A: a1 matched by b1 (speaker wrong), a3 by b2; a2 "they were
    // relieved" vs b3 "residents said they were relieved": 3/5 ≥ 0.5, so it
    // matches too, with no speaker: content TP 3, FP 0, FN 0 → F1 1;
    // end-to-end: only a3 right → TP 1, FP 2, FN 2 → F1 1/3.
    assert!(out.contains("B against A: content F1 1.000 (P 1.000 R 1.000), end-to-end F1 0.333, speaker agreement 0.333"), "{out}");
    insta::assert_snapshot!(out);
    // Scored the other way round the figures are the same here.
    let corpus_a = Corpus::open(dir.join("a")).unwrap();
    let corpus_b = Corpus::open(dir.join("b")).unwrap();
    let g = quotecheck::curate::agree(&corpus_a, &corpus_b, &Scheme::default()).unwrap();
    assert_eq!(
        g.a_against_b
            .counts(quotecheck::score::Criterion::Attribution)
            .tp,
        1
    );
}

#[test]
fn draft_writes_only_unannotated_articles_and_promote_marks_them_gold() {
    let dir = Dir::with(&[
        ("corpus/new.txt", TEXT.into()),
        ("corpus/done.txt", TEXT.into()),
        ("corpus/done.json", annotation_a().to_string().into_bytes()),
    ]);
    let gold_before = std::fs::read(dir.join("corpus/done.json")).unwrap();
    let out = dir.run_expect(
        1,
        &["draft", "--extractor", "baseline", "new", "done", "missing"],
    );
    assert!(out.contains("drafted corpus/new.json"), "{out}");
    assert!(
        out.contains("skipped done: already has a gold file"),
        "{out}"
    );
    assert!(out.contains("skipped missing: no such article"), "{out}");
    assert_eq!(
        std::fs::read(dir.join("corpus/done.json")).unwrap(),
        gold_before,
        "gold is never touched"
    );
    let draft: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("corpus/new.json")).unwrap()).unwrap();
    assert_eq!(draft["status"], "draft");
    assert!(!draft["quotes"].as_array().unwrap().is_empty());
    // A second draft run leaves the draft alone too.
    let out = dir.run_expect(1, &["draft", "--extractor", "baseline", "new"]);
    assert!(
        out.contains("skipped new: already has a gold file"),
        "{out}"
    );
    dir.run_expect(0, &["validate", "corpus"]);
    // Drafts are not scored until promoted.
    assert!(dir
        .run_expect(0, &["run", "--diffs", "none"])
        .contains("1 articles scored, 1 draft"));
    let out = dir.run_expect(0, &["promote", "new"]);
    assert!(out.contains("promoted new"), "{out}");
    assert!(dir
        .run_expect(0, &["run", "--diffs", "none"])
        .contains("2 articles scored"));
    let out = dir.run_expect(1, &["promote", "new", "nothing"]);
    assert!(
        out.contains("not promoted new: it is already gold")
            && out.contains("not promoted nothing: no such article"),
        "{out}"
    );
}

#[test]
fn stats_and_show_on_the_corpus() {
    let dir = Dir::new();
    let corpus = util::repo().join("corpus").display().to_string();
    let stats = dir
        .run_expect(0, &["stats", &corpus])
        .replace(&corpus, "corpus");
    insta::assert_snapshot!("stats", stats);
    let show = dir.run_expect(
        0,
        &[
            "show",
            "chef-nunez-apology",
            "--corpus",
            &corpus,
            "--color",
            "never",
        ],
    );
    insta::assert_snapshot!("show", show);
    let show = dir.run_expect(
        0,
        &[
            "show",
            "chef-nunez-apology",
            "--corpus",
            &corpus,
            "--color",
            "never",
            "--extractor",
            "baseline",
        ],
    );
    assert!(show.contains("baseline on chef-nunez-apology"), "{show}");
    dir.run_expect(
        0,
        &[
            "show",
            "chef-nunez-apology",
            "--corpus",
            &corpus,
            "--color",
            "never",
            "--html",
            "show.html",
        ],
    );
    let page = std::fs::read_to_string(dir.join("show.html")).unwrap();
    // Eleven gold records, one of them in two parts and one whose two parts
    // nest: every content span is a highlighted quote of the "gold" column.
    assert!(
        page.contains("chef-nunez-apology") && page.matches("<mark").count() >= 11,
        "{}",
        page.len()
    );
    assert!(!page.contains("<script src") && !page.contains("<link"));
    let json = dir.run_expect(0, &["stats", &corpus, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(json.split_once('\n').unwrap().1).unwrap();
    assert_eq!(v["quotes"], 137);
}

#[test]
fn fmt_check_reports_and_fmt_rewrites_once() {
    let dir = Dir::with(&[("corpus/x.txt", TEXT.into())]);
    // Records out of order, keys in another order, one-line JSON.
    let mut gold = annotation_a();
    gold["quotes"].as_array_mut().unwrap().reverse();
    dir.write("corpus/x.json", gold.to_string());
    let out = dir.run_expect(1, &["fmt", "--check"]);
    assert!(out.contains("would reformat corpus/x.json"), "{out}");
    let before = dir.run_expect(0, &["run", "--json", "before.json", "--diffs", "none"]);
    dir.run_expect(0, &["fmt"]);
    let formatted = std::fs::read_to_string(dir.join("corpus/x.json")).unwrap();
    assert!(formatted.find("\"a1\"").unwrap() < formatted.find("\"a3\"").unwrap());
    dir.run_expect(0, &["fmt", "--check"]);
    assert_eq!(dir.run_expect(0, &["run", "--diffs", "none"]), before);
}

/// Under an extractor's heading, `show` draws what the extractor found:
/// when it found nothing it says so instead of drawing the gold, and a
/// gold quote it missed is marked as missed, not as one it found.
#[test]
fn show_says_what_the_extractor_found() {
    let dir = Dir::with(&[("corpus/x.txt", TEXT.into())]);
    dir.write("corpus/x.json", annotation_a().to_string());
    dir.write("none.jsonl", "{\"id\": \"x\", \"quotes\": []}\n");
    dir.write(
        "one.jsonl",
        json!({"id": "x", "quotes": [{"content": cp("We will stay,"), "speaker": cp("the mayor")}]})
            .to_string(),
    );
    let show =
        |replay: &str| dir.run_expect(0, &["show", "x", "--replay", replay, "--color", "never"]);
    let out = show("none=none.jsonl");
    assert!(
        out.contains("none on x: found no quotes; it missed all 3 required gold quotes (show without --extractor or --replay draws them)"),
        "{out}"
    );
    assert!(
        !out.contains('⟦'),
        "no gold drawn under the extractor's heading:\n{out}"
    );
    let out = show("one=one.jsonl");
    assert!(out.contains("one on x:"), "{out}");
    assert!(out.contains("“⟦We will stay,⟧p1” {the mayor}"), "{out}");
    assert!(out.contains("⟦they were relieved⟧a2:missed"), "{out}");
    assert!(out.contains("⟦Good,⟧a3:missed"), "{out}");
    // Without an extractor the gold is drawn with its ids.
    let out = dir.run_expect(0, &["show", "x", "--color", "never"]);
    assert!(out.contains("⟦they were relieved⟧a2"), "{out}");
    assert!(!out.contains(":missed"), "{out}");
    // The help says what each marker means.
    let help = dir.run_expect(0, &["show", "--help"]);
    for marker in ["⟦…⟧p3", "⟦…⟧q2:missed", "{…}", "‹…›"] {
        assert!(help.contains(marker), "{marker} in\n{help}");
    }
}

/// A gold file fmt cannot read is not canonical either: `fmt --check`
/// fails on it (as `fmt`, which leaves it alone), and says what to run.
#[test]
fn fmt_fails_on_an_invalid_file() {
    let dir = Dir::with(&[
        ("corpus/x.txt", TEXT.into()),
        ("corpus/y.txt", TEXT.into()),
        ("corpus/y.json", b"{\"quotes\": [".to_vec()),
    ]);
    dir.write("corpus/x.json", annotation_a().to_string());
    dir.run_expect(1, &["fmt"]);
    let out = dir.run_expect(1, &["fmt", "--check"]);
    assert!(out.contains("left alone (invalid): y"), "{out}");
    assert!(
        out.contains("0 changed, 1 already canonical, 1 invalid"),
        "{out}"
    );
    assert!(out.contains("quotecheck validate"), "{out}");
    // Once the file is valid, both pass.
    dir.write("corpus/y.json", annotation_a().to_string());
    dir.run_expect(0, &["fmt"]);
    dir.run_expect(0, &["fmt", "--check"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// fmt is idempotent and keeps every record: the reloaded gold equals
    /// the original up to record order, so no figure can change.
    #[test]
    fn fmt_is_idempotent_and_keeps_every_record(order in Just(()).prop_perturb(|_, mut rng| {
        let mut v: Vec<usize> = (0..3).collect();
        for i in (1..v.len()).rev() { v.swap(i, (rng.next_u32() as usize) % (i + 1)); }
        v
    }), unit in prop::sample::select(vec!["codepoint", "utf8", "utf16"])) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.txt"), TEXT).unwrap();
        let a = annotation_a();
        let quotes: Vec<serde_json::Value> = order.iter().map(|&i| a["quotes"][i].clone()).collect();
        // Re-express the offsets in `unit`.
        let ix = quotecheck::corpus::OffsetIndex::new(TEXT);
        let conv = |v: &serde_json::Value| {
            let to = |cpo: u64| {
                let b = ix.to_byte(quotecheck::corpus::OffsetUnit::Codepoint, cpo as usize).unwrap();
                ix.from_byte(quotecheck::corpus::OffsetUnit::parse(unit).unwrap(), b)
            };
            let mut v = v.clone();
            if v.is_object() {
                v["start"] = json!(to(v["start"].as_u64().unwrap()));
                v["end"] = json!(to(v["end"].as_u64().unwrap()));
            }
            v
        };
        let quotes: Vec<serde_json::Value> = quotes.into_iter().map(|mut q| {
            q["content"] = conv(&q["content"]);
            q["speaker"] = conv(&q["speaker"]);
            q
        }).collect();
        std::fs::write(dir.path().join("x.json"), json!({"offsets": unit, "quotes": quotes}).to_string()).unwrap();
        let load = || {
            let c = Corpus::open(dir.path()).unwrap();
            let mut items = c.items();
            match items.next().unwrap() {
                Item::Article { article, .. } => article.gold.unwrap(),
                Item::Broken { issues, .. } => panic!("{issues:?}"),
            }
        };
        let mut before = load();
        let first = quotecheck::curate::fmt(&Corpus::open(dir.path()).unwrap(), false).unwrap();
        let bytes = std::fs::read(dir.path().join("x.json")).unwrap();
        let second = quotecheck::curate::fmt(&Corpus::open(dir.path()).unwrap(), false).unwrap();
        prop_assert!(second.changed.is_empty() && first.skipped.is_empty());
        prop_assert_eq!(std::fs::read(dir.path().join("x.json")).unwrap(), bytes);
        let after = load();
        prop_assert_eq!(after.offsets.as_str(), unit);
        before.quotes.sort_by(|a, b| a.id.cmp(&b.id));
        let mut sorted = after.quotes.clone();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        prop_assert_eq!(before.quotes, sorted);
    }
}

#[test]
fn show_runs_an_extractor_on_an_unannotated_article() {
    let dir = Dir::new();
    let corpus = util::repo().join("corpus").display().to_string();
    let args = [
        "show",
        "library-hours-vote",
        "--corpus",
        &corpus,
        "--color",
        "never",
        "--extractor",
        "baseline",
    ];
    let show = dir.run_expect(0, &args);
    // The runner gives the article to the extractor although it has no
    // gold: its records are listed, every one without a gold quote.
    assert!(show.contains("baseline on library-hours-vote"), "{show}");
    assert!(!show.contains("failed on"), "{show}");
    assert!(show.contains("p1"), "{show}");
    assert_eq!(dir.run_expect(0, &args), show);
}
