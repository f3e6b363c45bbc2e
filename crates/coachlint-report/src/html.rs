//! The HTML report: one self-contained page (inline CSS and SVG, no script, no
//! network), readable offline and printable. The markup is also well-formed
//! XML (void elements closed, every attribute quoted, every entity numeric), so
//! an XML parser can check it.

use crate::charts::{self, Trend};
use crate::escape::{count, duration, fixed, html, percent, push_html, truncate};
use crate::excerpt;
use crate::summary::{GREEN_ZONE, MITI_RQ_FAIR, MITI_RQ_GOOD, Overall, RqLevel, Summary};
use crate::{Failure, RenderOptions, Report, Session};
use coachlint_core::analysis::{CoachSource, Mode};
use coachlint_core::{Category, Finding, Severity};
use rayon::prelude::*;
use std::fmt::Write;

const STYLE: &str = include_str!("style.css");

/// Up to this many rephrasings are shown for a finding.
const REPHRASINGS: usize = 3;
/// Up to this many evidence lines are listed for a marker.
const MARKER_LINES: usize = 10;

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let title = crate::title(report, options);
    let mut out = String::with_capacity(64 * 1024 * report.sessions.len().max(1));
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    // Nothing on the page may load or run anything, even if a transcript tried.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"/>\n");
    let _ = writeln!(
        out,
        "<meta name=\"generator\" content=\"coachlint {}\"/>\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<div class=\"page\">",
        env!("CARGO_PKG_VERSION"),
        html(&title)
    );
    head(&mut out, report, &title);
    out.push_str("<main>\n");
    if !report.failures.is_empty() {
        failures(&mut out, &report.failures);
    }
    let details = !(report.is_series() && options.summary_only);
    if report.is_series() {
        overview(&mut out, report);
        trends(&mut out, report);
        index(&mut out, report, details);
    }
    if details {
        let total = report.sessions.len();
        let parts: Vec<String> = report
            .sessions
            .par_iter()
            .enumerate()
            .map(|(i, s)| session(s, i + 1, total))
            .collect();
        for p in parts {
            out.push_str(&p);
        }
    }
    if report.sessions.is_empty() {
        out.push_str("<section class=\"card\"><p>No transcript could be read, so there is nothing to report.</p></section>\n");
    }
    out.push_str("</main>\n");
    let _ = writeln!(
        out,
        "<footer class=\"report-foot\"><p>Made by coachlint {} from the transcripts alone, on this computer: nothing was sent anywhere. The figures and the marker evidence are for a person to judge; they are not a grade.</p></footer>\n</div>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn head(out: &mut String, report: &Report, title: &str) {
    let mut lede = String::new();
    match report.sessions.as_slice() {
        [] => lede.push_str("No sessions."),
        [s] => {
            let sum = &s.summary;
            lede.push_str(&people(sum));
            if let Some(d) = &sum.date {
                let _ = write!(lede, " · {d}");
            }
        }
        many => {
            let _ = write!(lede, "{} sessions", many.len());
            if let Some(range) = date_range(report) {
                let _ = write!(lede, " · {range}");
            }
            let _ = write!(lede, " · ordered {}", report.order.describe());
        }
    }
    let _ = writeln!(
        out,
        "<header class=\"report-head\">\n<p class=\"kicker\">coachlint report</p>\n<h1>{}</h1>\n<p class=\"lede\">{}</p>\n</header>",
        html(title),
        html(&lede)
    );
}

/// "Maya Chen coaching Jordan Ellis".
fn people(s: &Summary) -> String {
    match (s.coach.is_empty(), s.clients.is_empty()) {
        (false, false) => format!("{} coaching {}", s.coach.join(", "), s.clients.join(", ")),
        (false, true) => format!("Coach: {}", s.coach.join(", ")),
        (true, _) => s.clients.join(", "),
    }
}

fn date_range(report: &Report) -> Option<String> {
    Overall::new(report.sessions.iter().map(|s| &s.summary)).date_range()
}

fn failures(out: &mut String, failures: &[Failure]) {
    let _ = writeln!(
        out,
        "<section class=\"card skipped\" id=\"skipped\" aria-labelledby=\"skipped-h\">\n<h2 id=\"skipped-h\">Files not included ({})</h2>\n<p class=\"muted\">These could not be read as transcripts; the rest of the report does not include them.</p>\n<ul>",
        failures.len()
    );
    for f in failures {
        let _ = writeln!(out, "<li>{}</li>", html(&f.message));
    }
    out.push_str("</ul>\n</section>\n");
}

/// A figure with a label, a note and a status shown by its border and words.
struct Tile {
    value: String,
    label: &'static str,
    note: String,
    status: &'static str,
}

fn tiles(out: &mut String, tiles: &[Tile]) {
    out.push_str("<div class=\"tiles\">\n");
    for t in tiles {
        let _ = writeln!(
            out,
            "<div class=\"{}\"><div class=\"value\">{}</div><div class=\"label\">{}</div><div class=\"note\">{}</div></div>",
            if t.status.is_empty() {
                "tile".to_owned()
            } else {
                format!("tile {}", t.status)
            },
            html(&t.value),
            html(t.label),
            html(&t.note)
        );
    }
    out.push_str("</div>\n");
}

fn talk_status(share: f64) -> (&'static str, String) {
    let zone = format!(
        "{}–{} green zone",
        fixed(GREEN_ZONE.0 * 100.0, 0),
        percent(GREEN_ZONE.1)
    );
    if crate::summary::in_green_zone(share) {
        ("ok", format!("in the {zone}"))
    } else if share < GREEN_ZONE.0 {
        ("watch", format!("below the {zone}"))
    } else if share <= 0.5 {
        ("watch", format!("above the {zone}"))
    } else {
        ("concern", format!("well above the {zone}"))
    }
}

fn overview(out: &mut String, report: &Report) {
    let o = Overall::new(report.sessions.iter().map(|s| &s.summary));
    let talk = o.mean_coach_talk_share.unwrap_or(0.0);
    let in_zone = o.sessions_in_green_zone;
    let qr = o.mean_question_ratio;
    let open = o.mean_open_question_share;
    let advice = o.mean_advice_per_100_turns.unwrap_or(0.0);
    let findings = o.findings;
    let n = o.sessions as f64;
    let (talk_st, talk_note) = talk_status(talk);
    out.push_str("<section class=\"card\" id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Across the sessions</h2>\n<p class=\"muted\">Averages of the per-session figures, each session counting once.</p>\n");
    tiles(
        out,
        &[
            Tile {
                value: percent(talk),
                label: "Coach talk share",
                note: talk_note,
                status: talk_st,
            },
            Tile {
                value: format!("{in_zone} of {}", o.sessions),
                label: "Sessions in the green zone",
                note: format!(
                    "coach spoke {}–{} of the words",
                    fixed(GREEN_ZONE.0 * 100.0, 0),
                    percent(GREEN_ZONE.1)
                ),
                status: if in_zone as f64 >= n / 2.0 {
                    "ok"
                } else {
                    "watch"
                },
            },
            Tile {
                value: qr.map_or("–".into(), |v| fixed(v, 2)),
                label: "Questions per statement",
                note: "mean of the sessions".into(),
                status: match qr {
                    Some(v) if v >= 1.0 => "ok",
                    Some(_) => "watch",
                    None => "",
                },
            },
            Tile {
                value: open.map_or("–".into(), percent),
                label: "Open questions",
                note: "of the coach's questions".into(),
                status: match open {
                    Some(v) if v >= 0.5 => "ok",
                    Some(_) => "watch",
                    None => "",
                },
            },
            Tile {
                value: fixed(advice, 1),
                label: "Advice per 100 coach turns",
                note: "without permission".into(),
                status: if advice == 0.0 {
                    "ok"
                } else if advice < 20.0 {
                    "watch"
                } else {
                    "concern"
                },
            },
            Tile {
                value: findings.to_string(),
                label: "Findings",
                note: "in all sessions".into(),
                status: "",
            },
        ],
    );
    out.push_str("</section>\n");
}

fn trends(out: &mut String, report: &Report) {
    let sums: Vec<&Summary> = report.sessions.iter().map(|s| &s.summary).collect();
    out.push_str("<section class=\"card\" id=\"trends\" aria-labelledby=\"trends-h\">\n<h2 id=\"trends-h\">Trends</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"muted\">One point per session, ordered {}. Hover a point for the session.</p>\n<div class=\"trend-list\">",
        report.order.describe()
    );
    for (k, kind) in [Trend::TalkShare, Trend::QuestionRatio, Trend::AdvicePer100]
        .into_iter()
        .enumerate()
    {
        let _ = writeln!(
            out,
            "<figure class=\"trend\">\n<h3>{}</h3>\n{}\n</figure>",
            html(kind.title()),
            charts::trend(&format!("trend-{k}"), kind, &sums)
        );
    }
    out.push_str("</div>\n</section>\n");
}

fn index(out: &mut String, report: &Report, links: bool) {
    out.push_str("<section class=\"card\" id=\"index\" aria-labelledby=\"index-h\">\n<h2 id=\"index-h\">Sessions</h2>\n<div class=\"index-wrap\">\n<table class=\"data index\">\n<thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Date</th><th scope=\"col\">Session</th><th scope=\"col\" class=\"num\">Turns</th><th scope=\"col\" class=\"num\">Duration</th><th scope=\"col\" class=\"num\">Coach talk</th><th scope=\"col\" class=\"num\">Q per stmt</th><th scope=\"col\" class=\"num\">Open Q</th><th scope=\"col\" class=\"num\">R:Q</th><th scope=\"col\" class=\"num\">Advice /100</th><th scope=\"col\" class=\"num\">Findings</th><th scope=\"col\" class=\"num\">PCC evidence</th></tr></thead>\n<tbody>\n");
    for (i, s) in report.sessions.iter().enumerate() {
        let sum = &s.summary;
        let name = if links {
            format!(
                "<a href=\"#s{}\" title=\"{}\">{}</a>",
                i + 1,
                html(&sum.path),
                html(&sum.title)
            )
        } else {
            format!(
                "<span title=\"{}\">{}</span>",
                html(&sum.path),
                html(&sum.title)
            )
        };
        let file = std::path::Path::new(&sum.path)
            .file_name()
            .map_or_else(|| sum.path.clone(), |f| f.to_string_lossy().into_owned());
        let (st, _) = talk_status(sum.coach_talk_share);
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td class=\"date\">{}</td><td>{name}<br/><code class=\"muted small\">{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><span class=\"pill {st}\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} of {}</td></tr>",
            i + 1,
            html(sum.date.as_deref().unwrap_or("–")),
            html(&file),
            sum.turns,
            sum.duration_seconds.map_or("–".into(), duration),
            percent(sum.coach_talk_share),
            sum.question_ratio.map_or("–".into(), |v| fixed(v, 2)),
            sum.open_question_share.map_or("–".into(), percent),
            sum.miti
                .reflection_to_question
                .map_or("–".into(), |v| fixed(v, 2)),
            fixed(sum.advice_per_100_turns, 1),
            sum.findings,
            sum.markers_evidenced(),
            sum.markers.len(),
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn coach_source(c: &CoachSource) -> &'static str {
    match c {
        CoachSource::Config => "set in the configuration",
        CoachSource::FrontMatter => "from the front matter",
        CoachSource::Name => "by the speaker name",
        CoachSource::Inferred => "guessed: asks the most questions",
        CoachSource::Unknown => "only one speaker",
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn session(s: &Session, n: usize, total: usize) -> String {
    let sum = &s.summary;
    let id = format!("s{n}");
    let mut out = String::with_capacity(48 * 1024);
    let _ = writeln!(
        out,
        "<article class=\"session\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<header class=\"session-head\">\n<div>{}<h2 id=\"{id}-h\">{}</h2></div>\n<p class=\"path\"><code>{}</code></p>\n</header>",
        if total > 1 {
            format!("<p class=\"kicker\">Session {n} of {total}</p>")
        } else {
            String::new()
        },
        html(&sum.title),
        html(&sum.path)
    );
    facts(&mut out, s);
    session_tiles(&mut out, sum);
    // Talk share.
    let _ = writeln!(
        out,
        "<section class=\"panel\" aria-labelledby=\"{id}-talk-h\">\n<h3 id=\"{id}-talk-h\">Talk share</h3>\n<figure>\n{}\n<figcaption>Share of the words spoken by each speaker{}. The shaded band is the coaching green zone for the coach, {}–{}: the client does most of the talking (ICF PCC marker 7.8).</figcaption>\n</figure>\n</section>",
        charts::talk_share(&format!("{id}-talk"), s),
        if sum.coach_time_share.is_some() {
            ", and of the time where the transcript has timestamps"
        } else {
            ""
        },
        fixed(GREEN_ZONE.0 * 100.0, 0),
        percent(GREEN_ZONE.1)
    );
    // Timeline.
    let _ = writeln!(
        out,
        "<section class=\"panel\" aria-labelledby=\"{id}-tl-h\">\n<h3 id=\"{id}-tl-h\">Timeline</h3>\n<figure>\n{}\n<figcaption>Every turn from start to end{}. Hover a turn for its speaker, time, length and mode.</figcaption>\n</figure>",
        charts::timeline(&format!("{id}-tl"), s),
        if s.analysis
            .transcript
            .turns
            .iter()
            .all(|t| t.start_time.is_some())
        {
            ", placed by its timestamp"
        } else {
            ", its width the words spoken (the transcript has no timestamps)"
        }
    );
    timeline_legend(&mut out, s);
    out.push_str("</section>\n");
    // Questions and modes.
    let _ = writeln!(
        out,
        "<div class=\"grid2\">\n<section class=\"panel\" aria-labelledby=\"{id}-q-h\">\n<h3 id=\"{id}-q-h\">Questions across the session</h3>\n<figure>\n{}\n<figcaption>The coach's sentences in {} parts of equal numbers of coach turns. Above each column: questions per statement, and the share of questions that were open.</figcaption>\n</figure>",
        charts::questions(&format!("{id}-q"), s),
        sum.segments.len()
    );
    legend(
        &mut out,
        None,
        &[
            (charts::BLUISH_GREEN, "open questions"),
            (charts::SKY_BLUE, "closed questions"),
            (charts::GREY, "statements"),
        ],
    );
    let _ = writeln!(
        out,
        "</section>\n<section class=\"panel\" aria-labelledby=\"{id}-m-h\">\n<h3 id=\"{id}-m-h\">Conversation modes</h3>\n<figure>\n{}\n<figcaption>Each coach turn is tagged with the conversation its words belong to; a turn with no other cue is coaching.</figcaption>\n</figure>\n<ul class=\"modes-desc\">",
        charts::modes(&format!("{id}-m"), sum),
    );
    for m in sum.modes.iter().filter(|m| m.turns > 0) {
        let _ = writeln!(
            out,
            "<li><strong>{}</strong>: {}</li>",
            m.mode.as_str(),
            html(m.mode.description())
        );
    }
    out.push_str("</ul>\n</section>\n</div>\n");
    miti(&mut out, &id, sum);
    markers(&mut out, &id, s);
    findings(&mut out, &id, s);
    out.push_str("</article>\n");
    out
}

fn facts(out: &mut String, s: &Session) {
    let sum = &s.summary;
    let mut rows: Vec<(&str, String)> = Vec::new();
    rows.push(("Date", html(sum.date.as_deref().unwrap_or("not given"))));
    let coach = if sum.coach.is_empty() {
        "not identified".to_owned()
    } else {
        html(&sum.coach.join(", "))
    };
    rows.push((
        if sum.coach.len() > 1 {
            "Coaches"
        } else {
            "Coach"
        },
        format!(
            "{coach} <span class=\"muted\">({})</span>",
            coach_source(&sum.coach_source)
        ),
    ));
    rows.push((
        if sum.clients.len() > 1 {
            "Clients"
        } else {
            "Client"
        },
        html(&if sum.clients.is_empty() {
            "none".to_owned()
        } else {
            sum.clients.join(", ")
        }),
    ));
    rows.push((
        "Duration",
        sum.duration_seconds
            .map_or("no timestamps".to_owned(), duration),
    ));
    rows.push((
        "Turns",
        format!(
            "{} <span class=\"muted\">({} coach, {} client)</span>",
            sum.turns, sum.coach_turns, sum.client_turns
        ),
    ));
    rows.push(("Words", thousands(sum.words)));
    rows.push(("Format", html(sum.format)));
    out.push_str("<dl class=\"facts\">\n");
    for (k, v) in rows {
        let _ = writeln!(out, "<div><dt>{k}</dt><dd>{v}</dd></div>");
    }
    out.push_str("</dl>\n");
}

fn session_tiles(out: &mut String, sum: &Summary) {
    let (talk_st, mut talk_note) = talk_status(sum.coach_talk_share);
    if let Some(t) = sum.coach_time_share {
        let _ = write!(talk_note, "; {} of the time", percent(t));
    }
    let rq = sum.miti.reflection_to_question;
    tiles(
        out,
        &[
            Tile {
                value: percent(sum.coach_talk_share),
                label: "Coach talk share",
                note: talk_note,
                status: talk_st,
            },
            Tile {
                value: sum.question_ratio.map_or("–".into(), |v| fixed(v, 2)),
                label: "Questions per statement",
                note: format!(
                    "{}, {}",
                    count(sum.miti.questions, "question"),
                    count(sum.coach_statements, "statement")
                ),
                status: match sum.question_ratio {
                    Some(v) if v >= 1.0 => "ok",
                    Some(_) => "watch",
                    None if sum.miti.questions > 0 => "ok",
                    None => "",
                },
            },
            Tile {
                value: sum.open_question_share.map_or("–".into(), percent),
                label: "Open questions",
                note: "of the coach's questions".into(),
                status: match sum.open_question_share {
                    Some(v) if v >= 0.5 => "ok",
                    Some(_) => "watch",
                    None => "",
                },
            },
            Tile {
                value: rq.map_or("–".into(), |v| fixed(v, 2)),
                label: "Reflections per question",
                note: match sum.miti.rq_level {
                    Some(l) => format!("{} by MI's thresholds", l.label()),
                    None => "no questions".into(),
                },
                status: match sum.miti.rq_level {
                    Some(RqLevel::Good) | Some(RqLevel::Fair) => "ok",
                    Some(RqLevel::BelowFair) => "watch",
                    None => "",
                },
            },
            Tile {
                value: fixed(sum.advice_per_100_turns, 1),
                label: "Advice per 100 coach turns",
                note: format!(
                    "{} without, {} with permission",
                    sum.miti.advice_without_permission, sum.miti.advice_with_permission
                ),
                status: if sum.miti.advice_without_permission == 0 {
                    "ok"
                } else if sum.advice_per_100_turns < 20.0 {
                    "watch"
                } else {
                    "concern"
                },
            },
            Tile {
                value: sum.findings.to_string(),
                label: "Findings",
                note: format!("{} PCC markers with evidence", sum.markers_evidenced()),
                status: "",
            },
        ],
    );
}

/// A swatch for a legend: a small SVG square (printed, unlike a CSS background).
fn swatch(colour: &str) -> String {
    format!(
        "<svg width=\"12\" height=\"12\" viewBox=\"0 0 12 12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" rx=\"2\" fill=\"{colour}\"/></svg>"
    )
}

fn legend(out: &mut String, group: Option<&str>, items: &[(&str, &str)]) {
    out.push_str("<ul class=\"legend\">");
    if let Some(g) = group {
        let _ = write!(out, "<li class=\"group\">{}</li>", html(g));
    }
    for (colour, label) in items {
        let _ = write!(out, "<li>{}{}</li>", swatch(colour), html(label));
    }
    out.push_str("</ul>\n");
}

fn timeline_legend(out: &mut String, s: &Session) {
    let t = &s.analysis.transcript;
    let colours = charts::speaker_colours(t);
    let speakers: Vec<(&str, String)> = t
        .speakers
        .iter()
        .zip(&colours)
        .map(|(sp, c)| {
            let role = match sp.role {
                coachlint_core::Role::Coach => "coach",
                coachlint_core::Role::Client => "client",
            };
            (*c, format!("{} ({role})", sp.name))
        })
        .collect();
    let items: Vec<(&str, &str)> = speakers.iter().map(|(c, l)| (*c, l.as_str())).collect();
    legend(out, Some("Speaker"), &items);
    let present: Vec<(&str, &str)> = Mode::ALL
        .into_iter()
        .filter(|m| s.analysis.turns.iter().any(|x| x.mode == Some(*m)))
        .map(|m| (charts::mode_colour(m), m.as_str()))
        .collect();
    if !present.is_empty() {
        legend(out, Some("Coach mode"), &present);
    }
}

fn miti(out: &mut String, id: &str, sum: &Summary) {
    let m = &sum.miti;
    let rq = match (m.reflection_to_question, m.rq_level) {
        (Some(r), Some(level)) => format!(
            "{} <span class=\"pill {}\">{}</span>",
            fixed(r, 2),
            if level == RqLevel::BelowFair {
                "watch"
            } else {
                "ok"
            },
            level.label()
        ),
        _ => "– <span class=\"muted\">(no questions)</span>".into(),
    };
    let _ = writeln!(
        out,
        "<section class=\"panel\" aria-labelledby=\"{id}-miti-h\">\n<h3 id=\"{id}-miti-h\">MITI-style counts</h3>\n<p class=\"intro\">Coach behaviour counted in the manner of motivational interviewing's treatment-integrity code (MITI 4.2.1), by pattern and per sentence rather than by a trained coder per volley. The fair and good thresholds come from motivational interviewing, not from coaching standards: read them as context.</p>\n<table class=\"data\">\n<thead><tr><th scope=\"col\">Behaviour</th><th scope=\"col\">MITI code</th><th scope=\"col\" class=\"num\">Count</th></tr></thead>\n<tbody>\n<tr><td>Questions</td><td>Question</td><td class=\"num\">{}</td></tr>\n<tr><td>Reflections</td><td>Simple and complex reflection</td><td class=\"num\">{}</td></tr>\n<tr><td>Reflection-to-question ratio (R:Q)<br/><span class=\"muted\">motivational interviewing thresholds: {}:1 fair, {}:1 good</span></td><td>R:Q summary score</td><td class=\"num\">{rq}</td></tr>\n<tr><td>Advice without permission</td><td>Persuade</td><td class=\"num\">{}</td></tr>\n<tr><td>Advice with permission</td><td>Persuade with permission</td><td class=\"num\">{}</td></tr>\n<tr><td>Confronting language (labels, criticism, moralizing)</td><td>Confront</td><td class=\"num\">{}</td></tr>\n</tbody>\n</table>\n</section>",
        m.questions,
        m.reflections,
        fixed(MITI_RQ_FAIR, 0),
        fixed(MITI_RQ_GOOD, 0),
        m.advice_without_permission,
        m.advice_with_permission,
        m.confronting,
    );
}

fn markers(out: &mut String, id: &str, s: &Session) {
    let sum = &s.summary;
    let _ = writeln!(
        out,
        "<section class=\"panel\" aria-labelledby=\"{id}-icf-h\">\n<h3 id=\"{id}-icf-h\">ICF PCC marker evidence</h3>\n<p class=\"intro\">Evidence for a person to judge, not a score: ICF says the PCC markers are not a checklist. Each line is a coach turn whose words relate to the marker; read it in context. {} of {} markers have some evidence.</p>",
        sum.markers_evidenced(),
        sum.markers.len()
    );
    let with: Vec<_> = sum.markers.iter().filter(|r| r.has_evidence()).collect();
    if !with.is_empty() {
        out.push_str("<table class=\"data\">\n<thead><tr><th scope=\"col\">Marker</th><th scope=\"col\">The coach…</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
        for r in with {
            let mut ev = String::new();
            if !r.lines.is_empty() {
                let shown: Vec<String> = r
                    .lines
                    .iter()
                    .take(MARKER_LINES)
                    .map(|l| l.to_string())
                    .collect();
                let _ = write!(
                    ev,
                    "{} {}",
                    if r.lines.len() == 1 { "line" } else { "lines" },
                    shown.join(", ")
                );
                if r.lines.len() > MARKER_LINES {
                    let _ = write!(ev, " and {} more", r.lines.len() - MARKER_LINES);
                }
                if let Some(&first) = r.turns.first() {
                    let turn = &s.analysis.transcript.turns[first];
                    ev.push_str("<br/><span class=\"quote\">“");
                    push_html(&mut ev, &truncate(&turn.text, 120));
                    ev.push_str("”</span>");
                }
            }
            if let Some(note) = &r.note {
                if !ev.is_empty() {
                    ev.push_str("<br/>");
                }
                let _ = write!(ev, "session: {}", html(note));
            }
            let _ = writeln!(
                out,
                "<tr><td class=\"marker\">{}</td><td>{}</td><td>{ev}</td></tr>",
                html(r.marker),
                html(r.title)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    let without: Vec<_> = sum.markers.iter().filter(|r| !r.has_evidence()).collect();
    if !without.is_empty() {
        out.push_str("<div class=\"no-evidence\"><strong>No evidence found in the transcript for:</strong>\n<ul class=\"columns\">\n");
        for r in without {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong> {}</li>",
                html(r.marker),
                html(r.title)
            );
        }
        out.push_str("</ul>\n<p class=\"muted\">Absence of evidence in the words is not evidence of absence: a marker may show in tone, pace or silence.</p></div>\n");
    }
    out.push_str("</section>\n");
}

pub(crate) fn category_title(c: Category) -> &'static str {
    match c {
        Category::Advice => "Advice",
        Category::Judgment => "Judgement",
        Category::Leading => "Leading questions",
        Category::Questioning => "Questioning",
        Category::Mentoring => "Mentoring",
        Category::Balance => "Balance",
        Category::Agreement => "Agreement",
        Category::Transcript => "Transcript",
    }
}

pub(crate) fn category_description(c: Category) -> &'static str {
    match c {
        Category::Advice => "Advice, directives and persuasion, with or without permission.",
        Category::Judgment => "Labels, criticism, moralizing, absolutes and evaluative praise.",
        Category::Leading => "Leading questions, and advice disguised as a question.",
        Category::Questioning => "Why-questions, stacked questions, runs of closed questions.",
        Category::Mentoring => "The coach's own experience offered as the model.",
        Category::Balance => "The balance of the session: questions, talk share, monologues.",
        Category::Agreement => {
            "The coaching agreement: the session outcome, and learning at the close."
        }
        Category::Transcript => "About the transcript itself rather than the coaching.",
    }
}

fn severity_name(s: Severity) -> &'static str {
    s.as_str()
}

fn findings(out: &mut String, id: &str, s: &Session) {
    let a = &s.analysis;
    let _ = writeln!(
        out,
        "<section class=\"panel\" aria-labelledby=\"{id}-f-h\">\n<h3 id=\"{id}-f-h\">Findings by category</h3>"
    );
    if a.findings.is_empty() {
        out.push_str("<p>No findings: nothing in this session matched a rule.</p>\n</section>\n");
        return;
    }
    out.push_str("<ul class=\"chips\">");
    for c in &s.summary.findings_by_category {
        let _ = write!(
            out,
            "<li><a href=\"#{id}-cat-{}\"><span class=\"pill\">{} {}</span></a></li>",
            c.category.as_str(),
            html(category_title(c.category)),
            c.count
        );
    }
    out.push_str("</ul>\n");
    if a.suppressed > 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{} more {} silenced by <code>coachlint-disable</code> comments in the transcript.</p>",
            a.suppressed,
            if a.suppressed == 1 {
                "finding was"
            } else {
                "findings were"
            }
        );
    }
    for c in &s.summary.findings_by_category {
        let _ = writeln!(
            out,
            "<section class=\"category\" id=\"{id}-cat-{}\" aria-labelledby=\"{id}-cat-{}-h\">\n<h4 id=\"{id}-cat-{}-h\">{} <span class=\"pill\">{}</span></h4>\n<p class=\"cat-desc\">{}</p>\n<ol class=\"findings\">",
            c.category.as_str(),
            c.category.as_str(),
            c.category.as_str(),
            html(category_title(c.category)),
            c.count,
            html(category_description(c.category))
        );
        for f in a.findings.iter().filter(|f| f.category() == c.category) {
            finding(out, s, f);
        }
        out.push_str("</ol>\n</section>\n");
    }
    out.push_str("</section>\n");
}

fn finding(out: &mut String, s: &Session, f: &Finding) {
    let sev = severity_name(f.severity);
    let _ = write!(
        out,
        "<li class=\"finding sev-{sev}\">\n<p class=\"finding-head\"><span class=\"sev\">{sev}</span><code class=\"code\">{}</code><span class=\"rule\">{}</span><span class=\"where\">line {}</span></p>\n<p class=\"message\">{}</p>\n",
        html(&f.rule.code),
        html(&f.rule.name),
        s.line_of(f.span.start),
        html(&f.message)
    );
    if let Some(e) = excerpt::of(&s.analysis, f) {
        out.push_str("<blockquote class=\"excerpt\"><p><span class=\"who\">");
        push_html(out, e.speaker);
        out.push_str(":</span> ");
        push_html(out, &e.before);
        out.push_str("<mark>");
        push_html(out, &e.hit);
        out.push_str("</mark>");
        push_html(out, &e.after);
        out.push_str("</p></blockquote>\n");
    }
    if !f.rephrasings.is_empty() {
        out.push_str("<div class=\"rephrase\"><p class=\"try\">Try asking</p><ul>");
        for r in f.rephrasings.iter().take(REPHRASINGS) {
            out.push_str("<li>");
            push_html(out, &r.text);
            out.push_str("</li>");
        }
        out.push_str("</ul></div>\n");
    }
    out.push_str("</li>\n");
}
