//! Trains the embedded advice model (`src/model/advice.bin`) on the train splits
//! of the advice-reddit data ("Help! Need Advice on Identifying Advice",
//! Govindarajan et al., EMNLP 2020, MIT licence). Only the `*_train.tsv` files
//! are read; the dev splits stay for measuring (with `examples/eval.rs`).
//!
//! ```text
//! cargo run --release -p coachlint-core --example train_advice -- ../shared/data/advice-reddit
//! ```
//!
//! Deterministic: the same data and the same rules give the same file, byte for
//! byte. The order of examples comes from a fixed-seed generator, there is no
//! parallelism, and the sigmoid uses its own `exp` rather than the platform's.
//!
//! The decision threshold is chosen by 5-fold cross-validation on the train
//! split, folds drawn by Reddit post (sentences of one thread share words, so
//! folds by sentence flatter the model and set the threshold too low). It is
//! chosen for the pipeline as a whole, the way `eval` counts: a sentence is
//! advice if an advice rule or LED001 fires, or the model fires on a statement
//! no rule explained. The threshold is the one with the best F1 whose precision
//! is at least `--target` (0.75, the issue's floor: the rules alone reach only
//! about 0.74 on the train split, because its annotators called many "you
//! should…"/"I suggest…" sentences not advice, so 0.8 is out of reach for the
//! pipeline without unflagging advice a coach supervisor would code).
//!
//! Options: `--out FILE` (default: the crate's `src/model/advice.bin`),
//! `--cv-only` (report cross-validation and a precision/recall curve, write
//! nothing), and the hyper-parameters `--groups N` (optional feature groups,
//! `model::groups`, default `EARLY`), `--epochs N` (5), `--rate X` (AdaGrad,
//! 0.02), `--l2 X`, `--target X` and `--labels majority|ds|mean` (what to fit:
//! the majority label, the Dawid-Skene label or their mean; `eval` scores the
//! majority label).
//!
//! The defaults reach F1 0.559 (model alone) and 0.496 (pipeline) at
//! precision 0.75 by cross-validation. For the record, what did not help
//! (same measure, model alone/pipeline): trigrams, skip pairs and suffix
//! features (0.547/0.490 with all groups), 10 or 20 epochs, L2, normalising
//! by sentence length, weight averaging, Dawid-Skene or mean labels, 2^16 or
//! 2^18 buckets, the previous sentence of the reply as context (0.537), and
//! training only on sentences no rule flags (0.508/0.483). Letting the model
//! veto the weaker rules (ADV001, ADV003, ADV005, LED001) below 0.4 raises the
//! pipeline to 0.546 on Reddit, but would drop 23 findings on advice rows of
//! the labelled coaching set (the model gives "you need to get to zero" 0.17:
//! Reddit's annotators often call "you need to…" not advice).

#[path = "../tests/support/sentences.rs"]
#[allow(dead_code)]
mod sentences;

use coachlint_core::model::{self, AdviceModel, Feature};
use coachlint_core::{Category, Config, analyze};
use std::path::PathBuf;
use std::process::ExitCode;

const FOLDS: u64 = 5;
const SEED: u64 = 0x5eed_ad71_ce00_0001;

#[derive(Clone, Copy)]
struct Hyper {
    groups: u32,
    epochs: usize,
    rate: f64,
    l2: f64,
    target: f64,
    labels: Labels,
}

#[derive(Clone, Copy)]
enum Labels {
    Majority,
    Ds,
    Mean,
}

const DEFAULT: Hyper = Hyper {
    groups: model::groups::EARLY,
    epochs: 5,
    rate: 0.02,
    l2: 1e-6,
    target: 0.75,
    labels: Labels::Majority,
};

struct Example {
    /// The Reddit post the sentence is from: folds never split a post.
    post: String,
    features: Vec<u32>,
    advice: bool,
    /// What training aims at: the majority label, the Dawid-Skene label, or
    /// their mean (`--labels`).
    target: f64,
    /// Whether a phrase rule (advice, LED001) flags it, as `eval` counts.
    rule: bool,
    /// The features of each sentence the model would be asked about in the
    /// pipeline: statements, not reflections, that no rule explained.
    asked: Vec<Vec<u32>>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut data: Option<PathBuf> = None;
    let mut out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src/model/advice.bin"));
    let mut cv_only = false;
    let mut h = DEFAULT;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--out" => out = PathBuf::from(value("--out")?),
            "--cv-only" => cv_only = true,
            "--groups" => h.groups = number(&value("--groups")?)?,
            "--epochs" => h.epochs = number(&value("--epochs")?)?,
            "--rate" => h.rate = number(&value("--rate")?)?,
            "--l2" => h.l2 = number(&value("--l2")?)?,
            "--target" => h.target = number(&value("--target")?)?,
            "--labels" => {
                h.labels = match value("--labels")?.as_str() {
                    "majority" => Labels::Majority,
                    "ds" => Labels::Ds,
                    "mean" => Labels::Mean,
                    v => return Err(format!("--labels: majority, ds or mean, not {v:?}")),
                }
            }
            "-h" | "--help" => {
                println!(
                    "usage: train_advice DATA_DIR [--out FILE] [--cv-only] [--groups N] [--epochs N] [--rate X] [--l2 X] [--target X]"
                );
                return Ok(());
            }
            p if !p.starts_with('-') && data.is_none() => data = Some(PathBuf::from(p)),
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    let data = data.ok_or("give the advice-reddit directory (or a *_train.tsv file)")?;
    if h.groups & !model::groups::ALL != 0 {
        return Err(format!("--groups: unknown groups {:#x}", h.groups));
    }

    let examples = load(&data, h.groups, h.labels)?;
    let positives = examples.iter().filter(|e| e.advice).count();
    let rule_hits = examples.iter().filter(|e| e.rule).count();
    let rule_tp = examples.iter().filter(|e| e.rule && e.advice).count();
    eprintln!(
        "{} training sentences, {positives} advice; the rules flag {rule_hits} ({rule_tp} advice)",
        examples.len()
    );

    // Cross-validation by post chooses the threshold.
    let mut alone: Vec<(f64, bool)> = Vec::with_capacity(examples.len());
    let mut pipeline: Vec<(f64, bool)> = Vec::with_capacity(examples.len());
    // The sentences the model is asked about in the pipeline (no rule fired).
    let mut asked: Vec<(f64, bool)> = Vec::new();
    for fold in 0..FOLDS {
        let rest: Vec<usize> = (0..examples.len())
            .filter(|&i| fold_of(&examples[i].post) != fold)
            .collect();
        let (w, b) = train(&examples, &rest, h);
        for e in examples.iter().filter(|e| fold_of(&e.post) == fold) {
            alone.push((sigmoid(logit(&w, b, &e.features)), e.advice));
            // The pipeline flags the sentence at any threshold if a rule does.
            let score = if e.rule {
                f64::INFINITY
            } else {
                e.asked
                    .iter()
                    .map(|f| sigmoid(logit(&w, b, f)))
                    .fold(0.0, f64::max)
            };
            pipeline.push((score, e.advice));
            if !e.rule {
                asked.push((score, e.advice));
            }
        }
    }
    let (_, p, r, f1) = choose_threshold(&mut alone, h.target);
    eprintln!("cross-validation, model alone: precision {p:.3} recall {r:.3} F1 {f1:.3}");
    let (t_asked, p, r, f1) = choose_threshold(&mut asked, h.target);
    eprintln!(
        "cross-validation, model on what no rule flags: threshold {t_asked:.3}: precision {p:.3} recall {r:.3} F1 {f1:.3}"
    );
    let (threshold, p, r, f1) = choose_threshold(&mut pipeline, h.target);
    eprintln!(
        "cross-validation, pipeline: threshold {threshold:.3}: precision {p:.3} recall {r:.3} F1 {f1:.3}"
    );
    if cv_only {
        eprintln!("model alone:");
        curve(&alone);
        eprintln!("pipeline:");
        curve(&pipeline);
        return Ok(());
    }

    let all: Vec<usize> = (0..examples.len()).collect();
    let (w, b) = train(&examples, &all, h);
    let weights: Vec<f32> = w.iter().map(|&x| x as f32).collect();
    let m = AdviceModel::quantize(h.groups, &weights, b as f32, threshold as f32);
    let bytes = m.to_bytes();
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}

/// Reads the train files and runs each sentence through the pipeline, as
/// `eval` does, to see what the rules flag and what the model would be asked.
fn load(data: &std::path::Path, groups: u32, labels: Labels) -> Result<Vec<Example>, String> {
    let config = Config::default();
    let mut examples = Vec::new();
    let mut buf: Vec<Feature> = Vec::new();
    let mut indices = |text: &str| {
        model::features(text, groups, &mut buf);
        buf.iter().map(|x| x.index).collect::<Vec<u32>>()
    };
    for f in sentences::files(data, "_train.tsv")? {
        for s in sentences::load(&f)? {
            let doc = format!(
                "---\ncoach: Coach\n---\nClient: There's something I'd like to think through.\nCoach: {}\n",
                s.text
            );
            let a = analyze(&doc, &config).map_err(|e| format!("{}: {e}", s.origin))?;
            let mine = |f: &&coachlint_core::Finding| f.turn == Some(1);
            let rule = a.findings.iter().filter(mine).any(|f| {
                (f.category() == Category::Advice || f.rule.code == "LED001")
                    && f.rule.code != "ADV006"
            });
            let explained = |span: &std::ops::Range<usize>| {
                let turn = &a.transcript.turns[1];
                let src = turn.source_span(span.clone());
                a.findings.iter().filter(mine).any(|f| {
                    f.rule.code != "ADV006" && f.span.start < src.end && src.start < f.span.end
                })
            };
            let asked = a
                .sentences
                .iter()
                .filter(|x| x.turn == 1 && !x.kind.is_question() && !x.reflection)
                .filter(|x| !explained(&x.span))
                .map(|x| indices(a.sentence_text(x)))
                .collect();
            examples.push(Example {
                post: s.id.split('-').next().unwrap_or("").to_owned(),
                features: indices(&s.text),
                advice: s.advice,
                target: match labels {
                    Labels::Majority => f64::from(u8::from(s.advice)),
                    Labels::Ds => f64::from(u8::from(s.ds_advice.unwrap_or(s.advice))),
                    Labels::Mean => {
                        (f64::from(u8::from(s.advice))
                            + f64::from(u8::from(s.ds_advice.unwrap_or(s.advice))))
                            / 2.0
                    }
                },
                rule,
                asked,
            });
        }
    }
    Ok(examples)
}

/// The fold of a post: 64-bit FNV-1a of its id.
fn fold_of(post: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in post.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % FOLDS
}

fn number<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("not a number: {s:?}"))
}

/// Logistic regression by AdaGrad, examples in a fixed pseudo-random order.
fn train(examples: &[Example], idx: &[usize], h: Hyper) -> (Vec<f64>, f64) {
    let n = 1usize << model::BITS;
    let mut w = vec![0f64; n];
    let mut g2 = vec![0f64; n];
    let (mut b, mut gb2) = (0f64, 0f64);
    let mut order = idx.to_vec();
    for epoch in 0..h.epochs {
        shuffle(
            &mut order,
            SEED ^ (epoch as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        );
        for &i in &order {
            let e = &examples[i];
            let y = e.target;
            let g = sigmoid(logit(&w, b, &e.features)) - y;
            gb2 += g * g;
            b -= h.rate * g / (gb2.sqrt() + 1e-8);
            for &f in &e.features {
                let f = f as usize;
                let grad = g + h.l2 * w[f];
                g2[f] += grad * grad;
                w[f] -= h.rate * grad / (g2[f].sqrt() + 1e-8);
            }
        }
    }
    (w, b)
}

fn logit(w: &[f64], b: f64, features: &[u32]) -> f64 {
    b + features.iter().map(|&f| w[f as usize]).sum::<f64>()
}

/// The threshold with the best F1 among those with precision ≥ the target
/// (or the best precision, if none reaches it): (threshold, precision, recall, F1).
fn choose_threshold(scored: &mut [(f64, bool)], target: f64) -> (f64, f64, f64, f64) {
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total_pos = scored.iter().filter(|s| s.1).count() as f64;
    let (mut tp, mut fp) = (0f64, 0f64);
    let mut best = (1.0, 0.0, 0.0, 0.0);
    let mut best_p = (1.0, 0.0, 0.0, 0.0);
    for (k, &(p, y)) in scored.iter().enumerate() {
        if y {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        // Only cut between distinct scores, and never below a rule.
        if scored.get(k + 1).is_some_and(|n| n.0 == p) || p.is_infinite() {
            continue;
        }
        let precision = tp / (tp + fp);
        let recall = tp / total_pos.max(1.0);
        let f1 = if tp == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        if precision >= target && f1 > best.3 {
            best = (p, precision, recall, f1);
        }
        if precision > best_p.1 {
            best_p = (p, precision, recall, f1);
        }
    }
    if best.3 > 0.0 { best } else { best_p }
}

/// Precision and recall at a few thresholds (`scored` is sorted, best first).
fn curve(scored: &[(f64, bool)]) {
    let total_pos = scored.iter().filter(|s| s.1).count() as f64;
    for t in [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3] {
        let tp = scored.iter().filter(|s| s.0 >= t && s.1).count() as f64;
        let fp = scored.iter().filter(|s| s.0 >= t && !s.1).count() as f64;
        let (p, r) = (tp / (tp + fp).max(1.0), tp / total_pos);
        eprintln!(
            "  at {t:.1}: precision {p:.3} recall {r:.3} F1 {:.3}",
            2.0 * p * r / (p + r)
        );
    }
}

/// Fisher–Yates with xorshift64*: the same seed, the same order, everywhere.
fn shuffle(v: &mut [usize], seed: u64) {
    let mut s = seed | 1;
    for i in (1..v.len()).rev() {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        let r = s.wrapping_mul(0x2545_f491_4f6c_dd1d);
        v.swap(i, (r % (i as u64 + 1)) as usize);
    }
}

fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + exp(-x))
    } else {
        let e = exp(x);
        e / (1.0 + e)
    }
}

/// `e^x` for x ≤ 0 from IEEE arithmetic alone (the platform's `exp` may differ
/// in the last bit between systems, and the weights file must not).
fn exp(x: f64) -> f64 {
    if x < -700.0 {
        return 0.0;
    }
    // x = k·ln2 + r, |r| ≤ ln2/2; e^r by its Taylor series to 1e-17.
    const LN2: f64 = std::f64::consts::LN_2;
    let k = (x / LN2).round();
    let r = x - k * LN2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=20 {
        term *= r / n as f64;
        sum += term;
    }
    sum * f64::from_bits(((1023 + k as i64) as u64) << 52)
}
