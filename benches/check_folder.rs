//! Throughput of `coachlint check` over a 50 MB folder of transcripts, on all
//! cores, through the same function the binary runs (output discarded).
//!
//! The folder is generated deterministically in a temporary directory: about
//! 2,500 sessions of 4–40 KB in 10 sub-folders, each a shuffle of the turns of
//! the two bundled examples under varying speaker names.

use coachlint::cmd::check::{Args, check};
use coachlint::output::OutputFormat;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::path::Path;

const GOOD: &str = include_str!("../examples/good-coaching.transcript");
const ADVICE: &str = include_str!("../examples/advice-heavy.transcript");
const TOTAL_BYTES: usize = 50 * 1024 * 1024;

/// A small deterministic generator (SplitMix64), so every run sees the same folder.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// (is the coach, text) for every turn of the examples.
fn turns() -> Vec<(bool, String)> {
    GOOD.lines()
        .chain(ADVICE.lines())
        .filter_map(|l| l.split_once("] ").map(|(_, rest)| rest))
        .filter_map(|l| l.split_once(": "))
        .map(|(who, text)| (who == "Maya Chen" || who == "Coach", text.to_owned()))
        .collect()
}

/// Writes the folder; returns its size in bytes.
fn generate(dir: &Path) -> usize {
    let turns = turns();
    let coaches = ["Maya Chen", "Coach", "Dr. Ana Ruiz", "Sam O'Neil", "Kwame"];
    let clients = ["Jordan Ellis", "Client", "Priya", "Lee Wong", "Zoë Müller"];
    let mut rng = Rng(0x00C0_AC11_0000_0001);
    let mut total = 0;
    let mut n = 0;
    while total < TOTAL_BYTES {
        let coach = coaches[rng.below(coaches.len())];
        let client = clients[rng.below(clients.len())];
        let target = 4_000 + rng.below(36_000);
        let mut s = format!("---\ncoach: {coach}\nclient: {client}\n---\n\n");
        let mut secs = 0;
        while s.len() < target {
            let (is_coach, text) = &turns[rng.below(turns.len())];
            let who = if *is_coach { coach } else { client };
            s.push_str(&format!(
                "[{:02}:{:02}:{:02}] {who}: {text}\n",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            ));
            secs += 3 + rng.below(20);
        }
        let sub = dir.join(format!("team-{:02}", n % 10));
        std::fs::create_dir_all(&sub).expect("create the bench folder");
        std::fs::write(sub.join(format!("session-{n:05}.transcript")), &s)
            .expect("write a bench transcript");
        total += s.len();
        n += 1;
    }
    total
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bytes = generate(dir.path());
    let mut g = c.benchmark_group("check_folder");
    // Each pass reads the whole folder: a few long samples, not many short ones.
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(60));
    g.throughput(Throughput::Bytes(bytes as u64));
    for (name, format) in [("human", OutputFormat::Human), ("json", OutputFormat::Json)] {
        let args = Args {
            paths: vec![dir.path().to_owned()],
            output_format: format,
            ..Args::default()
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let code = check(
                    &args,
                    false,
                    &mut std::io::sink(),
                    &mut std::io::sink(),
                    false,
                );
                assert_eq!(code, 1, "the generated sessions have advice in them");
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
