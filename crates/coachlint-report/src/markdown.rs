//! The Markdown report, for pasting into feedback: tables and quotes only, every
//! piece of transcript text escaped so it can never turn into markup.

use crate::charts::Trend;
use crate::escape::{count, duration, fixed, markdown as md, percent, truncate};
use crate::excerpt;
use crate::html::{category_description, category_title};
use crate::summary::{GREEN_ZONE, MITI_RQ_FAIR, MITI_RQ_GOOD, Overall, Summary};
use crate::{RenderOptions, Report, Session};
use coachlint_core::Role;
use coachlint_core::analysis::CoachSource;
use std::fmt::Write;

const REPHRASINGS: usize = 3;
const MARKER_LINES: usize = 10;
/// A sparkline longer than this averages neighbouring sessions.
const SPARK_WIDTH: usize = 60;

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&crate::title(report, options)));
    if !report.failures.is_empty() {
        let _ = writeln!(
            out,
            "**Files not included ({}):** these could not be read as transcripts.\n",
            report.failures.len()
        );
        for f in &report.failures {
            let _ = writeln!(out, "- {}", md(&f.message));
        }
        out.push('\n');
    }
    match report.sessions.as_slice() {
        [] => out.push_str("No transcript could be read, so there is nothing to report.\n"),
        [one] => session(&mut out, one, 1, 1, 2),
        many => {
            series(&mut out, report);
            if !options.summary_only {
                for (i, s) in many.iter().enumerate() {
                    session(&mut out, s, i + 1, many.len(), 3);
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "---\n\n*Made by coachlint {} from the transcripts alone. The figures and the marker evidence are for a person to judge; they are not a grade.*",
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// `▁▃▅█`: one block per session (or per run of sessions), on the chart's scale.
fn sparkline(values: &[Option<f64>], max: f64) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let per = values.len().div_ceil(SPARK_WIDTH).max(1);
    values
        .chunks(per)
        .map(|c| {
            let v: Vec<f64> = c.iter().flatten().copied().collect();
            if v.is_empty() {
                return ' ';
            }
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            let k = ((mean / max).clamp(0.0, 1.0) * 7.0).round() as usize;
            BLOCKS[k]
        })
        .collect()
}

fn series(out: &mut String, report: &Report) {
    let sums: Vec<&Summary> = report.sessions.iter().map(|s| &s.summary).collect();
    let o = Overall::new(sums.iter().copied());
    let mut lede = format!("{} sessions", o.sessions);
    if let Some(r) = o.date_range() {
        let _ = write!(lede, " · {r}");
    }
    let _ = writeln!(out, "{lede} · ordered {}\n", report.order.describe());
    out.push_str("## Trends\n\n| Measure | Oldest → newest | First | Last | Mean |\n|---|---|---:|---:|---:|\n");
    for kind in [Trend::TalkShare, Trend::QuestionRatio, Trend::AdvicePer100] {
        let values: Vec<Option<f64>> = sums.iter().map(|s| kind.value(s)).collect();
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let max = match kind {
            Trend::TalkShare => 1.0,
            _ => crate::charts::nice_max(present.iter().copied().fold(0.0, f64::max)),
        };
        let show = |v: Option<&f64>| v.map_or("–".to_owned(), |v| kind.show(*v));
        let mean =
            (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64);
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            kind.title(),
            sparkline(&values, max),
            show(present.first()),
            show(present.last()),
            show(mean.as_ref()),
        );
    }
    let _ = writeln!(
        out,
        "\nThe coach was in the coaching green zone ({}–{} of the words) in {} of {} sessions.\n",
        fixed(GREEN_ZONE.0 * 100.0, 0),
        percent(GREEN_ZONE.1),
        o.sessions_in_green_zone,
        o.sessions
    );
    out.push_str("## Sessions\n\n| # | Date | Session | Turns | Duration | Coach talk | Q per stmt | Open Q | R:Q | Advice /100 | Findings | PCC evidence |\n|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (i, s) in sums.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} of {} |",
            i + 1,
            md(s.date.as_deref().unwrap_or("–")),
            md(&s.title),
            s.turns,
            s.duration_seconds.map_or("–".into(), duration),
            percent(s.coach_talk_share),
            s.question_ratio.map_or("–".into(), |v| fixed(v, 2)),
            s.open_question_share.map_or("–".into(), percent),
            s.miti
                .reflection_to_question
                .map_or("–".into(), |v| fixed(v, 2)),
            fixed(s.advice_per_100_turns, 1),
            s.findings,
            s.markers_evidenced(),
            s.markers.len()
        );
    }
    out.push('\n');
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

/// One session; `level` is the heading level of its sections.
fn session(out: &mut String, s: &Session, n: usize, total: usize, level: usize) {
    let sum = &s.summary;
    let h = "#".repeat(level);
    if total > 1 {
        let _ = writeln!(out, "## Session {n} of {total}: {}\n", md(&sum.title));
    }
    let coach = if sum.coach.is_empty() {
        "not identified".to_owned()
    } else {
        md(&sum.coach.join(", "))
    };
    let _ = writeln!(
        out,
        "`{}`\n\n| Date | Coach | Client | Duration | Turns | Words |\n|---|---|---|---|---|---:|\n| {} | {coach} ({}) | {} | {} | {} ({} coach, {} client) | {} |\n",
        sum.path.replace('`', "'"),
        md(sum.date.as_deref().unwrap_or("not given")),
        coach_source(&sum.coach_source),
        md(&sum.clients.join(", ")),
        sum.duration_seconds
            .map_or("no timestamps".into(), duration),
        sum.turns,
        sum.coach_turns,
        sum.client_turns,
        sum.words
    );
    key_figures(out, &h, sum);
    talk_share(out, &h, s);
    questions(out, &h, sum);
    modes(out, &h, sum);
    miti(out, &h, sum);
    markers(out, &h, s);
    findings(out, &h, s);
}

fn key_figures(out: &mut String, h: &str, sum: &Summary) {
    let zone = format!(
        "{}–{} green zone",
        fixed(GREEN_ZONE.0 * 100.0, 0),
        percent(GREEN_ZONE.1)
    );
    let mut talk = if sum.in_green_zone {
        format!("in the {zone}")
    } else if sum.coach_talk_share < GREEN_ZONE.0 {
        format!("below the {zone}")
    } else {
        format!("above the {zone}")
    };
    if let Some(t) = sum.coach_time_share {
        let _ = write!(talk, "; {} of the time", percent(t));
    }
    let rq = match sum.miti.rq_level {
        Some(l) => format!(
            "{} by motivational interviewing's thresholds ({}:1 fair, {}:1 good)",
            l.label(),
            fixed(MITI_RQ_FAIR, 0),
            fixed(MITI_RQ_GOOD, 0)
        ),
        None => "no questions".into(),
    };
    let _ = writeln!(
        out,
        "{h} Key figures\n\n| Measure | Value | Reading |\n|---|---:|---|\n| Coach talk share | {} | {talk} |\n| Questions per statement | {} | {}, {} |\n| Open questions | {} | of the coach's questions |\n| Reflections per question (R:Q) | {} | {rq} |\n| Advice per 100 coach turns | {} | {} without, {} with permission |\n| Findings | {} | {} of {} PCC markers with evidence |\n",
        percent(sum.coach_talk_share),
        sum.question_ratio.map_or("–".into(), |v| fixed(v, 2)),
        count(sum.miti.questions, "question"),
        count(sum.coach_statements, "statement"),
        sum.open_question_share.map_or("–".into(), percent),
        sum.miti
            .reflection_to_question
            .map_or("–".into(), |v| fixed(v, 2)),
        fixed(sum.advice_per_100_turns, 1),
        sum.miti.advice_without_permission,
        sum.miti.advice_with_permission,
        sum.findings,
        sum.markers_evidenced(),
        sum.markers.len()
    );
}

fn talk_share(out: &mut String, h: &str, s: &Session) {
    let m = &s.analysis.metrics;
    let total_secs: f64 = m.speakers.iter().filter_map(|x| x.seconds).sum();
    let _ = writeln!(
        out,
        "{h} Talk share\n\n| Speaker | Role | Turns | Words | Share of words | Share of time |\n|---|---|---:|---:|---:|---:|"
    );
    let mut rows: Vec<_> = m.speakers.iter().collect();
    rows.sort_by_key(|x| (x.role != Role::Coach, std::cmp::Reverse(x.words)));
    for sp in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            md(&sp.name),
            if sp.role == Role::Coach {
                "coach"
            } else {
                "client"
            },
            sp.turns,
            sp.words,
            percent(sp.talk_share),
            sp.seconds
                .filter(|_| total_secs > 0.0)
                .map_or("–".into(), |x| percent(x / total_secs))
        );
    }
    let _ = writeln!(
        out,
        "\nThe coaching green zone for the coach is {}–{} of the talk: the client does most of the talking (ICF PCC marker 7.8).\n",
        fixed(GREEN_ZONE.0 * 100.0, 0),
        percent(GREEN_ZONE.1)
    );
}

fn questions(out: &mut String, h: &str, sum: &Summary) {
    if sum.segments.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{h} Questions across the session\n\nThe coach's sentences in {} parts of equal numbers of coach turns.\n\n| Part | Turns | Open questions | Closed questions | Statements | Questions per statement | Open |\n|---|---|---:|---:|---:|---:|---:|",
        sum.segments.len()
    );
    for (k, g) in sum.segments.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {}–{} | {} | {} | {} | {} | {} |",
            k + 1,
            g.first_turn + 1,
            g.last_turn + 1,
            g.open_questions,
            g.closed_questions,
            g.statements,
            g.question_ratio.map_or("–".into(), |v| fixed(v, 2)),
            g.open_question_share.map_or("–".into(), percent)
        );
    }
    out.push('\n');
}

fn modes(out: &mut String, h: &str, sum: &Summary) {
    let _ = writeln!(
        out,
        "{h} Conversation modes\n\n| Mode | Coach turns | Share | The helper… |\n|---|---:|---:|---|"
    );
    for m in sum.modes.iter().filter(|m| m.turns > 0) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            m.mode.as_str(),
            m.turns,
            percent(m.share),
            m.mode.description()
        );
    }
    out.push('\n');
}

fn miti(out: &mut String, h: &str, sum: &Summary) {
    let m = &sum.miti;
    let rq = match (m.reflection_to_question, m.rq_level) {
        (Some(r), Some(l)) => format!("{} ({})", fixed(r, 2), l.label()),
        _ => "– (no questions)".into(),
    };
    let _ = writeln!(
        out,
        "{h} MITI-style counts\n\n| Behaviour | MITI code | Count |\n|---|---|---:|\n| Questions | Question | {} |\n| Reflections | Simple and complex reflection | {} |\n| Reflection-to-question ratio (R:Q) | R:Q summary score | {rq} |\n| Advice without permission | Persuade | {} |\n| Advice with permission | Persuade with permission | {} |\n| Confronting language | Confront | {} |\n\n*Counted in the manner of motivational interviewing's treatment-integrity code (MITI 4.2.1), by pattern and per sentence. The thresholds (R:Q {}:1 fair, {}:1 good) come from motivational interviewing, not from coaching standards: read them as context.*\n",
        m.questions,
        m.reflections,
        m.advice_without_permission,
        m.advice_with_permission,
        m.confronting,
        fixed(MITI_RQ_FAIR, 0),
        fixed(MITI_RQ_GOOD, 0)
    );
}

fn markers(out: &mut String, h: &str, s: &Session) {
    let sum = &s.summary;
    let _ = writeln!(
        out,
        "{h} ICF PCC marker evidence\n\n*Evidence for a person to judge, not a score: ICF says the PCC markers are not a checklist. {} of {} markers have some evidence.*\n",
        sum.markers_evidenced(),
        sum.markers.len()
    );
    let with: Vec<_> = sum.markers.iter().filter(|r| r.has_evidence()).collect();
    if !with.is_empty() {
        out.push_str("| Marker | The coach… | Evidence |\n|---|---|---|\n");
        for r in with {
            let mut ev = Vec::new();
            if !r.lines.is_empty() {
                let shown: Vec<String> = r
                    .lines
                    .iter()
                    .take(MARKER_LINES)
                    .map(|l| l.to_string())
                    .collect();
                let mut l = format!(
                    "{} {}",
                    if r.lines.len() == 1 { "line" } else { "lines" },
                    shown.join(", ")
                );
                if r.lines.len() > MARKER_LINES {
                    let _ = write!(l, " and {} more", r.lines.len() - MARKER_LINES);
                }
                if let Some(&first) = r.turns.first() {
                    let text = &s.analysis.transcript.turns[first].text;
                    let _ = write!(l, ": “{}”", md(&truncate(text, 90)));
                }
                ev.push(l);
            }
            if let Some(note) = &r.note {
                ev.push(format!("session: {}", md(note)));
            }
            let _ = writeln!(out, "| {} | {} | {} |", r.marker, r.title, ev.join("; "));
        }
        out.push('\n');
    }
    let without: Vec<String> = sum
        .markers
        .iter()
        .filter(|r| !r.has_evidence())
        .map(|r| format!("{} ({})", r.marker, r.title))
        .collect();
    if !without.is_empty() {
        let _ = writeln!(
            out,
            "**No evidence found in the transcript for:** {}.\n",
            without.join("; ")
        );
    }
}

fn findings(out: &mut String, h: &str, s: &Session) {
    let a = &s.analysis;
    let _ = writeln!(out, "{h} Findings ({})\n", a.findings.len());
    if a.findings.is_empty() {
        out.push_str("No findings: nothing in this session matched a rule.\n\n");
        return;
    }
    if a.suppressed > 0 {
        let _ = writeln!(
            out,
            "{} more silenced by `coachlint-disable` comments in the transcript.\n",
            a.suppressed
        );
    }
    for c in &s.summary.findings_by_category {
        let _ = writeln!(
            out,
            "{h}# {} ({})\n\n*{}*\n",
            category_title(c.category),
            c.count,
            category_description(c.category)
        );
        for f in a.findings.iter().filter(|f| f.category() == c.category) {
            let _ = writeln!(
                out,
                "**{}** {} · {} · line {}: {}\n",
                f.rule.code,
                md(&f.rule.name),
                f.severity.as_str(),
                s.line_of(f.span.start),
                md(&f.message)
            );
            let mut quote = Vec::new();
            if let Some(e) = excerpt::of(a, f) {
                // Emphasis must hug the words: spaces go outside the `**`.
                let hit = e.hit.trim();
                let lead = &e.hit[..e.hit.len() - e.hit.trim_start().len()];
                let trail = &e.hit[e.hit.trim_end().len()..];
                let marked = if hit.is_empty() {
                    String::new()
                } else {
                    format!("{lead}**{}**{trail}", md(hit))
                };
                quote.push(format!(
                    "**{}:** {}{marked}{}",
                    md(e.speaker),
                    md(&e.before),
                    md(&e.after)
                ));
            }
            let tries: Vec<String> = f
                .rephrasings
                .iter()
                .take(REPHRASINGS)
                .map(|r| md(&r.text))
                .collect();
            if !tries.is_empty() {
                quote.push(format!("*Try asking:* {}", tries.join(" · ")));
            }
            if !quote.is_empty() {
                let _ = writeln!(out, "> {}\n", quote.join("\n>\n> "));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_and_gaps() {
        assert_eq!(
            sparkline(&[Some(0.0), Some(0.5), Some(1.0), None], 1.0),
            "▁▅█ "
        );
        let long: Vec<Option<f64>> = (0..1000).map(|i| Some(i as f64)).collect();
        assert_eq!(sparkline(&long, 1000.0).chars().count(), 59);
    }
}
