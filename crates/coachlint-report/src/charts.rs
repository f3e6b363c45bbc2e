//! Inline SVG charts. Each is an `<svg role="img">` with a `<title>` and a
//! `<desc>` that says in words what the chart shows, and a `<title>` on every
//! mark for a tooltip. Colours are Okabe–Ito (safe for colour-blind readers);
//! nothing depends on colour alone: labels carry the numbers.

use crate::Session;
use crate::escape::{clock, count, fixed, html, percent, truncate};
use crate::summary::{GREEN_ZONE, Summary};
use coachlint_core::analysis::Mode;
use coachlint_core::{Role, Transcript};
use std::fmt::Write;

/// Okabe & Ito (2008), the colour-blind-safe palette.
pub const BLACK: &str = "#000000";
pub const ORANGE: &str = "#E69F00";
pub const SKY_BLUE: &str = "#56B4E9";
pub const BLUISH_GREEN: &str = "#009E73";
pub const YELLOW: &str = "#F0E442";
pub const BLUE: &str = "#0072B2";
pub const VERMILLION: &str = "#D55E00";
pub const REDDISH_PURPLE: &str = "#CC79A7";
/// Not a mark colour: statements, client turns in the mode row, grid.
pub const GREY: &str = "#B9BEC4";
const MUTED: &str = "#5B6670";
const GRID: &str = "#E4E7EB";

pub fn mode_colour(m: Mode) -> &'static str {
    match m {
        Mode::Coaching => BLUISH_GREEN,
        Mode::Advising => VERMILLION,
        Mode::Consulting => ORANGE,
        Mode::Mentoring => REDDISH_PURPLE,
        Mode::Teaching => YELLOW,
        Mode::Therapy => SKY_BLUE,
        Mode::Managing => BLACK,
    }
}

/// One colour per speaker: coaches in blues, clients in the warm colours.
pub fn speaker_colours(t: &Transcript) -> Vec<&'static str> {
    const COACH: [&str; 3] = [BLUE, SKY_BLUE, BLACK];
    const CLIENT: [&str; 6] = [
        ORANGE,
        REDDISH_PURPLE,
        VERMILLION,
        YELLOW,
        BLUISH_GREEN,
        BLACK,
    ];
    let (mut c, mut k) = (0, 0);
    t.speakers
        .iter()
        .map(|s| match s.role {
            Role::Coach => {
                c += 1;
                COACH[(c - 1) % COACH.len()]
            }
            Role::Client => {
                k += 1;
                CLIENT[(k - 1) % CLIENT.len()]
            }
        })
        .collect()
}

/// A chart's opening tag with its accessible name and description.
fn open(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" preserveAspectRatio="xMinYMin meet"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        html(title),
        html(desc)
    );
}

fn text(out: &mut String, x: f64, y: f64, class: &str, anchor: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" class="{class}" text-anchor="{anchor}">{}</text>"#,
        fixed(x, 1),
        fixed(y, 1),
        html(s)
    );
}

/// A rectangle with a tooltip.
#[allow(clippy::too_many_arguments)]
fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, fill: &str, tip: &str, extra: &str) {
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"{extra}>"#,
        fixed(x, 2),
        fixed(y, 2),
        fixed(w.max(0.0), 2),
        fixed(h.max(0.0), 2),
    );
    if !tip.is_empty() {
        let _ = write!(out, "<title>{}</title>", html(tip));
    }
    out.push_str("</rect>");
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Coach => "coach",
        Role::Client => "client",
    }
}

/// Bars of each speaker's share of the words, with the coach's green zone.
pub fn talk_share(id: &str, s: &Session) -> String {
    let m = &s.analysis.metrics;
    let colours = speaker_colours(&s.analysis.transcript);
    // Coaches first, then the others by how much they said.
    let mut rows: Vec<usize> = (0..m.speakers.len()).collect();
    rows.sort_by_key(|&i| {
        (
            m.speakers[i].role != Role::Coach,
            std::cmp::Reverse(m.speakers[i].words),
        )
    });
    let total_secs: f64 = m.speakers.iter().filter_map(|x| x.seconds).sum();
    let time_share = |i: usize| {
        m.speakers[i]
            .seconds
            .filter(|_| total_secs > 0.0)
            .map(|x| x / total_secs)
    };
    let (w, x0, x1, top, row) = (720.0, 190.0, 600.0, 34.0, 40.0);
    let h = top + row * rows.len() as f64 + 30.0;
    let desc = rows
        .iter()
        .map(|&i| {
            let sp = &m.speakers[i];
            let mut d = format!(
                "{} ({}): {} of the words",
                sp.name,
                role_name(sp.role),
                percent(sp.talk_share)
            );
            if let Some(t) = time_share(i) {
                let _ = write!(d, ", {} of the time", percent(t));
            }
            d
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = String::new();
    open(
        &mut out,
        id,
        w,
        h,
        "Talk share by speaker",
        &format!(
            "{desc}. The coaching green zone for the coach is {}–{} of the talk.",
            percent(GREEN_ZONE.0),
            percent(GREEN_ZONE.1)
        ),
    );
    let px = |share: f64| x0 + (x1 - x0) * share.clamp(0.0, 1.0);
    let bottom = top + row * rows.len() as f64;
    out.push_str("<g class=\"grid\">");
    // Grid and axis.
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = px(tick);
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{}" x2="{x}" y2="{bottom}" stroke="{GRID}"/>"#,
            top - 6.0
        );
        text(&mut out, x, bottom + 16.0, "tick", "middle", &percent(tick));
    }
    out.push_str("</g><g class=\"zone\">");
    // The green zone, drawn under the bars.
    let (gz0, gz1) = (px(GREEN_ZONE.0), px(GREEN_ZONE.1));
    rect(
        &mut out,
        gz0,
        top - 8.0,
        gz1 - gz0,
        bottom - top + 8.0,
        BLUISH_GREEN,
        "Coaching green zone: the coach speaks 20–30% of the time",
        r#" fill-opacity="0.16""#,
    );
    for x in [gz0, gz1] {
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{}" x2="{x}" y2="{bottom}" stroke="{BLUISH_GREEN}" stroke-dasharray="3 3"/>"#,
            top - 8.0
        );
    }
    text(
        &mut out,
        (gz0 + gz1) / 2.0,
        top - 14.0,
        "zone-label",
        "middle",
        "coaching green zone 20–30%",
    );
    out.push_str("</g><g class=\"bars\">");
    for (r, &i) in rows.iter().enumerate() {
        let sp = &m.speakers[i];
        let y = top + row * r as f64;
        text(
            &mut out,
            0.0,
            y + 17.0,
            "label",
            "start",
            &truncate(&sp.name, 24),
        );
        if !sp.name.eq_ignore_ascii_case(role_name(sp.role)) {
            text(&mut out, 0.0, y + 31.0, "sub", "start", role_name(sp.role));
        }
        let bar_w = px(sp.talk_share) - x0;
        rect(
            &mut out,
            x0,
            y + 9.0,
            bar_w.max(1.0),
            20.0,
            colours[i],
            &format!("{}: {} of the words", sp.name, percent(sp.talk_share)),
            "",
        );
        let mut value = percent(sp.talk_share);
        if let Some(t) = time_share(i) {
            let _ = write!(value, " of words · {} of time", percent(t));
        }
        text(
            &mut out,
            x0 + bar_w + 8.0,
            y + 24.0,
            "value",
            "start",
            &value,
        );
    }
    out.push_str("</g>");
    out.push_str("</svg>");
    out
}

/// Where each turn sits on the strip, 0–1, and whether the scale is time.
fn turn_extents(t: &Transcript, words: &[usize]) -> (Vec<(f64, f64)>, Option<f64>) {
    let starts: Option<Vec<f64>> = t.turns.iter().map(|x| x.start_time).collect();
    if let Some(starts) = starts {
        let t0 = starts.first().copied().unwrap_or(0.0);
        let ext: Vec<(f64, f64)> = t
            .turns
            .iter()
            .zip(&starts)
            .enumerate()
            .map(|(i, (turn, &st))| {
                // No end time (the last turn): about 150 words a minute.
                let end = turn
                    .end_time
                    .unwrap_or(st + words[i].max(1) as f64 / 2.5)
                    .max(st);
                (st - t0, end - t0)
            })
            .collect();
        let total = ext.iter().map(|e| e.1).fold(0.0, f64::max);
        if total > 0.0 && starts.windows(2).all(|w| w[0] <= w[1]) {
            return (
                ext.iter().map(|&(a, b)| (a / total, b / total)).collect(),
                Some(total),
            );
        }
    }
    let total: usize = words.iter().map(|&w| w.max(1)).sum();
    let mut at = 0usize;
    let ext = words
        .iter()
        .map(|&w| {
            let a = at;
            at += w.max(1);
            (a as f64 / total as f64, at as f64 / total as f64)
        })
        .collect();
    (ext, None)
}

/// A tick step for a time axis of `total` seconds: at most about 8 ticks.
fn time_step(total: f64) -> f64 {
    [30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0]
        .into_iter()
        .find(|s| total / s <= 8.0)
        .unwrap_or(7200.0)
}

/// An axis value with no needless decimals: `0`, `2.5`, `12.5`.
fn tick(v: f64) -> String {
    let s = fixed(v, 2);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A "nice" upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten.
pub fn nice_max(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|k| k * p)
        .find(|&v| v >= x - 1e-9)
        .unwrap_or(10.0 * p)
}

/// An axis for counts: a whole-number step of 1, 2 or 5 times a power of ten
/// giving at most 5 intervals, and the top of the axis (a multiple of it).
pub fn count_axis(max: usize) -> (f64, f64) {
    let max = max.max(1) as f64;
    let mut p = 1.0;
    loop {
        for k in [1.0, 2.0, 5.0] {
            let step = k * p;
            if max / step <= 5.0 {
                return ((max / step).ceil() * step, step);
            }
        }
        p *= 10.0;
    }
}

/// The strip of turns: one row coloured by speaker, one by the coach's mode.
pub fn timeline(id: &str, s: &Session) -> String {
    let a = &s.analysis;
    let t = &a.transcript;
    let colours = speaker_colours(t);
    let words: Vec<usize> = a.turns.iter().map(|x| x.words).collect();
    let (ext, seconds) = turn_extents(t, &words);
    let (w, x0, x1) = (960.0, 92.0, 952.0);
    let (r1, r2, rh) = (6.0, 40.0, 28.0);
    let axis = r2 + rh + 6.0;
    let h = axis + 22.0;
    let px = |f: f64| x0 + (x1 - x0) * f;
    let mut counts = std::collections::BTreeMap::new();
    for ta in &a.turns {
        if let Some(m) = ta.mode {
            *counts.entry(m).or_insert(0usize) += 1;
        }
    }
    let modes = counts
        .iter()
        .map(|(m, n)| format!("{} {n}", m.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let desc = format!(
        "{} from left to right, {}. Top row: who spoke. Bottom row: the conversation mode of each coach turn ({}).",
        count(t.turns.len(), "turn"),
        if seconds.is_some() {
            "placed by time"
        } else {
            "sized by words"
        },
        if modes.is_empty() { "none" } else { &modes }
    );
    let mut out = String::new();
    open(&mut out, id, w, h, "Timeline of the turns", &desc);
    text(&mut out, 0.0, r1 + 18.0, "label", "start", "Speaker");
    text(&mut out, 0.0, r2 + 18.0, "label", "start", "Coach mode");
    // Backgrounds, so gaps (silence) read as such.
    for y in [r1, r2] {
        rect(&mut out, x0, y, x1 - x0, rh, "#F4F5F7", "", "");
    }
    let tips: Vec<String> = t
        .turns
        .iter()
        .enumerate()
        .map(|(i, turn)| {
            let sp = t.speaker(turn);
            let mut tip = format!("Turn {} · {} ({})", i + 1, sp.name, role_name(sp.role));
            if let Some(st) = turn.start_time {
                let _ = write!(tip, " · {}", clock(st));
            }
            let _ = write!(tip, " · {}", count(words[i], "word"));
            if let Some(m) = a.turns[i].mode {
                let _ = write!(tip, " · {}", m.as_str());
            }
            tip
        })
        .collect();
    let span = |i: usize| {
        let (a0, a1) = ext[i];
        (px(a0), (px(a1) - px(a0)).max(0.8))
    };
    out.push_str(r#"<g class="speakers">"#);
    for (i, turn) in t.turns.iter().enumerate() {
        let (x, width) = span(i);
        rect(
            &mut out,
            x,
            r1,
            width,
            rh,
            colours[turn.speaker],
            &tips[i],
            "",
        );
    }
    out.push_str(r#"</g><g class="modes">"#);
    for (i, (ta, tip)) in a.turns.iter().zip(&tips).enumerate() {
        let (x, width) = span(i);
        match ta.mode {
            Some(m) => rect(&mut out, x, r2, width, rh, mode_colour(m), tip, ""),
            // Client turns: a thin line, so the coach's turns stand out.
            None => rect(&mut out, x, r2 + rh / 2.0 - 1.0, width, 2.0, GREY, tip, ""),
        }
    }
    out.push_str("</g>");
    out.push_str("<g class=\"axis\">");
    // Axis.
    let _ = write!(
        out,
        r#"<line x1="{x0}" y1="{axis}" x2="{x1}" y2="{axis}" stroke="{GRID}"/>"#
    );
    match seconds {
        Some(total) => {
            let step = time_step(total);
            let mut k = 0.0;
            while k <= total + 1e-9 {
                let x = px(k / total);
                let _ = write!(
                    out,
                    r#"<line x1="{x}" y1="{axis}" x2="{x}" y2="{}" stroke="{MUTED}"/>"#,
                    axis + 4.0
                );
                text(&mut out, x, axis + 16.0, "tick", "middle", &clock(k));
                k += step;
            }
        }
        None => {
            text(&mut out, x0, axis + 16.0, "tick", "start", "start");
            text(
                &mut out,
                x1,
                axis + 16.0,
                "tick",
                "end",
                "end (width = words spoken)",
            );
        }
    }
    out.push_str("</g>");
    out.push_str("</svg>");
    out
}

/// The coach's sentences by kind in each part of the session.
pub fn questions(id: &str, s: &Session) -> String {
    let sum = &s.summary;
    let t = &s.analysis.transcript;
    let segs = &sum.segments;
    let (w, x0, x1, top, bottom) = (460.0, 34.0, 456.0, 44.0, 196.0);
    let h = bottom + 44.0;
    let (ymax, step) = count_axis(
        segs.iter()
            .map(|g| g.open_questions + g.closed_questions + g.statements)
            .max()
            .unwrap_or(0),
    );
    let py = |v: f64| bottom - (bottom - top) * v / ymax;
    let part = |k: usize| {
        let g = &segs[k];
        let mut l = format!("turns {}–{}", g.first_turn + 1, g.last_turn + 1);
        if let Some(st) = g.start_time {
            let _ = write!(l, " from {}", clock(st));
        }
        l
    };
    let desc = if segs.is_empty() {
        "The coach said nothing.".to_owned()
    } else {
        segs.iter()
            .enumerate()
            .map(|(k, g)| {
                format!(
                    "Part {} ({}): open questions {}, closed questions {}, statements {}",
                    k + 1,
                    part(k),
                    g.open_questions,
                    g.closed_questions,
                    g.statements
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out = String::new();
    open(
        &mut out,
        id,
        w,
        h,
        "The coach's questions and statements across the session",
        &desc,
    );
    out.push_str("<g class=\"grid\">");
    let mut v = 0.0;
    while v <= ymax + 1e-9 {
        let y = py(v);
        let _ = write!(
            out,
            r#"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{GRID}"/>"#
        );
        text(&mut out, x0 - 8.0, y + 4.0, "tick", "end", &fixed(v, 0));
        v += step;
    }
    let n = segs.len().max(1) as f64;
    let slot = (x1 - x0) / n;
    let bar = (slot * 0.5).min(84.0);
    out.push_str("</g><g class=\"columns\">");
    for (k, g) in segs.iter().enumerate() {
        let cx = x0 + slot * (k as f64 + 0.5);
        let mut y = bottom;
        for (v, colour, what) in [
            (g.open_questions, BLUISH_GREEN, "open questions"),
            (g.closed_questions, SKY_BLUE, "closed questions"),
            (g.statements, GREY, "statements"),
        ] {
            if v == 0 {
                continue;
            }
            let hgt = bottom - py(v as f64);
            y -= hgt;
            rect(
                &mut out,
                cx - bar / 2.0,
                y,
                bar,
                hgt,
                colour,
                &format!("Part {} ({}): {v} {what}", k + 1, part(k)),
                r##" stroke="#FFFFFF" stroke-width="1""##,
            );
        }
        let questions = g.open_questions + g.closed_questions;
        let qs = match g.question_ratio {
            Some(r) => format!("{} q/stmt", fixed(r, 1)),
            None if questions > 0 => "all questions".to_owned(),
            None => "–".to_owned(),
        };
        let open = g
            .open_question_share
            .map_or("no questions".to_owned(), |r| {
                format!("{} open", percent(r))
            });
        text(&mut out, cx, y.min(bottom) - 20.0, "value", "middle", &qs);
        text(&mut out, cx, y.min(bottom) - 6.0, "sub", "middle", &open);
        let mut name = format!("Part {}", k + 1);
        if let Some(st) = g.start_time {
            let _ = write!(name, " · {}", clock(st));
        }
        text(&mut out, cx, bottom + 16.0, "tick", "middle", &name);
        let range = format!("turns {}–{}", g.first_turn + 1, g.last_turn + 1);
        text(&mut out, cx, bottom + 30.0, "sub", "middle", &range);
    }
    if t.turns.is_empty() {
        text(
            &mut out,
            (x0 + x1) / 2.0,
            (top + bottom) / 2.0,
            "sub",
            "middle",
            "no turns",
        );
    }
    out.push_str("</g>");
    out.push_str("</svg>");
    out
}

/// Coach turns in each conversation mode.
pub fn modes(id: &str, sum: &Summary) -> String {
    let (w, x0, x1, row) = (460.0, 96.0, 350.0, 26.0);
    let h = row * sum.modes.len() as f64 + 8.0;
    let max = sum.modes.iter().map(|m| m.turns).max().unwrap_or(0).max(1) as f64;
    let desc = sum
        .modes
        .iter()
        .map(|m| {
            format!(
                "{} {} ({})",
                m.mode.as_str(),
                count(m.turns, "turn"),
                percent(m.share)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = String::new();
    open(
        &mut out,
        id,
        w,
        h,
        "Coach turns by conversation mode",
        &format!("Of {}: {desc}.", count(sum.coach_turns, "coach turn")),
    );
    out.push_str("<g class=\"bars\">");
    for (r, m) in sum.modes.iter().enumerate() {
        let y = 4.0 + row * r as f64;
        text(&mut out, 0.0, y + 15.0, "label", "start", m.mode.as_str());
        rect(&mut out, x0, y + 3.0, x1 - x0, row - 8.0, "#F4F5F7", "", "");
        let bw = (x1 - x0) * m.turns as f64 / max;
        if m.turns > 0 {
            rect(
                &mut out,
                x0,
                y + 3.0,
                bw.max(2.0),
                row - 8.0,
                mode_colour(m.mode),
                &format!("{}: {}", m.mode.as_str(), count(m.turns, "coach turn")),
                "",
            );
        }
        let class = if m.turns == 0 { "sub" } else { "value" };
        text(
            &mut out,
            x1 + 10.0,
            y + 15.0,
            class,
            "start",
            &format!("{} ({})", m.turns, percent(m.share)),
        );
    }
    out.push_str("</g>");
    out.push_str("</svg>");
    out
}

/// What a trend chart plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    TalkShare,
    QuestionRatio,
    AdvicePer100,
}

impl Trend {
    pub fn title(self) -> &'static str {
        match self {
            Trend::TalkShare => "Coach talk share",
            Trend::QuestionRatio => "Questions per statement",
            Trend::AdvicePer100 => "Advice per 100 coach turns",
        }
    }

    pub fn value(self, s: &Summary) -> Option<f64> {
        match self {
            Trend::TalkShare => Some(s.coach_talk_share),
            Trend::QuestionRatio => s.question_ratio,
            Trend::AdvicePer100 => Some(s.advice_per_100_turns),
        }
    }

    pub fn show(self, v: f64) -> String {
        match self {
            Trend::TalkShare => percent(v),
            Trend::QuestionRatio => fixed(v, 2),
            Trend::AdvicePer100 => fixed(v, 1),
        }
    }
}

/// Sessions averaged for a trend line: none up to 20 sessions, then about a
/// twentieth of them, odd so the window is centred.
pub fn smoothing_window(n: usize) -> usize {
    if n <= 20 {
        1
    } else {
        (n / 20).clamp(3, 51) | 1
    }
}

/// The mean of the values in a centred window; `None` where the window holds none.
pub fn rolling_mean(values: &[Option<f64>], window: usize) -> Vec<Option<f64>> {
    let half = window / 2;
    (0..values.len())
        .map(|i| {
            let lo = i.saturating_sub(half);
            let hi = (i + half + 1).min(values.len());
            let v: Vec<f64> = values[lo..hi].iter().flatten().copied().collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        })
        .collect()
}

/// A short label for a session on an axis: its date, else its title.
pub fn session_label(s: &Summary) -> String {
    match (&s.sort_date, &s.date) {
        (Some(d), _) => d.to_string(),
        (None, Some(d)) => truncate(d, 12),
        _ => truncate(&s.title, 14),
    }
}

/// One measure across the sessions, in report order.
pub fn trend(id: &str, kind: Trend, sessions: &[&Summary]) -> String {
    let (w, x0, x1, top, bottom) = (960.0, 56.0, 940.0, 14.0, 150.0);
    let h = bottom + 40.0;
    let values: Vec<Option<f64>> = sessions.iter().map(|s| kind.value(s)).collect();
    let vmax = values.iter().flatten().fold(0.0, |a: f64, &b| a.max(b));
    let ymax = match kind {
        Trend::TalkShare => 1.0,
        Trend::QuestionRatio => nice_max(vmax.max(2.0)),
        Trend::AdvicePer100 => nice_max(vmax.max(10.0)),
    };
    let n = sessions.len();
    let px = |i: usize| {
        if n <= 1 {
            (x0 + x1) / 2.0
        } else {
            x0 + (x1 - x0) * i as f64 / (n - 1) as f64
        }
    };
    let py = |v: f64| bottom - (bottom - top) * (v / ymax).clamp(0.0, 1.0);
    let shown: Vec<f64> = values.iter().flatten().copied().collect();
    let mut desc = format!("{} across {n} sessions, oldest first", kind.title());
    if let (Some(first), Some(last)) = (shown.first(), shown.last()) {
        let _ = write!(
            desc,
            ": from {} to {}; lowest {}, highest {}",
            kind.show(*first),
            kind.show(*last),
            kind.show(shown.iter().copied().fold(f64::INFINITY, f64::min)),
            kind.show(shown.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
        );
    }
    if smoothing_window(n) > 1 {
        let _ = write!(
            desc,
            ". The line is the mean of each {} neighbouring sessions",
            smoothing_window(n)
        );
    }
    match kind {
        Trend::TalkShare => desc.push_str(". The coaching green zone, 20–30%, is shaded."),
        Trend::QuestionRatio => {
            desc.push_str(". The dashed line marks one question per statement.")
        }
        Trend::AdvicePer100 => desc.push('.'),
    }
    let mut out = String::new();
    open(&mut out, id, w, h, kind.title(), &desc);
    out.push_str("<g class=\"grid\">");
    // Grid.
    for k in 0..=4 {
        let v = ymax * k as f64 / 4.0;
        let y = py(v);
        let _ = write!(
            out,
            r#"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{GRID}"/>"#
        );
        let label = match kind {
            Trend::TalkShare => kind.show(v),
            _ => tick(v),
        };
        text(&mut out, x0 - 8.0, y + 4.0, "tick", "end", &label);
    }
    match kind {
        Trend::TalkShare => {
            let (y0, y1) = (py(GREEN_ZONE.1), py(GREEN_ZONE.0));
            rect(
                &mut out,
                x0,
                y0,
                x1 - x0,
                y1 - y0,
                BLUISH_GREEN,
                "Coaching green zone: 20–30%",
                r#" fill-opacity="0.16""#,
            );
            text(
                &mut out,
                x1 - 4.0,
                y0 - 4.0,
                "zone-label",
                "end",
                "green zone 20–30%",
            );
        }
        Trend::QuestionRatio => {
            let y = py(1.0);
            let _ = write!(
                out,
                r#"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{MUTED}" stroke-dasharray="5 4"/>"#
            );
            text(
                &mut out,
                x1 - 4.0,
                y - 5.0,
                "sub",
                "end",
                "1 question per statement",
            );
        }
        Trend::AdvicePer100 => {}
    }
    // Few sessions: a line through them. Many: the sessions as faint points
    // and a line through the mean of each run of neighbours, so the trend
    // shows through the session-to-session noise.
    let window = smoothing_window(n);
    let line: Vec<Option<f64>> = if window > 1 {
        rolling_mean(&values, window)
    } else {
        values.clone()
    };
    let mut d = String::new();
    let mut pen_down = false;
    for (i, v) in line.iter().enumerate() {
        match v {
            Some(v) => {
                let _ = write!(
                    d,
                    "{}{},{} ",
                    if pen_down { "L" } else { "M" },
                    fixed(px(i), 1),
                    fixed(py(*v), 1)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    out.push_str("</g><g class=\"points\">");
    let (r, fill, stroke) = if window > 1 {
        (if n > 200 { 1.6 } else { 2.6 }, SKY_BLUE, "none")
    } else {
        (4.5, BLUE, "#FFFFFF")
    };
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            let _ = write!(
                out,
                r#"<circle cx="{}" cy="{}" r="{r}" fill="{fill}" stroke="{stroke}" stroke-width="1"><title>{}</title></circle>"#,
                fixed(px(i), 1),
                fixed(py(*v), 1),
                html(&format!(
                    "{} · {}: {}",
                    session_label(sessions[i]),
                    sessions[i].title,
                    kind.show(*v)
                ))
            );
        }
    }
    out.push_str("</g><g class=\"series\">");
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{}" fill="none" stroke="{BLUE}" stroke-width="2.5" stroke-linejoin="round"/>"#,
            d.trim_end()
        );
    }
    out.push_str("</g><g class=\"x-labels\">");
    // At most about 10 labels on the x axis, the first and last always, none
    // overlapping (11px text is about 6.5px a character).
    let every = n.div_ceil(10).max(1);
    let mut at: Vec<usize> = (0..n).step_by(every).collect();
    if n > 0 && at.last() != Some(&(n - 1)) {
        at.push(n - 1);
    }
    let extent = |i: usize| {
        let w = session_label(sessions[i]).chars().count() as f64 * 6.5;
        let anchor = if n > 1 && i == 0 {
            "start"
        } else if n > 1 && i + 1 == n {
            "end"
        } else {
            "middle"
        };
        let (l, r) = match anchor {
            "start" => (px(i), px(i) + w),
            "end" => (px(i) - w, px(i)),
            _ => (px(i) - w / 2.0, px(i) + w / 2.0),
        };
        (anchor, l, r)
    };
    let last_left = n.checked_sub(1).map_or(f64::INFINITY, |l| extent(l).1);
    let mut right_edge = f64::NEG_INFINITY;
    for i in at {
        let (anchor, l, r) = extent(i);
        let is_last = i + 1 == n;
        if !is_last && (l < right_edge + 10.0 || r > last_left - 10.0) {
            continue;
        }
        right_edge = r;
        text(
            &mut out,
            px(i),
            bottom + 18.0,
            "tick",
            anchor,
            &session_label(sessions[i]),
        );
    }
    text(
        &mut out,
        (x0 + x1) / 2.0,
        bottom + 36.0,
        "sub",
        "middle",
        &if window > 1 {
            format!(
                "{n} sessions, oldest first; the line is the mean of {window} neighbouring sessions"
            )
        } else {
            format!("{n} sessions, oldest first")
        },
    );
    out.push_str("</g>");
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_axis_bounds() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(11.0), 20.0);
        assert_eq!(nice_max(2.0), 2.0);
        assert_eq!(nice_max(2.2), 2.5);
        assert_eq!(nice_max(f64::NAN), 1.0);
    }

    #[test]
    fn count_axes_step_in_whole_numbers() {
        assert_eq!(count_axis(0), (1.0, 1.0));
        assert_eq!(count_axis(4), (4.0, 1.0));
        assert_eq!(count_axis(9), (10.0, 2.0));
        assert_eq!(count_axis(10), (10.0, 2.0));
        assert_eq!(count_axis(23), (25.0, 5.0));
        assert_eq!(count_axis(140), (150.0, 50.0));
    }

    #[test]
    fn ticks_drop_needless_decimals() {
        assert_eq!(tick(0.0), "0");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(12.5), "12.5");
        assert_eq!(tick(10.0), "10");
        assert_eq!(tick(0.25), "0.25");
    }

    #[test]
    fn trend_lines_smooth_only_long_series() {
        assert_eq!(smoothing_window(20), 1);
        assert_eq!(smoothing_window(21), 3);
        assert_eq!(smoothing_window(200), 11);
        assert_eq!(smoothing_window(1000), 51);
        let v = [Some(1.0), None, Some(3.0), Some(5.0), None];
        assert_eq!(
            rolling_mean(&v, 3),
            [Some(1.0), Some(2.0), Some(4.0), Some(4.0), Some(5.0)]
        );
        assert_eq!(rolling_mean(&[None, None], 3), [None, None]);
    }

    #[test]
    fn time_axis_has_few_ticks() {
        assert_eq!(time_step(348.0), 60.0);
        assert_eq!(time_step(3600.0), 600.0);
        assert_eq!(time_step(100.0), 30.0);
    }
}
