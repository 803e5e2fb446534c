//! Reading a JSON report as a stream: the article entries of every
//! extractor are handed over one by one as they are parsed, never held
//! together, so that `merge` reads parts of any size in bounded memory.
//! Everything else (the header, each extractor's figures and issues) is
//! read as [`Report::read`] reads it, but for each extractor's `failures`
//! list, which is skipped: the entries say which articles failed.

use std::io::Read;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::json::{ArticleJson, ExtractorJson, ReadError, Report, SCHEMA};

/// What receives the article entries: the extractor's index in the
/// report and the entry. An `Err` stops the reading with that message.
pub type OnArticle<'s> = dyn FnMut(usize, ArticleJson) -> Result<(), String> + 's;

/// Reads the report in `reader`, giving each extractor's article entries
/// to `on_article` in the order they are written instead of keeping them:
/// the report returned has empty `articles` and `failures` lists (and the
/// same fields otherwise as [`Report::read`] gives). A report of another `schema` is
/// refused before any entry is read when `schema` comes first, as
/// quotecheck writes it.
pub fn read_streaming(
    reader: impl Read,
    on_article: &mut OnArticle<'_>,
) -> Result<Report, StreamError> {
    let mut stopped = None;
    let mut sink = |n: usize, a: ArticleJson| {
        on_article(n, a).map_err(|e| {
            stopped = Some(e);
            STOPPED.to_string()
        })
    };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let read = ReportSeed { sink: &mut sink }
        .deserialize(&mut de)
        .and_then(|r| de.end().map(|()| r));
    match read {
        Ok(report) => Ok(report),
        Err(e) => Err(match stopped {
            Some(message) => StreamError::Stopped(message),
            None => StreamError::Read(classify(e)),
        }),
    }
}

/// Why a report could not be read as a stream.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The file is not a report this quotecheck reads.
    #[error(transparent)]
    Read(ReadError),
    /// What received the entries stopped the reading.
    #[error("{0}")]
    Stopped(String),
}

const STOPPED: &str = "stopped by the reader of the entries";
const SCHEMA_PREFIX: &str = "quotecheck report schema ";
const NO_SCHEMA: &str = "quotecheck report without schema";

/// The errors made here, told apart from serde_json's own.
fn classify(e: serde_json::Error) -> ReadError {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix(SCHEMA_PREFIX) {
        let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = n.parse() {
            return ReadError::Schema(n);
        }
    }
    if text.starts_with(NO_SCHEMA) {
        return ReadError::NoSchema;
    }
    if e.is_data() {
        ReadError::Layout(e)
    } else {
        ReadError::NotJson(e)
    }
}

struct ReportSeed<'s, 'f> {
    sink: &'s mut OnArticle<'f>,
}

impl<'de> DeserializeSeed<'de> for ReportSeed<'_, '_> {
    type Value = Report;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Report, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ReportSeed<'_, '_> {
    type Value = Report;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a quotecheck JSON report (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Report, A::Error> {
        let mut fields = Map::new();
        let mut extractors = None;
        let mut schema_seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "extractors" {
                if !schema_seen {
                    // Not laid out as quotecheck writes: read it whole.
                    let v: Value = map.next_value()?;
                    fields.insert(key, v);
                    continue;
                }
                extractors = Some(map.next_value_seed(ExtractorsSeed {
                    sink: &mut *self.sink,
                })?);
                continue;
            }
            let v: Value = map.next_value()?;
            if key == "schema" {
                match v.as_u64() {
                    Some(s) if s == u64::from(SCHEMA) => schema_seen = true,
                    Some(s) => return Err(A::Error::custom(format!("{SCHEMA_PREFIX}{s}"))),
                    None => return Err(A::Error::custom(NO_SCHEMA)),
                }
            }
            fields.insert(key, v);
        }
        if !schema_seen {
            return Err(A::Error::custom(NO_SCHEMA));
        }
        let whole = fields.remove("extractors");
        fields.insert("extractors".into(), Value::Array(Vec::new()));
        let mut report: Report =
            serde_json::from_value(Value::Object(fields)).map_err(A::Error::custom)?;
        report.extractors = match (extractors, whole) {
            (Some(e), _) => e,
            // Written before `schema`: its entries go to the sink all the same.
            (None, Some(whole)) => {
                let mut list: Vec<ExtractorJson> =
                    serde_json::from_value(whole).map_err(A::Error::custom)?;
                for (n, e) in list.iter_mut().enumerate() {
                    for a in std::mem::take(&mut e.articles) {
                        (self.sink)(n, a).map_err(A::Error::custom)?;
                    }
                }
                list
            }
            (None, None) => return Err(A::Error::missing_field("extractors")),
        };
        Ok(report)
    }
}

struct ExtractorsSeed<'s, 'f> {
    sink: &'s mut OnArticle<'f>,
}

impl<'de> DeserializeSeed<'de> for ExtractorsSeed<'_, '_> {
    type Value = Vec<ExtractorJson>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ExtractorsSeed<'_, '_> {
    type Value = Vec<ExtractorJson>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of extractors")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut list = Vec::new();
        while let Some(e) = seq.next_element_seed(ExtractorSeed {
            index: list.len(),
            sink: &mut *self.sink,
        })? {
            list.push(e);
        }
        Ok(list)
    }
}

struct ExtractorSeed<'s, 'f> {
    index: usize,
    sink: &'s mut OnArticle<'f>,
}

impl<'de> DeserializeSeed<'de> for ExtractorSeed<'_, '_> {
    type Value = ExtractorJson;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ExtractorSeed<'_, '_> {
    type Value = ExtractorJson;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an extractor's entry (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "articles" {
                map.next_value_seed(ArticlesSeed {
                    index: self.index,
                    sink: &mut *self.sink,
                })?;
                fields.insert(key, Value::Array(Vec::new()));
            } else if key == "failures" {
                // Every failure is an article entry too, which say the
                // same: skipped, not kept (a part may list a million).
                map.next_value::<serde::de::IgnoredAny>()?;
                fields.insert(key, Value::Array(Vec::new()));
            } else {
                fields.insert(key, map.next_value()?);
            }
        }
        serde_json::from_value(Value::Object(fields)).map_err(A::Error::custom)
    }
}

struct ArticlesSeed<'s, 'f> {
    index: usize,
    sink: &'s mut OnArticle<'f>,
}

impl<'de> DeserializeSeed<'de> for ArticlesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ArticlesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of article entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(a) = seq.next_element::<ArticleJson>()? {
            (self.sink)(self.index, a).map_err(A::Error::custom)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_text() -> String {
        let corpus =
            crate::corpus::Corpus::open(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap();
        let baseline = crate::extract::builtin("baseline").unwrap();
        // An empty replay fails on every article: `failures` lists them.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("none.jsonl"), "").unwrap();
        let none = crate::extract::Replay::open("none", dir.path().join("none.jsonl")).unwrap();
        let result = crate::run::run(
            &corpus,
            &[baseline.as_ref(), baseline.as_ref(), &none],
            &crate::run::RunSettings::default(),
            &mut |_| {},
        );
        let mut out = Vec::new();
        Report::from_result(&result).write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_report_read_as_a_stream_is_the_report_read_whole() {
        let text = report_text();
        let whole = Report::read(text.as_bytes()).unwrap();
        let mut entries: Vec<Vec<ArticleJson>> = vec![Vec::new(); whole.extractors.len()];
        let mut streamed = read_streaming(text.as_bytes(), &mut |n, a| {
            entries[n].push(a);
            Ok(())
        })
        .unwrap();
        for (e, articles) in streamed.extractors.iter_mut().zip(entries) {
            assert!(e.articles.is_empty());
            assert!(e.failures.is_empty());
            e.failures = crate::report::json::ArticlesSummary::of(&articles).failures;
            e.articles = articles;
        }
        assert!(whole.extractors[0].articles.len() > 1);
        assert!(whole.extractors.iter().any(|e| !e.failures.is_empty()));
        assert_eq!(
            serde_json::to_value(&streamed).unwrap(),
            serde_json::to_value(&whole).unwrap()
        );
    }

    #[test]
    fn another_schema_is_refused_before_its_entries_are_read() {
        let text = report_text().replacen("\"schema\": 1", "\"schema\": 2", 1);
        let mut read = 0;
        let err = read_streaming(text.as_bytes(), &mut |_, _| {
            read += 1;
            Ok(())
        })
        .unwrap_err();
        assert!(
            matches!(err, StreamError::Read(ReadError::Schema(2))),
            "{err}"
        );
        assert_eq!(read, 0);
        let none = read_streaming(&b"{\"extractors\": []}"[..], &mut |_, _| Ok(())).unwrap_err();
        assert!(
            matches!(none, StreamError::Read(ReadError::NoSchema)),
            "{none}"
        );
        let broken = read_streaming(&b"{\"schema\": 1,"[..], &mut |_, _| Ok(())).unwrap_err();
        assert!(
            matches!(broken, StreamError::Read(ReadError::NotJson(_))),
            "{broken}"
        );
    }

    #[test]
    fn the_reader_of_the_entries_stops_the_reading_with_its_message() {
        let text = report_text();
        let err =
            read_streaming(text.as_bytes(), &mut |_, a| Err(format!("no {}", a.id))).unwrap_err();
        assert!(
            matches!(&err, StreamError::Stopped(m) if m.starts_with("no ")),
            "{err}"
        );
    }
}
