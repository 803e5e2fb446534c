//! Word lists: reporting verbs, pronouns, determiners, titles, roles.
//!
//! Every lookup takes a word already lower-cased, with `’` written `'`.
//! docs/baseline.md lists what each list is for.

use std::collections::HashMap;
use std::sync::OnceLock;

/// May come before its speaker: `…,” said Ms Ortiz`.
pub(super) const INVERTS: u8 = 1;
/// Takes a listener before its clause: `told reporters (that) …`.
pub(super) const LISTENER: u8 = 2;
/// Its bare and `-s` forms are more often nouns (`the claims`, `a note`):
/// only the other forms are cues.
pub(super) const NOUNY: u8 = 4;
/// Only attributes a direct quote (`“…,” she continued`), never introduces
/// reported speech.
pub(super) const DIRECT_ONLY: u8 = 8;
/// Only a cue when followed by `out` (`pointed out`).
pub(super) const NEEDS_OUT: u8 = 16;
/// May take a listener (`warned them that`, `asked him whether`): a
/// pronoun, or a phrase followed by `that`.
pub(super) const MAY_LISTEN: u8 = 32;

/// The grammatical form of a reporting verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Form {
    /// `say`
    Base,
    /// `says`
    S,
    /// `said` (past tense or past participle)
    Past,
    /// `saying`
    Ing,
}

/// A reporting verb form.
#[derive(Clone, Copy, Debug)]
pub(super) struct Verb {
    pub form: Form,
    pub flags: u8,
}

impl Verb {
    pub fn has(self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// The reporting verbs: bare, `-s`, past, past participle and `-ing` forms,
/// then flags. The list is in docs/baseline.md.
const VERBS: &[(&str, u8)] = &[
    ("say says said said saying", INVERTS),
    ("tell tells told told telling", LISTENER),
    ("add adds added added adding", INVERTS),
    ("insist insists insisted insisted insisting", INVERTS),
    ("claim claims claimed claimed claiming", NOUNY),
    ("argue argues argued argued arguing", INVERTS),
    ("warn warns warned warned warning", MAY_LISTEN | INVERTS),
    ("state states stated stated stating", NOUNY),
    ("explain explains explained explained explaining", INVERTS),
    ("note notes noted noted noting", NOUNY | INVERTS),
    ("confirm confirms confirmed confirmed confirming", 0),
    ("deny denies denied denied denying", 0),
    ("announce announces announced announced announcing", 0),
    ("declare declares declared declared declaring", INVERTS),
    ("admit admits admitted admitted admitting", 0),
    (
        "acknowledge acknowledges acknowledged acknowledged acknowledging",
        0,
    ),
    ("suggest suggests suggested suggested suggesting", 0),
    ("ask asks asked asked asking", INVERTS | MAY_LISTEN),
    ("reply replies replied replied replying", NOUNY | INVERTS),
    ("respond responds responded responded responding", INVERTS),
    (
        "answer answers answered answered answering",
        NOUNY | INVERTS,
    ),
    ("write writes wrote written writing", INVERTS),
    ("tweet tweets tweeted tweeted tweeting", NOUNY),
    ("post posts posted posted posting", NOUNY),
    ("comment comments commented commented commenting", NOUNY),
    (
        "remark remarks remarked remarked remarking",
        NOUNY | INVERTS,
    ),
    ("observe observes observed observed observing", INVERTS),
    ("reveal reveals revealed revealed revealing", 0),
    ("report reports reported reported reporting", NOUNY),
    ("predict predicts predicted predicted predicting", 0),
    (
        "promise promises promised promised promising",
        NOUNY | MAY_LISTEN,
    ),
    ("stress stresses stressed stressed stressing", NOUNY),
    ("emphasise emphasises emphasised emphasised emphasising", 0),
    ("emphasize emphasizes emphasized emphasized emphasizing", 0),
    ("concede concedes conceded conceded conceding", 0),
    ("contend contends contended contended contending", 0),
    ("maintain maintains maintained maintained maintaining", 0),
    ("assert asserts asserted asserted asserting", 0),
    ("allege alleges alleged alleged alleging", 0),
    (
        "complain complains complained complained complaining",
        INVERTS,
    ),
    ("recall recalls recalled recalled recalling", INVERTS),
    ("conclude concludes concluded concluded concluding", 0),
    ("testify testifies testified testified testifying", 0),
    ("reiterate reiterates reiterated reiterated reiterating", 0),
    ("disclose discloses disclosed disclosed disclosing", 0),
    ("indicate indicates indicated indicated indicating", 0),
    ("vow vows vowed vowed vowing", NOUNY),
    ("pledge pledges pledged pledged pledging", NOUNY),
    ("agree agrees agreed agreed agreeing", 0),
    ("assure assures assured assured assuring", LISTENER),
    ("inform informs informed informed informing", LISTENER),
    ("remind reminds reminded reminded reminding", LISTENER),
    ("caution cautions cautioned cautioned cautioning", NOUNY),
    ("affirm affirms affirmed affirmed affirming", 0),
    ("hint hints hinted hinted hinting", NOUNY),
    ("boast boasts boasted boasted boasting", 0),
    ("point points pointed pointed pointing", NEEDS_OUT),
    (
        "continue continues continued continued continuing",
        DIRECT_ONLY | INVERTS,
    ),
    (
        "exclaim exclaims exclaimed exclaimed exclaiming",
        DIRECT_ONLY | INVERTS,
    ),
    (
        "shout shouts shouted shouted shouting",
        DIRECT_ONLY | INVERTS,
    ),
    (
        "whisper whispers whispered whispered whispering",
        DIRECT_ONLY | INVERTS,
    ),
    ("joke jokes joked joked joking", DIRECT_ONLY | INVERTS),
    ("quip quips quipped quipped quipping", DIRECT_ONLY | INVERTS),
    (
        "retort retorts retorted retorted retorting",
        DIRECT_ONLY | INVERTS,
    ),
    (
        "mutter mutters muttered muttered muttering",
        DIRECT_ONLY | INVERTS,
    ),
    ("lament laments lamented lamented lamenting", DIRECT_ONLY),
    (
        "counter counters countered countered countering",
        DIRECT_ONLY | INVERTS,
    ),
    (
        "recount recounts recounted recounted recounting",
        DIRECT_ONLY,
    ),
];

fn verbs() -> &'static HashMap<&'static str, Verb> {
    static MAP: OnceLock<HashMap<&'static str, Verb>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for &(forms, flags) in VERBS {
            let f: Vec<&'static str> = forms.split(' ').collect();
            let tagged = [
                (f[0], Form::Base),
                (f[1], Form::S),
                (f[2], Form::Past),
                (f[3], Form::Past),
                (f[4], Form::Ing),
            ];
            for (word, form) in tagged {
                map.entry(word).or_insert(Verb { form, flags });
            }
        }
        map
    })
}

/// The reporting verb `word` is a form of, if any (NOUNY forms included:
/// the caller decides).
pub(super) fn verb(word: &str) -> Option<Verb> {
    verbs().get(word).copied()
}

/// A subject pronoun.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pronoun {
    /// he
    He,
    /// she
    She,
    /// it
    It,
    /// they
    They,
    /// we
    We,
    /// I
    I,
    /// you
    You,
}

pub(super) fn pronoun(word: &str) -> Option<Pronoun> {
    Some(match word {
        "he" => Pronoun::He,
        "she" => Pronoun::She,
        "it" => Pronoun::It,
        "they" => Pronoun::They,
        "we" => Pronoun::We,
        "i" => Pronoun::I,
        "you" => Pronoun::You,
        _ => return None,
    })
}

pub(super) fn object_pronoun(word: &str) -> bool {
    matches!(
        word,
        "him" | "her" | "them" | "us" | "me" | "you" | "it" | "everyone" | "anyone"
    )
}

pub(super) fn determiner(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "this"
            | "these"
            | "those"
            | "another"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "my"
            | "your"
            | "one"
            | "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "several"
            | "many"
            | "some"
            | "both"
            | "most"
            | "other"
    ) || word.chars().all(|c| c.is_ascii_digit())
}

pub(super) fn possessive(word: &str) -> bool {
    matches!(
        word,
        "his" | "her" | "its" | "their" | "our" | "my" | "your"
    ) || word.ends_with("'s")
        || word.ends_with("s'")
}

/// Titles that stand before a name (`Dr`, `President`, `Sen.`).
pub(super) fn title(word: &str) -> bool {
    matches!(
        word,
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "mx"
            | "dr"
            | "prof"
            | "professor"
            | "sir"
            | "dame"
            | "lord"
            | "lady"
            | "president"
            | "vice"
            | "prime"
            | "minister"
            | "secretary"
            | "senator"
            | "sen"
            | "rep"
            | "representative"
            | "congressman"
            | "congresswoman"
            | "governor"
            | "gov"
            | "mayor"
            | "judge"
            | "justice"
            | "general"
            | "gen"
            | "colonel"
            | "col"
            | "captain"
            | "capt"
            | "lieutenant"
            | "lt"
            | "sergeant"
            | "sgt"
            | "major"
            | "maj"
            | "admiral"
            | "adm"
            | "commissioner"
            | "chancellor"
            | "king"
            | "queen"
            | "prince"
            | "princess"
            | "pope"
            | "father"
            | "rev"
            | "reverend"
            | "rabbi"
            | "imam"
            | "sheikh"
            | "ambassador"
            | "chairman"
            | "chairwoman"
            | "director"
            | "coach"
            | "inspector"
            | "detective"
            | "superintendent"
            | "constable"
            | "st"
            | "saint"
            | "mp"
            | "mep"
            | "ceo"
    )
}

/// Nouns for people and bodies that speak (`spokesman`, `officials`,
/// `ministry`): a phrase ending in one is a speaker even without a
/// determiner (`officials said`).
pub(super) fn role(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    matches!(
        word,
        "police"
            | "people"
            | "staff"
            | "media"
            | "military"
            | "government"
            | "administration"
            | "opposition"
            | "family"
            | "relatives"
            | "authorities"
            | "witnesses"
            | "spokespeople"
            | "ministry"
            | "agency"
            | "army"
            | "navy"
            | "embassy"
            | "company"
            | "fans"
            | "troops"
            | "scientists"
            | "statement"
            | "report"
            | "study"
            | "survey"
            | "court"
            | "state"
    ) || matches!(
        singular,
        "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "minister"
            | "president"
            | "official"
            | "officer"
            | "policeman"
            | "policewoman"
            | "department"
            | "firm"
            | "bank"
            | "group"
            | "analyst"
            | "expert"
            | "critic"
            | "resident"
            | "source"
            | "investigator"
            | "prosecutor"
            | "lawyer"
            | "attorney"
            | "doctor"
            | "researcher"
            | "economist"
            | "diplomat"
            | "leader"
            | "activist"
            | "campaigner"
            | "protester"
            | "protestor"
            | "student"
            | "teacher"
            | "worker"
            | "union"
            | "employee"
            | "executive"
            | "chief"
            | "director"
            | "manager"
            | "chairman"
            | "chairwoman"
            | "secretary"
            | "adviser"
            | "advisor"
            | "aide"
            | "representative"
            | "member"
            | "mayor"
            | "governor"
            | "senator"
            | "lawmaker"
            | "legislator"
            | "judge"
            | "neighbour"
            | "neighbor"
            | "friend"
            | "mother"
            | "father"
            | "wife"
            | "husband"
            | "son"
            | "daughter"
            | "brother"
            | "sister"
            | "parent"
            | "owner"
            | "founder"
            | "candidate"
            | "coach"
            | "player"
            | "voter"
            | "citizen"
            | "villager"
            | "local"
            | "observer"
            | "commentator"
            | "journalist"
            | "reporter"
            | "team"
            | "club"
            | "organiser"
            | "organizer"
            | "insider"
            | "soldier"
            | "rebel"
            | "militant"
            | "insurgent"
            | "commander"
            | "council"
            | "committee"
            | "commission"
            | "board"
            | "regulator"
            | "watchdog"
            | "campaign"
            | "party"
            | "newspaper"
            | "broadcaster"
            | "website"
            | "ambassador"
            | "envoy"
            | "chancellor"
            | "premier"
            | "king"
            | "queen"
            | "prince"
            | "pope"
            | "bishop"
            | "priest"
            | "victim"
            | "survivor"
            | "patient"
            | "nurse"
            | "scientist"
            | "historian"
            | "professor"
            | "author"
            | "writer"
            | "actor"
            | "actress"
            | "singer"
            | "general"
            | "captain"
            | "pilot"
            | "negotiator"
            | "mediator"
            | "ministry"
            | "agency"
            | "authority"
            | "office"
            | "spokesmen"
            | "spokeswomen"
    ) || matches!(
        word,
        "spokesmen" | "spokeswomen" | "policemen" | "women" | "men"
    )
}

/// Words that qualify a role (`foreign minister`, `deputy chief executive`).
pub(super) fn modifier(word: &str) -> bool {
    matches!(
        word,
        "foreign"
            | "prime"
            | "deputy"
            | "former"
            | "senior"
            | "junior"
            | "chief"
            | "executive"
            | "vice"
            | "general"
            | "state"
            | "interior"
            | "defence"
            | "defense"
            | "finance"
            | "health"
            | "education"
            | "economy"
            | "trade"
            | "justice"
            | "energy"
            | "environment"
            | "transport"
            | "home"
            | "opposition"
            | "party"
            | "government"
            | "military"
            | "police"
            | "army"
            | "press"
            | "communications"
            | "news"
            | "top"
            | "local"
            | "federal"
            | "national"
            | "regional"
            | "acting"
            | "interim"
            | "assistant"
            | "associate"
            | "managing"
            | "head"
            | "lead"
            | "leading"
            | "presidential"
            | "ministry"
            | "company"
            | "club"
            | "team"
            | "union"
            | "white"
            | "house"
            | "security"
            | "intelligence"
            | "public"
            | "private"
            | "independent"
            | "financial"
            | "political"
            | "medical"
            | "legal"
            | "official"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
    )
}

/// Name particles (`Ludwig van Beethoven`, `Osama bin Laden`): part of a
/// name only between or before capitalised words.
pub(super) fn particle(word: &str) -> bool {
    matches!(
        word,
        "de" | "da"
            | "di"
            | "do"
            | "dos"
            | "das"
            | "du"
            | "del"
            | "della"
            | "der"
            | "den"
            | "des"
            | "van"
            | "von"
            | "la"
            | "le"
            | "bin"
            | "bint"
            | "ibn"
            | "al"
            | "el"
            | "ben"
            | "ter"
            | "ten"
            | "zu"
            | "y"
            | "abu"
            | "mac"
    )
}

/// Capitalised words that start sentences but never names.
pub(super) fn not_a_name(word: &str) -> bool {
    matches!(
        word,
        "but"
            | "and"
            | "or"
            | "so"
            | "yet"
            | "however"
            | "meanwhile"
            | "yesterday"
            | "today"
            | "tonight"
            | "tomorrow"
            | "earlier"
            | "later"
            | "last"
            | "next"
            | "this"
            | "that"
            | "these"
            | "those"
            | "then"
            | "now"
            | "still"
            | "also"
            | "instead"
            | "separately"
            | "speaking"
            | "asked"
            | "in"
            | "on"
            | "at"
            | "by"
            | "for"
            | "from"
            | "with"
            | "without"
            | "after"
            | "before"
            | "during"
            | "since"
            | "until"
            | "when"
            | "while"
            | "where"
            | "why"
            | "how"
            | "what"
            | "who"
            | "which"
            | "if"
            | "as"
            | "although"
            | "though"
            | "because"
            | "despite"
            | "over"
            | "under"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "there"
            | "here"
            | "even"
            | "only"
            | "indeed"
            | "nevertheless"
            | "moreover"
            | "furthermore"
            | "finally"
            | "overall"
            | "elsewhere"
            | "previously"
            | "recently"
            | "according"
            | "let's"
            | "lets"
            | "nor"
            | "not"
            | "no"
            | "yes"
            | "a"
            | "an"
            | "the"
            | "to"
            | "of"
            | "is"
            | "was"
            | "are"
            | "were"
    ) || verb(word).is_some()
}

/// Auxiliaries and adverbs that may stand between a speaker and a cue, and
/// are kept in the cue (`has confirmed`, `also said`).
pub(super) fn auxiliary(word: &str) -> bool {
    matches!(
        word,
        "has"
            | "have"
            | "had"
            | "'ve"
            | "will"
            | "would"
            | "shall"
            | "should"
            | "can"
            | "could"
            | "may"
            | "might"
            | "must"
            | "did"
            | "does"
            | "do"
            | "also"
            | "later"
            | "then"
            | "previously"
            | "earlier"
            | "repeatedly"
            | "once"
            | "again"
            | "reportedly"
            | "recently"
            | "further"
            | "simply"
            | "just"
            | "only"
            | "even"
            | "already"
            | "subsequently"
            | "publicly"
            | "privately"
            | "separately"
            | "quickly"
            | "firmly"
            | "flatly"
            | "strongly"
            | "immediately"
            | "initially"
            | "originally"
            | "first"
            | "finally"
            | "often"
            | "always"
            | "frequently"
            | "angrily"
            | "calmly"
            | "quietly"
            | "bluntly"
            | "candidly"
            | "proudly"
    )
}

pub(super) fn be(word: &str) -> bool {
    matches!(
        word,
        "is" | "was" | "were" | "are" | "am" | "be" | "been" | "being" | "'s" | "'re"
    )
}

pub(super) fn negation(word: &str) -> bool {
    matches!(word, "not" | "never" | "no" | "hardly" | "cannot") || word.ends_with("n't")
}

/// Words that start an adverbial rather than a reported clause after a
/// cue (`said on Monday`, `told reporters in Paris`).
pub(super) fn adverbial_start(word: &str) -> bool {
    matches!(
        word,
        "on" | "in"
            | "at"
            | "during"
            | "after"
            | "before"
            | "last"
            | "this"
            | "yesterday"
            | "today"
            | "tonight"
            | "earlier"
            | "later"
            | "recently"
            | "previously"
            | "again"
            | "also"
            | "repeatedly"
            | "publicly"
            | "privately"
            | "through"
            | "via"
            | "by"
            | "from"
            | "to"
            | "with"
            | "for"
            | "of"
            | "about"
            | "against"
            | "into"
            | "over"
            | "as"
            | "so"
            | "nothing"
            | "something"
            | "anything"
            | "little"
            | "much"
            | "more"
            | "when"
            | "while"
            | "following"
            | "afterwards"
            | "afterward"
            | "too"
            | "and"
            | "or"
            | "but"
            | "hello"
            | "goodbye"
            | "sorry"
            | "yes"
            | "please"
            | "thanks"
            | "thank"
    )
}

/// Words that end a noun phrase: conjunctions, relatives, auxiliaries,
/// prepositions that do not join two names.
pub(super) fn function_word(word: &str) -> bool {
    matches!(
        word,
        "and"
            | "or"
            | "but"
            | "nor"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "what"
            | "to"
            | "of"
            | "for"
            | "at"
            | "from"
            | "in"
            | "on"
            | "with"
            | "by"
            | "as"
            | "than"
            | "if"
            | "when"
            | "while"
            | "because"
            | "so"
            | "not"
            | "there"
            | "here"
            | "where"
            | "how"
            | "why"
            | "whether"
            | "into"
            | "about"
            | "after"
            | "before"
            | "during"
            | "since"
            | "until"
            | "also"
            | "then"
            | "now"
            | "yesterday"
            | "today"
    ) || be(word)
        || auxiliary(word)
        || pronoun(word).is_some()
        || object_pronoun(word)
        || determiner(word)
}

/// Prepositions that join a role to its organisation
/// (`a spokeswoman for the company`, `police in Paris`).
pub(super) fn joining_preposition(word: &str) -> bool {
    matches!(word, "of" | "for" | "at" | "from" | "in" | "with")
}

/// Words that make a name an organisation (`it`, `they`) rather than a person.
pub(super) fn organisation(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    matches!(
        singular,
        "ministry"
            | "department"
            | "company"
            | "government"
            | "agency"
            | "police"
            | "council"
            | "party"
            | "office"
            | "bank"
            | "group"
            | "corp"
            | "corporation"
            | "inc"
            | "ltd"
            | "plc"
            | "university"
            | "association"
            | "commission"
            | "committee"
            | "army"
            | "union"
            | "organisation"
            | "organization"
            | "court"
            | "service"
            | "authority"
            | "foundation"
            | "institute"
            | "board"
            | "federation"
            | "league"
            | "club"
            | "times"
            | "news"
            | "post"
            | "embassy"
            | "administration"
            | "statement"
            | "report"
            | "study"
            | "survey"
            | "firm"
            | "team"
            | "newspaper"
            | "broadcaster"
            | "website"
            | "network"
            | "regulator"
            | "watchdog"
            | "state"
            | "kremlin"
            | "pentagon"
            | "military"
            | "media"
            | "navy"
            | "campaign"
            | "opposition"
    )
}

/// Words that make a mention male or female (for `he` and `she`).
pub(super) fn gender(word: &str) -> Option<bool> {
    match word {
        "mr" | "sir" | "lord" | "king" | "prince" | "father" | "spokesman" | "chairman"
        | "congressman" | "businessman" | "policeman" | "brother" | "son" | "husband" | "pope"
        | "sheikh" | "rabbi" | "imam" | "boy" | "man" => Some(true),
        "mrs" | "ms" | "miss" | "dame" | "lady" | "queen" | "princess" | "mother"
        | "spokeswoman" | "chairwoman" | "congresswoman" | "businesswoman" | "policewoman"
        | "sister" | "daughter" | "wife" | "girl" | "woman" | "actress" => Some(false),
        _ => None,
    }
}

/// Abbreviations whose full stop does not end a sentence.
pub(super) fn abbreviation(word: &str) -> bool {
    matches!(
        word,
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "prof"
            | "st"
            | "gen"
            | "col"
            | "lt"
            | "sgt"
            | "capt"
            | "gov"
            | "sen"
            | "rep"
            | "rev"
            | "jr"
            | "sr"
            | "inc"
            | "ltd"
            | "co"
            | "corp"
            | "vs"
            | "no"
            | "mt"
            | "ft"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "maj"
            | "adm"
            | "fig"
            | "approx"
            | "dept"
            | "est"
            | "etc"
            | "e.g"
            | "i.e"
    ) || word.contains('.')
}

/// Chinese reporting verbs, matched at the end of a run of Han characters
/// before `：` or a quote mark (`外交部发言人说：“…”`).
pub(super) const CJK_CUES: &[&str] = &[
    "表示", "说道", "指出", "强调", "写道", "回应", "回答", "透露", "宣布", "說道", "強調", "寫道",
    "回應", "說", "说", "称", "稱", "問", "问",
];

/// Single characters that may stand between a Chinese speaker and the cue
/// (`他也说`).
pub(super) const CJK_ADVERBS: &[char] =
    &['也', '还', '還', '则', '則', '又', '曾', '并', '並', '更'];

/// Words after a comma that start a clause of the writer's rather than the
/// reported one (`…, while the minister said …`, `…, despite warnings`).
pub(super) fn contrast(word: &str) -> bool {
    matches!(
        word,
        "while"
            | "whereas"
            | "but"
            | "although"
            | "though"
            | "despite"
            | "even"
            | "unlike"
            | "meanwhile"
    )
}

/// Adverbs in `-ly` (`has long argued`, `quickly added`), not the nouns
/// and verbs that end the same way (`the family said`).
pub(super) fn ly_adverb(word: &str) -> bool {
    word.len() > 4
        && word.ends_with("ly")
        && !matches!(
            word,
            "family"
                | "assembly"
                | "ally"
                | "rally"
                | "supply"
                | "anomaly"
                | "monopoly"
                | "bully"
                | "belly"
                | "jelly"
                | "folly"
                | "daily"
                | "weekly"
                | "monthly"
                | "quarterly"
                | "elderly"
                | "homily"
                | "apply"
                | "comply"
                | "imply"
                | "multiply"
                | "reply"
                | "holy"
                | "italy"
        )
}
