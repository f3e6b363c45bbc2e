use coachlint_core::{Config, TurnCache, analyze, analyze_cached};
use std::hint::black_box;
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
    let mut secs = 0;
    let mut i = 0;
    while out.len() < bytes {
        let t = turns[i % turns.len()];
        out.push_str(&format!(
            "[{:02}:{:02}:{:02}] {t}\n",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        ));
        secs += 7;
        i += 1;
    }
    out
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().unwrap())
        .unwrap_or(3);
    let config = Config::default();
    let text = session(60_000);
    if std::env::var("CACHED").is_ok() {
        let mut cache = TurnCache::default();
        for _ in 0..n {
            black_box(analyze_cached(black_box(&text), &config, &mut cache).unwrap());
        }
    } else {
        for _ in 0..n {
            black_box(analyze(black_box(&text), &config).unwrap());
        }
    }
}
