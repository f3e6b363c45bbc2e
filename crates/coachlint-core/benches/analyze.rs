//! Analysis of a one-hour session (~60 KB) and a three-hour one (~180 KB), on one core.
//!
//! The timed sessions repeat the sample turns; `varied-60KB` says each thing once
//! (the labelled coach utterances and their context), as a real session does. On
//! repeated text a lazy DFA's states stay built; varied text shows what building
//! them costs.

use coachlint_core::{Config, TurnCache, analyze, analyze_cached};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

// The binary's allocator: the analysis makes and frees many small blocks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const GOOD: &str = include_str!("../../../tests/fixtures/samples/good-coaching.transcript");
const ADVICE: &str = include_str!("../../../tests/fixtures/samples/advice-heavy.transcript");

/// A session of about `bytes`, built from the sample turns with running timestamps.
pub fn session(bytes: usize) -> String {
    let turns: Vec<&str> = GOOD
        .lines()
        .chain(ADVICE.lines())
        .filter_map(|l| l.split_once("] ").map(|(_, rest)| rest))
        .filter(|l| {
            l.starts_with("Maya Chen:")
                || l.starts_with("Jordan Ellis:")
                || l.starts_with("Coach:")
                || l.starts_with("Client:")
        })
        .map(|l| {
            l.replacen("Coach:", "Maya Chen:", 1)
                .replacen("Client:", "Jordan Ellis:", 1)
        })
        .collect::<Vec<_>>()
        .leak()
        .iter()
        .map(|s| s.as_str())
        .collect();
    let mut out = String::from("---\ncoach: Maya Chen\nclient: Jordan Ellis\n---\n");
    let mut i = 0;
    while out.len() < bytes {
        push_line(&mut out, i, turns[i % turns.len()]);
        i += 1;
    }
    out
}

/// Line `i` of a session: `line` ("Name: text") stamped 7 s after the last.
fn push_line(out: &mut String, i: usize, line: &str) {
    let secs = i * 7;
    out.push_str(&format!(
        "[{:02}:{:02}:{:02}] {line}\n",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    ));
}

const LABELLED: [&str; 6] = [
    include_str!("../../../tests/fixtures/labelled/executive.tsv"),
    include_str!("../../../tests/fixtures/labelled/life.tsv"),
    include_str!("../../../tests/fixtures/labelled/counselling.tsv"),
    include_str!("../../../tests/fixtures/labelled/health.tsv"),
    include_str!("../../../tests/fixtures/labelled/team.tsv"),
    include_str!("../../../tests/fixtures/labelled/speech-to-text.tsv"),
];

/// A session of about `bytes` in which no turn repeats the one before: each
/// labelled row's coach turn before, client turn and coach utterance.
pub fn varied_session(bytes: usize) -> String {
    let mut out = String::from("---\ncoach: Maya Chen\nclient: Jordan Ellis\n---\n");
    let mut i = 0;
    let mut last = "";
    let rows = LABELLED.iter().flat_map(|f| f.lines().skip(1));
    for row in rows {
        let cols: Vec<&str> = row.split('\t').collect();
        for (who, text) in [
            ("Maya Chen", cols[1]),
            ("Jordan Ellis", cols[2]),
            ("Maya Chen", cols[3]),
        ] {
            if text.is_empty() || text == last || out.len() >= bytes {
                continue;
            }
            last = text;
            push_line(&mut out, i, &format!("{who}: {text}"));
            i += 1;
        }
    }
    assert!(
        out.len() >= bytes,
        "the labelled rows make {} bytes",
        out.len()
    );
    out
}

fn bench(c: &mut Criterion) {
    let config = Config::default();
    let mut g = c.benchmark_group("analyze");
    for (name, size) in [("1h-60KB", 60_000), ("3h-180KB", 180_000)] {
        let text = session(size);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| analyze(black_box(&text), &config).unwrap())
        });
    }
    let text = varied_session(60_000);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("varied-60KB", |b| {
        b.iter(|| analyze(black_box(&text), &config).unwrap())
    });
    g.finish();

    // What the language server does on a keystroke: the whole text again, with
    // the per-turn work of the previous version in the cache.
    let mut g = c.benchmark_group("analyze_cached");
    let text = session(180_000);
    let at = text.len() / 2;
    let at = at + text[at..].find("Jordan Ellis: ").unwrap() + "Jordan Ellis: ".len();
    let versions = [text.clone(), format!("{}x{}", &text[..at], &text[at..])];
    let mut cache = TurnCache::default();
    analyze_cached(&versions[0], &config, &mut cache).unwrap();
    g.throughput(Throughput::Bytes(text.len() as u64));
    let mut i = 0;
    g.bench_function("3h-180KB-keystroke", |b| {
        b.iter(|| {
            i += 1;
            analyze_cached(black_box(&versions[i % 2]), &config, &mut cache).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
