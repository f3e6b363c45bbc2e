//! The six formats of the two sample sessions read as the same conversation,
//! with the same findings; detection; piece ranges map to identical bytes.

#[path = "fixtures/format_support.rs"]
mod format_support;

use coachlint_core::formats::{self, detect, looks_like_transcript};
use coachlint_core::{Config, Format, Settings, Transcript, analyze};
use format_support::{assert_pieces_exact, sample};

const SESSIONS: [(&str, &str); 2] = [("good-coaching", "Maya Chen"), ("advice-heavy", "Coach")];

fn files(session: &str) -> Vec<(Format, &'static str, String)> {
    [
        (Format::Transcript, "transcript"),
        (Format::ZoomVtt, "zoom.vtt"),
        (Format::TeamsVtt, "teams.vtt"),
        (Format::Srt, "srt"),
        (Format::Otter, "otter.txt"),
        (Format::Rev, "rev.txt"),
    ]
    .into_iter()
    .map(|(f, ext)| (f, ext, sample(&format!("{session}.{ext}"))))
    .collect()
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn turns(t: &Transcript) -> Vec<(String, String)> {
    t.turns
        .iter()
        .map(|x| (t.speaker(x).name.clone(), words(&x.text)))
        .collect()
}

#[test]
fn detection_picks_each_sample_format() {
    for (session, _) in SESSIONS {
        for (format, ext, text) in files(session) {
            assert_eq!(detect(&text), format, "{session}.{ext}");
        }
    }
}

#[test]
fn every_format_reads_the_same_conversation() {
    for (session, _) in SESSIONS {
        let all = files(session);
        let native = formats::parse(&all[0].2, None).unwrap();
        assert!(native.turns.len() > 20, "{session}: {}", native.turns.len());
        let speakers: Vec<_> = native.speakers.iter().map(|s| s.name.clone()).collect();
        for (format, ext, text) in &all {
            let t = formats::parse(text, None).unwrap();
            assert_eq!(t.format, *format, "{session}.{ext}");
            assert_pieces_exact(text, &t);
            let names: Vec<_> = t.speakers.iter().map(|s| s.name.clone()).collect();
            assert_eq!(names, speakers, "{session}.{ext}: speakers");
            assert_eq!(turns(&t), turns(&native), "{session}.{ext}: turns");
            // Every format here has times: the first turn starts at 2 s and
            // each turn starts no earlier than the one before.
            assert_eq!(t.turns[0].start_time, Some(2.0), "{session}.{ext}");
            for w in t.turns.windows(2) {
                assert!(w[0].start_time <= w[1].start_time, "{session}.{ext}");
                assert!(w[0].end_time.is_some(), "{session}.{ext}: end time");
            }
        }
    }
}

#[test]
fn every_format_gets_the_same_findings_per_turn() {
    for (session, coach) in SESSIONS {
        let config = Config::default()
            .layered(Settings {
                coach: vec![coach.to_owned()],
                ..Settings::default()
            })
            .unwrap();
        let mut expected = None;
        for (_, ext, text) in files(session) {
            let a = analyze(&text, &config).unwrap();
            let mut codes: Vec<(Option<usize>, String)> = a
                .findings
                .iter()
                .map(|f| (f.turn, f.rule.code.clone()))
                .collect();
            codes.sort();
            // Every finding points at words of its own turn.
            for f in &a.findings {
                if let Some(turn) = f.turn {
                    let t = &a.transcript.turns[turn];
                    let inside =
                        t.pieces.iter().any(|p| {
                            p.source.start <= f.span.start && f.span.start <= p.source.end
                        }) || t.label.as_ref().is_some_and(|l| l.start == f.span.start);
                    assert!(inside, "{session}.{ext}: {} at {:?}", f.rule.code, f.span);
                }
            }
            // What the engine learned per turn: words, questions, mode.
            let per_turn = serde_json::to_string(&a.turns).unwrap();
            match &expected {
                None => expected = Some((codes, per_turn)),
                Some((c, p)) => {
                    assert_eq!(&codes, c, "{session}.{ext}");
                    assert_eq!(&per_turn, p, "{session}.{ext}");
                }
            }
        }
    }
}

#[test]
fn advice_heavy_session_is_flagged_in_every_format() {
    // Default configuration: the coach is found by name ("Coach").
    let config = Config::default();
    for (_, ext, text) in files("advice-heavy") {
        let a = analyze(&text, &config).unwrap();
        assert!(
            a.findings.iter().any(|f| f.rule.code.starts_with("ADV")),
            "advice-heavy.{ext}"
        );
        assert!(looks_like_transcript(&text), "advice-heavy.{ext}");
    }
}
