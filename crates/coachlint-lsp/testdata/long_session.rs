//! A deterministic three-hour session (~180 KB) built from the sample turns, for
//! the latency and memory benchmarks. Shared by `#[path]` include.

const GOOD: &str = include_str!("good-coaching.transcript");
const ADVICE: &str = include_str!("advice-heavy.transcript");

/// `(speaker, text)` of every turn in a sample, front matter and stamps dropped.
fn turns(sample: &str, rename: &[(&str, &str)]) -> Vec<(String, String)> {
    let body = sample.splitn(3, "---\n").nth(2).unwrap_or(sample);
    body.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l
                .strip_prefix('[')
                .and_then(|r| r.split_once("] "))
                .map_or(l, |(_, r)| r);
            let (who, what) = l.split_once(": ")?;
            let who = rename
                .iter()
                .find(|(a, _)| *a == who)
                .map_or(who, |(_, b)| *b);
            Some((who.to_owned(), what.to_owned()))
        })
        .collect()
}

/// About `target_bytes` of transcript: the good session and the advice-heavy one
/// alternating (same two speakers), stamped as if spoken at 150 words a minute.
pub fn session(target_bytes: usize) -> String {
    let rename = [("Coach", "Maya Chen"), ("Client", "Jordan Ellis")];
    let mut pool = turns(GOOD, &[]);
    pool.extend(turns(ADVICE, &rename));
    let mut out = String::from(
        "---\ncoach: Maya Chen\nclient: Jordan Ellis\ndate: 2026-10-14\ntopic: a long session\n---\n\n",
    );
    let mut secs = 2.0f64;
    for (who, what) in pool.iter().cycle() {
        if out.len() >= target_bytes {
            break;
        }
        let s = secs as u64;
        out.push_str(&format!(
            "[{:02}:{:02}:{:02}] {who}: {what}\n",
            s / 3600,
            s / 60 % 60,
            s % 60
        ));
        secs += what.split_whitespace().count() as f64 / 2.5 + 1.0;
    }
    out
}

/// The three-hour session of the benchmark.
pub fn three_hours() -> String {
    session(180_000)
}
