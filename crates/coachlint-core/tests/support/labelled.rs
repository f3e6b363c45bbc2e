//! The labelled coach-utterance set (`tests/fixtures/labelled/*.tsv`): loading,
//! running each utterance through the real pipeline, and scoring. Shared by the
//! floors test (`tests/accuracy.rs`) and the evaluation tool (`examples/eval.rs`).

use coachlint_core::{Analysis, Category, Config, analyze};
use std::fmt;
use std::path::{Path, PathBuf};

/// The labelled set, relative to this crate.
pub const DEFAULT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/labelled");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Question {
    Open,
    Closed,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advice {
    None,
    /// Advice without permission.
    Given,
    /// Advice after permission or with autonomy framing.
    Permitted,
}

/// What a coach utterance is (gold) or was found to be (predicted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Labels {
    pub question: Question,
    pub advice: Advice,
    pub judgment: bool,
    pub leading: bool,
    pub mentoring: bool,
}

#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    /// `file:line`, for messages.
    pub origin: String,
    pub prev_coach: String,
    pub client: String,
    pub coach: String,
    pub gold: Labels,
    pub note: String,
}

impl Row {
    /// Whether the row belongs to the held-out quarter: 64-bit FNV-1a of the id,
    /// so the split is fixed by the id and nobody chooses it.
    pub fn held_out(&self) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self.id.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h % 4 == 0
    }

    /// The tiny transcript the utterance is analysed in: the previous coach turn
    /// (if any), the client's turn, then the utterance.
    pub fn transcript(&self) -> String {
        let mut t = String::from("---\ncoach: Coach\n---\n");
        if !self.prev_coach.is_empty() {
            t += &format!("Coach: {}\n", self.prev_coach);
        }
        t += &format!("Client: {}\nCoach: {}\n", self.client, self.coach);
        t
    }
}

const HEADER: [&str; 10] = [
    "id",
    "prev_coach",
    "client",
    "coach",
    "question",
    "advice",
    "judgment",
    "leading",
    "mentoring",
    "note",
];

/// Reads one labelled file. Errors name the file and line.
pub fn load_file(path: &Path) -> Result<Vec<Row>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut rows = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.split('\t').eq(HEADER) => {}
        _ => {
            return Err(format!(
                "{}:1: the header must be the columns {}",
                path.display(),
                HEADER.join(", ")
            ));
        }
    }
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let origin = format!("{}:{}", path.display(), i + 1);
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != HEADER.len() {
            return Err(format!(
                "{origin}: {} columns, expected {}",
                f.len(),
                HEADER.len()
            ));
        }
        let bit = |col: usize| match f[col] {
            "1" => Ok(true),
            "0" => Ok(false),
            v => Err(format!(
                "{origin}: {} must be 0 or 1, not {v:?}",
                HEADER[col]
            )),
        };
        let question = match f[4] {
            "open" => Question::Open,
            "closed" => Question::Closed,
            "none" => Question::None,
            v => {
                return Err(format!(
                    "{origin}: question must be open, closed or none, not {v:?}"
                ));
            }
        };
        let advice = match f[5] {
            "none" => Advice::None,
            "advice" => Advice::Given,
            "permission" => Advice::Permitted,
            v => {
                return Err(format!(
                    "{origin}: advice must be none, advice or permission, not {v:?}"
                ));
            }
        };
        if f[0].is_empty() || f[2].is_empty() || f[3].is_empty() {
            return Err(format!("{origin}: id, client and coach must not be empty"));
        }
        let gold = Labels {
            question,
            advice,
            judgment: bit(6)?,
            leading: bit(7)?,
            mentoring: bit(8)?,
        };
        rows.push(Row {
            id: f[0].to_owned(),
            origin,
            prev_coach: f[1].to_owned(),
            client: f[2].to_owned(),
            coach: f[3].to_owned(),
            gold,
            note: f[9].to_owned(),
        });
    }
    Ok(rows)
}

/// Every `*.tsv` in a directory, in file-name order; ids must be unique.
pub fn load_dir(dir: &Path) -> Result<Vec<Row>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read the labelled set: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no .tsv files", dir.display()));
    }
    let mut rows: Vec<Row> = Vec::new();
    for f in files {
        rows.extend(load_file(&f)?);
    }
    let mut ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("id {} is used twice", w[0]));
    }
    Ok(rows)
}

/// What the pipeline says about the last turn of an analysed transcript.
pub fn predict(a: &Analysis) -> Labels {
    let last = a.transcript.turns.len() - 1;
    let ta = &a.turns[last];
    let question = if ta.open_questions > 0 {
        Question::Open
    } else if ta.questions > 0 {
        Question::Closed
    } else {
        Question::None
    };
    let on_last: Vec<_> = a.findings.iter().filter(|f| f.turn == Some(last)).collect();
    let has = |c: Category| on_last.iter().any(|f| f.category() == c);
    // Advice disguised as a question (LED001) is advice too; ADV010 is advice
    // reported at information severity because permission was there.
    let advice_codes: Vec<&str> = on_last
        .iter()
        .filter(|f| f.category() == Category::Advice || f.rule.code == "LED001")
        .map(|f| f.rule.code.as_str())
        .collect();
    let advice = if advice_codes.is_empty() {
        Advice::None
    } else if advice_codes.iter().all(|c| *c == "ADV010") {
        Advice::Permitted
    } else {
        Advice::Given
    };
    Labels {
        question,
        advice,
        judgment: has(Category::Judgment),
        leading: has(Category::Leading),
        mentoring: has(Category::Mentoring),
    }
}

/// Runs a row through `analyze`. A row that does not parse is an error in the set.
pub fn run(row: &Row, config: &Config) -> Result<Labels, String> {
    let a = analyze(&row.transcript(), config)
        .map_err(|e| format!("{}: {} does not parse: {e}", row.origin, row.id))?;
    Ok(predict(&a))
}

/// True/false positives and negatives of one yes/no decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Counts {
    pub fn add(&mut self, gold: bool, predicted: bool) {
        match (gold, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    /// Precision; 1.0 when nothing was predicted (no false alarm was raised).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp, 1.0)
    }

    /// Recall; 1.0 when there was nothing to find.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_, 1.0)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    pub fn positives(&self) -> usize {
        self.tp + self.fn_
    }

    pub fn total(&self) -> usize {
        self.tp + self.fp + self.fn_ + self.tn
    }
}

fn ratio(a: usize, b: usize, empty: f64) -> f64 {
    if b == 0 { empty } else { a as f64 / b as f64 }
}

/// Every score the set measures.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scores {
    pub rows: usize,
    /// A question (open or closed) vs none.
    pub question: Counts,
    /// Open vs closed, on utterances that are questions and were seen as questions:
    /// `tp` counts agreements, `fn_` disagreements.
    pub open_closed: Counts,
    /// Advice of any kind (with or without permission) vs none.
    pub advice: Counts,
    /// Advice without permission: what users see as a warning.
    pub unpermitted: Counts,
    pub judgment: Counts,
    pub leading: Counts,
    pub mentoring: Counts,
}

impl Scores {
    pub fn add(&mut self, gold: &Labels, got: &Labels) {
        self.rows += 1;
        let is_q = |q: Question| q != Question::None;
        self.question.add(is_q(gold.question), is_q(got.question));
        if is_q(gold.question) && is_q(got.question) {
            self.open_closed.add(true, gold.question == got.question);
        }
        self.advice
            .add(gold.advice != Advice::None, got.advice != Advice::None);
        self.unpermitted
            .add(gold.advice == Advice::Given, got.advice == Advice::Given);
        self.judgment.add(gold.judgment, got.judgment);
        self.leading.add(gold.leading, got.leading);
        self.mentoring.add(gold.mentoring, got.mentoring);
    }

    /// Share of open/closed calls that agree with the label.
    pub fn open_closed_accuracy(&self) -> f64 {
        ratio(
            self.open_closed.tp,
            self.open_closed.tp + self.open_closed.fn_,
            1.0,
        )
    }
}

/// Scores for the development rows, the held-out rows and all rows, with the
/// rows whose prediction disagrees with the label.
pub struct Evaluation {
    pub dev: Scores,
    pub held_out: Scores,
    pub all: Scores,
    /// (row index, prediction) for every development row with a disagreement.
    pub dev_errors: Vec<(usize, Labels)>,
}

pub fn evaluate(rows: &[Row], config: &Config) -> Result<Evaluation, String> {
    let mut e = Evaluation {
        dev: Scores::default(),
        held_out: Scores::default(),
        all: Scores::default(),
        dev_errors: Vec::new(),
    };
    for (i, row) in rows.iter().enumerate() {
        let got = run(row, config)?;
        e.all.add(&row.gold, &got);
        if row.held_out() {
            e.held_out.add(&row.gold, &got);
        } else {
            e.dev.add(&row.gold, &got);
            if got != row.gold {
                e.dev_errors.push((i, got));
            }
        }
    }
    Ok(e)
}

impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Question::Open => "open",
            Question::Closed => "closed",
            Question::None => "none",
        })
    }
}

impl fmt::Display for Advice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Advice::None => "none",
            Advice::Given => "advice",
            Advice::Permitted => "permission",
        })
    }
}

impl Labels {
    /// The columns where two label sets differ, as `column: gold → predicted`.
    pub fn differences(&self, got: &Labels) -> Vec<String> {
        let mut d = Vec::new();
        if self.question != got.question {
            d.push(format!("question: {} → {}", self.question, got.question));
        }
        if self.advice != got.advice {
            d.push(format!("advice: {} → {}", self.advice, got.advice));
        }
        for (name, g, p) in [
            ("judgment", self.judgment, got.judgment),
            ("leading", self.leading, got.leading),
            ("mentoring", self.mentoring, got.mentoring),
        ] {
            if g != p {
                d.push(format!("{name}: {} → {}", g as u8, p as u8));
            }
        }
        d
    }
}
