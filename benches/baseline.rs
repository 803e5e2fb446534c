//! Criterion benchmark of the built-in baseline on real-size articles.
//!
//! Real news articles run to about 5 KB (PolNeAR's train split: 4.6 KB on
//! average). The inputs are the articles of `corpus/`, each repeated to at
//! least 5,000 bytes (paragraphs joined by blank lines), one per language,
//! so they are the same on every machine and need no download.
//!
//! ```text
//! cargo bench --bench baseline
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use quotecheck::extract::baseline::Baseline;

/// `text` repeated, blank line between copies, to at least 5,000 bytes.
fn real_size(text: &str) -> String {
    let mut out = String::from(text.trim_end());
    while out.len() < 5000 {
        out.push_str("\n\n");
        out.push_str(text.trim_end());
    }
    out
}

fn benches(c: &mut Criterion) {
    let articles = [
        ("en", include_str!("../corpus/bbc-libya-us-talks.txt")),
        ("de", include_str!("../corpus/world/bremen-hansewerft.txt")),
        ("fr", include_str!("../corpus/world/lyon-musee-greve.txt")),
        ("ja", include_str!("../corpus/world/saginoura-bus.txt")),
    ];
    let baseline = Baseline::new();
    let mut g = c.benchmark_group("baseline");
    for (lang, text) in articles {
        let text = real_size(text);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(format!("one 5 KB article ({lang})"), |b| {
            b.iter(|| baseline.find(black_box(&text)))
        });
    }
    g.finish();
}

criterion_group!(baseline, benches);
criterion_main!(baseline);
