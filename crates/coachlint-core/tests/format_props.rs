//! Whatever the text and whatever format it is read as, parsing never panics
//! and every piece maps to identical source bytes.

#[path = "fixtures/format_support.rs"]
mod format_support;

use coachlint_core::Format;
use coachlint_core::formats::parse;
use format_support::{assert_pieces_exact, sample};
use proptest::prelude::*;

const SAMPLES: [&str; 12] = [
    "good-coaching.transcript",
    "good-coaching.zoom.vtt",
    "good-coaching.teams.vtt",
    "good-coaching.srt",
    "good-coaching.otter.txt",
    "good-coaching.rev.txt",
    "advice-heavy.transcript",
    "advice-heavy.zoom.vtt",
    "advice-heavy.teams.vtt",
    "advice-heavy.srt",
    "advice-heavy.otter.txt",
    "advice-heavy.rev.txt",
];

/// Reads `text` detected and as every format.
fn check_all(text: &str) {
    for format in std::iter::once(None).chain(Format::ALL.map(Some)) {
        if let Ok(t) = parse(text, format) {
            assert_pieces_exact(text, &t);
        }
    }
}

/// Characters the formats care about, so that random text hits the parsers'
/// branches and not only the "no speakers" path.
fn structural() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("WEBVTT\n".to_owned()),
        Just("NOTE ".to_owned()),
        Just("# coachlint-disable-next-turn ADV001\n".to_owned()),
        Just("00:00:01.000 --> 00:00:02.000\n".to_owned()),
        Just("0:0:5,1 --> 0:0:8\n".to_owned()),
        Just("<v Maya Chen>".to_owned()),
        Just("</v>".to_owned()),
        Just("<i>".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("&nbsp;".to_owned()),
        Just("Coach: ".to_owned()),
        Just("**Client:** ".to_owned()),
        Just("[00:01:02] ".to_owned()),
        Just("Maya Chen  0:02  \n".to_owned()),
        Just("Jordan (00:01:02):\n".to_owned()),
        Just("---\n".to_owned()),
        Just("Transcribed by https://otter.ai".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("é".to_owned()),
        Just("日本".to_owned()),
        Just(" ".to_owned()),
        Just("- ".to_owned()),
        "[a-zA-Z?.,:' ]{0,12}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// A sample with a few random edits at char boundaries.
fn mutated() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0usize..4,
        any::<String>(),
        0usize..40,
    );
    (
        prop::sample::select(SAMPLES.to_vec()),
        prop::collection::vec(edit, 1..6),
    )
        .prop_map(|(name, edits)| {
            let mut text = sample(name);
            for (at, kind, insert, len) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                let mut j = (i + len).min(text.len());
                while !text.is_char_boundary(j) {
                    j -= 1;
                }
                match kind {
                    0 => text.insert_str(i, &insert),
                    1 => text.replace_range(i..j, ""),
                    2 => text.replace_range(i..j, &insert),
                    _ => text.insert(i, ['\n', '\r', '<', ':'][len % 4]),
                }
            }
            text
        })
}

// 256 cases each by default; PROPTEST_CASES=… runs more.
proptest! {
    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check_all(&text);
    }

    #[test]
    fn structural_strings(text in structural()) {
        check_all(&text);
    }

    #[test]
    fn mutated_samples(text in mutated()) {
        check_all(&text);
    }
}

#[test]
fn every_sample_with_crlf_and_bom() {
    for name in SAMPLES {
        let text = sample(name);
        let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let a = parse(&text, None).unwrap();
        let b = parse(&crlf, None).unwrap();
        assert_pieces_exact(&crlf, &b);
        assert_eq!(a.format, b.format, "{name}");
        let texts = |t: &coachlint_core::Transcript| {
            t.turns.iter().map(|x| x.text.clone()).collect::<Vec<_>>()
        };
        assert_eq!(texts(&a), texts(&b), "{name}");
    }
}
