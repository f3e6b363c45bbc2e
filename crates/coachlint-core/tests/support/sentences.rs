//! Advice-labelled sentence files such as the advice-reddit splits (columns
//! `ID`, `Majority_label`, `Sentence`, tab-separated, spaCy-tokenised). Shared by
//! the evaluation tool and the model trainer; never needed by tests.

use std::path::{Path, PathBuf};

pub struct LabelledSentence {
    /// `file:line`, for messages.
    pub origin: String,
    /// The `ID` column (`post-reply-sentence` in advice-reddit), empty if none.
    pub id: String,
    /// Detokenised.
    pub text: String,
    pub advice: bool,
    /// The Dawid-Skene label (`DS_Label`), where the file has one.
    pub ds_advice: Option<bool>,
}

/// Reads a sentence file; errors name the file and line.
pub fn load(path: &Path) -> Result<Vec<LabelledSentence>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .ok_or(format!("{}: empty file", path.display()))?
        .1
        .split('\t')
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or(format!("{}:1: no {name} column", path.display()))
    };
    let (label_col, sentence_col) = (col("Majority_label")?, col("Sentence")?);
    let id_col = header.iter().position(|h| *h == "ID");
    let ds_col = header.iter().position(|h| *h == "DS_Label");
    let mut out = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let origin = format!("{}:{}", path.display(), i + 1);
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(label), Some(sentence)) = (f.get(label_col), f.get(sentence_col)) else {
            return Err(format!("{origin}: missing columns"));
        };
        let advice = match *label {
            "1" => true,
            "0" => false,
            v => {
                return Err(format!(
                    "{origin}: Majority_label must be 0 or 1, not {v:?}"
                ));
            }
        };
        out.push(LabelledSentence {
            origin,
            id: id_col
                .and_then(|c| f.get(c))
                .map_or_else(String::new, |s| (*s).to_owned()),
            text: detokenize(sentence),
            advice,
            ds_advice: ds_col.and_then(|c| f.get(c)).and_then(|v| match *v {
                "1" => Some(true),
                "0" => Some(false),
                _ => None,
            }),
        });
    }
    Ok(out)
}

/// A file as given, or the files in a directory whose names end with `suffix`
/// (`_dev.tsv`, `_train.tsv`), sorted.
pub fn files(p: &Path, suffix: &str) -> Result<Vec<PathBuf>, String> {
    if !p.is_dir() {
        return Ok(vec![p.to_path_buf()]);
    }
    let mut v: Vec<PathBuf> = std::fs::read_dir(p)
        .map_err(|e| format!("{}: {e}", p.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|f| {
            f.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(suffix))
        })
        .collect();
    v.sort();
    if v.is_empty() {
        return Err(format!("{}: no *{suffix} files", p.display()));
    }
    Ok(v)
}

/// Undoes spaCy tokenisation: "do n't" → "don't", "I 've" → "I've", "word ." → "word.".
pub fn detokenize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev = "";
    for tok in s.split_whitespace() {
        let lower = tok.to_lowercase();
        let clitic = (lower.starts_with('\'') || lower.starts_with('’'))
            && (2..=3).contains(&lower.chars().count())
            && lower.chars().skip(1).all(char::is_alphabetic);
        let glue_left = matches!(
            tok,
            "." | "," | "!" | "?" | ";" | ":" | ")" | "]" | "%" | "..." | "…"
        ) || clitic
            || lower == "n't"
            || lower == "n’t"
            || (matches!(lower.as_str(), "na" | "ta")
                && matches!(prev.to_lowercase().as_str(), "gon" | "wan" | "got"));
        // "dont" was split as "do nt": put the apostrophe back.
        let bare_nt = lower == "nt"
            && matches!(
                prev.to_lowercase().as_str(),
                "do" | "does"
                    | "did"
                    | "is"
                    | "are"
                    | "was"
                    | "were"
                    | "could"
                    | "would"
                    | "should"
                    | "have"
                    | "has"
                    | "had"
                    | "ca"
                    | "wo"
                    | "must"
                    | "need"
            );
        let after_open = matches!(prev, "(" | "[" | "$");
        if !out.is_empty() && !glue_left && !after_open && !bare_nt {
            out.push(' ');
        }
        out.push_str(if bare_nt { "n't" } else { tok });
        prev = tok;
    }
    out
}
