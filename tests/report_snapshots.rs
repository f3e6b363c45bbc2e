//! Snapshots of `coachlint report`: the Markdown as a whole, the HTML as an
//! outline of its structure, and the JSON's shape. Review changes with
//! `cargo insta review`.

mod report_support;

use coachlint_report::{Format, Order, RenderOptions, render};
use report_support::{fixture, load, outline, parse_xml};

const SERIES: [&str; 4] = [
    "series/week-a.transcript",
    "series/week-b.transcript",
    "series/week-c.transcript",
    "series/zz-undated.transcript",
];

fn md(names: &[&str], options: &RenderOptions) -> String {
    render(&load(names), Format::Markdown, options)
}

fn html_outline(names: &[&str], options: &RenderOptions) -> String {
    let page = render(&load(names), Format::Html, options);
    outline(&parse_xml(&page).unwrap_or_else(|e| panic!("not well-formed: {e}")))
}

#[test]
fn markdown_good_session() {
    insta::assert_snapshot!(md(&["good-coaching.transcript"], &RenderOptions::default()));
}

#[test]
fn markdown_advice_heavy_session() {
    insta::assert_snapshot!(md(&["advice-heavy.transcript"], &RenderOptions::default()));
}

#[test]
fn markdown_series() {
    insta::assert_snapshot!(md(&SERIES, &RenderOptions::default()));
}

#[test]
fn markdown_series_summary_only() {
    let options = RenderOptions {
        summary_only: true,
        title: Some("Lee's sessions with Sam".into()),
    };
    insta::assert_snapshot!(md(&SERIES, &options));
}

#[test]
fn html_structure_one_session() {
    insta::assert_snapshot!(html_outline(
        &["advice-heavy.transcript"],
        &RenderOptions::default()
    ));
}

#[test]
fn html_structure_series_summary_only() {
    let options = RenderOptions {
        summary_only: true,
        title: None,
    };
    insta::assert_snapshot!(html_outline(&SERIES, &options));
}

#[test]
fn series_is_ordered_by_date_then_file_name() {
    let r = load(&SERIES);
    let titles: Vec<&str> = r
        .sessions
        .iter()
        .map(|s| s.summary.title.as_str())
        .collect();
    // 2026-10-07, 21 October 2026, 2026-11-04, then the one without a date.
    assert_eq!(
        titles,
        [
            "the launch plan",
            "trusting the team",
            "delegating the launch",
            "zz-undated"
        ]
    );
    assert_eq!(r.order, Order::DateThenFileName);
    let dated = load(&SERIES[..3]);
    assert_eq!(dated.order, Order::Date);
}

#[test]
fn series_shows_the_coach_growing() {
    // The fixture's coach moves from advice to questions: the trend must show it.
    let r = load(&SERIES[..3]);
    let s: Vec<_> = r.sessions.iter().map(|s| &s.summary).collect();
    assert!(
        s[0].advice_per_100_turns > s[2].advice_per_100_turns,
        "{s:#?}"
    );
    assert!(s[0].coach_talk_share > s[2].coach_talk_share);
    assert!(s[2].question_ratio.unwrap_or(f64::INFINITY) > s[0].question_ratio.unwrap_or(0.0));
}

#[test]
fn json_is_the_check_contract_plus_the_report() {
    let r = load(&SERIES);
    let v: serde_json::Value =
        serde_json::from_str(&render(&r, Format::Json, &RenderOptions::default()))
            .expect("valid JSON");
    assert_eq!(v["version"], 1);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    // The check contract, file by file, in report order.
    assert_eq!(
        files[0]["path"],
        fixture("series/week-b.transcript").display().to_string()
    );
    for f in files {
        for key in [
            "format",
            "coach",
            "speakers",
            "metrics",
            "turns",
            "diagnostics",
        ] {
            assert!(f.get(key).is_some(), "files[].{key} missing");
        }
    }
    let rep = &v["report"];
    assert_eq!(rep["order"], "date-then-file-name");
    let sessions = rep["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 4);
    assert_eq!(sessions[1]["sort_date"], "2026-10-21");
    assert_eq!(sessions[1]["date"], "21 October 2026");
    assert_eq!(sessions[0]["markers"].as_array().unwrap().len(), 23);
    assert_eq!(
        sessions[0]["miti"]["advice_without_permission"],
        r.sessions[0].summary.miti.advice_without_permission
    );
    assert_eq!(rep["overall"]["sessions"], 4);
    assert_eq!(rep["overall"]["first_date"], "2026-10-07");
    assert_eq!(rep["overall"]["last_date"], "2026-11-04");
    assert_eq!(rep["skipped"].as_array().unwrap().len(), 0);
}
