//! Small hand-written cases per format: what real exports do that the samples
//! do not, and bad input.

#[path = "fixtures/format_support.rs"]
mod format_support;

use coachlint_core::formats::{detect, looks_like_transcript, parse};
use coachlint_core::transcript::DirectiveScope;
use coachlint_core::{Config, Format, Transcript, analyze};
use format_support::assert_pieces_exact;

/// Parses with detection, checks the pieces, and checks the format.
fn read(text: &str, format: Format) -> Transcript {
    assert_eq!(detect(text), format, "detected format");
    let t = parse(text, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.format, format);
    assert_pieces_exact(text, &t);
    t
}

fn turns(t: &Transcript) -> Vec<(&str, &str)> {
    t.turns
        .iter()
        .map(|x| (t.speaker(x).name.as_str(), x.text.as_str()))
        .collect()
}

fn crlf(s: &str) -> String {
    s.replace('\n', "\r\n")
}

const TEAMS: &str = "WEBVTT

NOTE Confidence: 0.9612343

NOTE
coachlint-disable-next-turn ADV001

a1b2c3d4-e5f6-4a5b-9c8d-0123456789ab/12-0
0:0:5.100 --> 0:0:8.250
<v Maya Chen>What would you like to focus on?</v>

a1b2c3d4-e5f6-4a5b-9c8d-0123456789ab/13-0
0:0:9.000 --> 0:0:12.500 align:start position:10%
<v Jordan Ellis>The team <c.yellow>thing</c>, again.</v>

a1b2c3d4-e5f6-4a5b-9c8d-0123456789ab/13-1
0:0:12.500 --> 0:0:14.000
<v Jordan Ellis>Note: they were loyal &amp; close.</v>

NOTE Confidence: 0.7

a1b2c3d4-e5f6-4a5b-9c8d-0123456789ab/14-0
0:1:2.000 --> 0:1:4.000
<v.loud Maya Chen>Being tested?
And what else?</v>
";

#[test]
fn teams_with_notes_guid_ids_and_short_stamps() {
    for text in [TEAMS.to_owned(), crlf(TEAMS)] {
        let t = read(&text, Format::TeamsVtt);
        assert_eq!(
            turns(&t),
            [
                ("Maya Chen", "What would you like to focus on?"),
                (
                    "Jordan Ellis",
                    "The team thing, again. Note: they were loyal &amp; close."
                ),
                ("Maya Chen", "Being tested? And what else?"),
            ]
        );
        assert_eq!(t.turns[0].start_time, Some(5.1));
        assert_eq!(t.turns[0].end_time, Some(8.25));
        assert_eq!(
            (t.turns[1].start_time, t.turns[1].end_time),
            (Some(9.0), Some(14.0))
        );
        assert_eq!(t.turns[2].start_time, Some(62.0));
        assert_eq!(&text[t.turns[1].label.clone().unwrap()], "Jordan Ellis");
        // Only the suppression comment is a directive, not the confidence notes.
        assert_eq!(t.directives.len(), 1);
        assert_eq!(t.directives[0].scope, DirectiveScope::NextTurn);
        assert_eq!(t.directives[0].selectors, ["ADV001"]);
    }
}

#[test]
fn teams_without_speakers_is_a_clear_error() {
    let text = "WEBVTT\n\na1b2c3d4-e5f6-4a5b-9c8d-0123456789ab/1-0\n00:00:01.000 --> 00:00:03.000\nWhat would you like to focus on?\n\na1b2c3d4-e5f6-4a5b-9c8d-0123456789ab/2-0\n00:00:04.000 --> 00:00:06.000\nThe team, again.\n";
    assert_eq!(detect(text), Format::TeamsVtt);
    let e = parse(text, None).unwrap_err();
    assert!(e.message.contains("Microsoft Teams"), "{e}");
    assert!(e.message.contains("<v Coach>"), "{e}");
    assert!(!looks_like_transcript(text));
}

#[test]
fn zoom_labels_tags_and_unlabelled_continuations() {
    let text = "WEBVTT\nKind: captions\nLanguage: en\n\n1\n00:00:01.000 --> 00:00:04.000\nMaya Chen: <i>What</i> would you\n\n2\n00:00:04.000 --> 00:00:06.000\nlike to focus on?\n\n3\n00:00:06.500 --> 00:00:09.000\nJordan Ellis: Here's the thing: it's hard.\n\n4\n00:00:09.000 --> 00:00:10.000\nHonestly: I don't know.\n";
    let t = read(text, Format::ZoomVtt);
    assert_eq!(
        turns(&t),
        [
            ("Maya Chen", "What would you like to focus on?"),
            (
                "Jordan Ellis",
                "Here's the thing: it's hard. Honestly: I don't know."
            ),
        ]
    );
    assert_eq!(t.turns[0].end_time, Some(6.0));
}

#[test]
fn vtt_suppression_comment_silences_the_next_turn() {
    let advice = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nCoach: What do you want to work on?\n\n2\n00:00:03.500 --> 00:00:05.000\nClient: My sleep.\n\n3\n00:00:05.500 --> 00:00:08.000\nCoach: You should try meditation.\n";
    let config = Config::default();
    let before = analyze(advice, &config).unwrap();
    let codes: Vec<&str> = before
        .findings
        .iter()
        .filter(|f| f.turn == Some(2))
        .map(|f| f.rule.code.as_str())
        .collect();
    assert!(!codes.is_empty(), "the advice is flagged");
    let silenced = advice.replace(
        "3\n00:00:05.500",
        &format!(
            "NOTE coachlint-disable-next-turn {}\n\n3\n00:00:05.500",
            codes[0]
        ),
    );
    let after = analyze(&silenced, &config).unwrap();
    assert_eq!(after.transcript.directives.len(), 1);
    assert!(after.suppressed >= 1);
    assert!(
        !after
            .findings
            .iter()
            .any(|f| f.turn == Some(2) && f.rule.code == codes[0])
    );
}

#[test]
fn suppression_comments_in_every_format() {
    // The advice is the third turn; the comment goes where an editor puts it:
    // on its own line before the turn (before the whole cue in cue formats).
    let cases = [
        "Coach: What do you want to work on?\nClient: My sleep.\n{C}Coach: You should try meditation.\n",
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nCoach: What do you want to work on?\n\n2\n00:00:03.500 --> 00:00:05.000\nClient: My sleep.\n\n{C}3\n00:00:05.500 --> 00:00:08.000\nCoach: You should try meditation.\n",
        "WEBVTT\n\nx/1-0\n00:00:01.000 --> 00:00:03.000\n<v Coach>What do you want to work on?</v>\n\nx/2-0\n00:00:03.500 --> 00:00:05.000\n<v Client>My sleep.</v>\n\n{C}x/3-0\n00:00:05.500 --> 00:00:08.000\n<v Coach>You should try meditation.</v>\n",
        "1\n00:00:01,000 --> 00:00:03,000\nCoach: What do you want to work on?\n\n2\n00:00:03,500 --> 00:00:05,000\nClient: My sleep.\n\n{C}3\n00:00:05,500 --> 00:00:08,000\nCoach: You should try meditation.\n",
        "Coach  0:01\nWhat do you want to work on?\n\nClient  0:03\nMy sleep.\n\n{C}Coach  0:05\nYou should try meditation.\n",
        "Coach (00:01):\nWhat do you want to work on?\n\nClient (00:03):\nMy sleep.\n\n{C}Coach (00:05):\nYou should try meditation.\n",
    ];
    let config = Config::default();
    for (case, format) in cases.iter().zip(Format::ALL) {
        let plain = case.replace("{C}", "");
        let before = analyze(&plain, &config).unwrap();
        assert_eq!(before.transcript.format, format);
        let code = before
            .findings
            .iter()
            .find(|f| f.turn == Some(2))
            .map(|f| f.rule.code.clone())
            .unwrap_or_else(|| panic!("{format}: the advice is flagged"));
        let comment = coachlint_core::suppress::next_turn_comment(format, &code);
        let silenced = case.replace("{C}", &comment);
        let after = analyze(&silenced, &config).unwrap();
        assert_eq!(after.transcript.format, format, "{silenced}");
        assert_eq!(after.transcript.directives.len(), 1, "{format}");
        assert_eq!(after.transcript.turns.len(), 3, "{format}");
        assert!(
            !after
                .findings
                .iter()
                .any(|f| f.turn == Some(2) && f.rule.code == code),
            "{format}: {code} still reported"
        );
        assert!(after.suppressed >= 1, "{format}");
    }
}

#[test]
fn srt_labels_on_the_first_cue_only() {
    let text = "1\n00:00:01,500 --> 00:00:05,200\nCoach: What would you like\n\n2\n00:00:05,200 --> 00:00:07,000\nto focus on?\n\n3\n00:00:07,500 --> 00:00:09,000\n- Client: <b>My team.</b>\n- Coach: Say more?\n";
    let t = read(text, Format::Srt);
    assert_eq!(
        turns(&t),
        [
            ("Coach", "What would you like to focus on?"),
            ("Client", "My team."),
            ("Coach", "Say more?"),
        ]
    );
    assert_eq!(
        (t.turns[0].start_time, t.turns[0].end_time),
        (Some(1.5), Some(7.0))
    );
}

#[test]
fn srt_without_labels_is_a_clear_error() {
    let text = "1\n00:00:01,500 --> 00:00:05,200\nWhat would you like to focus on?\n\n2\n00:00:05,700 --> 00:00:07,000\nMy team.\n";
    assert_eq!(detect(text), Format::Srt);
    let e = parse(text, None).unwrap_err();
    assert!(e.message.contains("SRT"), "{e}");
    assert!(e.message.contains("Coach:"), "{e}");
}

#[test]
fn otter_trailing_spaces_and_footer() {
    let text = "Maya Chen  0:02   \nWhat would you like to focus on?\n\nJordan Ellis  0:09 \nThe team thing.\nNote: they were loyal.\n\nMaya Chen  1:02:03\nSay more?\n\nTranscribed by https://otter.ai\n";
    for text in [text.to_owned(), crlf(text)] {
        let t = read(&text, Format::Otter);
        assert_eq!(
            turns(&t),
            [
                ("Maya Chen", "What would you like to focus on?"),
                ("Jordan Ellis", "The team thing. Note: they were loyal."),
                ("Maya Chen", "Say more?"),
            ]
        );
        assert_eq!(t.turns[2].start_time, Some(3723.0));
        assert_eq!(t.turns[1].end_time, Some(3723.0));
    }
}

#[test]
fn rev_with_hours_and_artefacts() {
    let text = "Coach (00:02):\nWhat would you like to focus on?\n\nClient (1:02:03):\nThe team [crosstalk 01:02:05] thing. (laughs) [inaudible 01:02:09]\n\nCoach (01:02:10):\nSay more?\n";
    let t = read(text, Format::Rev);
    assert_eq!(t.turns.len(), 3);
    assert_eq!(t.turns[1].start_time, Some(3723.0));
    assert_eq!(
        t.turns[1].text,
        "The team [crosstalk 01:02:05] thing. (laughs) [inaudible 01:02:09]"
    );
}

#[test]
fn native_markdown_stamps_continuations_and_crlf() {
    let text = "---\ncoach: Maya Chen\nclient: Jordan Ellis\n---\n\n# coachlint-disable-next-turn ADV001\n**Maya Chen:** What would you like\nto focus on today?\n[00:00:09] Jordan Ellis: The team thing.\nNote: they were loyal.\nHere's the thing: it's hard.\n00:00:20 **Maya Chen**: Say more?\n";
    for text in [text.to_owned(), crlf(text)] {
        let t = read(&text, Format::Transcript);
        assert_eq!(
            turns(&t),
            [
                ("Maya Chen", "What would you like to focus on today?"),
                (
                    "Jordan Ellis",
                    "The team thing. Note: they were loyal. Here's the thing: it's hard."
                ),
                ("Maya Chen", "Say more?"),
            ]
        );
        assert_eq!(t.front_matter.coach, ["Maya Chen"]);
        assert_eq!(t.directives.len(), 1);
        assert_eq!(
            (t.turns[1].start_time, t.turns[1].end_time),
            (Some(9.0), Some(20.0))
        );
        let fm = &text[t.front_matter.span.clone().unwrap()];
        assert!(fm.starts_with("---") && fm.trim_end().ends_with("---") && fm.ends_with('\n'));
    }
}

#[test]
fn plain_pasted_text_with_lowercase_labels() {
    let text =
        "coach: what's on your mind?\nme: work, mostly.\ncoach: what about work?\nme: the pace.\n";
    let t = read(text, Format::Transcript);
    assert_eq!(t.speakers.len(), 2);
    assert_eq!(t.turns.len(), 4);
    assert!(looks_like_transcript(text));
}

#[test]
fn prose_with_colons_is_not_a_transcript() {
    for text in [
        "Note: this is a memo.\nHere's the thing: we need budget.\nSummary: later.\n",
        "The meeting is at 10:30: bring notes.\nThanks.\n",
        "Dear team,\nPlease find attached the report.\nBest, Sam\n",
    ] {
        assert!(!looks_like_transcript(text), "{text}");
    }
}

#[test]
fn byte_order_mark_does_not_break_parsing() {
    for (text, format, turns, first) in [
        (
            "\u{feff}Coach: Hi?\nClient: Hello.\n".to_owned(),
            Format::Transcript,
            2,
            "Coach",
        ),
        (format!("\u{feff}{TEAMS}"), Format::TeamsVtt, 3, "Maya Chen"),
        (
            "\u{feff}1\n00:00:01,000 --> 00:00:02,000\nCoach: Hi?\n".to_owned(),
            Format::Srt,
            1,
            "Coach",
        ),
        (
            "\u{feff}Coach  0:01\nHi?\n".to_owned(),
            Format::Otter,
            1,
            "Coach",
        ),
    ] {
        let t = read(&text, format);
        assert_eq!(t.turns.len(), turns, "{text}");
        assert_eq!(t.speakers[0].name, first, "{text}");
    }
}

#[test]
fn bad_input_gives_errors_not_panics() {
    let huge = "x".repeat(2_000_000);
    let cases = [
        String::new(),
        "\n\n  \n".to_owned(),
        "00:00:01\n00:00:02\n".to_owned(),
        "WEBVTT\n".to_owned(),
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n".to_owned(),
        "1\n00:00:01,000 --> 00:00:02,000\n".to_owned(),
        "\u{0}\u{1}\u{2}<<<>>>&&&\u{7f}-->::".to_owned(),
        format!("Coach: {huge}"),
        format!("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>{huge}"),
        format!(
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{}",
            "<".repeat(100_000)
        ),
        huge.clone(),
        "---\ncoach: A\n".to_owned(),
    ];
    for text in &cases {
        for format in std::iter::once(None).chain(Format::ALL.map(Some)) {
            match parse(text, format) {
                Ok(t) => assert_pieces_exact(text, &t),
                Err(e) => assert!(!e.message.is_empty()),
            }
        }
    }
    let e = parse("", None).unwrap_err();
    assert!(e.message.contains("plain-text transcript"), "{e}");
    let e = parse("---\ncoach: A\n", None).unwrap_err();
    assert_eq!(e.line, Some(1));
}

#[test]
fn forced_format_that_does_not_fit_says_what_it_expected() {
    let text = "Coach: Hi?\nClient: Hello.\n";
    let e = parse(text, Some(Format::Srt)).unwrap_err();
    assert!(e.message.contains("no cues"), "{e}");
    let e = parse(text, Some(Format::Otter)).unwrap_err();
    assert!(e.message.contains("Otter"), "{e}");
    assert!(parse(text, Some(Format::Transcript)).is_ok());
}

#[test]
fn detection_of_headerless_vtt_and_ambiguous_text() {
    assert_eq!(
        detect("00:00:01.000 --> 00:00:02.000\n<v A>Hi</v>\n"),
        Format::TeamsVtt
    );
    assert_eq!(
        detect("00:00:01.000 --> 00:00:02.000\nA: Hi\n"),
        Format::Srt
    );
    assert_eq!(
        detect("  \n\nWEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nA: Hi\n"),
        Format::ZoomVtt
    );
    // Rev headings and a few inline labels in the speech.
    assert_eq!(
        detect("A (00:01):\nNote: x\nB (00:02):\nHi\nA (00:03):\nSo\n"),
        Format::Rev
    );
    assert_eq!(detect("Just some words."), Format::Transcript);
    // Labels stamped like Rev headings, but front matter says native.
    let text = "---\ncoach: A\n---\nA (00:01): Hi?\nB (00:02): Yes.\n";
    assert_eq!(detect(text), Format::Transcript);
    let t = parse(text, None).unwrap();
    assert_eq!(t.turns[1].start_time, Some(2.0));
    assert_eq!(t.front_matter.coach, ["A"]);
}
