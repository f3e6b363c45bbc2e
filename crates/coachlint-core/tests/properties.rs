//! Whatever the input, the engine does not panic, and every range it reports
//! lies inside the text on character boundaries.

use coachlint_core::{Analysis, Config, TurnCache, analyze, analyze_cached};
use proptest::prelude::*;

fn check_ranges(text: &str, a: &Analysis) {
    let ok = |r: &std::ops::Range<usize>| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for turn in &a.transcript.turns {
        for p in &turn.pieces {
            assert!(ok(&p.source), "piece {:?}", p.source);
            assert_eq!(
                &text[p.source.clone()],
                &turn.text[p.text_start..p.text_start + p.source.len()]
            );
        }
        if let Some(l) = &turn.label {
            assert!(ok(l));
        }
    }
    for s in &a.sentences {
        let t = &a.transcript.turns[s.turn].text;
        assert!(
            s.span.end <= t.len()
                && t.is_char_boundary(s.span.start)
                && t.is_char_boundary(s.span.end)
        );
    }
    for f in &a.findings {
        assert!(ok(&f.span), "{} {:?}", f.rule.code, f.span);
        if let Some(focus) = &f.focus {
            assert!(
                ok(focus) && f.span.start <= focus.start && focus.end <= f.span.end,
                "{} focus {focus:?} outside {:?}",
                f.rule.code,
                f.span
            );
        }
        for e in f
            .rephrasings
            .iter()
            .flat_map(|r| r.edits())
            .chain(f.fixes.iter().flat_map(|x| x.edits.clone()))
        {
            assert!(ok(&e.span), "{} edit {:?}", f.rule.code, e.span);
        }
    }
}

/// Everything an analysis says, in a form two analyses can be compared in.
fn summary(a: &Analysis) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        a.findings, a.sentences, a.turns, a.metrics, a.markers, a.suppressed
    )
}

/// Lines that look like transcripts, with the noise real exports have.
fn line() -> impl Strategy<Value = String> {
    let speaker = prop_oneof![
        Just("Coach"),
        Just("Client"),
        Just("Maya Chen"),
        Just("Jörg"),
        Just("**Coach**"),
        Just("李")
    ];
    let words = prop_oneof![
        Just("You should talk to your manager.".to_owned()),
        Just("Why did you do that?".to_owned()),
        Just("what would you like".to_owned()),
        Just("Have you tried meditation?".to_owned()),
        Just("If I were you I'd quit my job.".to_owned()),
        Just("[crosstalk]".to_owned()),
        Just("um, you know, so".to_owned()),
        Just("Is it fear? Is it your boss?".to_owned()),
        Just("🙂 café — naïve".to_owned()),
        Just("You always do this!!!".to_owned()),
        Just("\"you should\" they said".to_owned()),
        Just("# coachlint-disable-next-turn ADV001".to_owned()),
        "[\\PC]{0,20}".prop_map(|s| s),
        // Advice around letters whose lower case is longer or shorter (the
        // Kelvin sign, dotted capital I, capital sharp s, A with stroke):
        // offsets read from a lower-cased copy would land elsewhere.
        "(You should |Don't |Look, |You're always |If I were you, I'd |My advice is to |Next time, )[a-z\u{212A}\u{130}\u{1E9E}\u{23A} ]{0,24}( and then| because| which| you'll| than| if)? go\\.",
    ];
    let stamp = prop_oneof![Just(""), Just("[00:01:02] "), Just("00:00:05 ")];
    (
        stamp,
        speaker,
        prop::collection::vec(words, 0..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(st, sp, ws, labelled, crlf)| {
            let body = ws.join(" ");
            let nl = if crlf { "\r\n" } else { "\n" };
            if labelled {
                format!("{st}{sp}: {body}{nl}")
            } else {
                format!("{body}{nl}")
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn transcript_like_input_never_panics(lines in prop::collection::vec(line(), 0..30), front in any::<bool>()) {
        let mut text = if front { "---\ncoach: Coach\n---\n".to_owned() } else { String::new() };
        text.extend(lines);
        if let Ok(a) = analyze(&text, &Config::default()) {
            check_ranges(&text, &a);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        if let Ok(a) = analyze(&text, &Config::default()) {
            check_ranges(&text, &a);
        }
    }

    /// An editor analyses each version of a document with the same cache: every
    /// version must come out exactly as a fresh analysis of its text.
    #[test]
    fn cached_analysis_of_each_version_equals_a_fresh_one(
        first in prop::collection::vec(line(), 1..20),
        edits in prop::collection::vec((any::<prop::sample::Index>(), line(), 0..3u8), 1..8),
        front in any::<bool>(),
    ) {
        let config = Config::default();
        let mut cache = TurnCache::default();
        let mut lines = first;
        for (at, new, op) in edits {
            let i = at.index(lines.len() + 1);
            match op {
                0 if i < lines.len() => lines[i] = new,
                1 if i < lines.len() => { lines.remove(i); }
                _ => lines.insert(i.min(lines.len()), new),
            }
            let mut text = if front { "---\ncoach: Coach\n---\n".to_owned() } else { String::new() };
            text.extend(lines.iter().cloned());
            let fresh = analyze(&text, &config);
            let cached = analyze_cached(&text, &config, &mut cache);
            match (fresh, cached) {
                (Ok(f), Ok(c)) => prop_assert_eq!(summary(&f), summary(&c)),
                (Err(f), Err(c)) => prop_assert_eq!(f.to_string(), c.to_string()),
                (f, c) => prop_assert!(false, "fresh {:?} but cached {:?}", f.is_ok(), c.is_ok()),
            }
        }
    }

    /// The same for keystrokes: characters typed or deleted anywhere, which
    /// the cache mostly applies to the last transcript instead of parsing.
    #[test]
    fn cached_analysis_after_each_keystroke_equals_a_fresh_one(
        first in prop::collection::vec(line(), 2..20),
        keys in prop::collection::vec((any::<prop::sample::Index>(), 0..3usize, "[a-z🙂 :*#\\[\\]0-9?\n]{0,2}"), 1..10),
        front in any::<bool>(),
    ) {
        let config = Config::default();
        let mut cache = TurnCache::default();
        let mut text = if front { "---\ncoach: Coach\n---\n".to_owned() } else { String::new() };
        text.extend(first);
        for (at, len, with) in keys {
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + len).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, &with);
            let fresh = analyze(&text, &config);
            let cached = analyze_cached(&text, &config, &mut cache);
            match (fresh, cached) {
                (Ok(f), Ok(c)) => {
                    prop_assert_eq!(&f.transcript, &c.transcript);
                    prop_assert_eq!(summary(&f), summary(&c));
                }
                (Err(f), Err(c)) => prop_assert_eq!(f.to_string(), c.to_string()),
                (f, c) => prop_assert!(false, "fresh {:?} but cached {:?}", f.is_ok(), c.is_ok()),
            }
        }
    }
}
