//! The figures of one session that a report shows, computed once from the
//! engine's [`Analysis`] and shared by the HTML, Markdown and JSON forms.

use coachlint_core::analysis::{CoachSource, Mode, SentenceKind, count_by_category};
use coachlint_core::text::LineIndex;
use coachlint_core::{Analysis, Category, Role};
use serde::{Serialize, Serializer};
use std::fmt;

/// The coach's share of the talk that coaching tools mark as the green zone.
pub const GREEN_ZONE: (f64, f64) = (0.20, 0.30);

/// Motivational interviewing's reflection-to-question thresholds (MITI 4.2.1,
/// expert opinion): 1:1 is fair, 2:1 is good. Borrowed, not a coaching standard.
pub const MITI_RQ_FAIR: f64 = 1.0;
pub const MITI_RQ_GOOD: f64 = 2.0;

/// Parts the session is cut into to show how questioning changes across it.
const SEGMENTS: usize = 5;

/// A calendar date read from front matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl fmt::Display for SessionDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for SessionDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl SessionDate {
    /// Reads `2026-10-14` (or with `/` or `.`, optionally followed by a time),
    /// `14 October 2026`, `14 Oct 2026`, `October 14, 2026`, and `14/10/2026`
    /// where the day cannot be the month. `03/04/2026` is ambiguous and gives
    /// `None`, as does anything that is not a real calendar date.
    pub fn parse(s: &str) -> Option<SessionDate> {
        let mut tokens: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '.' | ','))
            .filter(|t| !t.is_empty())
            .collect();
        // The leading digits of a token: `14T09:30:00Z` is the 14th.
        let num = |t: &str| {
            let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            (1..=4)
                .contains(&digits)
                .then(|| t[..digits].parse::<u32>().ok())
                .flatten()
        };
        let month = |t: &str| {
            let t = t.to_lowercase();
            (t.len() >= 3)
                .then(|| MONTHS.iter().position(|m| m.starts_with(&t)))
                .flatten()
                .map(|i| i as u32 + 1)
        };
        // A weekday before the date (`Tuesday, 14 October 2026`).
        if tokens
            .first()
            .is_some_and(|t| t.chars().all(char::is_alphabetic) && month(t).is_none())
        {
            tokens.remove(0);
        }
        let (y, m, d) = match tokens.as_slice() {
            [a, b, c, ..] if a.len() == 4 && num(a).is_some() => (num(a)?, num(b)?, num(c)?),
            [a, b, c, ..] if num(a).is_some() && month(b).is_some() => {
                (num(c)?, month(b)?, num(a)?)
            }
            [a, b, c, ..] if month(a).is_some() && num(b).is_some() => {
                (num(c)?, month(a)?, num(b)?)
            }
            // Numbers with the year last: only when the day cannot be the month.
            [a, b, c, ..] if c.len() == 4 => match (num(a)?, num(b)?) {
                (d, m) if d > 12 && m <= 12 => (num(c)?, m, d),
                (m, d) if d > 12 && m <= 12 => (num(c)?, m, d),
                _ => return None,
            },
            _ => return None,
        };
        let date = SessionDate {
            year: i32::try_from(y).ok()?,
            month: m,
            day: d,
        };
        (date.year >= 1900 && (1..=12).contains(&m) && d >= 1 && d <= date.days_in_month())
            .then_some(date)
    }

    fn days_in_month(&self) -> u32 {
        let leap = self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0);
        match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
}

/// A stretch of the session (an equal share of the coach's turns) and how the
/// coach spoke in it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Segment {
    /// Index of the first and last transcript turn the stretch covers.
    pub first_turn: usize,
    pub last_turn: usize,
    /// Seconds from the start of the recording, where there are timestamps.
    pub start_time: Option<f64>,
    pub coach_turns: usize,
    pub open_questions: usize,
    pub closed_questions: usize,
    pub statements: usize,
    /// Questions per statement; `None` with no statements.
    pub question_ratio: Option<f64>,
    /// Open questions among questions, 0–1; `None` with no questions.
    pub open_question_share: Option<f64>,
}

/// Coach turns in one conversation mode.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModeShare {
    pub mode: Mode,
    pub turns: usize,
    /// Of all coach turns, 0–1.
    pub share: f64,
}

/// Where a reflection-to-question ratio stands against MITI's thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RqLevel {
    BelowFair,
    Fair,
    Good,
}

impl RqLevel {
    pub fn of(ratio: f64) -> RqLevel {
        if ratio >= MITI_RQ_GOOD {
            RqLevel::Good
        } else if ratio >= MITI_RQ_FAIR {
            RqLevel::Fair
        } else {
            RqLevel::BelowFair
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RqLevel::BelowFair => "below fair",
            RqLevel::Fair => "fair",
            RqLevel::Good => "good",
        }
    }
}

/// Behaviour counts in the manner of MITI (motivational interviewing).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Miti {
    pub questions: usize,
    pub reflections: usize,
    /// Reflections per question (R:Q); `None` with no questions.
    pub reflection_to_question: Option<f64>,
    pub rq_level: Option<RqLevel>,
    pub advice_without_permission: usize,
    pub advice_with_permission: usize,
    pub confronting: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryCount {
    pub category: Category,
    pub count: usize,
}

/// Evidence for one ICF PCC marker.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarkerRow {
    pub marker: &'static str,
    /// What the coach does, e.g. "explores the client's emotions".
    pub title: &'static str,
    /// Coach turns whose words are evidence, and the lines they start on.
    pub turns: Vec<usize>,
    pub lines: Vec<usize>,
    /// Evidence from the session as a whole.
    pub note: Option<String>,
}

impl MarkerRow {
    pub fn has_evidence(&self) -> bool {
        !self.turns.is_empty() || self.note.is_some()
    }
}

/// What a report shows about one session.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub path: String,
    /// The front-matter topic, else the file name without its extension.
    pub title: String,
    /// The front-matter date as written.
    pub date: Option<String>,
    /// That date as a calendar date, when it reads as one; the report orders by it.
    pub sort_date: Option<SessionDate>,
    pub topic: Option<String>,
    pub coach: Vec<String>,
    pub clients: Vec<String>,
    pub coach_source: CoachSource,
    pub format: &'static str,
    pub turns: usize,
    pub coach_turns: usize,
    pub client_turns: usize,
    pub words: usize,
    /// Coach sentences that are not questions.
    pub coach_statements: usize,
    pub duration_seconds: Option<f64>,
    /// Coach share of the words spoken, 0–1.
    pub coach_talk_share: f64,
    /// Coach share of the time spoken, where there are timestamps.
    pub coach_time_share: Option<f64>,
    /// Whether the coach's share of the words is within [`GREEN_ZONE`].
    pub in_green_zone: bool,
    pub question_ratio: Option<f64>,
    pub open_question_share: Option<f64>,
    /// Advice without permission per 100 coach turns.
    pub advice_per_100_turns: f64,
    pub segments: Vec<Segment>,
    pub modes: Vec<ModeShare>,
    pub miti: Miti,
    pub findings: usize,
    pub findings_by_category: Vec<CategoryCount>,
    pub markers: Vec<MarkerRow>,
    /// Markers for which nothing in the session is evidence.
    pub markers_without_evidence: Vec<&'static str>,
}

impl Summary {
    pub(crate) fn new(path: &str, text: &str, lines: &LineIndex, a: &Analysis) -> Summary {
        let t = &a.transcript;
        let m = &a.metrics;
        let names = |role| {
            t.speakers
                .iter()
                .filter(|s| s.role == role)
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
        };
        let stem = std::path::Path::new(path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty() && path != "-")
            .unwrap_or_else(|| "standard input".to_owned());
        let topic = t
            .front_matter
            .topic
            .clone()
            .filter(|s| !s.trim().is_empty());
        let date = t.front_matter.date.clone().filter(|s| !s.trim().is_empty());
        let turn_line = |i: usize| lines.line_col(text, t.turns[i].start()).line;
        let markers: Vec<MarkerRow> = a
            .markers
            .iter()
            .map(|e| MarkerRow {
                marker: e.marker,
                title: e.title,
                turns: e.turns.clone(),
                lines: e.turns.iter().map(|&i| turn_line(i)).collect(),
                note: e.note.clone(),
            })
            .collect();
        let coach_turns = m.coach_turns;
        Summary {
            path: path.to_owned(),
            title: topic.clone().unwrap_or(stem),
            sort_date: date.as_deref().and_then(SessionDate::parse),
            date,
            topic,
            coach: names(Role::Coach),
            clients: names(Role::Client),
            coach_source: a.coach_source.clone(),
            format: t.format.as_str(),
            turns: t.turns.len(),
            coach_turns,
            client_turns: m.client_turns,
            words: m.coach_words + m.client_words,
            coach_statements: m.coach_statements,
            duration_seconds: m.duration_seconds,
            coach_talk_share: m.coach_talk_share,
            coach_time_share: m.coach_time_share,
            in_green_zone: in_green_zone(m.coach_talk_share),
            question_ratio: m.question_ratio,
            open_question_share: m.open_question_share,
            advice_per_100_turns: m.advice_per_100_turns,
            segments: segments(a),
            modes: m
                .modes
                .iter()
                .map(|&(mode, turns)| ModeShare {
                    mode,
                    turns,
                    share: share(turns, coach_turns),
                })
                .collect(),
            miti: Miti {
                questions: m.coach_questions,
                reflections: m.reflections,
                reflection_to_question: m.reflection_to_question,
                rq_level: m.reflection_to_question.map(RqLevel::of),
                advice_without_permission: m.advice,
                advice_with_permission: m.advice_with_permission,
                confronting: m.confronting,
            },
            findings: a.findings.len(),
            findings_by_category: count_by_category(&a.findings)
                .into_iter()
                .map(|(category, count)| CategoryCount { category, count })
                .collect(),
            markers_without_evidence: markers
                .iter()
                .filter(|r| !r.has_evidence())
                .map(|r| r.marker)
                .collect(),
            markers,
        }
    }

    /// Markers with some evidence.
    pub fn markers_evidenced(&self) -> usize {
        self.markers.iter().filter(|r| r.has_evidence()).count()
    }
}

/// The sessions of a report taken together: each session counts once.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overall {
    pub sessions: usize,
    pub first_date: Option<SessionDate>,
    pub last_date: Option<SessionDate>,
    pub mean_coach_talk_share: Option<f64>,
    pub sessions_in_green_zone: usize,
    pub mean_question_ratio: Option<f64>,
    pub mean_open_question_share: Option<f64>,
    pub mean_advice_per_100_turns: Option<f64>,
    pub findings: usize,
}

impl Overall {
    pub fn new<'a>(sums: impl IntoIterator<Item = &'a Summary>) -> Overall {
        let sums: Vec<&Summary> = sums.into_iter().collect();
        let mean = |f: fn(&Summary) -> Option<f64>| {
            let v: Vec<f64> = sums.iter().filter_map(|s| f(s)).collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        };
        Overall {
            sessions: sums.len(),
            first_date: sums.iter().filter_map(|s| s.sort_date).min(),
            last_date: sums.iter().filter_map(|s| s.sort_date).max(),
            mean_coach_talk_share: mean(|s| Some(s.coach_talk_share)),
            sessions_in_green_zone: sums.iter().filter(|s| s.in_green_zone).count(),
            mean_question_ratio: mean(|s| s.question_ratio),
            mean_open_question_share: mean(|s| s.open_question_share),
            mean_advice_per_100_turns: mean(|s| Some(s.advice_per_100_turns)),
            findings: sums.iter().map(|s| s.findings).sum(),
        }
    }

    /// `2026-09-01 to 2026-11-20`, or one date, or `None` with no dates.
    pub fn date_range(&self) -> Option<String> {
        let (a, b) = (self.first_date?, self.last_date?);
        Some(if a == b {
            a.to_string()
        } else {
            format!("{a} to {b}")
        })
    }
}

pub(crate) fn in_green_zone(share: f64) -> bool {
    // Rounded as shown, so a coach shown at "30%" is never reported outside it.
    let pct = (share * 100.0).round();
    (GREEN_ZONE.0 * 100.0..=GREEN_ZONE.1 * 100.0).contains(&pct)
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 { 0.0 } else { n as f64 / of as f64 }
}

/// Cuts the coach's turns into up to [`SEGMENTS`] equal runs and counts the
/// coach's sentences by kind in each.
fn segments(a: &Analysis) -> Vec<Segment> {
    let t = &a.transcript;
    let coach: Vec<usize> = (0..t.turns.len())
        .filter(|&i| t.role(&t.turns[i]) == Role::Coach)
        .collect();
    let n = SEGMENTS.min(coach.len());
    let mut out = Vec::with_capacity(n);
    let mut first_turn = 0;
    for k in 0..n {
        let chunk = &coach[k * coach.len() / n..(k + 1) * coach.len() / n];
        let (mut open, mut closed, mut statements) = (0, 0, 0);
        for &i in chunk {
            for s in &a.sentences[a.turns[i].sentences.clone()] {
                match s.kind {
                    SentenceKind::OpenQuestion => open += 1,
                    SentenceKind::ClosedQuestion => closed += 1,
                    SentenceKind::Statement => statements += 1,
                }
            }
        }
        // The last stretch runs to the end, so client turns after the coach's
        // last one still belong to the session's close.
        let last_turn = if k + 1 == n {
            t.turns.len() - 1
        } else {
            *chunk.last().unwrap_or(&first_turn)
        };
        let questions = open + closed;
        out.push(Segment {
            first_turn,
            last_turn,
            start_time: t.turns[first_turn].start_time,
            coach_turns: chunk.len(),
            open_questions: open,
            closed_questions: closed,
            statements,
            question_ratio: (statements > 0).then(|| questions as f64 / statements as f64),
            open_question_share: (questions > 0).then(|| open as f64 / questions as f64),
        });
        first_turn = last_turn + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_common_date_forms() {
        let d = |y, m, d| {
            Some(SessionDate {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(SessionDate::parse("2026-10-14"), d(2026, 10, 14));
        assert_eq!(SessionDate::parse("2026/3/4 14:00"), d(2026, 3, 4));
        assert_eq!(SessionDate::parse("2026-10-14T09:30:00Z"), d(2026, 10, 14));
        assert_eq!(SessionDate::parse("14 October 2026"), d(2026, 10, 14));
        assert_eq!(SessionDate::parse("14 Oct 2026"), d(2026, 10, 14));
        assert_eq!(SessionDate::parse("October 14, 2026"), d(2026, 10, 14));
        assert_eq!(
            SessionDate::parse("Tuesday, 14 October 2026"),
            d(2026, 10, 14)
        );
        assert_eq!(SessionDate::parse("14/10/2026"), d(2026, 10, 14));
        assert_eq!(SessionDate::parse("10/14/2026"), d(2026, 10, 14));
    }

    #[test]
    fn refuses_ambiguous_and_impossible_dates() {
        assert_eq!(SessionDate::parse("03/04/2026"), None);
        assert_eq!(SessionDate::parse("2026-02-30"), None);
        assert_eq!(SessionDate::parse("2026-13-01"), None);
        assert_eq!(SessionDate::parse("last Tuesday"), None);
        assert_eq!(SessionDate::parse(""), None);
        assert_eq!(SessionDate::parse("2024-02-29").unwrap().day, 29);
        assert_eq!(SessionDate::parse("2023-02-29"), None);
    }

    #[test]
    fn green_zone_edges_are_inclusive_as_shown() {
        assert!(in_green_zone(0.20));
        assert!(in_green_zone(0.304));
        assert!(!in_green_zone(0.306));
        assert!(!in_green_zone(0.194));
    }

    #[test]
    fn segments_cover_every_turn_once() {
        let text = (0..13)
            .map(|i| {
                if i % 2 == 0 {
                    format!("Coach: What would you like {i}? I see.\n")
                } else {
                    format!("Client: Something {i}.\n")
                }
            })
            .collect::<String>();
        let a = coachlint_core::analyze(&text, &coachlint_core::Config::default()).unwrap();
        let segs = segments(&a);
        assert_eq!(segs.len(), 5);
        assert_eq!(segs[0].first_turn, 0);
        assert_eq!(segs.last().unwrap().last_turn, 12);
        for w in segs.windows(2) {
            assert_eq!(w[0].last_turn + 1, w[1].first_turn);
        }
        assert_eq!(segs.iter().map(|s| s.coach_turns).sum::<usize>(), 7);
        assert_eq!(segs.iter().map(|s| s.open_questions).sum::<usize>(), 7);
        assert_eq!(segs.iter().map(|s| s.statements).sum::<usize>(), 7);
    }
}
