//! `coachlint report` over a folder of 1,000 generated sessions (the issue's
//! bar: under 10 s on 2 cores): reading, analysing, ordering and rendering the
//! HTML page with every session's details, as `coachlint report DIR -o r.html`.
//!
//! `cargo bench --bench report_folder`; `REPORT_BENCH_SESSIONS=N` changes the
//! folder's size.

use coachlint_report::{Format, LoadOptions, RenderOptions, Report, render};
use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A small deterministic generator (xorshift), so every run reads the same folder.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const OPEN: &[&str] = &[
    "What would you like to focus on today?",
    "What matters most to you about this?",
    "How will you know you have got there?",
    "What are you noticing as you say that?",
    "What else might be going on?",
    "What would be most useful to explore next?",
    "Tell me more about that.",
    "What do you make of that?",
    "What becomes possible if you let that go?",
    "What will you do, and by when?",
];
const CLOSED: &[&str] = &[
    "Did you talk to your manager?",
    "Is that the real issue?",
    "Are you ready to decide?",
];
const REFLECT: &[&str] = &[
    "So the deadline feels fixed, and the scope does not.",
    "It sounds like a lot is riding on this.",
    "You want the team to own it, not you.",
];
const ADVICE: &[&str] = &[
    "You should talk to your manager about it this week.",
    "If I were you I would say no to the extra project.",
    "Have you tried blocking time in your calendar?",
    "My advice is to start with the smallest step.",
    "When I was in your position I just pushed through.",
    "That's a bad idea, honestly.",
    "You always do this when a deadline gets close.",
];
const CLIENT: &[&str] = &[
    "I keep putting it off, and then it is Friday again.",
    "The team is waiting for me to decide, and I am not sure I want to.",
    "Honestly I think I am scared of getting it wrong in front of everyone.",
    "It matters because I said I would do it, and I care about keeping my word.",
    "Maybe. I had not thought about it that way before.",
    "I would like to leave today with one thing I can actually do on Monday.",
    "My manager thinks I am too cautious, and part of me agrees.",
    "I noticed that I relax when we talk about the people rather than the plan.",
];

/// One session: the coach grows over the series, so later sessions hold
/// less advice and more open questions, as a real month of work might.
fn session(i: usize, total: usize, rng: &mut Rng) -> String {
    let mut s = String::new();
    let day = i % 28 + 1;
    let month = i / 28 % 12 + 1;
    let year = 2020 + i / (28 * 12);
    let _ = writeln!(
        s,
        "---\ncoach: Robin Hale\nclient: Client {}\ndate: {year}-{month:02}-{day:02}\ntopic: session {}\n---\n",
        i % 7 + 1,
        i + 1
    );
    let advice_odds = 2 + 6 * (total - i) / total.max(1);
    let turns = 60 + rng.below(40);
    let mut t = 2.0;
    for k in 0..turns {
        let coach = k % 2 == 0;
        let line = if coach {
            match rng.below(20) {
                r if r < advice_odds => rng.pick(ADVICE).to_owned(),
                r if r < advice_odds + 3 => rng.pick(CLOSED).to_owned(),
                r if r < advice_odds + 6 => rng.pick(REFLECT).to_owned(),
                _ => rng.pick(OPEN).to_owned(),
            }
        } else {
            let n = 1 + rng.below(3);
            (0..n)
                .map(|_| rng.pick(CLIENT))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let secs = t as u64;
        let _ = writeln!(
            s,
            "[{:02}:{:02}:{:02}] {}: {line}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            if coach {
                "Robin Hale".to_owned()
            } else {
                format!("Client {}", i % 7 + 1)
            }
        );
        t += 3.0 + line.len() as f64 / 15.0;
    }
    s
}

fn folder(dir: &Path, n: usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        std::fs::write(
            dir.join(format!("{i:04}.transcript")),
            session(i, n, &mut rng),
        )
        .unwrap();
    }
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("REPORT_BENCH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    folder(dir.path(), n);
    let paths: Vec<PathBuf> = vec![dir.path().to_owned()];
    let options = LoadOptions::default();

    // Check the folder once: every session read, none skipped.
    let r = Report::load(&paths, &options).expect("default options");
    assert_eq!((r.sessions.len(), r.failures.len()), (n, 0));

    let mut g = c.benchmark_group("report_folder");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(40));
    g.bench_function(format!("{n} sessions to html"), |b| {
        b.iter(|| {
            let r = Report::load(&paths, &options).expect("default options");
            render(&r, Format::Html, &RenderOptions::default()).len()
        })
    });
    g.bench_function(format!("{n} sessions to markdown, summary only"), |b| {
        b.iter(|| {
            let r = Report::load(&paths, &options).expect("default options");
            let o = RenderOptions {
                summary_only: true,
                title: None,
            };
            render(&r, Format::Markdown, &o).len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
