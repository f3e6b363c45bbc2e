//! A small statistical advice detector, for the advice that phrase patterns do
//! not list ("Set an alarm on your phone.", "Swimming might be a good
//! alternative."). Logistic regression over hashed word n-grams and
//! sentence-start words, trained by `examples/train_advice.rs` on the train
//! splits of the advice-reddit data ("Help! Need Advice on Identifying Advice",
//! Govindarajan, Chen, Warholic, Erk and Li, EMNLP 2020; MIT licence).
//!
//! The weights are embedded in the binary (`model/advice.bin`, i8-quantised);
//! scoring is deterministic, allocation-light and takes a few microseconds a
//! sentence. The model only decides: a finding still quotes the words that
//! weighed most ([`Assessment::evidence`]).

use crate::Span;
use std::sync::LazyLock;

/// Feature-space size: `2^BITS` hashed buckets.
pub const BITS: u32 = 18;
const MAGIC: &[u8; 8] = b"CLADV01\0";
const HEADER: usize = 8 + 4 * 4;
const TRIGRAMS: bool = false;

/// Words a sentence may open with that say nothing about what it does; the
/// first word after them is a feature of its own ("So, try…" is "try…").
const OPENERS: &[&str] = &[
    "so", "and", "but", "also", "just", "ok", "okay", "well", "honestly", "then", "or", "um", "uh",
    "er", "like", "yeah", "yes", "no", "oh", "please", "first", "second", "third", "finally",
    "plus", "now", "edit", "anyway", "again", "still",
];

/// One hashed feature and the byte range of the words it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feature {
    pub index: u32,
    pub span: Span,
}

/// Base-form verbs that commonly start an instruction. A sentence or clause
/// that starts with one is a feature of its own, so the model can generalise
/// from "Try…" and "Call…" to verbs it rarely saw at the start of a sentence.
const VERBS: &[&str] = &[
    "accept",
    "acknowledge",
    "add",
    "admit",
    "allow",
    "apologise",
    "apologize",
    "apply",
    "ask",
    "avoid",
    "be",
    "block",
    "book",
    "breathe",
    "bring",
    "build",
    "buy",
    "call",
    "calm",
    "change",
    "check",
    "choose",
    "clean",
    "clear",
    "commit",
    "communicate",
    "consider",
    "contact",
    "continue",
    "cook",
    "create",
    "cut",
    "decide",
    "delegate",
    "delete",
    "discuss",
    "do",
    "document",
    "drink",
    "drop",
    "eat",
    "email",
    "encourage",
    "enjoy",
    "ensure",
    "explain",
    "explore",
    "express",
    "figure",
    "fill",
    "find",
    "finish",
    "focus",
    "follow",
    "forget",
    "forgive",
    "get",
    "give",
    "go",
    "grab",
    "have",
    "help",
    "hire",
    "hold",
    "ignore",
    "include",
    "invest",
    "invite",
    "join",
    "journal",
    "keep",
    "learn",
    "leave",
    "let",
    "limit",
    "listen",
    "look",
    "make",
    "manage",
    "meet",
    "mention",
    "move",
    "note",
    "offer",
    "open",
    "organise",
    "organize",
    "pay",
    "pick",
    "plan",
    "play",
    "practice",
    "practise",
    "prepare",
    "prioritise",
    "prioritize",
    "push",
    "put",
    "quit",
    "raise",
    "reach",
    "read",
    "reconsider",
    "record",
    "reduce",
    "reflect",
    "relax",
    "remember",
    "remind",
    "remove",
    "replace",
    "report",
    "research",
    "respect",
    "rest",
    "return",
    "review",
    "reward",
    "save",
    "say",
    "schedule",
    "search",
    "see",
    "seek",
    "sell",
    "send",
    "set",
    "share",
    "show",
    "sign",
    "sit",
    "skip",
    "sleep",
    "slow",
    "speak",
    "spend",
    "stand",
    "start",
    "stay",
    "step",
    "stick",
    "stop",
    "study",
    "switch",
    "take",
    "talk",
    "teach",
    "tell",
    "thank",
    "think",
    "throw",
    "track",
    "treat",
    "trust",
    "try",
    "turn",
    "unfollow",
    "update",
    "use",
    "visit",
    "volunteer",
    "wait",
    "walk",
    "watch",
    "wear",
    "work",
    "write",
];

const MODALS: &[&str] = &[
    "should",
    "could",
    "can",
    "might",
    "may",
    "must",
    "need",
    "have",
    "will",
    "would",
    "ought",
    "shouldn't",
    "can't",
    "won't",
    "might",
    "gotta",
    "got",
];

const PAST: &[&str] = &[
    "was", "were", "had", "did", "went", "got", "made", "took", "felt", "said", "told", "thought",
    "knew", "left", "found", "came", "saw", "gave", "kept", "spent", "became", "began", "lost",
];

/// Lower-cased words with their byte ranges, and whether a clause break
/// (`,` `;` `:` `(` or a dash) comes before each; typographic apostrophes become
/// straight ones and digit runs become `0`.
fn tokens(text: &str) -> Vec<(String, Span, bool)> {
    let mut out: Vec<(String, Span, bool)> = Vec::new();
    let mut brk = false;
    let mut cur = String::new();
    let mut start = 0;
    let mut end = 0;
    let flush = |cur: &mut String,
                 out: &mut Vec<(String, Span, bool)>,
                 brk: &mut bool,
                 start: usize,
                 end: usize| {
        let w = cur.trim_end_matches('\'');
        if !w.is_empty() {
            out.push((w.to_owned(), start..end, std::mem::take(brk)));
        }
        cur.clear();
    };
    for (i, c) in text.char_indices() {
        let apostrophe = c == '\'' || c == '’';
        if c.is_alphanumeric() || (apostrophe && !cur.is_empty()) {
            if cur.is_empty() {
                start = i;
            }
            if c.is_ascii_digit() {
                if !cur.ends_with('0') {
                    cur.push('0');
                }
            } else if apostrophe {
                cur.push('\'');
            } else {
                cur.extend(c.to_lowercase());
            }
            end = i + c.len_utf8();
        } else {
            if !cur.is_empty() {
                flush(&mut cur, &mut out, &mut brk, start, end);
            }
            brk |= matches!(c, ',' | ';' | ':' | '(' | '—' | '–');
        }
    }
    if !cur.is_empty() {
        flush(&mut cur, &mut out, &mut brk, start, end);
    }
    out
}

/// 32-bit FNV-1a with a final avalanche, so the low bits are well mixed.
fn hash(parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for (k, p) in parts.iter().enumerate() {
        if k > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0193);
        }
        for b in p.bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h & ((1 << BITS) - 1)
}

/// The features of a sentence: word unigrams, bigrams and trigrams (with
/// sentence boundaries), the first one and two words after openers, and
/// whether it ends in a question mark.
pub fn features(text: &str, out: &mut Vec<Feature>) {
    out.clear();
    let toks = tokens(text);
    let at_end = text.len();
    let word = |i: usize| toks[i].0.as_str();
    for i in 0..toks.len() {
        let span = toks[i].1.clone();
        out.push(Feature {
            index: hash(&["1", word(i)]),
            span: span.clone(),
        });
        let prev = if i == 0 { "<s>" } else { word(i - 1) };
        let from = if i == 0 {
            span.start
        } else {
            toks[i - 1].1.start
        };
        out.push(Feature {
            index: hash(&["2", prev, word(i)]),
            span: from..span.end,
        });
        if TRIGRAMS && i >= 1 {
            let prev2 = if i == 1 { "<s>" } else { word(i - 2) };
            let from = if i == 1 {
                toks[0].1.start
            } else {
                toks[i - 2].1.start
            };
            out.push(Feature {
                index: hash(&["3", prev2, word(i - 1), word(i)]),
                span: from..span.end,
            });
        }
    }
    if let Some(last) = toks.last() {
        out.push(Feature {
            index: hash(&["2", last.0.as_str(), "</s>"]),
            span: last.1.clone(),
        });
    }
    // The first words after openers and "you know"/"i mean" fillers.
    let words: Vec<&str> = toks.iter().map(|t| t.0.as_str()).collect();
    let k = core_start(&words);
    if k < toks.len() {
        out.push(Feature {
            index: hash(&["S", word(k)]),
            span: toks[k].1.clone(),
        });
        if VERBS.contains(&word(k)) {
            out.push(Feature {
                index: hash(&["SV"]),
                span: toks[k].1.clone(),
            });
        }
        if k + 1 < toks.len() {
            out.push(Feature {
                index: hash(&["S2", word(k), word(k + 1)]),
                span: toks[k].1.start..toks[k + 1].1.end,
            });
        }
    }
    // Word classes: "you" before a modal ("you could", "you'll want to"), the
    // speaker's own conditional ("I'd…", "I would…"), first-person past
    // narrative ("I tried…", "my son was…").
    for i in 0..toks.len() {
        let w = word(i);
        let next = if i + 1 < toks.len() { word(i + 1) } else { "" };
        let class = match w {
            "you" if MODALS.contains(&next) => Some("YM"),
            "you'll" | "you'd" | "you've" => Some("YM"),
            "i'd" => Some("IW"),
            "i" if next == "would" => Some("IW"),
            "i" | "we" | "my" if next.ends_with("ed") || PAST.contains(&next) => Some("P1"),
            _ => None,
        };
        if let Some(c) = class {
            let end = if i + 1 < toks.len() {
                toks[i + 1].1.end
            } else {
                toks[i].1.end
            };
            out.push(Feature {
                index: hash(&[c]),
                span: toks[i].1.start..end,
            });
        }
    }
    let len = match toks.len() {
        0..=3 => "L0",
        4..=8 => "L1",
        9..=16 => "L2",
        17..=30 => "L3",
        _ => "L4",
    };
    out.push(Feature {
        index: hash(&[len]),
        span: at_end..at_end,
    });
    // Clause starts: "If she calls, answer…".
    for (w, span, _) in toks.iter().skip(k + 1).filter(|t| t.2) {
        out.push(Feature {
            index: hash(&["C", w]),
            span: span.clone(),
        });
        if VERBS.contains(&w.as_str()) {
            out.push(Feature {
                index: hash(&["CV"]),
                span: span.clone(),
            });
        }
    }
    if text.trim_end().ends_with('?') {
        out.push(Feature {
            index: hash(&["?"]),
            span: at_end..at_end,
        });
    }
}

/// Whether a sentence opens (after fillers) with a verb that commonly starts an
/// instruction: "So, try the stairs." Such advice is rephrased as "What would
/// it take to…?".
pub fn opens_with_instruction(text: &str) -> bool {
    let toks = tokens(text);
    let words: Vec<&str> = toks.iter().map(|t| t.0.as_str()).collect();
    words
        .get(core_start(&words))
        .is_some_and(|w| VERBS.contains(w))
}

/// The index of the first word after openers and "you know"/"i mean" fillers.
fn core_start(words: &[&str]) -> usize {
    let mut k = 0;
    while k + 1 < words.len() {
        let w = words[k];
        if OPENERS.contains(&w) {
            k += 1;
        } else if (w == "you" && words[k + 1] == "know" || w == "i" && words[k + 1] == "mean")
            && k + 2 < words.len()
        {
            k += 2;
        } else {
            break;
        }
    }
    k
}

/// Trained weights: `bias + scale · Σ weights[feature]` is the log-odds.
#[derive(Clone, Debug)]
pub struct AdviceModel {
    weights: Vec<i8>,
    scale: f32,
    bias: f32,
    threshold: f32,
}

/// What the model made of a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// Probability that the sentence is advice.
    pub probability: f32,
    /// Whether it is at or above the model's decision threshold.
    pub advice: bool,
    /// The words that weighed most towards advice (a byte range of the sentence).
    pub evidence: Option<Span>,
}

static BUILTIN: LazyLock<Option<AdviceModel>> =
    LazyLock::new(|| AdviceModel::from_bytes(include_bytes!("model/advice.bin")).ok());

impl AdviceModel {
    /// The embedded model; `None` only if the embedded file were corrupt (a
    /// test makes sure it is not).
    pub fn builtin() -> Option<&'static AdviceModel> {
        BUILTIN.as_ref()
    }

    /// Quantises trained weights (one per bucket) into a model.
    pub fn quantize(weights: &[f32], bias: f32, threshold: f32) -> AdviceModel {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max == 0.0 { 1.0 } else { max / 127.0 };
        AdviceModel {
            weights: weights
                .iter()
                .map(|w| (w / scale).round().clamp(-127.0, 127.0) as i8)
                .collect(),
            scale,
            bias,
            threshold,
        }
    }

    /// The file format: magic, `BITS`, scale, bias, threshold (u32/f32 little
    /// endian), then one i8 per bucket.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(HEADER + self.weights.len());
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&BITS.to_le_bytes());
        b.extend_from_slice(&self.scale.to_le_bytes());
        b.extend_from_slice(&self.bias.to_le_bytes());
        b.extend_from_slice(&self.threshold.to_le_bytes());
        b.extend(self.weights.iter().map(|&w| w as u8));
        b
    }

    pub fn from_bytes(b: &[u8]) -> Result<AdviceModel, String> {
        if b.len() < HEADER || &b[..8] != MAGIC {
            return Err("not a coachlint advice model".into());
        }
        let word = |i: usize| [b[8 + 4 * i], b[9 + 4 * i], b[10 + 4 * i], b[11 + 4 * i]];
        let bits = u32::from_le_bytes(word(0));
        if bits != BITS || b.len() != HEADER + (1 << BITS) {
            return Err(format!(
                "advice model has {bits} bits and {} bytes; expected {BITS} bits",
                b.len()
            ));
        }
        Ok(AdviceModel {
            scale: f32::from_le_bytes(word(1)),
            bias: f32::from_le_bytes(word(2)),
            threshold: f32::from_le_bytes(word(3)),
            weights: b[HEADER..].iter().map(|&x| x as i8).collect(),
        })
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The probability that a sentence is advice.
    pub fn probability(&self, text: &str) -> f32 {
        let mut f = Vec::new();
        features(text, &mut f);
        sigmoid(self.logit(&f))
    }

    fn logit(&self, f: &[Feature]) -> f32 {
        let sum: i32 = f
            .iter()
            .map(|x| i32::from(self.weights[x.index as usize]))
            .sum();
        self.bias + self.scale * sum as f32
    }

    /// Scores a sentence and finds the words that weighed most towards advice.
    pub fn assess(&self, text: &str) -> Assessment {
        let mut f = Vec::new();
        features(text, &mut f);
        let probability = sigmoid(self.logit(&f));
        let evidence = f
            .iter()
            .filter(|x| !x.span.is_empty())
            .map(|x| (self.weights[x.index as usize], x))
            .filter(|(w, _)| *w > 0)
            .max_by_key(|(w, x)| (*w, std::cmp::Reverse(x.span.start)))
            .map(|(_, x)| x.span.clone());
        Assessment {
            probability,
            advice: probability >= self.threshold,
            evidence,
        }
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_normalise_case_apostrophes_and_digits() {
        let t: Vec<String> = tokens("Don’t call at 10:30, OK?")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(t, ["don't", "call", "at", "0", "0", "ok"]);
    }

    #[test]
    fn feature_spans_cover_their_words() {
        let text = "So, try the stairs.";
        let mut f = Vec::new();
        features(text, &mut f);
        let start = f
            .iter()
            .find(|x| x.index == hash(&["S", "try"]))
            .expect("sentence-start feature after the opener");
        assert_eq!(&text[start.span.clone()], "try");
        let bigram = f
            .iter()
            .find(|x| x.index == hash(&["2", "the", "stairs"]))
            .unwrap();
        assert_eq!(&text[bigram.span.clone()], "the stairs");
    }

    #[test]
    fn round_trips_through_bytes() {
        let mut w = vec![0f32; 1 << BITS];
        w[7] = 1.5;
        w[9] = -0.75;
        let m = AdviceModel::quantize(&w, -0.25, 0.6);
        let back = AdviceModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.weights, m.weights);
        assert_eq!(
            (back.scale, back.bias, back.threshold),
            (m.scale, -0.25, 0.6)
        );
        assert!(AdviceModel::from_bytes(b"nonsense").is_err());
    }

    #[test]
    fn embedded_model_loads_and_separates_plain_cases() {
        let m = AdviceModel::builtin().expect("the embedded model parses");
        assert!(m.assess("Set an alarm on your phone.").advice);
        assert!(!m.assess("My daughter started school last week.").advice);
    }
}
