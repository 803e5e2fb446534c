//! No bytes make a reader panic (docs/reliability.md, "Input"): arbitrary
//! bytes, and strings made of the pieces of each format so that the
//! readers get past their first check, fed to the JSON-lines corpus reader
//! (plain and gzipped), the replay reader (a JSON-lines file and a
//! folder) and every importer. Each gives items, issues or an error.

use std::io::Write;

use proptest::prelude::*;
use quotecheck::corpus::import::{
    import_brat, import_citron, import_ggt, import_pdnc, import_spkatt, import_spkatt_2023,
};
use quotecheck::corpus::{Article, ArticleId, Corpus};
use quotecheck::extract::{Extractor, Replay};

/// Arbitrary bytes, or a string of the pieces that JSON and brat files
/// are made of (so that a reader gets past "not JSON" now and then).
/// A character list as PDNC publishes one, for the quotation list to refer to.
const PDNC_CHARACTERS: &str = "Character ID,Main Name,Aliases,Gender,Category\n0,Emma,\"{'Emma', 'Miss Woodhouse', 'Emma Woodhouse'}\",F,major\n";

fn input() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\"id\"",
        "\"text\"",
        "\"quotes\"",
        "\"content\"",
        "\"speaker\"",
        "\"start\"",
        "\"end\"",
        "\"error\"",
        "\"offsets\"",
        "\"utf16\"",
        "null",
        "0",
        "-0",
        "7",
        "1e400",
        "-3",
        "18446744073709551616",
        "\"a\"",
        "\"\\ud800\"",
        "\u{feff}",
        "\n",
        "\r\n",
        "\t",
        "T1",
        "E1",
        "#1",
        "Content",
        "Source",
        "Cue",
        "Attribution",
        "Speaks",
        "AnnotatorNotes",
        ";",
        " ",
        "é",
        "😀",
        "documentName",
        "originalText",
        "annotations",
        "\"body\"",
        "\"quote\"",
        "\"sentences\"",
        "\"coreference_groups\"",
        "\"span\"",
        "\"Sentences\"",
        "\"SentenceId\"",
        "\"Tokens\"",
        "\"Annotations\"",
        "\"Message\"",
        "\"Cue\"",
        "\"0:1\"",
        "\"3:99\"",
        "\"-1:0\"",
        "\"quoteID\",\"quoteText\",\"subQuotationList\",\"quoteByteSpans\",\"speaker\",\"addressees\",\"quoteType\",\"referringExpression\",\"mentionTextsList\",\"mentionSpansList\",\"mentionEntitiesList\"\n",
        "Q1,",
        "\"[[0, 5]]\"",
        "\"['Emma']\"",
        "{'Emma', 'Miss Woodhouse'}",
        "Explicit",
        "Implicit",
        "Emma",
    ]);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        prop::collection::vec(pieces, 0..80).prop_map(|p| p.concat().into_bytes()),
    ]
}

fn article(text: &str) -> Article {
    Article {
        id: ArticleId::new("a").unwrap(),
        text: text.to_string(),
        gold: None,
    }
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_jsonl_corpus_reader_takes_any_bytes(bytes in input(), cut in any::<prop::sample::Index>()) {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("c.jsonl");
        std::fs::write(&plain, &bytes).unwrap();
        // A gzip stream cut anywhere, too.
        let zipped = gz(&bytes);
        let at = cut.index(zipped.len() + 1);
        let gzipped = dir.path().join("c.jsonl.gz");
        std::fs::write(&gzipped, &zipped[..at]).unwrap();
        for path in [plain, gzipped] {
            let corpus = Corpus::open(&path).unwrap();
            for item in corpus.items() {
                let _ = item.issues();
            }
        }
    }

    #[test]
    fn the_replay_reader_takes_any_bytes(bytes in input(), text in "[a-zé😀 ]{0,30}") {
        let dir = tempfile::tempdir().unwrap();
        let lines = dir.path().join("r.jsonl");
        std::fs::write(&lines, &bytes).unwrap();
        std::fs::write(dir.path().join("r.jsonl.gz"), gz(&bytes)).unwrap();
        std::fs::create_dir(dir.path().join("folder")).unwrap();
        std::fs::write(dir.path().join("folder/a.json"), &bytes).unwrap();
        // A line that is the bytes with an id, so the record is reached.
        let with_id = format!("{{\"id\": \"a\", {}", String::from_utf8_lossy(&bytes).trim_start_matches('{'));
        let named = dir.path().join("n.jsonl");
        std::fs::write(&named, with_id).unwrap();
        for path in ["r.jsonl", "r.jsonl.gz", "folder", "n.jsonl"] {
            let replay = Replay::open("r", dir.path().join(path)).unwrap();
            let _ = replay.extract(&article(&text));
            let _ = replay.finish(&|_| true);
        }
    }

    #[test]
    fn every_importer_takes_any_bytes(source in input(), text in input()) {
        let source = String::from_utf8_lossy(&source);
        let text = String::from_utf8_lossy(&text);
        let _ = import_brat(&source, &text, "a.ann", "a");
        let _ = import_citron(&source, "a.json", "a");
        let _ = import_spkatt(&source, "a.json", "a");
        let _ = import_spkatt_2023(&source, "a.json", "a");
        let csv = ("data/a/quotation_info.csv", "a");
        let _ = import_pdnc(&text, &source, &source, csv);
        let _ = import_pdnc(&text, &source, PDNC_CHARACTERS, csv);
        let _ = import_ggt(&source, Some(&text), "a.json", "a");
        let _ = import_ggt(&source, None, "a.json", "a");
    }
}
