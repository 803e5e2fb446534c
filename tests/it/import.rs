//! `quotecheck import` and `quotecheck export`.
//!
//! The fixtures in `tests/fixtures/import/<format>/` were written for these
//! tests in each format (no real corpus is shipped). Each command runs the
//! real binary in a fresh temporary folder that holds a copy of the
//! fixtures, so the paths in the output are the ones docs/import.md shows.
//! Round trips through brat and Citron are checked from Rust, as
//! properties over random gold.

use crate::util;

use proptest::prelude::*;
use quotecheck::corpus::export::{to_brat, to_citron};
use quotecheck::corpus::import::{import_brat, import_citron, DocImport};
use quotecheck::corpus::{
    Article, ArticleId, Gold, GoldQuote, GoldSpeaker, Kind, OffsetUnit, Span, Status,
};
use serde_json::Value;
use util::articles::text_of;
use util::dir::copy_tree;
use util::Dir;

/// A temporary folder holding `tests/fixtures/import` and `corpus`.
fn with_fixtures() -> Dir {
    let dir = Dir::new();
    for sub in ["tests/fixtures/import", "corpus"] {
        copy_tree(&util::repo().join(sub), &dir.join(sub));
    }
    dir
}

fn fixture(format: &str) -> String {
    format!("tests/fixtures/import/{format}")
}

/// The record `id` of a gold file.
fn record<'a>(gold: &'a Value, id: &str) -> &'a Value {
    gold["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap_or_else(|| panic!("no record {id:?} in {gold:#}"))
}

/// The texts of a record's content parts.
fn content(q: &Value) -> Vec<&str> {
    match &q["content"] {
        Value::Array(parts) => parts.iter().map(|p| p["text"].as_str().unwrap()).collect(),
        one => vec![one["text"].as_str().unwrap()],
    }
}

/// Imports a fixture set into `out`, snapshots what the user sees, and
/// checks that the result is a valid corpus.
fn import_fixture(format: &str) -> Dir {
    let dir = with_fixtures();
    let out = dir.run_expect(
        1,
        &["import", "--from", format, &fixture(format), "--out", "out"],
    );
    insta::assert_snapshot!(format!("{format}_fixtures"), out);
    let valid = dir.run_expect(0, &["validate", "out"]);
    assert!(valid.contains("valid: 0 errors"), "{valid}");
    // What an import writes is canonical.
    let fmt = dir.run_expect(0, &["fmt", "--check", "out"]);
    assert!(fmt.contains("0 changed,"), "{fmt}");
    dir
}

#[test]
fn brat_fixtures() {
    let dir = import_fixture("brat");
    let g = dir.json("out/harbour.json");
    assert_eq!(g["status"], "draft", "a record was skipped");
    assert_eq!(g["offsets"], "codepoint");
    let e1 = record(&g, "E1");
    assert_eq!(e1["speaker"]["text"], "Mayor Zoë Lefèvre");
    assert!(e1.get("kind").is_none(), "brat has no quote types");
    let e2 = record(&g, "E2");
    assert_eq!(
        content(e2),
        ["We are nearly there,", "and nobody is happier than me."]
    );
    let e3 = record(&g, "E3");
    assert!(e3["speaker"].is_null());
    assert_eq!(e3["cue"]["text"], "read");
    assert_eq!(e3["note"], "A sign: nobody is named.");
    // Offsets that counted the emoji as two units were moved by one.
    let e4 = record(&g, "E4");
    assert_eq!(e4["content"]["start"], 195);
    assert_eq!(e4["content"]["text"], "橋は安全だ");
    assert!(e4["note"].as_str().unwrap().contains("moved from 196..201"));
    assert_eq!(g["quotes"].as_array().unwrap().len(), 4);
    let lyon = dir.json("out/world/lyon.json");
    assert_eq!(lyon["status"], "gold");
    assert_eq!(
        std::fs::read_to_string(dir.join("out/world/lyon.txt")).unwrap(),
        std::fs::read_to_string(dir.join("tests/fixtures/import/brat/world/lyon.txt")).unwrap()
    );
    assert!(!dir.join("out/README.txt").exists());
}

#[test]
fn citron_fixtures() {
    let dir = import_fixture("citron");
    let g = dir.json("out/kestrel.json");
    assert!(!dir.join("out/broken.json").exists());
    let q1 = record(&g, "parc-1");
    assert_eq!(q1["speaker"]["entity"], "Dr Amara Osei");
    assert_eq!(q1["speaker"]["aliases"], serde_json::json!(["she", "Osei"]));
    let q2 = record(&g, "parc-2");
    assert_eq!(
        content(q2),
        ["“Inflation is sticky,”", "“and we will not gamble.”"]
    );
    assert_eq!(q2["speaker"]["text"], "she");
    assert_eq!(q2["speaker"]["entity"], "Dr Amara Osei");
    let q3 = record(&g, "q3");
    assert_eq!(q3["speaker"]["text"], "Osei");
    assert_eq!(q3["speaker"]["aliases"], serde_json::json!(["she"]));
    assert_eq!(content(q3), ["東京 markets were calm"]);
    let q4 = record(&g, "q4");
    assert!(q4["speaker"].is_null());
    assert_eq!(q4["cue"]["text"], "According to");
}

#[test]
fn spkatt_fixtures() {
    let dir = import_fixture("spkatt");
    let g = dir.json("out/ministerin.json");
    assert_eq!(record(&g, "0")["kind"], "indirect");
    let free = record(&g, "1");
    assert_eq!(free["kind"], "indirect");
    assert!(free["note"].as_str().unwrap().contains("FreeIndirect"));
    assert!(free["cue"].is_null());
    let direct = record(&g, "2");
    assert_eq!(direct["kind"], "direct");
    assert_eq!(content(direct), ["Wir schaffen das", "aber nicht allein."]);
    assert_eq!(direct["speaker"]["text"], "Özlem Kaya");
    let reported = record(&g, "3");
    assert_eq!(reported["optional"], true);
    assert_eq!(reported["kind"], "indirect");
    assert!(record(&g, "4")["speaker"].is_null());
    assert!(record(&g, "7").get("kind").is_none());
}

#[test]
fn ggt_fixtures() {
    let dir = import_fixture("ggt");
    let g = dir.json("out/budget.json");
    let q1 = record(&g, "q1");
    assert_eq!(q1["speaker"]["text"], "Premier Élise Tremblay");
    assert_eq!(q1["cue"]["text"], "said");
    let floating = record(&g, "q3");
    assert!(floating["speaker"].is_null());
    assert!(floating["cue"].is_null());
    assert_eq!(
        record(&g, "q4")["content"]["text"],
        "東京 had tried the same"
    );
    let ruiz = dir.json("out/ruiz.json");
    assert_eq!(ruiz["status"], "gold");
    assert_eq!(ruiz["source"]["url"], "https://example.org/ruiz");
    assert_eq!(
        std::fs::read_to_string(dir.join("out/ruiz.txt")).unwrap(),
        "Mayor Ana Ruiz said the bridge would reopen.\n"
    );
}

#[test]
fn a_single_file_and_a_clean_import_exit_0() {
    let dir = with_fixtures();
    let out = dir.run_expect(
        0,
        &[
            "import",
            "--from",
            "brat",
            "tests/fixtures/import/brat/world/lyon.ann",
            "--out",
            "out",
        ],
    );
    insta::assert_snapshot!(out);
    let g = dir.json("out/lyon.json");
    assert_eq!(g["article"], "lyon");
    assert_eq!(
        record(&g, "E1")["content"]["text"],
        "Nous tiendrons parole."
    );
    dir.run_expect(0, &["validate", "out"]);
}

#[test]
fn refuses_to_overwrite_without_force() {
    let dir = with_fixtures();
    let args = [
        "import",
        "--from",
        "ggt",
        "tests/fixtures/import/ggt",
        "--out",
        "out",
    ];
    dir.run_expect(1, &args);
    // Change one output and remove another: a refused import touches neither.
    dir.write("out/budget.json", "edited by hand\n");
    std::fs::remove_file(dir.join("out/ruiz.json")).unwrap();
    let before = dir.listing();
    let out = dir.run_expect(2, &args);
    insta::assert_snapshot!(out);
    assert_eq!(dir.listing(), before, "nothing may be written");
    assert_eq!(
        std::fs::read_to_string(dir.join("out/budget.json")).unwrap(),
        "edited by hand\n"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    dir.run_expect(1, &forced);
    assert!(dir.join("out/ruiz.json").exists());
    assert_eq!(dir.json("out/budget.json")["article"], "budget");
}

#[test]
fn unsafe_ids_are_rejected_before_writing() {
    let dir = with_fixtures();
    dir.write(
        "in/ok.json",
        r#"{"text": "Ana said yes.", "quotes": [{"cue": {"start": 4, "end": 8, "text": "said"}, "sources": [{"start": 0, "end": 3, "text": "Ana"}], "contents": [{"start": 9, "end": 12, "text": "yes"}]}]}"#,
    );
    dir.write("in/my article.json", r#"{"text": "No.", "quotes": []}"#);
    let out = dir.run_expect(1, &["import", "--from", "citron", "in", "--out", "out"]);
    insta::assert_snapshot!(out);
    assert_eq!(
        dir.listing()
            .lines()
            .filter(|l| l.starts_with("out/"))
            .collect::<Vec<_>>(),
        ["out/ok.json", "out/ok.txt"]
    );
}

#[test]
fn nothing_readable_exits_2() {
    let dir = with_fixtures();
    dir.write("in/broken.json", "[1, 2");
    let out = dir.run_expect(2, &["import", "--from", "spkatt", "in", "--out", "out"]);
    insta::assert_snapshot!(out);
    assert!(!dir.join("out").exists());
    let missing = dir.run_expect(2, &["import", "--from", "brat", "nowhere", "--out", "out"]);
    assert!(missing.contains("cannot read `nowhere`"), "{missing}");
    let empty = dir.run_expect(
        2,
        &[
            "import",
            "--from",
            "brat",
            "tests/fixtures/import/citron",
            "--out",
            "out",
        ],
    );
    assert!(empty.contains("holds no .ann files"), "{empty}");
}

#[test]
fn export_the_project_corpus_and_import_it_back() {
    let dir = with_fixtures();
    for format in ["brat", "citron"] {
        let out = dir.run_expect(0, &["export", "--to", format, "corpus", "--out", format]);
        insta::assert_snapshot!(format!("export_corpus_{format}"), out);
        let back = format!("{format}-back");
        let imported = dir.run_expect(0, &["import", "--from", format, format, "--out", &back]);
        assert!(
            imported.contains("records: 137 in, 137 written, 0 skipped"),
            "{imported}"
        );
        dir.run_expect(0, &["validate", &back]);
        // Content, speaker and cue spans survive both formats.
        for id in [
            "bbc-libya-us-talks",
            "chef-nunez-apology",
            "world/saginoura-bus",
        ] {
            let orig = dir.json(&format!("corpus/{id}.json"));
            let again = dir.json(&format!("{back}/{id}.json"));
            let spans = |g: &Value| -> Vec<(Vec<String>, Value, Value)> {
                g["quotes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|q| {
                        (
                            content(q).into_iter().map(str::to_string).collect(),
                            q["speaker"]["text"].clone(),
                            q["cue"]["text"].clone(),
                        )
                    })
                    .collect()
            };
            assert_eq!(spans(&orig), spans(&again), "{format}: {id}");
        }
    }
    let ann = std::fs::read_to_string(dir.join("brat/world/saginoura-bus.ann")).unwrap();
    assert!(ann.contains("\tAttribution-no-source:"), "{ann}");
    // Exporting again refuses to overwrite.
    let again = dir.run_expect(
        2,
        &["export", "--to", "citron", "corpus", "--out", "citron"],
    );
    assert!(again.contains("9 files already exist"), "{again}");
}

#[test]
fn the_sessions_in_docs_import_md_are_real() {
    // Every ```text block starting with `$ quotecheck` runs, in order, in
    // one folder holding the fixtures and the project corpus.
    let page = std::fs::read_to_string(util::repo().join("docs/import.md")).unwrap();
    let dir = with_fixtures();
    let mut sessions = 0;
    for (command, expected) in util::docs::sessions(&page) {
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = dir.run(&args);
        let printed = out.split_once('\n').unwrap().1;
        assert_eq!(printed, expected, "docs/import.md: `quotecheck {command}`");
        sessions += 1;
    }
    assert!(sessions >= 4, "docs/import.md shows {sessions} sessions");
}

// ---------------------------------------------------------------------------
// Round trips

/// Text mixing ASCII words, accents, CJK, emoji, quote marks and line breaks.
fn text() -> impl Strategy<Value = String> {
    text_of(
        vec![
            "said ",
            "Zoë ",
            "東京",
            "😀",
            " ",
            "“",
            "”",
            "\n",
            "rates ",
            "a",
            "b",
            ",",
            "\t",
            "👩‍👩‍👧",
            "Ⅻ ",
        ],
        12..60,
    )
}

/// Char-boundary byte offsets of `text`, end included.
fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect()
}

/// A non-empty span of `text` from two random numbers.
fn pick(b: &[usize], x: usize, y: usize) -> Span {
    let n = b.len() - 1;
    let s = x % n;
    let e = s + 1 + y % (n - s).min(6);
    Span::new(b[s], b[e])
}

/// A speaker mention and its names, as random numbers: the mention, the
/// entity, the aliases.
type SpeakerPlan = (usize, usize, Option<(usize, usize)>, Vec<(usize, usize)>);

#[derive(Clone, Debug)]
struct Plan {
    speakers: Vec<SpeakerPlan>,
    quotes: Vec<QuotePlan>,
}

#[derive(Clone, Debug)]
struct QuotePlan {
    cuts: Vec<usize>,
    speaker: Option<usize>,
    cue: Option<(usize, usize)>,
    kind: Option<u8>,
    optional: bool,
    note: Option<u8>,
}

fn plan() -> impl Strategy<Value = Plan> {
    let pair = || (0usize..10_000, 0usize..10_000);
    let speaker = (
        0usize..10_000,
        0usize..10_000,
        prop::option::of(pair()),
        prop::collection::vec(pair(), 0..3),
    );
    let quote = (
        prop::collection::vec(0usize..10_000, 2..7),
        prop::option::of(0usize..3),
        prop::option::of(pair()),
        prop::option::of(0u8..3),
        any::<bool>(),
        prop::option::of(0u8..3),
    )
        .prop_map(|(cuts, speaker, cue, kind, optional, note)| QuotePlan {
            cuts,
            speaker,
            cue,
            kind,
            optional,
            note,
        });
    (
        prop::collection::vec(speaker, 0..3),
        prop::collection::vec(quote, 0..6),
    )
        .prop_map(|(speakers, quotes)| Plan { speakers, quotes })
}

/// Valid gold for `text` from a plan: content parts in text order without
/// overlaps, each with at least one token somewhere; speakers from a pool
/// of non-overlapping mentions (a mention always has the same names), with
/// names taken from the text; no two records with the same content.
fn build(text: &str, plan: &Plan) -> Article {
    let b = boundaries(text);
    let n = b.len() - 1;
    let mut pool: Vec<GoldSpeaker> = Vec::new();
    for (x, y, entity, aliases) in &plan.speakers {
        let span = pick(&b, *x, *y);
        if pool
            .iter()
            .any(|p| p.span.is_some_and(|s| s.overlaps(span)))
        {
            continue;
        }
        let name = |(x, y): (usize, usize)| {
            let s = pick(&b, x, y).slice(text).to_string();
            Some(s).filter(|s| !s.trim().is_empty())
        };
        let entity = entity.and_then(name);
        let mut names: Vec<String> = Vec::new();
        for a in aliases.iter().copied().filter_map(name) {
            if Some(&a) != entity.as_ref() && !names.contains(&a) {
                names.push(a);
            }
        }
        pool.push(GoldSpeaker {
            span: Some(span),
            text: span.slice(text).to_string(),
            entity,
            aliases: names,
        });
    }
    let mut quotes: Vec<GoldQuote> = Vec::new();
    for q in &plan.quotes {
        let mut cuts: Vec<usize> = q.cuts.iter().map(|c| c % (n + 1)).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let content: Vec<Span> = cuts
            .chunks_exact(2)
            .map(|c| Span::new(b[c[0]], b[c[1]]))
            .collect();
        if content.is_empty()
            || !content
                .iter()
                .any(|s| quotecheck::text::has_tokens(s.slice(text)))
            || quotes.iter().any(|other| other.content == content)
        {
            continue;
        }
        quotes.push(GoldQuote {
            id: format!("q{}", quotes.len() + 1),
            kind: q.kind.map(|k| Kind::ALL[k as usize]),
            content,
            speaker: q.speaker.and_then(|i| pool.get(i).cloned()),
            cue: q.cue.map(|(x, y)| pick(&b, x, y)),
            optional: q.optional,
            note: q.note.map(|i| {
                ["checked twice", "a borderline case", "zweifelhaft"][i as usize].to_string()
            }),
        });
    }
    Article {
        id: ArticleId::new("a").unwrap(),
        text: text.to_string(),
        gold: Some(Gold {
            status: Status::Gold,
            offsets: OffsetUnit::Codepoint,
            source: None,
            language: None,
            quotes,
            ignore: Vec::new(),
        }),
    }
}

/// The records ordered by their content spans (unique within an article).
fn by_content(quotes: &[GoldQuote]) -> Vec<&GoldQuote> {
    let mut sorted: Vec<&GoldQuote> = quotes.iter().collect();
    sorted.sort_by(|a, b| {
        let key = |q: &GoldQuote| {
            q.content
                .iter()
                .map(|s| (s.start, s.end))
                .collect::<Vec<_>>()
        };
        key(a).cmp(&key(b))
    });
    sorted
}

fn article_of(doc: &DocImport) -> Article {
    Article {
        id: ArticleId::new("a").unwrap(),
        text: doc.text.clone(),
        gold: Some(doc.gold.clone()),
    }
}

fn via_brat(article: &Article) -> DocImport {
    let files = to_brat(article).files;
    let (txt, ann) = (&files[0], &files[1]);
    assert_eq!((txt.0, ann.0), ("txt", "ann"));
    import_brat(&ann.1, &txt.1, "a.ann", "a")
}

fn via_citron(article: &Article) -> DocImport {
    let files = to_citron(article).files;
    assert_eq!(files[0].0, "json");
    import_citron(&files[0].1, "a.json", "a").unwrap()
}

/// Nothing skipped, repaired or reported.
fn clean(doc: &DocImport) -> Result<(), TestCaseError> {
    prop_assert!(doc.skipped.is_empty(), "skipped: {:#?}", doc.skipped);
    prop_assert!(doc.issues.is_empty(), "issues: {:#?}", doc.issues);
    prop_assert_eq!(doc.repaired, 0);
    prop_assert_eq!(doc.gold.status, Status::Gold);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn brat_round_trip_keeps_spans_and_notes(text in text(), plan in plan()) {
        let article = build(&text, &plan);
        let gold = article.gold.as_ref().unwrap();
        let back = via_brat(&article);
        clean(&back)?;
        prop_assert_eq!(&back.text, &text);
        prop_assert_eq!(back.records_in, gold.quotes.len());
        // An import writes records in canonical order, and brat numbers
        // events in file order: the ids are E1…En, the records matched by content.
        let mut ids: Vec<&str> = back.gold.quotes.iter().map(|q| q.id.as_str()).collect();
        ids.sort_unstable();
        let mut want: Vec<String> = (1..=gold.quotes.len()).map(|i| format!("E{i}")).collect();
        want.sort_unstable();
        prop_assert_eq!(ids, want.iter().map(String::as_str).collect::<Vec<_>>());
        for (g, b) in by_content(&gold.quotes).into_iter().zip(by_content(&back.gold.quotes)) {
            prop_assert_eq!(&b.content, &g.content);
            prop_assert_eq!(b.speaker.as_ref().map(|s| (s.span, &s.text)), g.speaker.as_ref().map(|s| (s.span, &s.text)));
            prop_assert_eq!(b.cue, g.cue);
            prop_assert_eq!(&b.note, &g.note);
            // Not carried by brat.
            prop_assert_eq!(b.kind, None);
            prop_assert!(!b.optional);
            prop_assert!(b.speaker.as_ref().is_none_or(|s| s.entity.is_none() && s.aliases.is_empty()));
        }
        // Import → export → import gives the same gold, every field but
        // the record ids: brat numbers events in file order.
        let again = via_brat(&article_of(&back));
        clean(&again)?;
        let unnumbered = |gold: &Gold| {
            let mut quotes: Vec<GoldQuote> = by_content(&gold.quotes).into_iter().cloned().collect();
            quotes.iter_mut().for_each(|q| q.id.clear());
            (gold.status, gold.offsets, gold.source.clone(), quotes)
        };
        prop_assert_eq!(unnumbered(&again.gold), unnumbered(&back.gold));
    }

    #[test]
    fn citron_round_trip_keeps_ids_spans_and_names(text in text(), plan in plan()) {
        let article = build(&text, &plan);
        let gold = article.gold.as_ref().unwrap();
        let back = via_citron(&article);
        clean(&back)?;
        prop_assert_eq!(&back.text, &text);
        prop_assert_eq!(back.gold.quotes.len(), gold.quotes.len());
        for (g, b) in by_content(&gold.quotes).into_iter().zip(by_content(&back.gold.quotes)) {
            prop_assert_eq!(&b.id, &g.id);
            prop_assert_eq!(&b.content, &g.content);
            prop_assert_eq!(&b.speaker, &g.speaker);
            prop_assert_eq!(b.cue, g.cue);
            // Not carried by Citron.
            prop_assert_eq!(b.kind, None);
            prop_assert!(!b.optional);
            prop_assert_eq!(&b.note, &None);
        }
        let again = via_citron(&article_of(&back));
        clean(&again)?;
        prop_assert_eq!(&again.gold, &back.gold);
    }
}

#[test]
fn names_that_do_not_occur_are_reported_by_citron_export() {
    let text = "The US state department said talks were held.\n";
    let article = Article {
        id: ArticleId::new("a").unwrap(),
        text: text.into(),
        gold: Some(Gold {
            quotes: vec![GoldQuote {
                id: "q1".into(),
                kind: Some(Kind::Indirect),
                content: vec![Span::new(29, 44)],
                speaker: Some(GoldSpeaker {
                    span: Some(Span::new(0, 23)),
                    text: "The US state department".into(),
                    entity: Some("US State Department".into()),
                    aliases: vec!["state department".into(), "Washington".into()],
                }),
                cue: Some(Span::new(24, 28)),
                optional: false,
                note: None,
            }],
            ..Gold::default()
        }),
    };
    let converted = to_citron(&article);
    let lost: Vec<_> = converted.lost.records.keys().copied().collect();
    assert_eq!(
        lost,
        [
            "kind",
            "speaker aliases that do not occur in the text",
            "speaker entity that does not occur in the text"
        ]
    );
    let back = import_citron(&converted.files[0].1, "a.json", "a").unwrap();
    let sp = back.gold.quotes[0].speaker.as_ref().unwrap();
    assert_eq!(sp.entity, None);
    assert_eq!(sp.aliases, ["state department"]);
}

/// One of the fixture documents, as `(format, annotations, text)`.
fn fixture_doc(i: usize) -> (&'static str, String, Option<String>) {
    let read = |p: &str| std::fs::read_to_string(util::repo().join(p)).unwrap();
    match i {
        0 => (
            "brat",
            read("tests/fixtures/import/brat/harbour.ann"),
            Some(read("tests/fixtures/import/brat/harbour.txt")),
        ),
        1 => (
            "citron",
            read("tests/fixtures/import/citron/kestrel.json"),
            None,
        ),
        2 => (
            "spkatt",
            read("tests/fixtures/import/spkatt/ministerin.json"),
            None,
        ),
        _ => (
            "ggt",
            read("tests/fixtures/import/ggt/budget.json"),
            Some(read("tests/fixtures/import/ggt/budget.txt")),
        ),
    }
}

/// `s` with the character at each position replaced by its replacement
/// (an empty replacement deletes it).
fn mutate(s: &str, edits: &[(usize, &str)]) -> String {
    let mut chars: Vec<String> = s.chars().map(String::from).collect();
    for (at, with) in edits {
        if chars.is_empty() {
            break;
        }
        let at = at % chars.len();
        chars[at] = (*with).to_string();
    }
    chars.concat()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// However a source document is damaged, importing it does not panic,
    /// accounts for every record, and writes gold that `validate` accepts.
    #[test]
    fn damaged_sources_give_valid_gold_or_reasons(
        which in 0usize..4,
        edits in prop::collection::vec(
            (0usize..100_000, prop::sample::select(vec![
                "0", "9", "1", " ", "\"", ";", "\t", "\n", "é", "😀", ",", "]", "}", "", "T", "E", "-",
            ])),
            1..5,
        ),
    ) {
        let (format, source, text) = fixture_doc(which);
        let source = mutate(&source, &edits);
        let doc = match format {
            "brat" => Ok(import_brat(&source, text.as_deref().unwrap(), "a.ann", "a")),
            "citron" => import_citron(&source, "a.json", "a"),
            "spkatt" => quotecheck::corpus::import::import_spkatt(&source, "a.json", "a"),
            _ => quotecheck::corpus::import::import_ggt(&source, text.as_deref(), "a.json", "a"),
        };
        let Ok(doc) = doc else {
            return Ok(());
        };
        prop_assert_eq!(doc.records_in, doc.written() + doc.skipped.len() + doc.relayed);
        prop_assert_eq!(doc.gold.status == Status::Draft, !doc.skipped.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let id = ArticleId::new("a").unwrap();
        std::fs::write(dir.path().join("a.txt"), &doc.text).unwrap();
        std::fs::write(
            dir.path().join("a.json"),
            quotecheck::corpus::import::gold_json(&id, &doc.text, &doc.gold),
        )
        .unwrap();
        let v = quotecheck::corpus::validate(dir.path()).unwrap();
        prop_assert!(v.is_valid(), "{:#?}\n{}", v.issues, source);
        prop_assert_eq!(v.records, doc.written());
    }
}
