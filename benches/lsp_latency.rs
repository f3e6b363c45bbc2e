//! `coachlint lsp` on a three-hour transcript (~180 KB), end to end over stdio:
//! the time from sending a `didChange` to reading the `publishDiagnostics` of
//! that version (debounce 0), and the server's memory with 20 such documents.
//! Also the engine alone on the same text, fresh and after a keystroke with the
//! turn cache (what the server runs), for comparison.
//!
//! Figures (p50/p90/p99, RSS) are printed to stderr as well as criterion's.

#[path = "../crates/coachlint-lsp/testdata/long_session.rs"]
mod long_session;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    version: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_coachlint"))
            .arg("lsp")
            .env("COACHLINT_LSP_DEBOUNCE_MS", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start coachlint lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut s = Server {
            child,
            stdin,
            stdout,
            version: 1,
        };
        s.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}, "initializationOptions": {"debounceMs": 0}}}));
        s.read_until(|b| b.starts_with(br#"{"jsonrpc":"2.0","result""#));
        s.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        s
    }

    fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Reads raw frames until one matches; no JSON parsing on the timed path.
    fn read_until(&mut self, pred: impl Fn(&[u8]) -> bool) -> Vec<u8> {
        loop {
            let mut len = 0;
            loop {
                let mut line = String::new();
                assert!(
                    self.stdout.read_line(&mut line).unwrap() > 0,
                    "server closed"
                );
                let line = line.trim();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            self.stdout.read_exact(&mut body).unwrap();
            if pred(&body) {
                return body;
            }
        }
    }

    /// Waits for the diagnostics of `version` (its number closes the params).
    fn wait_published(&mut self, version: i64) -> Vec<u8> {
        let tail = format!(r#""version":{version}}}}}"#);
        self.read_until(|b| {
            b.ends_with(tail.as_bytes())
                && b.windows(18).take(64).any(|w| w == b"publishDiagnostics")
        })
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "coaching-transcript",
                                        "version": 1, "text": text}}}));
        self.wait_published(1);
    }

    /// One keystroke at `at` (line, ASCII column): typing, then deleting, a
    /// letter, timed until its diagnostics are read.
    fn keystroke(&mut self, uri: &str, (line, col): (u32, u32)) -> Duration {
        self.version += 1;
        let typing = self.version % 2 == 0;
        let (end, text) = if typing { (col, "x") } else { (col + 1, "") };
        let t = Instant::now();
        self.send(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": self.version},
                       "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                                     "end": {"line": line, "character": end}},
                                           "text": text}]}}),
        );
        self.wait_published(self.version);
        t.elapsed()
    }

    /// (VmRSS, VmHWM, RssFile) in KiB: resident now, at the peak, and of
    /// that, the mapped binary.
    fn rss_kib(&self) -> (u64, u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"), field("RssFile:"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn percentiles(mut v: Vec<Duration>) -> String {
    v.sort();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!(
        "p50 {:.2?}  p90 {:.2?}  p99 {:.2?}  (n={})",
        at(0.5),
        at(0.9),
        at(0.99),
        v.len()
    )
}

/// A client turn in the middle of the session: its line, where its line
/// starts, and two columns to type at: in the speech (the common keystroke),
/// and in the timestamp before the name (which changes how the line parses).
struct Target {
    line: u32,
    line_start: usize,
    speech: u32,
    stamp: u32,
}

fn client_turn(text: &str) -> Target {
    const LABEL: &str = "] Jordan Ellis: ";
    let mid = text.len() / 2;
    // A turn of a sentence or more, so the keystroke lands inside its words.
    let label = text[mid..]
        .match_indices(LABEL)
        .map(|(i, _)| mid + i)
        .find(|&i| text[i + LABEL.len()..].find('\n').is_some_and(|n| n > 40))
        .unwrap();
    let line_start = text[..label].rfind('\n').map_or(0, |i| i + 1);
    Target {
        line: text[..label].matches('\n').count() as u32,
        line_start,
        speech: (label + LABEL.len() + 20 - line_start) as u32,
        stamp: (label - line_start) as u32,
    }
}

fn bench(c: &mut Criterion) {
    let text = long_session::three_hours();
    let target = client_turn(&text);
    eprintln!(
        "three-hour session: {} bytes, {} lines",
        text.len(),
        text.lines().count()
    );

    let config = coachlint_core::Config::default();
    let engine: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            let analysis = std::hint::black_box(coachlint_core::analyze(&text, &config).unwrap());
            // Freeing it is not part of the analysis (the server does it later).
            (t.elapsed(), analysis).0
        })
        .collect();
    eprintln!("engine analyze alone:            {}", percentiles(engine));
    let parse: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(coachlint_core::formats::parse(&text, None).unwrap());
            t.elapsed()
        })
        .collect();
    eprintln!("  of which parsing:              {}", percentiles(parse));
    // What the server runs on a keystroke: the turn cache keeps the untouched
    // turns, and a keystroke in speech is applied to the last parse.
    for (what, col) in [("speech", target.speech), ("timestamp", target.stamp)] {
        let at = target.line_start + col as usize;
        let edited = format!("{}x{}", &text[..at], &text[at..]);
        let mut cache = coachlint_core::TurnCache::default();
        let cached: Vec<Duration> = (0..60)
            .map(|i| {
                let version = if i % 2 == 0 { &edited } else { &text };
                let t = Instant::now();
                let analysis = std::hint::black_box(
                    coachlint_core::analyze_cached(version, &config, &mut cache).unwrap(),
                );
                (t.elapsed(), analysis).0
            })
            .skip(2)
            .collect();
        eprintln!(
            "engine after a keystroke in the {what} (cached): {}",
            percentiles(cached)
        );
    }

    let mut server = Server::start();
    let uri = "file:///coachlint-bench/three-hours.transcript";
    server.open(uri, &text);
    for (what, col) in [("speech", target.speech), ("timestamp", target.stamp)] {
        let samples: Vec<Duration> = (0..100)
            .map(|_| server.keystroke(uri, (target.line, col)))
            .collect();
        eprintln!(
            "didChange -> publishDiagnostics, keystroke in the {what}: {}",
            percentiles(samples)
        );
    }

    let mut g = c.benchmark_group("lsp");
    g.sample_size(30);
    g.bench_function("didChange-to-publishDiagnostics-3h-180KB", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| server.keystroke(uri, (target.line, target.speech)))
                .sum()
        })
    });
    g.finish();
    drop(server);

    // Memory: 20 three-hour documents open at once.
    let mut server = Server::start();
    let (idle, _, _) = server.rss_kib();
    let (one, _, _) = {
        server.open("file:///coachlint-bench/doc-0.transcript", &text);
        server.rss_kib()
    };
    for i in 1..20 {
        server.open(
            &format!("file:///coachlint-bench/doc-{i}.transcript"),
            &text,
        );
    }
    // The server returns freed memory once the editor pauses; read it then.
    std::thread::sleep(coachlint_lsp::analyst::IDLE_BEFORE_TRIM * 3);
    let (rss, peak, file) = server.rss_kib();
    eprintln!(
        "memory: idle {:.1} MB; 1 document {:.1} MB (the engine's rules, model and caches);",
        idle as f64 / 1024.0,
        one as f64 / 1024.0,
    );
    eprintln!(
        "        20 documents {:.1} MB RSS once idle (peak {:.1} MB; {:.1} MB of it the mapped binary)",
        rss as f64 / 1024.0,
        peak as f64 / 1024.0,
        file as f64 / 1024.0
    );
    for i in 0..20 {
        server.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didClose",
            "params": {"textDocument": {"uri": format!("file:///coachlint-bench/doc-{i}.transcript")}}}));
    }
    // Closing publishes empty diagnostics (no version); wait for the last one.
    let last = r#""uri":"file:///coachlint-bench/doc-19.transcript""#;
    server.read_until(|b| b.windows(last.len()).any(|w| w == last.as_bytes()));
    let (rss, _, _) = server.rss_kib();
    eprintln!(
        "memory: after closing them {:.1} MB RSS",
        rss as f64 / 1024.0
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
