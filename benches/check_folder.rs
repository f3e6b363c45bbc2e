//! Throughput of `coachlint check` over a 50 MB folder of transcripts, on all
//! cores, through the same function the binary runs (output discarded).
//!
//! The folder is generated deterministically in a temporary directory: about
//! 2,500 sessions of 4–40 KB in 10 sub-folders, under varying speaker names.
//! Real sessions rarely repeat a sentence, and what the engine's lazy DFAs
//! cost depends on how much new text they see, so each turn is a new
//! utterance: a walk of a word-trigram chain over the bundled examples and the
//! labelled coach utterances (coach turns from coach speech, client turns
//! from client speech), not a copy of one.

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

const LABELLED: [&str; 6] = [
    include_str!("../tests/fixtures/labelled/executive.tsv"),
    include_str!("../tests/fixtures/labelled/life.tsv"),
    include_str!("../tests/fixtures/labelled/counselling.tsv"),
    include_str!("../tests/fixtures/labelled/health.tsv"),
    include_str!("../tests/fixtures/labelled/team.tsv"),
    include_str!("../tests/fixtures/labelled/speech-to-text.tsv"),
];

/// Utterances as (is the coach, text): the examples' turns and the labelled
/// rows' coach turns, client turns and coach utterances.
fn utterances() -> Vec<(bool, String)> {
    let examples = GOOD
        .lines()
        .chain(ADVICE.lines())
        .filter_map(|l| l.split_once("] ").map(|(_, rest)| rest))
        .filter_map(|l| l.split_once(": "))
        .map(|(who, text)| (who == "Maya Chen" || who == "Coach", text.to_owned()));
    let labelled = LABELLED
        .iter()
        .flat_map(|f| f.lines().skip(1))
        .flat_map(|row| {
            let cols: Vec<&str> = row.split('\t').collect();
            [(true, cols[1]), (false, cols[2]), (true, cols[3])]
                .map(|(coach, text)| (coach, text.to_owned()))
        })
        .filter(|(_, text)| !text.is_empty());
    examples.chain(labelled).collect()
}

/// A word-trigram chain: the words that follow each pair of words (`""` at
/// the start), `None` where an utterance ends.
struct Chain<'a> {
    next: std::collections::HashMap<(&'a str, &'a str), Vec<Option<&'a str>>>,
}

impl<'a> Chain<'a> {
    fn new(texts: impl Iterator<Item = &'a str>) -> Chain<'a> {
        let mut next: std::collections::HashMap<_, Vec<_>> = Default::default();
        for text in texts {
            let (mut a, mut b) = ("", "");
            for w in text.split(' ').filter(|w| !w.is_empty()) {
                next.entry((a, b)).or_default().push(Some(w));
                (a, b) = (b, w);
            }
            next.entry((a, b)).or_default().push(None);
        }
        Chain { next }
    }

    /// A new utterance, at most 80 words.
    fn utterance(&self, rng: &mut Rng, out: &mut String) {
        let (mut a, mut b) = ("", "");
        for _ in 0..80 {
            let options = &self.next[&(a, b)];
            let Some(w) = options[rng.below(options.len())] else {
                break;
            };
            if !b.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
            (a, b) = (b, w);
        }
    }
}

/// Writes the folder; returns its size in bytes.
fn generate(dir: &Path) -> usize {
    let utterances = utterances();
    let speech = |coach: bool| {
        Chain::new(
            utterances
                .iter()
                .filter(move |(c, _)| *c == coach)
                .map(|(_, t)| t.as_str()),
        )
    };
    let (coach_speech, client_speech) = (speech(true), speech(false));
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
        let mut is_coach = true;
        while s.len() < target {
            let who = if is_coach { coach } else { client };
            s.push_str(&format!(
                "[{:02}:{:02}:{:02}] {who}: ",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            ));
            let speech = if is_coach {
                &coach_speech
            } else {
                &client_speech
            };
            speech.utterance(&mut rng, &mut s);
            s.push('\n');
            secs += 3 + rng.below(20);
            // Mostly turn about, sometimes the same speaker again.
            is_coach = if rng.below(5) == 0 {
                is_coach
            } else {
                !is_coach
            };
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
    // To profile the same folder: COACHLINT_BENCH_KEEP=DIR copies it there.
    if let Some(keep) = std::env::var_os("COACHLINT_BENCH_KEEP") {
        copy_dir(dir.path(), Path::new(&keep));
    }
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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for e in std::fs::read_dir(from).expect("read the bench folder") {
        let e = e.expect("a bench folder entry");
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy a transcript");
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
