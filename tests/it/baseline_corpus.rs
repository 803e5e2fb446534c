//! The built-in baseline's scores on `corpus/`, article by article. Any
//! change to the baseline (or the corpus) shows in this snapshot; accept it
//! only when the change is intended.

use crate::util;

use quotecheck::corpus::Corpus;
use quotecheck::extract::baseline::Baseline;
use quotecheck::run::{run, RunSettings};
use quotecheck::score::Criterion;

#[test]
fn baseline_scores_on_the_corpus() {
    let corpus = Corpus::open(util::repo().join("corpus")).unwrap();
    let baseline = Baseline::new();
    let result = run(&corpus, &[&baseline], &RunSettings::default(), &mut |_| {});
    let e = &result.extractors[0];
    let mut table = format!(
        "{:<26} {:>14} {:>14} {:>14}\n",
        "article", "content", "end-to-end", "cue"
    );
    let cell = |c: quotecheck::score::Counts| format!("{}/{}/{} {:.3}", c.tp, c.fp, c.fn_, c.f1());
    for a in &e.articles {
        table.push_str(&format!(
            "{:<26} {:>14} {:>14} {:>14}\n",
            a.id,
            cell(a.score.counts(Criterion::Content)),
            cell(a.score.counts(Criterion::Attribution)),
            cell(a.score.counts(Criterion::Cue))
        ));
    }
    for c in [
        Criterion::Content,
        Criterion::Attribution,
        Criterion::Cue,
        Criterion::Kind,
    ] {
        let f = e.totals.micro(c);
        table.push_str(&format!(
            "micro {:<12} P {:.3} R {:.3} F1 {:.3}\n",
            c.as_str(),
            f.p,
            f.r,
            f.f1
        ));
    }
    assert!(e.failures().next().is_none());
    insta::assert_snapshot!(table);
}
