//! The HTML report is well-formed (an XML parser reads it whole), self-contained
//! (nothing to fetch, nothing to run), accessible (every chart has a title and a
//! description), and shows hostile transcript text as text.

mod report_support;

use coachlint_core::Config;
use coachlint_report::{Format, RenderOptions, Report, Session, render};
use report_support::{Element, load, parse_xml};

fn check_page(page: &str) -> Element {
    let root = parse_xml(page).unwrap_or_else(|e| panic!("the HTML is not well-formed: {e}"));
    assert!(page.starts_with("<!DOCTYPE html>\n"));
    for e in root.descendants() {
        // Self-contained: no scripts, no external resources, only in-page links.
        assert!(
            !matches!(
                e.name.as_str(),
                "script" | "img" | "iframe" | "link" | "object" | "embed"
            ),
            "<{}> in the report",
            e.name
        );
        assert!(e.attr("src").is_none(), "src= on <{}>", e.name);
        if let Some(h) = e.attr("href") {
            assert!(h.starts_with('#'), "a link out of the page: {h}");
        }
        assert!(
            !e.attrs.iter().any(|(k, _)| k.starts_with("on")),
            "an event handler on <{}>",
            e.name
        );
        // Accessible charts: role, title and description, referenced by id.
        if e.name == "svg" && e.attr("class") == Some("chart") {
            assert_eq!(e.attr("role"), Some("img"));
            let title = e.children.iter().find(|c| c.name == "title");
            let desc = e.children.iter().find(|c| c.name == "desc");
            let (Some(title), Some(desc)) = (title, desc) else {
                panic!("chart {:?} without <title> and <desc>", e.attr("id"));
            };
            assert!(!title.all_text().trim().is_empty());
            assert!(desc.all_text().len() > 20, "{:?}", desc.all_text());
            let labelled = e.attr("aria-labelledby").unwrap_or_default();
            for id in labelled.split_whitespace() {
                assert!(
                    root.find_id(id).is_some(),
                    "aria-labelledby names a missing id {id}"
                );
            }
        }
        // Decorative swatches are hidden from screen readers.
        if e.name == "svg" && e.attr("class").is_none() {
            assert_eq!(e.attr("aria-hidden"), Some("true"));
        }
    }
    // Ids are unique.
    let mut ids: Vec<&str> = root
        .descendants()
        .into_iter()
        .filter_map(|e| e.attr("id"))
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids");
    root
}

#[test]
fn one_session_is_well_formed() {
    for name in ["good-coaching.transcript", "advice-heavy.transcript"] {
        let page = render(&load(&[name]), Format::Html, &RenderOptions::default());
        let root = check_page(&page);
        let charts = root
            .descendants()
            .into_iter()
            .filter(|e| e.name == "svg" && e.attr("class") == Some("chart"))
            .count();
        assert_eq!(charts, 4, "talk share, timeline, questions, modes");
    }
}

#[test]
fn series_is_well_formed_with_and_without_details() {
    let names = [
        "series/week-a.transcript",
        "series/week-b.transcript",
        "series/week-c.transcript",
        "series/zz-undated.transcript",
    ];
    for summary_only in [false, true] {
        let options = RenderOptions {
            summary_only,
            title: None,
        };
        let root = check_page(&render(&load(&names), Format::Html, &options));
        assert!(root.find_id("trends").is_some());
        assert!(root.find_id("trend-0").is_some());
        assert!(root.find_id("index").is_some());
        assert_eq!(root.find_id("s4").is_some(), !summary_only);
    }
}

/// Markup, entities, CDATA ends, comments and control characters in every
/// place a transcript's words reach the page: topic, date, file name, coach
/// turns quoted in findings.
const HOSTILE: &str = "---\ncoach: Eve\nclient: Mallory\ndate: <b>2026</b>\ntopic: <script>alert(\"topic\")</script> & <img src=x onerror=alert(1)>\n---\n\nEve: What brings you here?\nMallory: Work.\nEve: You should read <script>alert('x')</script> now\nMallory: Why?\nEve: You should try A & B, \"quoted\", 'single', ]]> <!-- not a comment --> &amp; &nbsp; \u{1}\u{7f}\u{85} today\nMallory: Hm.\nEve: You should <a href=\"http://example.invalid/\">click</a> here\nMallory: OK.\n";

#[test]
fn hostile_text_is_shown_as_text() {
    let s = Session::new(
        "hostile<x>.transcript",
        HOSTILE.to_owned(),
        &Config::default(),
    )
    .expect("parses");
    let r = Report::new(vec![s], Vec::new());
    let page = render(&r, Format::Html, &RenderOptions::default());
    let root = check_page(&page);
    let text = root.all_text();
    // What the transcript says is on the page, as words.
    assert!(text.contains("<script>alert('x')</script>"), "{text}");
    assert!(text.contains("<script>alert(\"topic\")</script> & <img src=x onerror=alert(1)>"));
    assert!(text.contains("A & B, \"quoted\", 'single', ]]> <!-- not a comment --> &amp; &nbsp;"));
    assert!(text.contains("<a href=\"http://example.invalid/\">click</a>"));
    assert!(text.contains("hostile<x>.transcript"));
    // Control characters XML forbids are replaced, not copied.
    assert!(!page.contains('\u{1}') && !page.contains('\u{7f}') && !page.contains('\u{85}'));
    assert!(text.contains('\u{FFFD}'));
}

#[test]
fn hostile_text_stays_text_in_markdown() {
    let s = Session::new("hostile.transcript", HOSTILE.to_owned(), &Config::default()).unwrap();
    let r = Report::new(vec![s], Vec::new());
    let md = render(&r, Format::Markdown, &RenderOptions::default());
    // Every `<` and `&` from the transcript is backslash-escaped: none can open a tag.
    for (i, c) in md.char_indices() {
        if c == '<' || c == '&' {
            assert!(md[..i].ends_with('\\'), "raw {c} at byte {i}");
        }
    }
    assert!(md.contains("\\<script\\>alert"), "{md}");
    // Every table row keeps its columns: no unescaped `|` from the transcript.
    let pipes = |l: &str| l.matches('|').count() - l.matches("\\|").count();
    let mut header: Option<usize> = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let n = pipes(line);
        assert_eq!(n, *header.get_or_insert(n), "{line}");
    }
}

#[test]
fn json_escapes_by_construction() {
    let s = Session::new("hostile.transcript", HOSTILE.to_owned(), &Config::default()).unwrap();
    let r = Report::new(vec![s], Vec::new());
    let v: serde_json::Value =
        serde_json::from_str(&render(&r, Format::Json, &RenderOptions::default())).unwrap();
    assert_eq!(
        v["report"]["sessions"][0]["topic"],
        "<script>alert(\"topic\")</script> & <img src=x onerror=alert(1)>"
    );
}

/// Sessions at the edges: one speaker, one turn, no timestamps, timestamps out
/// of order, a monologue, non-Latin names. Every form renders, and the HTML is
/// well-formed.
#[test]
fn odd_sessions_render() {
    let long = "and then we talked about it again ".repeat(60);
    let odd = [
        "Alex: Just me, thinking aloud.\nAlex: Still me.\n".to_owned(),
        "Coach: What would you like to talk about?\n".to_owned(),
        "Client: Hello.\nCoach: Hi.\n".to_owned(),
        "[00:05:00] Coach: What now?\n[00:01:00] Client: Earlier, somehow.\n[00:03:00] Coach: And then?\n".to_owned(),
        format!("Coach: {long}\nClient: OK.\nCoach: You should rest.\n"),
        "---\ncoach: 王芳\ndate: 2026-02-30\n---\n王芳: 你今天想谈什么？ What matters most?\nÉlodie: Mon équipe.\n王芳: Tell me more.\n".to_owned(),
    ];
    let sessions: Vec<Session> = odd
        .iter()
        .enumerate()
        .map(|(i, t)| {
            Session::new(format!("odd-{i}.transcript"), t.clone(), &Config::default())
                .unwrap_or_else(|e| panic!("odd-{i}: {e}"))
        })
        .collect();
    let r = Report::new(sessions, Vec::new());
    for summary_only in [false, true] {
        let options = RenderOptions {
            summary_only,
            title: None,
        };
        check_page(&render(&r, Format::Html, &options));
        assert!(render(&r, Format::Markdown, &options).starts_with("# "));
        let json = render(&r, Format::Json, &options);
        serde_json::from_str::<serde_json::Value>(&json).expect("valid JSON");
    }
    // One at a time too: a single session is laid out differently.
    for s in r.sessions {
        let one = Report::new(vec![s], Vec::new());
        check_page(&render(&one, Format::Html, &RenderOptions::default()));
    }
}
