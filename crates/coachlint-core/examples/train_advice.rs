//! Trains the embedded advice model (`src/model/advice.bin`) on the train splits
//! of the advice-reddit data ("Help! Need Advice on Identifying Advice",
//! Govindarajan et al., EMNLP 2020, MIT licence). Only the `*_train.tsv` files
//! are read; the dev splits stay for measuring.
//!
//! ```text
//! cargo run --release -p coachlint-core --example train_advice -- ../shared/data/advice-reddit
//! ```
//!
//! Deterministic: the same data gives the same file, byte for byte. The order
//! of examples comes from a fixed-seed generator, there is no parallelism, and
//! the sigmoid uses its own `exp` rather than the platform's.
//!
//! The decision threshold is chosen by 5-fold cross-validation on the train
//! split: the highest F1 whose precision is at least `TARGET_PRECISION`.
//!
//! Options: `--out FILE` (default: the crate's `src/model/advice.bin`),
//! `--cv-only` (report cross-validation, write nothing), `--report-dev` (also
//! print the model's own precision and recall on the `*_dev.tsv` files: a
//! measurement, not an input to training), and the hyper-parameters
//! `--epochs N`, `--rate X`, `--l2 X`.

#[path = "../tests/support/sentences.rs"]
#[allow(dead_code)]
mod sentences;

use coachlint_core::model::{self, AdviceModel, Feature};
use std::path::PathBuf;
use std::process::ExitCode;

const TARGET_PRECISION: f64 = 0.8;
const FOLDS: usize = 5;
const SEED: u64 = 0x5eed_ad71_ce00_0001;

#[derive(Clone, Copy)]
struct Hyper {
    epochs: usize,
    rate: f64,
    l2: f64,
}

const DEFAULT: Hyper = Hyper {
    epochs: 10,
    rate: 0.02,
    l2: 1e-6,
};

struct Example {
    features: Vec<u32>,
    advice: bool,
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
    let mut report_dev = false;
    let mut h = DEFAULT;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--out" => out = PathBuf::from(value("--out")?),
            "--cv-only" => cv_only = true,
            "--report-dev" => report_dev = true,
            "--epochs" => h.epochs = number(&value("--epochs")?)?,
            "--rate" => h.rate = number(&value("--rate")?)?,
            "--l2" => h.l2 = number(&value("--l2")?)?,
            "-h" | "--help" => {
                println!(
                    "usage: train_advice DATA_DIR [--out FILE] [--cv-only] [--report-dev] [--epochs N] [--rate X] [--l2 X]"
                );
                return Ok(());
            }
            p if !p.starts_with('-') && data.is_none() => data = Some(PathBuf::from(p)),
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    let data = data.ok_or("give the advice-reddit directory (or a *_train.tsv file)")?;

    let mut examples = Vec::new();
    let mut buf: Vec<Feature> = Vec::new();
    for f in sentences::files(&data, "_train.tsv")? {
        for s in sentences::load(&f)? {
            model::features(&s.text, &mut buf);
            examples.push(Example {
                features: buf.iter().map(|x| x.index).collect(),
                advice: s.advice,
            });
        }
    }
    let positives = examples.iter().filter(|e| e.advice).count();
    eprintln!("{} training sentences, {positives} advice", examples.len());

    // Cross-validation on the train split chooses the threshold.
    let mut order: Vec<usize> = (0..examples.len()).collect();
    shuffle(&mut order, SEED);
    let mut scored: Vec<(f64, bool)> = Vec::with_capacity(examples.len());
    for fold in 0..FOLDS {
        let rest: Vec<usize> = order
            .iter()
            .enumerate()
            .filter(|(k, _)| k % FOLDS != fold)
            .map(|(_, &i)| i)
            .collect();
        let (w, b) = train(&examples, &rest, h);
        for (_, &i) in order.iter().enumerate().filter(|(k, _)| k % FOLDS == fold) {
            scored.push((
                sigmoid(logit(&w, b, &examples[i].features)),
                examples[i].advice,
            ));
        }
    }
    let (threshold, p, r, f1) = choose_threshold(&mut scored);
    if cv_only {
        curve(&scored);
    }
    eprintln!(
        "cross-validation: threshold {threshold:.3}: precision {p:.3} recall {r:.3} F1 {f1:.3}"
    );
    if cv_only {
        return Ok(());
    }

    let all: Vec<usize> = order.clone();
    let (w, b) = train(&examples, &all, h);
    let weights: Vec<f32> = w.iter().map(|&x| x as f32).collect();
    let m = AdviceModel::quantize(&weights, b as f32, threshold as f32);
    if report_dev {
        let mut scored = Vec::new();
        for f in sentences::files(&data, "_dev.tsv")? {
            for s in sentences::load(&f)? {
                scored.push((m.probability(&s.text) as f64, s.advice));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        eprintln!("dev (model alone):");
        curve(&scored);
    }
    let bytes = m.to_bytes();
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
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
            let y = if e.advice { 1.0 } else { 0.0 };
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
fn choose_threshold(scored: &mut [(f64, bool)]) -> (f64, f64, f64, f64) {
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
        // Only cut between distinct scores.
        if scored.get(k + 1).is_some_and(|n| n.0 == p) {
            continue;
        }
        let precision = tp / (tp + fp);
        let recall = tp / total_pos.max(1.0);
        let f1 = if tp == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        if precision >= TARGET_PRECISION && f1 > best.3 {
            best = (p, precision, recall, f1);
        }
        if precision > best_p.1 {
            best_p = (p, precision, recall, f1);
        }
    }
    if best.3 > 0.0 { best } else { best_p }
}

/// Precision and recall at a few thresholds, best first (`scored` is sorted).
fn curve(scored: &[(f64, bool)]) {
    let total_pos = scored.iter().filter(|s| s.1).count() as f64;
    for t in [0.8, 0.7, 0.6, 0.5, 0.4, 0.3] {
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
