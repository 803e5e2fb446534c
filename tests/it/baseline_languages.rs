//! The baseline in German, French and Japanese (docs/baseline.md,
//! "Languages"): the shapes of each language, the detector, an article's
//! `language` and the extractor's `language =` setting through the binary,
//! and no panic on any text in any language.

use quotecheck::corpus::{Article, ArticleId, Kind};
use quotecheck::extract::baseline::{detect, Baseline, Lang};
use serde_json::{json, Value};

use crate::util::corpus::cp;
use crate::util::dir::Dir;

/// A quote as text: content parts, speaker, cue, kind.
type Found = (Vec<String>, Option<String>, Option<String>, Kind);

/// Every quote `text` gives in `lang`.
fn found(text: &str, lang: Lang) -> Vec<Found> {
    Baseline::with_language(Some(lang))
        .find(text)
        .iter()
        .map(|q| {
            (
                q.content_text(text).iter().map(|s| s.to_string()).collect(),
                q.speaker_text(text).map(str::to_string),
                q.cue_text(text).map(str::to_string),
                q.kind,
            )
        })
        .collect()
}

fn one(text: &str, lang: Lang) -> Found {
    let all = found(text, lang);
    assert_eq!(all.len(), 1, "{text:?} gave {all:?}");
    all.into_iter().next().unwrap()
}

fn rec(
    content: &str,
    speaker: &str,
    cue: &str,
    kind: Kind,
) -> (Vec<String>, Option<String>, Option<String>, Kind) {
    (
        vec![content.to_string()],
        Some(speaker.to_string()),
        Some(cue.to_string()),
        kind,
    )
}

#[test]
fn german_direct_quotes_are_attributed_after_and_before_them() {
    use Kind::Direct;
    let de = Lang::De;
    assert_eq!(
        one("„Wir haben uns das nicht leicht gemacht“, sagte Geschäftsführer Jürgen Weißmüller vor Journalisten.", de),
        rec("Wir haben uns das nicht leicht gemacht", "Geschäftsführer Jürgen Weißmüller", "sagte", Direct)
    );
    assert_eq!(
        one("»Das ist ein Kahlschlag«, so der Betriebsrat.", de),
        rec("Das ist ein Kahlschlag", "der Betriebsrat", "so", Direct)
    );
    assert_eq!(
        one(
            "Ein Schweißer aus der Vormontage erzählte: „Unser Meister hat nichts gesagt.“",
            de
        ),
        rec(
            "Unser Meister hat nichts gesagt.",
            "Ein Schweißer aus der Vormontage",
            "erzählte",
            Direct
        )
    );
}

#[test]
fn german_reported_speech_takes_every_shape_of_the_list() {
    use Kind::Indirect;
    let de = Lang::De;
    assert_eq!(
        one("Bremens Senatorin Katrin Albers-Hoffmann sagte, sie werde noch in dieser Woche sprechen.", de),
        rec("sie werde noch in dieser Woche sprechen", "Bremens Senatorin Katrin Albers-Hoffmann", "sagte", Indirect)
    );
    assert_eq!(
        one(
            "Die Polizei teilte am Montag mit, dass niemand verletzt wurde.",
            de
        ),
        rec(
            "dass niemand verletzt wurde",
            "Die Polizei",
            "teilte",
            Indirect
        )
    );
    assert_eq!(
        one(
            "Am Montag erklärte der Minister, der Plan sei gescheitert.",
            de
        ),
        rec(
            "der Plan sei gescheitert",
            "der Minister",
            "erklärte",
            Indirect
        )
    );
    assert_eq!(
        one(
            "Laut der Gewerkschaft sind vor allem Beschäftigte der Verwaltung betroffen.",
            de
        ),
        rec(
            "sind vor allem Beschäftigte der Verwaltung betroffen",
            "der Gewerkschaft",
            "Laut",
            Indirect
        )
    );
    assert_eq!(
        one(
            "Nach Angaben der Polizei wurden keine Menschen verletzt.",
            de
        ),
        rec(
            "wurden keine Menschen verletzt",
            "Angaben der Polizei",
            "Nach",
            Indirect
        )
    );
    assert_eq!(
        one("Die Lage sei ernst, so der Sprecher.", de),
        rec("Die Lage sei ernst", "der Sprecher", "so", Indirect)
    );
    assert_eq!(
        one("Dem Bericht zufolge sind drei Menschen gestorben.", de),
        rec(
            "sind drei Menschen gestorben",
            "Dem Bericht",
            "zufolge",
            Indirect
        )
    );
    assert_eq!(
        one(
            "Wie die Polizei mitteilte, wurde der Täter festgenommen.",
            de
        ),
        rec(
            "wurde der Täter festgenommen",
            "die Polizei",
            "mitteilte",
            Indirect
        )
    );
    assert_eq!(
        one(
            "Der Besitzer hatte angegeben, dass Mäuse das Haus bevölkert hatten.",
            de
        ),
        rec(
            "dass Mäuse das Haus bevölkert hatten",
            "Der Besitzer",
            "hatte",
            Indirect
        )
    );
    // Konjunktiv I after reported speech continues it, with its speaker.
    let text = "Der Minister sagte, der Plan sei tot. Die Kosten seien zu hoch gewesen.";
    let all = found(text, de);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1].0, ["Die Kosten seien zu hoch gewesen"]);
    assert_eq!(all[1].1.as_deref(), Some("Der Minister"));
    // A quotation inside reported speech is also a direct quote of its own.
    let all = found("Ein Sprecher ergänzte, man prüfe „alle Instrumente“.", de);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1].0, ["alle Instrumente"]);
    assert_eq!(
        (all[1].1.as_deref(), all[1].3),
        (Some("Ein Sprecher"), Kind::Direct)
    );
    // A question is no reported speech.
    assert!(found("Der Minister sagte, ob das stimmt?", de).is_empty());
}

#[test]
fn french_quotes_take_guillemets_inversions_and_selon() {
    let fr = Lang::Fr;
    assert_eq!(
        one("« Nous ne pouvons pas accueillir tout le monde », a déclaré Loïc Béranger, délégué du syndicat.", fr),
        rec("Nous ne pouvons pas accueillir tout le monde", "Loïc Béranger", "a déclaré", Kind::Direct)
    );
    assert_eq!(
        one("« On nous a dit de revenir demain », soupire-t-elle.", fr),
        rec(
            "On nous a dit de revenir demain",
            "elle",
            "soupire-t-elle",
            Kind::Direct
        )
    );
    assert_eq!(
        one(
            "Selon le syndicat, sept postes n’ont pas été remplacés.",
            fr
        ),
        rec(
            "sept postes n’ont pas été remplacés",
            "le syndicat",
            "Selon",
            Kind::Indirect
        )
    );
    assert_eq!(
        one(
            "La directrice a répondu qu’aucune décision n’avait été prise.",
            fr
        ),
        rec(
            "qu’aucune décision n’avait été prise",
            "La directrice",
            "a répondu",
            Kind::Indirect
        )
    );
    assert_eq!(
        one(
            "Elle a précisé que l’exposition « Fils d’Orient » n’était pas menacée.",
            fr
        ),
        rec(
            "que l’exposition « Fils d’Orient » n’était pas menacée",
            "Elle",
            "a précisé",
            Kind::Mixed
        )
    );
}

#[test]
fn japanese_quotes_take_the_topic_and_the_verb_after_to() {
    let ja = Lang::Ja;
    assert_eq!(
        one("林田雅子町長は「年内に案をまとめたい」と答弁した。", ja),
        rec(
            "年内に案をまとめたい",
            "林田雅子町長",
            "答弁した",
            Kind::Direct
        )
    );
    assert_eq!(
        one("中村議員は、町がタクシーを走らせるべきだと提案した。", ja),
        rec(
            "町がタクシーを走らせるべきだ",
            "中村議員",
            "提案した",
            Kind::Indirect
        )
    );
    assert_eq!(
        one("町によると、利用者は1日平均180人だ。", ja),
        rec("利用者は1日平均180人だ", "町", "によると", Kind::Indirect)
    );
}

#[test]
fn the_detector_reads_the_project_corpus_articles_in_their_languages() {
    let read = |p: &str| std::fs::read_to_string(crate::util::dir::repo().join(p)).unwrap();
    assert_eq!(detect(&read("corpus/bbc-libya-us-talks.txt")), Lang::En);
    assert_eq!(
        detect(&read("corpus/world/bremen-hansewerft.txt")),
        Lang::De
    );
    assert_eq!(detect(&read("corpus/world/lyon-musee-greve.txt")), Lang::Fr);
    assert_eq!(detect(&read("corpus/world/saginoura-bus.txt")), Lang::Ja);
}

/// A corpus of one German article with one gold quote, `language` set as
/// given (absent for `None`).
fn german_corpus(language: Option<&str>) -> Dir {
    let text = "Der Minister sagte, der Plan sei gescheitert.\n";
    let mut gold = json!({
        "article": "a",
        "quotes": [{
            "id": "q1", "kind": "indirect",
            "content": cp(text, "der Plan sei gescheitert"),
            "speaker": cp(text, "Der Minister"),
            "cue": cp(text, "sagte"),
        }],
    });
    if let Some(l) = language {
        gold["language"] = json!(l);
    }
    Dir::with(&[
        ("corpus/a.txt", text.as_bytes().to_vec()),
        ("corpus/a.json", serde_json::to_vec_pretty(&gold).unwrap()),
    ])
}

fn end_to_end_tp(dir: &Dir, args: &[&str]) -> u64 {
    let mut all = vec![
        "run",
        "--corpus",
        "corpus",
        "--no-snapshots",
        "--json",
        "report.json",
    ];
    all.extend_from_slice(args);
    dir.run(&all);
    let report: Value = dir.json("report.json");
    report["extractors"][0]["micro"]["attribution"]["tp"]
        .as_u64()
        .unwrap()
}

#[test]
fn an_articles_language_and_the_extractors_setting_choose_the_rules() {
    // Detected German, and German by the article's tag: found.
    assert_eq!(end_to_end_tp(&german_corpus(None), &[]), 1);
    assert_eq!(end_to_end_tp(&german_corpus(Some("de-DE")), &[]), 1);
    // The article says English: the English rules find nothing.
    assert_eq!(end_to_end_tp(&german_corpus(Some("en")), &[]), 0);
    // The extractor's setting overrides the article's tag, `auto` does not.
    let dir = german_corpus(Some("en"));
    dir.write(
        "quotecheck.toml",
        "[extractors.rules]\nbuiltin = \"baseline\"\nlanguage = \"de\"\n\n[extractors.auto]\nbuiltin = \"baseline\"\nlanguage = \"auto\"\n",
    );
    assert_eq!(end_to_end_tp(&dir, &["--extractor", "rules"]), 1);
    assert_eq!(end_to_end_tp(&dir, &["--extractor", "auto"]), 0);
    let listed = dir.run_expect(0, &["extractors"]);
    assert!(listed.contains("builtin baseline, language de"), "{listed}");
}

#[test]
fn a_language_the_baseline_has_no_rules_for_is_refused_with_the_choices() {
    let dir = german_corpus(None);
    dir.write(
        "quotecheck.toml",
        "[extractors.rules]\nbuiltin = \"baseline\"\nlanguage = \"es\"\n",
    );
    let out = dir.run_expect(2, &["run", "--corpus", "corpus", "--extractor", "rules"]);
    assert!(out.contains("`language` is \"es\""), "{out}");
    assert!(out.contains("\"auto\""), "{out}");
    // `language` applies to built-in extractors only.
    dir.write(
        "quotecheck.toml",
        "[extractors.saved]\nreplay = \"saved.jsonl\"\nlanguage = \"de\"\n",
    );
    let out = dir.run_expect(2, &["run", "--corpus", "corpus", "--extractor", "saved"]);
    assert!(out.contains("`language`"), "{out}");
}

#[test]
fn validate_keeps_a_language_tag_and_names_a_bad_one() {
    let dir = german_corpus(Some("fr-CH"));
    dir.run_expect(0, &["validate", "corpus"]);
    // `fmt` writes the tag back.
    dir.run(&["fmt", "corpus"]);
    assert_eq!(dir.json("corpus/a.json")["language"], "fr-CH");
    for bad in [json!("not a tag"), json!(42), json!("x")] {
        let dir = german_corpus(None);
        let mut gold: Value = dir.json("corpus/a.json");
        gold["language"] = bad.clone();
        dir.write("corpus/a.json", serde_json::to_vec(&gold).unwrap());
        let out = dir.run(&["validate", "corpus"]);
        assert!(out.contains("bad-language"), "{bad}: {out}");
        assert!(out.contains("corpus/a.json"), "{bad}: {out}");
    }
}

mod props {
    use proptest::prelude::*;
    use quotecheck::corpus::{Article, ArticleId, PredPart};
    use quotecheck::extract::{baseline::Baseline, Extractor};

    use super::Lang;

    fn piece() -> impl Strategy<Value = String> {
        const FIXED: &[&str] = &[
            "„",
            "“",
            "»",
            "«",
            "« ",
            " »",
            "「",
            "」",
            "『",
            "』",
            "‚",
            "‘",
            "\"",
            ", ",
            ". ",
            "? ",
            ": ",
            "\n",
            "\n\n",
            " sagte ",
            " so ",
            " laut ",
            " Laut ",
            " Nach ",
            " nach ",
            " Angaben ",
            " zufolge ",
            " Wie ",
            " wie ",
            " dass ",
            " sei ",
            " hatte ",
            " angegeben ",
            " teilte ",
            " mit ",
            " sich ",
            " der ",
            " Minister ",
            " a ",
            " a déclaré ",
            " a-t-elle ",
            "soupire-t-elle",
            " selon ",
            " Selon ",
            " d’après ",
            " que ",
            " qu’",
            " l’",
            " elle ",
            "は",
            "と述べた",
            "とも述べた",
            "によると",
            "、",
            "。",
            "（",
            "）",
            "と",
            "町長は",
            "😀",
            "e\u{301}",
            "-",
            "–",
        ];
        prop_oneof![
            3 => proptest::sample::select(FIXED).prop_map(str::to_string),
            1 => "[a-zA-ZäöüßéÄ]{1,8}",
            1 => "\\PC{1,4}",
        ]
    }

    fn lang() -> impl Strategy<Value = Lang> {
        proptest::sample::select(vec![Lang::En, Lang::De, Lang::Fr, Lang::Ja])
    }

    /// Every record is located and every span lies within the text, on
    /// character boundaries, non-empty.
    fn check(text: &str, lang: Option<Lang>) {
        let article = Article {
            id: ArticleId::new("p").unwrap(),
            text: text.to_string(),
            gold: None,
        };
        let out = Baseline::with_language(lang).extract(&article).unwrap();
        for p in &out.quotes {
            assert!(!p.content.is_empty() && p.kind.is_some());
            let mut spans = Vec::new();
            for part in &p.content {
                match part {
                    PredPart::Located(s) => spans.push(*s),
                    PredPart::Text(_) => panic!("text-only part"),
                }
            }
            spans.extend(p.speaker.iter().map(|m| m.span.unwrap()));
            spans.extend(p.cue.iter().map(|m| m.span.unwrap()));
            for s in spans {
                assert!(s.start < s.end && s.end <= text.len(), "{s:?} in {text:?}");
                assert!(
                    text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                    "{s:?} in {text:?}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn arbitrary_text_never_panics_in_any_language(text in "\\PC{0,200}", lang in lang()) {
            check(&text, Some(lang));
        }

        #[test]
        fn any_characters_never_panic_in_any_language(
            chars in proptest::collection::vec(any::<char>(), 0..300),
            lang in proptest::option::of(lang()),
        ) {
            check(&chars.into_iter().collect::<String>(), lang);
        }

        #[test]
        fn real_size_text_never_panics_in_any_language(
            pieces in proptest::collection::vec(piece(), 300..1200),
            lang in proptest::option::of(lang()),
        ) {
            check(&pieces.concat(), lang);
        }

        #[test]
        fn quote_like_text_never_panics_in_any_language(
            pieces in proptest::collection::vec(piece(), 0..40),
            lang in lang(),
        ) {
            check(&pieces.concat(), Some(lang));
            check(&pieces.concat(), None);
        }
    }
}

#[test]
fn an_article_without_gold_is_read_in_the_detected_language() {
    let text = "„Wir bleiben“, sagte die Bürgermeisterin.";
    let article = Article {
        id: ArticleId::new("a").unwrap(),
        text: text.to_string(),
        gold: None,
    };
    use quotecheck::extract::Extractor;
    let out = Baseline::new().extract(&article).unwrap();
    assert_eq!(out.quotes.len(), 1);
    assert_eq!(
        out.quotes[0].speaker.as_ref().unwrap().text,
        "die Bürgermeisterin"
    );
}
