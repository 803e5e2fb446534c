//! One synthetic article: pseudo-words, named speakers, and direct,
//! indirect, mixed and interrupted quotes, with their gold.
//!
//! Each article is drawn from its own generator, so it depends on the seed
//! and its number only. What perturbing it needs beyond the gold (each
//! quote's words and speaker, the sentences that are no quote) is kept
//! beside the [`Article`].

use std::sync::OnceLock;

use crate::corpus::{
    Article, ArticleId, Gold, GoldQuote, GoldSpeaker, Kind, OffsetUnit, Span, Status,
};
use crate::rng::SplitMix64;

const FIRST: &[&str] = &[
    "Ana", "Boris", "Chloé", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Ivo", "Jamal", "Kirsi",
    "Lars", "Maëlle", "Nkem", "Olek", "Priya", "Quentin", "Rosa", "Sione", "Tomasz", "Uma",
    "Viktor", "Wen", "Ximena", "Yusuf", "Zoë",
];
const LAST: &[&str] = &[
    "Abara",
    "Bianchi",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fonseca",
    "García",
    "Haddad",
    "Ibsen",
    "Jovanović",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Urquhart",
    "Varga",
    "Wójcik",
    "Xu",
    "Yilmaz",
    "Zamora",
];
const CUES: &[&str] = &[
    "said",
    "added",
    "warned",
    "told reporters",
    "insisted",
    "argued",
];
/// Characters outside the Basic Multilingual Plane (two UTF-16 units each),
/// so that UTF-16 offsets differ from code points.
const ASTRAL: &[&str] = &["🙂", "📈", "𝔸", "🏛"];

/// Pseudo-words made of syllables, some with accents: the same list every
/// run, made once per process.
fn vocabulary() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        const ONSETS: &[&str] = &[
            "b", "br", "c", "ch", "d", "f", "g", "gr", "k", "l", "m", "n", "p", "pl", "r", "s",
            "st", "t", "tr", "v", "z",
        ];
        const NUCLEI: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou", "é", "ö"];
        let mut rng = SplitMix64::new(0x51_7ea5);
        let mut words: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while words.len() < 4000 {
            let syllables = 1 + rng.below(3);
            let mut w = String::new();
            for _ in 0..syllables {
                w.push_str(ONSETS[rng.below(ONSETS.len())]);
                w.push_str(NUCLEI[rng.below(NUCLEI.len())]);
            }
            if rng.below(3) == 0 {
                w.push(['n', 's', 'r', 'l', 't'][rng.below(5)]);
            }
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        words
    })
}

/// Someone an article quotes.
pub(super) struct Person {
    pub entity: String,
    /// The ways the article names them: full name, family name.
    pub mentions: [String; 2],
}

/// What a gold quote's perturbations start from, besides its content.
pub(super) struct QuoteFacts {
    pub kind: Kind,
    /// Every word of the content, in order, for shifted predictions.
    pub words: Vec<Span>,
    /// Who said it, in [`Made::people`].
    pub speaker: usize,
    /// Where the article names them.
    pub speaker_span: Span,
    pub cue: Span,
}

/// An article with its gold, and what perturbing it needs.
pub(super) struct Made {
    pub article: Article,
    pub people: Vec<Person>,
    /// One per gold quote, in order.
    pub facts: Vec<QuoteFacts>,
    /// Sentences that are not quotes, for spurious predictions.
    pub fillers: Vec<Span>,
    /// Whether the predictions count offsets in UTF-16 units.
    pub utf16: bool,
}

impl Made {
    /// The gold quotes, in text order.
    pub fn quotes(&self) -> &[GoldQuote] {
        self.article.gold.as_ref().map_or(&[], |g| &g.quotes)
    }
}

/// The generator of article `n`, for `stream` (1 the article, 2 its
/// predictions).
pub(super) fn rng_for(seed: u64, n: usize, stream: u64) -> SplitMix64 {
    let mut mix = SplitMix64::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
    let base = mix.next_u64();
    SplitMix64::new(base ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// An article text being written.
#[derive(Default)]
struct Text {
    s: String,
}

impl Text {
    fn push(&mut self, t: &str) {
        self.s.push_str(t);
    }

    /// Pushes `t` and returns its span.
    fn span(&mut self, t: &str) -> Span {
        let start = self.s.len();
        self.push(t);
        Span::new(start, self.s.len())
    }

    /// Pushes words as a clause, recording each word's span.
    fn clause(&mut self, ws: &[String], capital: bool, out: &mut Vec<Span>) -> Span {
        let start = self.s.len();
        for (i, w) in ws.iter().enumerate() {
            if i > 0 {
                self.push(" ");
            }
            let w = if i == 0 && capital {
                capitalized(w)
            } else {
                w.clone()
            };
            out.push(self.span(&w));
        }
        Span::new(start, self.s.len())
    }
}

fn words(rng: &mut SplitMix64, vocab: &[String], n: usize) -> Vec<String> {
    (0..n)
        .map(|_| vocab[rng.below(vocab.len())].clone())
        .collect()
}

fn capitalized(w: &str) -> String {
    let mut c = w.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().chain(c).collect::<String>()
    })
}

/// A gold quote before it has an id and a text to take its slices from.
struct Drafted {
    parts: Vec<Span>,
    optional: bool,
    facts: QuoteFacts,
}

/// Article `n` of the corpus of `seed`, with between `quotes.0` and
/// `quotes.1` quotes, and sentences that are no quote added until the text
/// has at least `text_bytes` bytes (0: none added).
pub(super) fn make_article(seed: u64, n: usize, quotes: (usize, usize), text_bytes: usize) -> Made {
    let vocab = vocabulary();
    let mut rng = rng_for(seed, n, 1);
    let people: Vec<Person> = (0..2 + rng.below(4))
        .map(|_| {
            let (f, l) = (FIRST[rng.below(FIRST.len())], LAST[rng.below(LAST.len())]);
            Person {
                entity: format!("{f} {l}"),
                mentions: [format!("{f} {l}"), l.to_string()],
            }
        })
        .collect();
    let n_quotes = quotes.0 + rng.below(quotes.1 - quotes.0 + 1);
    let mut text = Text::default();
    let mut drafted = Vec::with_capacity(n_quotes);
    let mut fillers = Vec::new();
    let filler = |text: &mut Text, rng: &mut SplitMix64, fillers: &mut Vec<Span>| {
        let len = 6 + rng.below(18);
        let ws = words(rng, vocab, len);
        let r = text.clause(&ws, true, &mut Vec::new());
        if rng.below(8) == 0 {
            text.push(" ");
            text.push(ASTRAL[rng.below(ASTRAL.len())]);
        }
        text.push(". ");
        fillers.push(r);
    };
    for i in 0..n_quotes {
        for _ in 0..rng.below(3) {
            filler(&mut text, &mut rng, &mut fillers);
        }
        // Quote i starts about i / n_quotes of the way into a padded text,
        // so the quotes are spread over it as in a real article. Without
        // padding no filler is added and nothing is drawn.
        while text.s.len() < text_bytes * i / n_quotes {
            filler(&mut text, &mut rng, &mut fillers);
        }
        let speaker = rng.below(people.len());
        let mention = people[speaker].mentions[rng.below(2)].clone();
        let cue_word = CUES[rng.below(CUES.len())];
        let len = 4 + rng.below(26);
        let content_words = words(&mut rng, vocab, len);
        let mut words = Vec::new();
        let optional = rng.below(20) == 0;
        let (kind, parts, speaker_span, cue) = match rng.below(10) {
            // “Content,” Speaker said.
            0..=3 => {
                text.push("“");
                let c = text.clause(&content_words, true, &mut words);
                text.push(",” ");
                let s = text.span(&mention);
                text.push(" ");
                let cue = text.span(cue_word);
                text.push(". ");
                (Kind::Direct, vec![c], s, cue)
            }
            // Speaker said that content.
            4..=6 => {
                let s = text.span(&mention);
                text.push(" ");
                let cue = text.span(cue_word);
                text.push(" that ");
                let c = text.clause(&content_words, false, &mut words);
                text.push(". ");
                (Kind::Indirect, vec![c], s, cue)
            }
            // Speaker said the plan was “content”.
            7 => {
                let s = text.span(&mention);
                text.push(" ");
                let cue = text.span(cue_word);
                text.push(" the plan was “");
                let c = text.clause(&content_words, false, &mut words);
                text.push("”. ");
                (Kind::Mixed, vec![c], s, cue)
            }
            // “First part,” Speaker said, “second part.”
            _ => {
                let cut = (content_words.len() / 2).max(1);
                text.push("“");
                let a = text.clause(&content_words[..cut], true, &mut words);
                text.push(",” ");
                let s = text.span(&mention);
                text.push(" ");
                let cue = text.span(cue_word);
                text.push(", “");
                let b = text.clause(&content_words[cut..], false, &mut words);
                text.push(".” ");
                (Kind::Direct, vec![a, b], s, cue)
            }
        };
        drafted.push(Drafted {
            parts,
            optional,
            facts: QuoteFacts {
                kind,
                words,
                speaker,
                speaker_span,
                cue,
            },
        });
    }
    while text.s.len() < text_bytes {
        filler(&mut text, &mut rng, &mut fillers);
    }
    filler(&mut text, &mut rng, &mut fillers);
    // The text ends without a trailing space.
    let text = text.s.trim_end_matches(' ').to_string();
    let utf16 = rng.below(10) == 0;

    let mut facts = Vec::with_capacity(drafted.len());
    let quotes = drafted
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let f = &d.facts;
            let person = &people[f.speaker];
            let quote = GoldQuote {
                id: format!("q{}", i + 1),
                kind: Some(f.kind),
                content: d.parts,
                speaker: Some(GoldSpeaker {
                    span: Some(f.speaker_span),
                    text: f.speaker_span.slice(&text).to_string(),
                    entity: Some(person.entity.clone()),
                    aliases: vec![person.mentions[1].clone()],
                }),
                cue: Some(f.cue),
                optional: d.optional,
                note: None,
            };
            facts.push(d.facts);
            quote
        })
        .collect();
    let id = ArticleId::new(&format!("a{n:07}")).expect("a generated id is safe");
    Made {
        article: Article {
            id,
            text,
            gold: Some(Gold {
                status: Status::Gold,
                offsets: OffsetUnit::Codepoint,
                source: None,
                language: None,
                quotes,
                ignore: Vec::new(),
            }),
        },
        people,
        facts,
        fillers,
        utf16,
    }
}
