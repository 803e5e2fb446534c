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

const SPKATT: &str = "tests/fixtures/import/spkatt-2024/data/dev";
const KRAFTWERK: &str =
    "70626 - Größtes Flusskraftwerk an der Weser eingeweiht (2011-11-30).pretty.json";

#[test]
fn german_2024_file_names_become_ids_and_relays_are_kept() {
    let dir = with_fixtures();
    let out = dir.run_expect(
        0,
        &[
            "import", "--from", "spkatt", SPKATT, "--out", "out", "--id-map", "ids.tsv",
        ],
    );
    assert!(!out.contains("unsafe-id"), "{out}");
    assert!(
        out.contains("records: 4 in, 3 written, 1 folded into an earlier record with the same content, 0 skipped"),
        "{out}"
    );
    let map = std::fs::read_to_string(dir.join("ids.tsv")).unwrap();
    assert_eq!(
        map,
        format!(
            "70626\t{SPKATT}/{KRAFTWERK}\n70627\t{SPKATT}/70627 - Bär in Bayern gesichtet (2011-12-01).pretty.json\n"
        )
    );
    // "so der Präsident laut BBC News": one record, both sources kept.
    let g = dir.json("out/70626.json");
    let relayed = records(&g).iter().find(|q| q["id"] == "1").unwrap();
    assert_eq!(relayed["speaker"]["text"], "der Präsident");
    assert_eq!(
        relayed["speaker"]["aliases"],
        serde_json::json!(["BBC News"])
    );
    let note = relayed["note"].as_str().unwrap();
    assert!(note.contains("record \"2\""), "{note}");
    assert!(note.contains("\"BBC News\" at 195..203"), "{note}");
    assert!(note.contains("\"laut\" at 190..194"), "{note}");
    canonical_and_valid(&dir, "out");

    // A prediction naming either source is right end to end.
    for (name, speaker, tp) in [
        ("president", "der Präsident", 1),
        ("bbc", "BBC News", 1),
        ("minister", "Der Minister", 0),
    ] {
        let replay = serde_json::json!({"quotes": [{
            "content": {"text": "Wir sind stolz auf die Arbeiter"},
            "speaker": {"text": speaker},
        }]});
        dir.write(&format!("{name}/70626.json"), replay.to_string());
        dir.run_expect(
            0,
            &[
                "run",
                "--corpus",
                "out",
                "--articles",
                "70626",
                "--replay",
                name,
                "--json",
                "r.json",
                "--diffs",
                "none",
            ],
        );
        let micro = &dir.json("r.json")["extractors"][0]["micro"];
        assert_eq!(micro["content"]["tp"], 1, "{speaker}: {micro:#}");
        assert_eq!(micro["attribution"]["tp"], tp, "{speaker}: {micro:#}");
    }
}

#[test]
fn german_2024_ids_that_collide_are_refused() {
    let dir = with_fixtures();
    let src = dir.join(&format!("{SPKATT}/{KRAFTWERK}"));
    let twin = dir.join(&format!(
        "{SPKATT}/70626 - Ein anderer Titel (2011-12-02).pretty.json"
    ));
    std::fs::copy(src, twin).unwrap();
    let out = dir.run_expect(1, &["import", "--from", "spkatt", SPKATT, "--out", "out"]);
    assert!(out.contains("error[id-collision]"), "{out}");
    assert!(out.contains("its id \"70626\" is also the id of"), "{out}");
    assert!(out.contains("1 file not imported"), "{out}");
    assert!(dir.join("out/70626.json").exists());
}

#[test]
fn spkatt_2023_sentence_token_annotations_import() {
    let dir = with_fixtures();
    let out = dir.run_expect(
        1,
        &[
            "import",
            "--from",
            "spkatt-2023",
            "tests/fixtures/import/spkatt-2023/data/dev",
            "--out",
            "out",
        ],
    );
    assert!(
        out.contains(
            "[not-read] tests/fixtures/import/spkatt-2023/data/dev/task1_alternative_format"
        ),
        "{out}"
    );
    assert!(out.contains("1 annotation without a Message"), "{out}");
    assert!(out.contains("token 3:99 does not exist"), "{out}");
    assert!(out.contains("records: 3 in, 2 written, 1 skipped"), "{out}");
    let id = "task1/19001_Tagesordnungspunkt_1_Beispiel_Muster_ID190100100_01.01.2018";
    // The text is rebuilt from the tokens: one space between, a sentence a line.
    let text = std::fs::read_to_string(dir.join(&format!("out/{id}.txt"))).unwrap();
    assert_eq!(
        text.lines().nth(1),
        Some("Die Ministerin hat gesagt , die Brücke werde im Mai fertig .")
    );
    let g = dir.json(&format!("out/{id}.json"));
    assert_eq!(g["status"], "draft");
    let q = records(&g);
    assert_eq!(q[0]["id"], "q1");
    assert_eq!(q[0]["content"]["text"], "die Brücke werde im Mai fertig");
    assert_eq!(q[0]["speaker"]["text"], "Die Ministerin");
    assert_eq!(q[0]["cue"]["text"], "gesagt");
    // Two runs of message tokens: a discontinuous quote; two source runs: an alias.
    assert_eq!(q[1]["id"], "q3");
    assert_eq!(q[1]["content"][0]["text"], "Wir halten Wort");
    assert_eq!(q[1]["content"][1]["text"], "das gelte für alle");
    assert_eq!(q[1]["speaker"]["aliases"], serde_json::json!(["sie"]));
    assert!(q[1].get("kind").is_none(), "SpkAtt-2023 has no quote types");
    let fmt = dir.run_expect(0, &["fmt", "--check", "out"]);
    assert!(fmt.contains("0 changed"), "{fmt}");
    dir.run_expect(0, &["validate", "out"]);
}

#[test]
fn agree_with_several_annotators_prints_the_pairs_and_the_mean() {
    let dir = with_fixtures();
    // A third annotator who annotated the harbour article as a1b2 did.
    let at = format!("{POLNEAR}/attributions/{HARBOUR}");
    std::fs::copy(
        dir.join(&format!("{at}_a1b2.ann")),
        dir.join(&format!("{at}_e5f6.ann")),
    )
    .unwrap();
    dir.run_expect(
        0,
        &[
            "import",
            "--from",
            "brat",
            POLNEAR,
            "--annotator",
            "all",
            "--out",
            "by",
        ],
    );
    let out = dir.run_expect(0, &["agree", "by/a1b2", "by/c3d4", "by/e5f6"]);
    // a1b2 has two records, c3d4 one of them, e5f6 both: 2/3, 1 and 2/3.
    let expected = "\
3 annotations, 3 pairs · scheme overlap:0.5
  A        B        articles  content F1  end-to-end F1
  by/a1b2  by/c3d4         1       0.667          0.667
  by/a1b2  by/e5f6         1       1.000          1.000
  by/c3d4  by/e5f6         1       0.667          0.667
mean over 3 pairs sharing articles: content F1 0.778, end-to-end F1 0.778
";
    assert_eq!(out.split_once('\n').unwrap().1, expected);
    // Two annotations keep the detailed comparison.
    let two = dir.run_expect(0, &["agree", "by/a1b2", "by/c3d4"]);
    assert!(two.contains("B against A: content F1 0.667"), "{two}");
    // Annotations that share no article compare nothing.
    dir.run_expect(
        0,
        &[
            "import",
            "--from",
            "brat",
            POLNEAR,
            "--annotator",
            "a1b2",
            "--out",
            "x",
        ],
    );
    std::fs::remove_file(dir.join(&format!("by/c3d4/{HARBOUR}.json"))).unwrap();
    std::fs::remove_file(dir.join(&format!("by/e5f6/{HARBOUR}.json"))).unwrap();
    let none = dir.run_expect(2, &["agree", "x", "by/c3d4", "by/e5f6"]);
    assert!(
        none.contains("no pair of annotations shares an article"),
        "{none}"
    );
}

#[test]
fn stats_counts_the_quote_marks_that_content_includes() {
    let dir = with_fixtures();
    dir.run_expect(0, &["import", "--from", "spkatt", SPKATT, "--out", "out"]);
    // German gold includes the marks in the content: „Wir sind stolz …“.
    let g = dir.json("out/70626.json");
    let direct = records(&g).iter().find(|q| q["kind"] == "direct").unwrap();
    assert_eq!(
        direct["content"]["text"],
        "„Wir sind stolz auf die Arbeiter“"
    );
    let out = dir.run_expect(0, &["stats", "out", "--format", "json"]);
    let stats: Value = serde_json::from_str(out.split_once('\n').unwrap().1).unwrap();
    assert_eq!(
        stats["quote_marks"],
        serde_json::json!({"„…“": 1}),
        "{stats:#}"
    );
}

#[test]
fn a_draft_stays_a_draft_through_export_and_import() {
    let dir = with_fixtures();
    let src = "tests/fixtures/import/spkatt-2023/data/dev";
    dir.run_expect(
        1,
        &["import", "--from", "spkatt-2023", src, "--out", "draft"],
    );
    let id = "task1/19001_Tagesordnungspunkt_1_Beispiel_Muster_ID190100100_01.01.2018";
    assert_eq!(dir.json(&format!("draft/{id}.json"))["status"], "draft");
    for format in ["brat", "citron"] {
        let out = dir.run_expect(
            0,
            &[
                "export",
                "--to",
                format,
                "draft",
                "--out",
                &format!("x-{format}"),
            ],
        );
        assert!(
            !out.contains("status"),
            "{format} carries the status: {out}"
        );
        let back = dir.run_expect(
            0,
            &[
                "import",
                "--from",
                format,
                &format!("x-{format}"),
                "--out",
                &format!("back-{format}"),
            ],
        );
        assert!(back.contains("(0 gold, 1 draft)"), "{format}: {back}");
        let g = dir.json(&format!("back-{format}/{id}.json"));
        assert_eq!(g["status"], "draft", "{format}: {g:#}");
        assert_eq!(records(&g).len(), 2, "{format}");
    }
    let ann = std::fs::read_to_string(dir.join(&format!("x-brat/{id}.ann"))).unwrap();
    assert!(ann.ends_with("#0\tQuotecheckStatus T1\tdraft\n"), "{ann}");
}
