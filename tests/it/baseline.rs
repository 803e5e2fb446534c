//! The baseline extractor (docs/baseline.md): one short sentence per rule,
//! with every record it must return.

use quotecheck::corpus::{Article, ArticleId, Kind, PredPart};
use quotecheck::extract::baseline::Baseline;
use quotecheck::extract::Extractor;

use Kind::{Direct, Indirect, Mixed};

/// One expected record: content parts, speaker, cue, kind.
type Want<'a> = (&'a [&'a str], Option<&'a str>, Option<&'a str>, Kind);

/// One record as compared: content parts, speaker, cue, kind.
type Got<'a> = (Vec<&'a str>, Option<&'a str>, Option<&'a str>, Kind);

/// Runs the baseline on `text` through the `Extractor` API and compares
/// every record, in text order.
fn check(text: &str, want: &[Want]) {
    let article = Article {
        id: ArticleId::new("t").unwrap(),
        text: text.to_string(),
        gold: None,
    };
    let out = Baseline::new().extract(&article).unwrap();
    assert!(out.issues.is_empty());
    let got: Vec<Got> = out
        .quotes
        .iter()
        .map(|p| {
            let content = p
                .content
                .iter()
                .map(|part| match part {
                    PredPart::Located(s) => s.slice(text),
                    PredPart::Text(t) => panic!("text-only part {t:?}"),
                })
                .collect();
            let mention = |m: &quotecheck::corpus::PredMention| {
                let s = m.span.expect("located").slice(text);
                assert_eq!(s, m.text);
                s
            };
            (
                content,
                p.speaker.as_ref().map(mention),
                p.cue.as_ref().map(mention),
                p.kind.expect("kind"),
            )
        })
        .collect();
    let want: Vec<Got> = want
        .iter()
        .map(|&(c, s, q, k)| (c.to_vec(), s, q, k))
        .collect();
    assert_eq!(got, want, "\n  text: {text}");
}

/// `check` for texts with nothing to report.
fn none(text: &str) {
    check(text, &[]);
}

#[test]
fn names_itself() {
    let b = Baseline::new();
    assert_eq!(b.name(), "baseline");
    assert_eq!(b.version(), Some(env!("CARGO_PKG_VERSION")));
    quotecheck::extract::check_name(b.name()).unwrap();
}

// ---- Quote marks -------------------------------------------------------

#[test]
fn every_double_mark_style() {
    let cases = [
        (
            "\"We will rebuild the bridge,\" the mayor said.",
            "We will rebuild the bridge,",
        ),
        (
            "“We will rebuild the bridge,” the mayor said.",
            "We will rebuild the bridge,",
        ),
        (
            "„We will rebuild the bridge“, the mayor said.",
            "We will rebuild the bridge",
        ),
        (
            "„We will rebuild the bridge”, the mayor said.",
            "We will rebuild the bridge",
        ),
        (
            "«We will rebuild the bridge», the mayor said.",
            "We will rebuild the bridge",
        ),
        // French spacing inside the guillemets is not content.
        (
            "« We will rebuild the bridge », the mayor said.",
            "We will rebuild the bridge",
        ),
        // German order.
        (
            "»We will rebuild the bridge«, the mayor said.",
            "We will rebuild the bridge",
        ),
        (
            "＂We will rebuild the bridge,＂ the mayor said.",
            "We will rebuild the bridge,",
        ),
    ];
    for (text, content) in cases {
        check(
            text,
            &[(&[content], Some("the mayor"), Some("said"), Direct)],
        );
    }
}

#[test]
fn every_single_mark_style() {
    let want: &[Want] = &[(
        &["We will rebuild the bridge,"],
        Some("the mayor"),
        Some("said"),
        Direct,
    )];
    check("'We will rebuild the bridge,' the mayor said.", want);
    check("‘We will rebuild the bridge,’ the mayor said.", want);
    check("‚We will rebuild the bridge,‘ the mayor said.", want);
    check("‹We will rebuild the bridge,› the mayor said.", want);
}

#[test]
fn corner_brackets() {
    check(
        "「我们一定会重建这座桥。」市长说。",
        &[(
            &["我们一定会重建这座桥。"],
            Some("市长"),
            Some("说"),
            Direct,
        )],
    );
    check(
        "外交部发言人也表示：『我们坚决反对。』",
        &[(
            &["我们坚决反对。"],
            Some("外交部发言人"),
            Some("表示"),
            Direct,
        )],
    );
    check(
        "『This is the end of an era,』 the chairman said.",
        &[(
            &["This is the end of an era,"],
            Some("the chairman"),
            Some("said"),
            Direct,
        )],
    );
}

#[test]
fn apostrophes_are_not_quote_marks() {
    check(
        "\"It's the workers' money, and O'Brien knows it,\" she said.",
        &[(
            &["It's the workers' money, and O'Brien knows it,"],
            Some("she"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "‘Don’t touch the workers’ pensions,’ she said.",
        &[(
            &["Don’t touch the workers’ pensions,"],
            Some("she"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "It was a rock ’n’ roll show in the 1990s’ style, the promoter said.",
        &[(
            &["It was a rock ’n’ roll show in the 1990s’ style"],
            Some("the promoter"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "'It's the workers' money and the bosses' problem,' she said.",
        &[(
            &["It's the workers' money and the bosses' problem,"],
            Some("she"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "He played 'em the hits of the '90s, the critic said.",
        &[(
            &["He played 'em the hits of the '90s"],
            Some("the critic"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn nested_quotations_stay_inside() {
    check(
        "“They told me ‘no way’ and left,” she said.",
        &[(
            &["They told me ‘no way’ and left,"],
            Some("she"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "'He called it \"a scandal\" on air,' the producer said.",
        &[(
            &["He called it \"a scandal\" on air,"],
            Some("the producer"),
            Some("said"),
            Direct,
        )],
    );
}

#[test]
fn split_quotes_are_one_record() {
    check(
        "“The difference,” he says, “is that we listen.”",
        &[(
            &["The difference,", "is that we listen."],
            Some("he"),
            Some("says"),
            Direct,
        )],
    );
    check(
        "\"We are not leaving,\" she told reporters, \"and we never will.\"",
        &[(
            &["We are not leaving,", "and we never will."],
            Some("she"),
            Some("told"),
            Direct,
        )],
    );
    check(
        "\"I think,\" she said, \"that we should wait.\"",
        &[(
            &["I think,", "that we should wait."],
            Some("she"),
            Some("said"),
            Direct,
        )],
    );
    // After a full stop, a quotation with no attribution of its own in
    // the same paragraph continues the record.
    check(
        "“We won,” he said. “They lost.”",
        &[(&["We won,", "They lost."], Some("he"), Some("said"), Direct)],
    );
    // In the next paragraph it is a record of its own, carried over.
    check(
        "“We won,” he said.\n\n“They lost.”",
        &[
            (&["We won,"], Some("he"), Some("said"), Direct),
            (&["They lost."], Some("he"), Some("said"), Direct),
        ],
    );
    // Each part with its own attribution: two records.
    check(
        "“We won,” he said, “they lost,” she replied.",
        &[
            (&["We won,"], Some("he"), Some("said"), Direct),
            (&["they lost,"], Some("she"), Some("replied"), Direct),
        ],
    );
}

#[test]
fn quotes_over_several_paragraphs_are_one_record() {
    check(
        "\"The first thing we did was count the damage.\n\n\"Then we started again,\" she said.",
        &[(
            &[
                "The first thing we did was count the damage.",
                "Then we started again,",
            ],
            Some("she"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "The mayor said:\n\n“We have lost a lot.\n“But we will rebuild.\n\n“Every street of it.”",
        &[(
            &[
                "We have lost a lot.",
                "But we will rebuild.",
                "Every street of it.",
            ],
            Some("The mayor"),
            Some("said"),
            Direct,
        )],
    );
}

#[test]
fn scare_quotes_and_titles_are_not_quotes() {
    none("The so-called \"experts\" were wrong again.");
    none("He watched \"The Lord of the Rings\" again.");
    none("The film “Star Wars: The Last Jedi” opened on Friday.");
    // `describe` reports: the fragment makes its clause mixed.
    check(
        "She described the plan as a “reset” of relations.",
        &[(
            &["the plan as a “reset” of relations"],
            Some("She"),
            Some("described"),
            Mixed,
        )],
    );
    none("The district is still 'the old town' to its residents.");
    // After a subject, `call` reports: the fragment makes its clause mixed.
    check(
        "Residents call the district 'the old town' even now.",
        &[(
            &["the district 'the old town' even now"],
            Some("Residents"),
            Some("call"),
            Mixed,
        )],
    );
    // Short but attributed: a quote.
    check(
        "\"No,\" he said.",
        &[(&["No,"], Some("he"), Some("said"), Direct)],
    );
}

#[test]
fn unattributed_speech_is_kept_without_a_speaker() {
    check(
        "\"This is the end of an era.\" The words hung in the air.",
        &[(&["This is the end of an era."], None, None, Direct)],
    );
}

// ---- Attribution of direct quotes --------------------------------------

#[test]
fn cue_after_the_quote() {
    check(
        "\"We will fight on,\" said Dr Ortiz.",
        &[(
            &["We will fight on,"],
            Some("Dr Ortiz"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "\"We will fight on,\" Dr Ortiz said on Monday.",
        &[(
            &["We will fight on,"],
            Some("Dr Ortiz"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "\"We will fight on,\" she told reporters.",
        &[(&["We will fight on,"], Some("she"), Some("told"), Direct)],
    );
    check(
        "\"We will fight on,\" the union has insisted.",
        &[(
            &["We will fight on,"],
            Some("the union"),
            Some("has insisted"),
            Direct,
        )],
    );
    check(
        "\"We have seen no evidence of that,\" according to the report.",
        &[(
            &["We have seen no evidence of that,"],
            Some("the report"),
            Some("according to"),
            Direct,
        )],
    );
    check(
        "“Why now?” Smith asked.",
        &[(&["Why now?"], Some("Smith"), Some("asked"), Direct)],
    );
    check(
        "“Why now?” asked the senator, looking at the clock.",
        &[(&["Why now?"], Some("the senator"), Some("asked"), Direct)],
    );
}

#[test]
fn cue_before_the_quote() {
    check(
        "The minister said: \"We are looking at all options. Nothing is off the table.\"",
        &[(
            &["We are looking at all options. Nothing is off the table."],
            Some("The minister"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "Ms Ortiz told reporters on Monday: “We will not resign.”",
        &[(
            &["We will not resign."],
            Some("Ms Ortiz"),
            Some("told"),
            Direct,
        )],
    );
    check(
        "He said, \"We are ready.\"",
        &[(&["We are ready."], Some("He"), Some("said"), Direct)],
    );
    check(
        "In a statement, the ministry said:\n\n\"We regret the decision.\"",
        &[(
            &["We regret the decision."],
            Some("the ministry"),
            Some("said"),
            Direct,
        )],
    );
}

#[test]
fn a_quote_after_a_full_stop_is_not_attributed_by_the_next_sentence() {
    check(
        "\"We won the vote.\" He said the count was fair.",
        &[
            (&["We won the vote."], None, None, Direct),
            (&["the count was fair"], Some("He"), Some("said"), Indirect),
        ],
    );
}

#[test]
fn participles_take_the_speaker_before_them() {
    check(
        "\"We will win,\" he said, adding that the war would end soon.",
        &[
            (&["We will win,"], Some("he"), Some("said"), Direct),
            (
                &["the war would end soon"],
                Some("he"),
                Some("adding"),
                Indirect,
            ),
        ],
    );
    check(
        "“It was a mistake,” she said, adding: “We are sorry.”",
        &[
            (&["It was a mistake,"], Some("she"), Some("said"), Direct),
            (&["We are sorry."], Some("she"), Some("adding"), Direct),
        ],
    );
}

// ---- Speakers ------------------------------------------------------------

#[test]
fn pronoun_speakers() {
    for p in ["he", "she", "it", "they", "we"] {
        let text = format!("\"The door is open,\" {p} said.");
        check(
            &text,
            &[(&["The door is open,"], Some(p), Some("said"), Direct)],
        );
    }
}

#[test]
fn role_phrases() {
    check(
        "\"The door is open,\" a spokeswoman for the ministry said.",
        &[(
            &["The door is open,"],
            Some("a spokeswoman for the ministry"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "\"The door is open,\" said the foreign minister.",
        &[(
            &["The door is open,"],
            Some("the foreign minister"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "Officials say the death toll is rising.",
        &[(
            &["the death toll is rising"],
            Some("Officials"),
            Some("say"),
            Indirect,
        )],
    );
    check(
        "Senior officials said the talks would resume.",
        &[(
            &["the talks would resume"],
            Some("Senior officials"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "The US state department has confirmed that it will send envoys.",
        &[(
            &["it will send envoys"],
            Some("The US state department"),
            Some("has confirmed"),
            Indirect,
        )],
    );
    check(
        "The family said the verdict was fair.",
        &[(
            &["the verdict was fair"],
            Some("The family"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Police in Paris said two men had been arrested.",
        &[(
            &["two men had been arrested"],
            Some("Police in Paris"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn titles_names_and_appositions() {
    check(
        "\"The message was simple,\" said Libyan government spokesman Moussa Ibrahim.",
        &[(
            &["The message was simple,"],
            Some("Libyan government spokesman Moussa Ibrahim"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "\"Growth will slow,\" Dr Jane Ortiz, chief economist at the bank, said.",
        &[(
            &["Growth will slow,"],
            Some("Dr Jane Ortiz"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "\"Growth will slow,\" said Dr. J. R. Ortiz, chief economist at the bank.",
        &[(
            &["Growth will slow,"],
            Some("Dr. J. R. Ortiz"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "Maria de la Cruz, the mayor, said the bridge would reopen in May.",
        &[(
            &["the bridge would reopen in May"],
            Some("Maria de la Cruz"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "\"We are ready,\" said Sheikh Hamad bin Jassim al-Thani.",
        &[(
            &["We are ready,"],
            Some("Sheikh Hamad bin Jassim al-Thani"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "\"We are ready,\" said Zoë Lévesque-Ångström.",
        &[(
            &["We are ready,"],
            Some("Zoë Lévesque-Ångström"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "\"We are ready,\" said Владимир Петров.",
        &[(
            &["We are ready,"],
            Some("Владимир Петров"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "The company, which employs 3,000 people, said it would close the plant.",
        &[(
            &["it would close the plant"],
            Some("The company"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn names_in_appositions_join_the_role() {
    check(
        "'The numbers do not add up,' said its director, Paul Hart.",
        &[(
            &["The numbers do not add up,"],
            Some("its director, Paul Hart"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "The opposition leader, Carla Mendes, said the defences had been neglected.",
        &[(
            &["the defences had been neglected"],
            Some("The opposition leader, Carla Mendes"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Labour's shadow chancellor said the plan was timid.",
        &[(
            &["the plan was timid"],
            Some("Labour's shadow chancellor"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Emergency services took 900 calls, a fire brigade spokesman said.",
        &[(
            &["Emergency services took 900 calls"],
            Some("a fire brigade spokesman"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn several_appositions_in_a_row() {
    check(
        "Tom O'Neill, 54, a shop owner, said the water came in overnight.",
        &[(
            &["the water came in overnight"],
            Some("Tom O'Neill"),
            Some("said"),
            Indirect,
        )],
    );
    // No inversion: `said` has no speaker after it.
    none("The river rose fast, said to be the worst in decades.");
}

#[test]
fn a_participle_with_no_attribution_before_it_takes_the_subject() {
    check(
        "But the shadow chancellor, Rachel Green, called it 'a missed opportunity', adding: 'The country deserved better.'",
        &[
            (
                &["it 'a missed opportunity'"],
                Some("the shadow chancellor, Rachel Green"),
                Some("called"),
                Mixed,
            ),
            (
                &["The country deserved better."],
                Some("the shadow chancellor, Rachel Green"),
                Some("adding"),
                Direct,
            ),
        ],
    );
}

#[test]
fn pronouns_resolve_to_the_nearest_compatible_name() {
    let find = |text: &'static str| -> Vec<(Option<&'static str>, Option<&'static str>, bool)> {
        Baseline::new()
            .find(text)
            .iter()
            .map(|q| (q.speaker_text(text), q.antecedent_text(text), q.carried))
            .collect()
    };
    assert_eq!(
        find("Mayor Ana Ruiz opened the bridge. \"It is a great day,\" she said."),
        [(Some("she"), Some("Mayor Ana Ruiz"), false)]
    );
    assert_eq!(
        find("\"We are ready,\" said Mr Lee. \"So are we,\" said Ms Park. \"I agree,\" he added."),
        [
            (Some("Mr Lee"), None, false),
            (Some("Ms Park"), None, false),
            (Some("he"), Some("Mr Lee"), false),
        ]
    );
    assert_eq!(
        find(
            "The Acme Corporation said that profits rose. \"It has been a record year,\" it said."
        ),
        [
            (Some("The Acme Corporation"), None, false),
            (Some("it"), Some("The Acme Corporation"), false),
        ]
    );
    // A quotation without attribution takes the speaker mention before it
    // (the pronoun, as PolNeAR annotates it) and its antecedent.
    assert_eq!(
        find("Ana Ruiz spoke first. \"We are ready,\" she said.\n\n\"The bridge opens today.\""),
        [
            (Some("she"), Some("Ana Ruiz"), false),
            (Some("she"), Some("Ana Ruiz"), true)
        ]
    );
}

// ---- Cues ----------------------------------------------------------------

#[test]
fn cues_in_any_form() {
    let cases = [
        ("She says the bridge is safe.", "says"),
        ("She has said the bridge is safe.", "has said"),
        ("She insisted that the bridge is safe.", "insisted"),
        ("She claimed that the bridge is safe.", "claimed"),
        ("She argues that the bridge is safe.", "argues"),
        ("She warned that the bridge is unsafe.", "warned"),
        ("She stated that the bridge is safe.", "stated"),
        ("She explained that the bridge is safe.", "explained"),
        ("She noted that the bridge is safe.", "noted"),
        ("She denied that the bridge is unsafe.", "denied"),
        ("She announced that the bridge is safe.", "announced"),
        ("She admitted that the bridge is unsafe.", "admitted"),
        (
            "She acknowledged that the bridge is unsafe.",
            "acknowledged",
        ),
        ("She suggested that the bridge is safe.", "suggested"),
        ("She wrote that the bridge is safe.", "wrote"),
        ("She tweeted that the bridge is safe.", "tweeted"),
        (
            "She will tell the council that the bridge is safe.",
            "will tell",
        ),
        ("She pointed out that the bridge is safe.", "pointed out"),
        (
            "She was quoted as saying the bridge is safe.",
            "was quoted as saying",
        ),
        (
            "She has long argued that the bridge is safe.",
            "has long argued",
        ),
        (
            "She quickly added that the bridge is safe.",
            "quickly added",
        ),
    ];
    for (text, cue) in cases {
        let content = if text.contains("unsafe") {
            "the bridge is unsafe"
        } else {
            "the bridge is safe"
        };
        check(text, &[(&[content], Some("She"), Some(cue), Indirect)]);
    }
}

#[test]
fn words_that_look_like_cues_but_are_not() {
    none("The said agreement was signed in 2010.");
    none("What did he say?");
    none("He began to say whether the deal was done.");
    none("He did not say when the talks would resume.");
    none("He was told that the plan had been dropped.");
    none("Her claims were rejected.");
    none("The minister, who said nothing, left early.");
    none("Dr Said Ahmed opened the clinic.");
}

// ---- Indirect and mixed quotes --------------------------------------------

#[test]
fn reported_clause_after_the_cue() {
    check(
        "The minister said that the plan was dead.",
        &[(
            &["the plan was dead"],
            Some("The minister"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "The minister said the plan was dead.",
        &[(
            &["the plan was dead"],
            Some("The minister"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Smith said on Monday that the figures were old.",
        &[(
            &["the figures were old"],
            Some("Smith"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "She told reporters that she would not resign.",
        &[(
            &["she would not resign"],
            Some("She"),
            Some("told"),
            Indirect,
        )],
    );
    check(
        "The minister told the BBC the talks had failed.",
        &[(
            &["the talks had failed"],
            Some("The minister"),
            Some("told"),
            Indirect,
        )],
    );
    check(
        "As the minister said, the plan is dead.",
        &[(
            &["the plan is dead"],
            Some("the minister"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn long_appositions_and_clauses_starting_with_no() {
    check(
        "A department official, who spoke on condition of anonymity because he was not authorised to discuss the matter, said no decision had been made.",
        &[(&["no decision had been made"], Some("A department official"), Some("said"), Indirect)],
    );
}

#[test]
fn reported_clauses_end_before_the_writer_takes_over() {
    check(
        "A Treasury source insisted the figures were robust, while a No 10 spokesman said the Prime Minister had full confidence.",
        &[
            (&["the figures were robust"], Some("A Treasury source"), Some("insisted"), Indirect),
            (&["the Prime Minister had full confidence"], Some("10 spokesman"), Some("said"), Indirect),
        ],
    );
    check(
        "The Chancellor has insisted his budget will deliver growth, despite warnings from economists.",
        &[(&["his budget will deliver growth"], Some("The Chancellor"), Some("has insisted"), Indirect)],
    );
    check(
        "Mr Hart told the BBC's Today programme there was \"no plausible route\" to the targets.",
        &[(
            &["there was \"no plausible route\" to the targets"],
            Some("Mr Hart"),
            Some("told"),
            Mixed,
        )],
    );
}

#[test]
fn reported_clause_before_the_cue() {
    check(
        "The plan is dead, the minister said on Monday.",
        &[(
            &["The plan is dead"],
            Some("the minister"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "The plan is dead, said the minister.",
        &[(
            &["The plan is dead"],
            Some("the minister"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "The plan, he said, is dead.",
        &[(&["The plan", "is dead"], Some("he"), Some("said"), Indirect)],
    );
    check(
        "The plan is dead, he told reporters, adding that a new one was ready.",
        &[
            (&["The plan is dead"], Some("he"), Some("told"), Indirect),
            (
                &["a new one was ready"],
                Some("he"),
                Some("adding"),
                Indirect,
            ),
        ],
    );
}

#[test]
fn according_to() {
    check(
        "According to the US state department, the talks have failed.",
        &[(
            &["the talks have failed"],
            Some("the US state department"),
            Some("According to"),
            Indirect,
        )],
    );
    check(
        "The talks failed, according to a spokeswoman for the company.",
        &[(
            &["The talks failed"],
            Some("a spokeswoman for the company"),
            Some("according to"),
            Indirect,
        )],
    );
    check(
        "The talks failed according to officials.",
        &[(
            &["The talks failed"],
            Some("officials"),
            Some("according to"),
            Indirect,
        )],
    );
}

#[test]
fn quoted_fragments_make_mixed_quotes() {
    check(
        "A spokesman for the ministry said the report was \"false and misleading\".",
        &[(
            &["the report was \"false and misleading\""],
            Some("A spokesman for the ministry"),
            Some("said"),
            Mixed,
        )],
    );
    check(
        "He said that “we will never surrender”.",
        &[(
            &["“we will never surrender”"],
            Some("He"),
            Some("said"),
            Mixed,
        )],
    );
    check(
        "The “reforms”, she said, were a sham.",
        &[(
            &["The “reforms”", "were a sham"],
            Some("she"),
            Some("said"),
            Mixed,
        )],
    );
    check(
        "The talks were ‘a waste of time’, according to the union.",
        &[(
            &["The talks were ‘a waste of time’"],
            Some("the union"),
            Some("according to"),
            Mixed,
        )],
    );
}

// ---- Offsets -------------------------------------------------------------

#[test]
fn emoji_and_other_wide_characters_keep_offsets_valid() {
    check(
        "🎉 \"We won 🏆,\" said President Jean-Claude Duval 😀. \"Nothing will stop us.\" 🎉",
        &[(
            &["We won 🏆,", "Nothing will stop us."],
            Some("President Jean-Claude Duval"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "Zoë said that the café 🍰 was closed.",
        &[(
            &["the café 🍰 was closed"],
            Some("Zoë"),
            Some("said"),
            Indirect,
        )],
    );
    check("", &[]);
    check("\"", &[]);
    check("“", &[]);
}

#[test]
fn records_come_in_text_order_with_ids() {
    let text = "\"First,\" she said. He said the second was late. \"Third,\" he added.";
    let article = Article {
        id: ArticleId::new("t").unwrap(),
        text: text.to_string(),
        gold: None,
    };
    let out = Baseline::new().extract(&article).unwrap();
    let ids: Vec<_> = out.quotes.iter().map(|p| p.id.clone().unwrap()).collect();
    assert_eq!(ids, ["b1", "b2", "b3"]);
    let starts: Vec<usize> = out
        .quotes
        .iter()
        .map(|p| match &p.content[0] {
            PredPart::Located(s) => s.start,
            PredPart::Text(_) => unreachable!(),
        })
        .collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn a_long_pathological_article_is_handled() {
    // Many unmatched marks and cues. How long it takes is measured in
    // benches/, not asserted here.
    let text = "'a \"b “c said he, according to ".repeat(20_000);
    for q in Baseline::new().find(&text) {
        for s in q.content.iter().chain(q.speaker.iter()).chain(q.cue.iter()) {
            assert!(s.start <= s.end && s.end <= text.len());
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
    }
}

mod props {
    use proptest::prelude::*;
    use quotecheck::corpus::{Article, ArticleId, PredPart};
    use quotecheck::extract::{baseline::Baseline, Extractor};

    fn piece() -> impl Strategy<Value = String> {
        const FIXED: &[&str] = &[
            "\"",
            "'",
            "“",
            "”",
            "‘",
            "’",
            "„",
            "‚",
            "«",
            "»",
            "‹",
            "›",
            "「",
            "」",
            "『",
            "』",
            " said ",
            " he ",
            ", ",
            ". ",
            "\n",
            "\n\n",
            ": ",
            " according to ",
            " that ",
            "Dr",
            " Smith ",
            " the minister ",
            " adding ",
            "说：",
            "😀",
            "e\u{301}",
            "s’ ",
            " 'n' ",
            "''",
            " wants to ",
            " knew ",
            " charged that ",
            " referring to ",
            "In a new poll",
        ];
        prop_oneof![
            3 => proptest::sample::select(FIXED).prop_map(str::to_string),
            1 => "[a-zA-Z]{1,8}",
            1 => "\\PC{1,4}",
        ]
    }

    /// Every record is located, has a kind, and every span is within the
    /// text on character boundaries.
    fn check_article(text: &str) {
        let article = Article {
            id: ArticleId::new("p").unwrap(),
            text: text.to_string(),
            gold: None,
        };
        let out = Baseline::new().extract(&article).unwrap();
        for p in &out.quotes {
            assert!(!p.content.is_empty());
            assert!(p.kind.is_some());
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
        fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
            check_article(&text);
        }

        #[test]
        fn quote_like_text_never_panics(pieces in proptest::collection::vec(piece(), 0..40)) {
            check_article(&pieces.concat());
        }

        #[test]
        fn the_same_text_gives_the_same_records(pieces in proptest::collection::vec(piece(), 0..30)) {
            let text = pieces.concat();
            prop_assert_eq!(Baseline::new().find(&text), Baseline::new().find(&text));
        }
    }
}

// ---- Real news: shapes found on PolNeAR's train split -------------------

#[test]
fn a_quotation_after_an_attributed_one_in_its_paragraph_continues_it() {
    check(
        "“It was very nice,” the tycoon told Reuters. “He was very charming.”\n\n“We will see.”",
        &[
            (
                &["It was very nice,", "He was very charming."],
                Some("the tycoon"),
                Some("told"),
                Direct,
            ),
            (&["We will see."], Some("the tycoon"), Some("told"), Direct),
        ],
    );
}

#[test]
fn a_named_speaker_and_a_colon_attribute_what_follows() {
    check(
        "Kerry: \"By law, the president sets the number.\"",
        &[(
            &["By law, the president sets the number."],
            Some("Kerry"),
            Some(":"),
            Direct,
        )],
    );
    check(
        "Senator John Kerry: the numbers were right all along.",
        &[(
            &["the numbers were right all along"],
            Some("Senator John Kerry"),
            Some(":"),
            Indirect,
        )],
    );
}

#[test]
fn a_short_adverbial_before_a_pronoun_clause_and_a_colon_inside_it() {
    check(
        "Sheldon Adelson said on Friday he met Trump and broached his agenda: support for Israel.",
        &[(
            &["he met Trump and broached his agenda: support for Israel"],
            Some("Sheldon Adelson"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn stance_verbs_and_poll_shares_report_too() {
    check(
        "Twenty-four percent said they were more likely to vote for him.",
        &[(
            &["they were more likely to vote for him"],
            Some("Twenty-four percent"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Most economists believe the plan would fail.",
        &[(
            &["the plan would fail"],
            Some("Most economists"),
            Some("believe"),
            Indirect,
        )],
    );
    // `calls` and `shows` are nouns in their bare and -s forms.
    none("The phone calls and the shows went on.");
}

#[test]
fn two_apostrophes_are_a_double_quote_mark() {
    check(
        "''We will win,'' Mr. Ortiz said. ''The polls agree.''",
        &[(
            &["We will win,", "The polls agree."],
            Some("Mr. Ortiz"),
            Some("said"),
            Direct,
        )],
    );
    check(
        "''The plan is dead,'' she said.\n\n''We start again.''",
        &[
            (&["The plan is dead,"], Some("she"), Some("said"), Direct),
            (&["We start again."], Some("she"), Some("said"), Direct),
        ],
    );
}

#[test]
fn wishes_plans_and_refusals_take_an_infinitive() {
    check(
        "The governor wants to cut the property tax.",
        &[(
            &["to cut the property tax"],
            Some("The governor"),
            Some("wants"),
            Indirect,
        )],
    );
    check(
        "A spokeswoman declined to comment on the talks.",
        &[(
            &["to comment on the talks"],
            Some("A spokeswoman"),
            Some("declined"),
            Indirect,
        )],
    );
    check(
        "The mayor hopes voters will back the bond.",
        &[(
            &["voters will back the bond"],
            Some("The mayor"),
            Some("hopes"),
            Indirect,
        )],
    );
    // `say` after `to` is no cue: the refusal is (as PolNeAR annotates it).
    check(
        "He refused to say whether the deal was done.",
        &[(
            &["to say whether the deal was done"],
            Some("He"),
            Some("refused"),
            Indirect,
        )],
    );
    // `wants` after a determiner is a noun.
    none("The wants of the few were ignored.");
}

#[test]
fn knowing_seeing_and_judging_verbs_take_what_follows() {
    check(
        "Voters know the race is close.",
        &[(
            &["the race is close"],
            Some("Voters"),
            Some("know"),
            Indirect,
        )],
    );
    check(
        "The senator mocked the new budget plan.",
        &[(
            &["the new budget plan"],
            Some("The senator"),
            Some("mocked"),
            Indirect,
        )],
    );
    check(
        "Most analysts see the mayor as the favourite.",
        &[(
            &["the mayor as the favourite"],
            Some("Most analysts"),
            Some("see"),
            Indirect,
        )],
    );
    check(
        "The council decided to close the bridge.",
        &[(
            &["to close the bridge"],
            Some("The council"),
            Some("decided"),
            Indirect,
        )],
    );
    // `thanks` and `lists` are nouns in their bare and -s forms.
    none("Thanks to the rain, the lists grew longer.");
}

#[test]
fn verbs_of_praise_and_rebuke_take_their_object() {
    check(
        "The mayor touted the new harbour tunnel.",
        &[(
            &["the new harbour tunnel"],
            Some("The mayor"),
            Some("touted"),
            Indirect,
        )],
    );
    check(
        "Two senators challenged the ruling on Monday.",
        &[(
            &["the ruling on Monday"],
            Some("Two senators"),
            Some("challenged"),
            Indirect,
        )],
    );
    // `challenges` and `talks` are nouns in their bare and -s forms.
    none("The talks and the challenges went on for weeks.");
}

#[test]
fn estimating_and_charging_verbs_report_a_that_clause() {
    check(
        "The union estimated that turnout fell by a third.",
        &[(
            &["turnout fell by a third"],
            Some("The union"),
            Some("estimated"),
            Indirect,
        )],
    );
    check(
        "Critics charged that the hearing was a waste of time.",
        &[(
            &["the hearing was a waste of time"],
            Some("Critics"),
            Some("charged"),
            Indirect,
        )],
    );
    check(
        "“We will not give up,” Ms Ortiz repeated.",
        &[(
            &["We will not give up,"],
            Some("Ms Ortiz"),
            Some("repeated"),
            Direct,
        )],
    );
    // Without `that`, what follows is the content (as PolNeAR annotates
    // `charged X with …`).
    check(
        "Prosecutors charged the driver with speeding.",
        &[(
            &["the driver with speeding"],
            Some("Prosecutors"),
            Some("charged"),
            Indirect,
        )],
    );
    // `charges` and `estimates` are nouns in their bare and -s forms.
    none("The charges and the estimates were dropped.");
}

#[test]
fn referring_to_after_a_direct_quote() {
    check(
        "“He is a danger,” Ms Ortiz said, referring to the senator.",
        &[
            (&["He is a danger,"], Some("Ms Ortiz"), Some("said"), Direct),
            (
                &["the senator"],
                Some("Ms Ortiz"),
                Some("referring to"),
                Indirect,
            ),
        ],
    );
}

#[test]
fn a_sentence_opened_by_a_poll_reports_its_finding() {
    check(
        "In a new Harbor Institute poll released Monday, the mayor leads by 9 points.",
        &[(
            &["the mayor leads by 9 points"],
            Some("a new Harbor Institute poll released Monday"),
            Some("In"),
            Indirect,
        )],
    );
    // `In` and a phrase that names no poll is an adverbial.
    none("In the town hall, the mayor leads the meeting.");
}

#[test]
fn a_reported_clause_ends_before_the_next_attribution() {
    check(
        "Cruz said he would cut taxes, and the governor said roads come first.",
        &[
            (
                &["he would cut taxes"],
                Some("Cruz"),
                Some("said"),
                Indirect,
            ),
            (
                &["roads come first"],
                Some("the governor"),
                Some("said"),
                Indirect,
            ),
        ],
    );
}

#[test]
fn an_impression_or_expectation_has_no_speaker() {
    check(
        "The new bridge seemed doomed from the start.",
        &[(
            &["The new bridge", "doomed from the start"],
            None,
            Some("seemed"),
            Indirect,
        )],
    );
    check(
        "In another speech, the senator appeared to soften his tone.",
        &[(
            &["the senator", "to soften his tone"],
            None,
            Some("appeared"),
            Indirect,
        )],
    );
    check(
        "The harbour bill is expected to pass next week.",
        &[(
            &["The harbour bill", "to pass next week"],
            None,
            Some("is expected"),
            Indirect,
        )],
    );
    // Appearing somewhere is no impression.
    none("The singer appeared on stage at nine.");
}

#[test]
fn findings_show_what_follows() {
    check(
        "The latest Harbor Institute poll shows the mayor ahead.",
        &[(
            &["the mayor ahead"],
            Some("The latest Harbor Institute poll"),
            Some("shows"),
            Indirect,
        )],
    );
    check(
        "Recent polling shows that the mayor leads.",
        &[(
            &["the mayor leads"],
            Some("Recent polling"),
            Some("shows"),
            Indirect,
        )],
    );
    // Elsewhere `shows` is a noun.
    none("The late shows drew big crowds.");
}

#[test]
fn a_long_source_after_according_to_runs_to_the_comma() {
    check(
        "According to early results of a survey of harbour workers, most want the strike to end.",
        &[(
            &["most want the strike to end"],
            Some("early results of a survey of harbour workers"),
            Some("According to"),
            Indirect,
        )],
    );
    // A relative clause after the source tells of the source.
    check(
        "The cut was widely expected, according to dealers, who had priced it in.",
        &[(
            &["The cut was widely expected"],
            Some("dealers"),
            Some("according to"),
            Indirect,
        )],
    );
}

#[test]
fn a_second_reporting_verb_after_and_is_a_record_of_the_same_speaker() {
    check(
        "The mayor said the bridge would reopen and suggested that tolls would fall.",
        &[
            (
                &["the bridge would reopen"],
                Some("The mayor"),
                Some("said"),
                Indirect,
            ),
            (
                &["tolls would fall"],
                Some("The mayor"),
                Some("suggested"),
                Indirect,
            ),
        ],
    );
    // With no attribution before it, the subject of the sentence.
    check(
        "Ms Ortiz retired in May and says the port needs dredging.",
        &[(
            &["the port needs dredging"],
            Some("Ms Ortiz"),
            Some("says"),
            Indirect,
        )],
    );
}

#[test]
fn an_attribution_after_the_clause_takes_plain_words_and_a_one_word_start() {
    check(
        "The talks have stalled, law enforcement officials said.",
        &[(
            &["The talks have stalled"],
            Some("law enforcement officials"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Tourism, the minister said, is recovering fast.",
        &[(
            &["Tourism", "is recovering fast"],
            Some("the minister"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_second_reporting_verb_may_follow_auxiliaries() {
    check(
        "The mayor said the bridge would reopen and has promised that tolls would fall.",
        &[
            (
                &["the bridge would reopen"],
                Some("The mayor"),
                Some("said"),
                Indirect,
            ),
            (
                &["tolls would fall"],
                Some("The mayor"),
                Some("has promised"),
                Indirect,
            ),
        ],
    );
}

#[test]
fn a_nouny_verb_form_after_a_pronoun_or_a_name_is_a_cue() {
    check(
        "She calls the plan a mistake.",
        &[(
            &["the plan a mistake"],
            Some("She"),
            Some("calls"),
            Indirect,
        )],
    );
    check(
        "The senator claims the vote was rigged.",
        &[(
            &["the vote was rigged"],
            Some("The senator"),
            Some("claims"),
            Indirect,
        )],
    );
    // Before a verb, and inside a name, the form is a noun.
    none("Smith claims are false.");
    check(
        "The US state department has confirmed the talks took place.",
        &[(
            &["the talks took place"],
            Some("The US state department"),
            Some("has confirmed"),
            Indirect,
        )],
    );
}

#[test]
fn a_relative_pronoun_between_commas_is_the_speaker() {
    // `backed by` is a passive reporting verb too.
    check(
        "The plan was backed by Ms Ortiz, who said the cuts were needed, and by the union.",
        &[
            (
                &["The plan"],
                Some("Ms Ortiz"),
                Some("was backed"),
                Indirect,
            ),
            (
                &["the cuts were needed"],
                Some("who"),
                Some("said"),
                Indirect,
            ),
        ],
    );
    check(
        "The board, which rejected the offer, met again.",
        &[(&["the offer"], Some("which"), Some("rejected"), Indirect)],
    );
}

#[test]
fn a_quantifier_is_a_speaker_on_its_own() {
    check(
        "Most said they were worried.",
        &[(&["they were worried"], Some("Most"), Some("said"), Indirect)],
    );
    check(
        "Many of them said the plan had failed.",
        &[(
            &["the plan had failed"],
            Some("Many of them"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Some of the delegates said the vote was rigged.",
        &[(
            &["the vote was rigged"],
            Some("Some of the delegates"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn appositions_with_titles_phrases_and_a_leading_and() {
    // A title in quote marks that holds the apposition's comma.
    check(
        "Jones, the author of \"Big Book,\" said the days of unity are gone.",
        &[(
            &["the days of unity are gone"],
            Some("Jones"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "And Citizens United, a conservative group, called the mayor a liability.",
        &[(
            &["the mayor a liability"],
            Some("Citizens United"),
            Some("called"),
            Indirect,
        )],
    );
    // A noun phrase with prepositional phrases before the apposition.
    check(
        "A lawyer for the family in Ohio, Mary Jones, said the case would go on.",
        &[(
            &["the case would go on"],
            Some("A lawyer for the family in Ohio"),
            Some("said"),
            Indirect,
        )],
    );
    // `within the hour` is an adverbial, not a reported clause.
    none("The mayor replied within the hour.");
}

#[test]
fn a_passive_reporting_verb_takes_its_speaker_after_by() {
    check(
        "The plan was praised by the union.",
        &[(
            &["The plan"],
            Some("the union"),
            Some("was praised"),
            Indirect,
        )],
    );
    check(
        "As reported by the Post, the mayor resigned on Friday.",
        &[(
            &["the mayor resigned on Friday"],
            Some("the Post"),
            Some("reported"),
            Indirect,
        )],
    );
    check(
        "Her claims were rejected by the court.",
        &[(
            &["Her claims"],
            Some("the court"),
            Some("were rejected"),
            Indirect,
        )],
    );
    // Not a reporting verb.
    none("The bridge was built by the army.");
}

#[test]
fn an_infinitive_after_a_promise_is_the_content() {
    check(
        "The mayor has vowed to rebuild the bridge.",
        &[(
            &["to rebuild the bridge"],
            Some("The mayor"),
            Some("has vowed"),
            Indirect,
        )],
    );
    check(
        "The union threatened to strike.",
        &[(
            &["to strike"],
            Some("The union"),
            Some("threatened"),
            Indirect,
        )],
    );
}

#[test]
fn a_parenthesis_after_the_name_is_part_of_the_speaker() {
    check(
        "Sen. Ann Lee (D-Ore.) said the bill would pass.",
        &[(
            &["the bill would pass"],
            Some("Sen. Ann Lee (D-Ore.)"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "“We will win,” Sen. Ann Lee (D-Ore.) said.",
        &[(
            &["We will win,"],
            Some("Sen. Ann Lee (D-Ore.)"),
            Some("said"),
            Direct,
        )],
    );
    // The full stop of an abbreviation before the cue.
    check(
        "John Smith Jr. said the plan would work.",
        &[(
            &["the plan would work"],
            Some("John Smith Jr."),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_cue_after_but_takes_the_subject_of_the_sentence() {
    check(
        "The mayor is no fan of the plan but praised its aims.",
        &[(&["its aims"], Some("The mayor"), Some("praised"), Indirect)],
    );
    // After a dateline.
    check(
        "PARIS, June 3 - Norland Bank held its rate but warned that prices would rise.",
        &[(
            &["prices would rise"],
            Some("Norland Bank"),
            Some("warned"),
            Indirect,
        )],
    );
}

#[test]
fn a_quotation_holding_the_comma_ends_a_clause() {
    // Before a participle: two records.
    check(
        "The mayor said the plan was \"a good start,\" adding that more was needed.",
        &[
            (
                &["the plan was \"a good start,\""],
                Some("The mayor"),
                Some("said"),
                Mixed,
            ),
            (
                &["more was needed"],
                Some("The mayor"),
                Some("adding"),
                Indirect,
            ),
        ],
    );
    // Before the attribution, in either order.
    check(
        "The plan is \"a good start,\" the mayor said.",
        &[(
            &["The plan is \"a good start,\""],
            Some("the mayor"),
            Some("said"),
            Mixed,
        )],
    );
    check(
        "The plan is \"a good start,\" said the mayor.",
        &[(
            &["The plan is \"a good start,\""],
            Some("the mayor"),
            Some("said"),
            Mixed,
        )],
    );
}

#[test]
fn plural_and_possessive_subjects_without_a_determiner() {
    check(
        "But opponents say the wage rise will cost jobs.",
        &[(
            &["the wage rise will cost jobs"],
            Some("opponents"),
            Some("say"),
            Indirect,
        )],
    );
    check(
        "Mrs. Lee's advisers say the race is close.",
        &[(
            &["the race is close"],
            Some("Mrs. Lee's advisers"),
            Some("say"),
            Indirect,
        )],
    );
    // A bare form more often a noun, after a plural.
    check(
        "Party allies fear the plan will fail.",
        &[(
            &["the plan will fail"],
            Some("Party allies"),
            Some("fear"),
            Indirect,
        )],
    );
    // A pronoun with its auxiliary.
    check(
        "She's hoping the vote will go her way.",
        &[(
            &["the vote will go her way"],
            Some("She's"),
            Some("hoping"),
            Indirect,
        )],
    );
    check(
        "Smith told the Post he's already received many emails.",
        &[(
            &["he's already received many emails"],
            Some("Smith"),
            Some("told"),
            Indirect,
        )],
    );
}

#[test]
fn a_participle_after_a_dateline_takes_the_subject() {
    check(
        "PARIS — The mayor spoke at the bridge, saying the repairs were done.",
        &[(
            &["the repairs were done"],
            Some("The mayor"),
            Some("saying"),
            Indirect,
        )],
    );
}

#[test]
fn a_statement_saying_is_its_issuers() {
    check(
        "The party issued a statement saying the vote was rigged.",
        &[(
            &["the vote was rigged"],
            Some("The party"),
            Some("saying"),
            Indirect,
        )],
    );
    check(
        "The club put out a short statement saying the coach was resting.",
        &[(
            &["the coach was resting"],
            Some("The club"),
            Some("saying"),
            Indirect,
        )],
    );
}

#[test]
fn shares_of_people_as_speakers() {
    check(
        "Still, 37 percent of likely buyers say the price should fall.",
        &[(
            &["the price should fall"],
            Some("37 percent of likely buyers"),
            Some("say"),
            Indirect,
        )],
    );
    check(
        "Sixty-two percent said the bridge was safe.",
        &[(
            &["the bridge was safe"],
            Some("Sixty-two percent"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn an_object_ends_at_a_comma_but_not_inside_a_relative_clause() {
    check(
        "The governor endorsed the judge, a former rival, on Monday.",
        &[(
            &["the judge"],
            Some("The governor"),
            Some("endorsed"),
            Indirect,
        )],
    );
    check(
        "Crew members describe a system in which overtime has become, in the words of one, the only way.",
        &[(
            &["a system in which overtime has become, in the words of one, the only way"],
            Some("Crew members"),
            Some("describe"),
            Indirect,
        )],
    );
}

#[test]
fn a_preposition_after_the_verb_is_part_of_the_cue() {
    check(
        "The senator called for a ban on the sale of guns.",
        &[(
            &["a ban on the sale of guns"],
            Some("The senator"),
            Some("called for"),
            Indirect,
        )],
    );
    check(
        "She talked about her plan for jobs.",
        &[(
            &["her plan for jobs"],
            Some("She"),
            Some("talked about"),
            Indirect,
        )],
    );
    check(
        "The senator voted for the bill.",
        &[(
            &["the bill"],
            Some("The senator"),
            Some("voted for"),
            Indirect,
        )],
    );
    check(
        "She railed against the new tax.",
        &[(
            &["the new tax"],
            Some("She"),
            Some("railed against"),
            Indirect,
        )],
    );
    // Without its preposition, such a verb is no cue.
    none("The senator voted on Monday.");
}

#[test]
fn a_negated_cue_is_a_cue() {
    check(
        "He did not respond to the letter from the council.",
        &[(
            &["the letter from the council"],
            Some("He"),
            Some("did not respond to"),
            Indirect,
        )],
    );
    check(
        "The mayor never mentioned the budget gap.",
        &[(
            &["the budget gap"],
            Some("The mayor"),
            Some("never mentioned"),
            Indirect,
        )],
    );
}

#[test]
fn more_verbs_and_verb_forms() {
    check(
        "The council backed the new plan.",
        &[(
            &["the new plan"],
            Some("The council"),
            Some("backed"),
            Indirect,
        )],
    );
    check(
        "The mayor made it clear that she would run.",
        &[(
            &["she would run"],
            Some("The mayor"),
            Some("made it clear"),
            Indirect,
        )],
    );
    // A form more often a noun, after a modal or an adverb.
    check(
        "The council would demand a new vote.",
        &[(
            &["a new vote"],
            Some("The council"),
            Some("would demand"),
            Indirect,
        )],
    );
    check(
        "She often mentions her granddaughter.",
        &[(
            &["her granddaughter"],
            Some("She"),
            Some("often mentions"),
            Indirect,
        )],
    );
    // `about` and a number starts a clause.
    check(
        "The office said about half of the funds were spent.",
        &[(
            &["about half of the funds were spent"],
            Some("The office"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_relative_pronoun_before_the_speaker_is_content() {
    check(
        "The bill, which the mayor said was too costly, failed.",
        &[(
            &["which", "was too costly"],
            Some("the mayor"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn what_a_negated_cue_leaves_unsaid_is_no_content() {
    none("The ministry would not say who had taken part.");
}

#[test]
fn a_speaker_after_when_if_or_where_is_a_speaker() {
    check(
        "The row began when the mayor claimed that the bridge was unsafe.",
        &[(
            &["the bridge was unsafe"],
            Some("the mayor"),
            Some("claimed"),
            Indirect,
        )],
    );
    check(
        "The market stays open if the council agrees that the road is safe.",
        &[(
            &["the road is safe"],
            Some("the council"),
            Some("agrees"),
            Indirect,
        )],
    );
    // `what`, `how`, `why` before the speaker still refuse it.
    check(
        "Nobody asked how the mayor said it.",
        &[(
            &["how the mayor said it"],
            Some("Nobody"),
            Some("asked"),
            Indirect,
        )],
    );
}

#[test]
fn a_capitalised_cue_in_a_title_case_headline() {
    check(
        "Harbour Mayor Says The Old Bridge Will Open In June.",
        &[(
            &["The Old Bridge Will Open In June"],
            Some("Harbour Mayor"),
            Some("Says"),
            Indirect,
        )],
    );
    // Not in an ordinary sentence.
    none("The mayor met Dr Said Ahmed at the old bridge.");
}

#[test]
fn a_cue_after_as_without_a_comma_takes_what_follows() {
    check(
        "The crowd cheered as the mayor urged the town to rebuild the bridge.",
        &[(
            &["the town to rebuild the bridge"],
            Some("the mayor"),
            Some("urged"),
            Indirect,
        )],
    );
    check(
        "The crowd cheered as the mayor echoed the plan, saying the bridge would open.",
        &[
            (&["the plan"], Some("the mayor"), Some("echoed"), Indirect),
            (
                &["the bridge would open"],
                Some("the mayor"),
                Some("saying"),
                Indirect,
            ),
        ],
    );
    check(
        "As the mayor said on Monday, the bridge will open.",
        &[(
            &["the bridge will open"],
            Some("the mayor"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_reported_clause_ends_before_a_comma_and_who() {
    check(
        "The mayor said the plan would help the bakers, who lost trade in the spring.",
        &[(
            &["the plan would help the bakers"],
            Some("The mayor"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_quantity_after_the_cue_can_start_the_clause() {
    check(
        "Lena said nothing had changed at the market.",
        &[(
            &["nothing had changed at the market"],
            Some("Lena"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Lena said too many farms are idle.",
        &[(
            &["too many farms are idle"],
            Some("Lena"),
            Some("said"),
            Indirect,
        )],
    );
    none("Lena said so.");
}

#[test]
fn who_without_a_comma_is_the_speaker_of_its_clause() {
    check(
        "The mayor won among the voters who said the bridge mattered most.",
        &[(
            &["the bridge mattered most"],
            Some("who"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Those who know the mayor say she will run again.",
        &[
            (&["the mayor"], Some("who"), Some("know"), Indirect),
            (
                &["she will run again"],
                Some("the mayor"),
                Some("say"),
                Indirect,
            ),
        ],
    );
}

#[test]
fn findings_a_few_words_before_the_cue() {
    check(
        "The poll released on Monday shows the mayor ahead.",
        &[(
            &["the mayor ahead"],
            Some("The poll released on Monday"),
            Some("shows"),
            Indirect,
        )],
    );
    check(
        "Polls there show the mayor is trailing the baker.",
        &[(
            &["the mayor is trailing the baker"],
            Some("Polls there"),
            Some("show"),
            Indirect,
        )],
    );
    check(
        "The report released by the council on Friday found the bridge was unsafe.",
        &[(
            &["the bridge was unsafe"],
            Some("The report released by the council on Friday"),
            Some("found"),
            Indirect,
        )],
    );
    check(
        "A new ad accuses the mayor of buying votes.",
        &[(
            &["the mayor of buying votes"],
            Some("A new ad"),
            Some("accuses"),
            Indirect,
        )],
    );
}

#[test]
fn appositions_with_a_title_an_abbreviation_or_many_words() {
    check(
        "Sen. Ann Lee, D-Ore., a long-time critic of the plan, said the bridge is unsafe.",
        &[(
            &["the bridge is unsafe"],
            Some("Sen. Ann Lee"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Ann Lee, a baker on the show \"Bake Off,\" who later opened a shop, said the rent was too high.",
        &[(
            &["the rent was too high"],
            Some("Ann Lee"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "Ann Lee, a farmer who has worked in the valley since the floods of the spring of 1998 and who now runs the market on the hill, said the rain came too late.",
        &[(
            &["the rain came too late"],
            Some("Ann Lee"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_reflexive_after_the_speaker() {
    check(
        "The mayor herself said the bridge was unsafe.",
        &[(
            &["the bridge was unsafe"],
            Some("The mayor herself"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_day_then_a_subject_with_a_determiner_starts_the_clause() {
    check(
        "The town's mayor said on Monday the plan would fail.",
        &[(
            &["the plan would fail"],
            Some("The town's mayor"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "The mayor said last week the bridge would close.",
        &[(
            &["the bridge would close"],
            Some("The mayor"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_nouny_verb_after_who_is_a_cue() {
    check(
        "The plan won the votes of farmers who favor the new market.",
        &[(&["the new market"], Some("who"), Some("favor"), Indirect)],
    );
}

#[test]
fn a_subject_is_found_past_what_stands_before_the_cue() {
    // A parenthesis and an apposition.
    check(
        "Rep. Joan Ortiz (R-Ind.), chair of the farm committee, said the levy would fall.",
        &[(
            &["the levy would fall"],
            Some("Rep. Joan Ortiz (R-Ind.)"),
            Some("said"),
            Indirect,
        )],
    );
    // A participle between commas.
    check(
        "Marta Ruiz, dressed in a yellow raincoat, said the ferry was late again.",
        &[(
            &["the ferry was late again"],
            Some("Marta Ruiz"),
            Some("said"),
            Indirect,
        )],
    );
    // A time.
    check(
        "Mayor Tom Ekwueme on Friday evening said the quay would reopen.",
        &[(
            &["the quay would reopen"],
            Some("Mayor Tom Ekwueme"),
            Some("said"),
            Indirect,
        )],
    );
    // A role, then the name between commas: the name.
    check(
        "The town's chief engineer, Dr Ines Vogt, told the council that the plan was sound.",
        &[(
            &["the plan was sound"],
            Some("Dr Ines Vogt"),
            Some("told"),
            Indirect,
        )],
    );
}

#[test]
fn a_relative_clause_after_the_subject_is_not_the_speaker() {
    check(
        "Former officials who spoke with the paper said the agency had lost its way.",
        &[(
            &["the agency had lost its way"],
            Some("Former officials"),
            Some("said"),
            Indirect,
        )],
    );
    // A time is no speaker.
    check(
        "Nurses interviewed at the clinic this week said they had not been paid.",
        &[(
            &["they had not been paid"],
            Some("Nurses"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn ratios_of_people_are_speakers() {
    check(
        "Two in three said they would vote for the levy.",
        &[(
            &["they would vote for the levy"],
            Some("Two in three"),
            Some("said"),
            Indirect,
        )],
    );
    check(
        "More than six in 10 said the roads had got worse.",
        &[(
            &["the roads had got worse"],
            Some("More than six in 10"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_speaker_with_an_apposition_after_the_clause() {
    check(
        "The ferry will run on Sundays again, a spokeswoman, Lena Park, said on Friday.",
        &[(
            &["The ferry will run on Sundays again"],
            Some("a spokeswoman, Lena Park"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_name_alone_is_the_object_of_an_object_verb() {
    check(
        "The union endorsed Okafor.",
        &[(&["Okafor"], Some("The union"), Some("endorsed"), Indirect)],
    );
    // The object that is more than a name keeps its tail.
    check(
        "The union endorsed Okafor's plan for the docks.",
        &[(
            &["Okafor's plan for the docks"],
            Some("The union"),
            Some("endorsed"),
            Indirect,
        )],
    );
}

#[test]
fn an_abbreviated_month_before_a_number_ends_no_sentence() {
    check(
        "The mayor said the works begun after the Sept. 4 storm would end in May.",
        &[(
            &["the works begun after the Sept. 4 storm would end in May"],
            Some("The mayor"),
            Some("said"),
            Indirect,
        )],
    );
}

#[test]
fn a_dateline_with_an_agency_is_not_the_subject() {
    check(
        "Lisbon (AFP) – Port officials closed the quay on Monday, saying the crane was unsafe.",
        &[(
            &["the crane was unsafe"],
            Some("Port officials"),
            Some("saying"),
            Indirect,
        )],
    );
}
