//! `coachlint rules` and `coachlint explain`. Both include the rules of project
//! rule packs named by the `.coachlint.toml` found from the current directory.

use coachlint_core::analysis::markers::marker_title;
use coachlint_core::rules::{RuleMeta, RuleSet};
use coachlint_core::{Category, Config, Severity};
use serde::Serialize;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    /// A table.
    #[default]
    Human,
    /// A JSON array with every field of every rule.
    Json,
}

#[derive(clap::Args, Debug, Default)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub output_format: RulesFormat,
    /// Use this configuration file (for its rule packs) instead of searching.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Built-in rules only.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(clap::Args, Debug, Default)]
pub struct ExplainArgs {
    /// A rule code (`ADV001`) or name (`advice-should`).
    pub rule: String,
    /// Use this configuration file (for its rule packs) instead of searching.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Built-in rules only.
    #[arg(long)]
    pub no_config: bool,
}

/// The rule set in force here: built-ins plus the packs of the config.
fn rule_set(config: Option<&PathBuf>, no_config: bool) -> Result<Arc<RuleSet>, String> {
    let config = if no_config {
        Ok(Config::default())
    } else if let Some(p) = config {
        Config::load(p)
    } else {
        Config::discover(std::path::Path::new("."))
    };
    config.map(|c| c.rules).map_err(|e| e.to_string())
}

/// A rule in `coachlint rules --output-format json`.
#[derive(Serialize)]
struct RuleOut<'a> {
    code: &'a str,
    name: &'a str,
    category: Category,
    severity: Severity,
    icf: &'a [String],
    summary: &'a str,
    explanation: &'a str,
    fire: &'a [String],
    pass: &'a [String],
    origin: &'a str,
}

pub fn list(args: RulesArgs) -> ExitCode {
    let rules = match rule_set(args.config.as_ref(), args.no_config) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let text = match args.output_format {
        RulesFormat::Human => table(rules.metas().map(|m| &**m)),
        RulesFormat::Json => {
            let list: Vec<RuleOut> = rules
                .metas()
                .map(|m| RuleOut {
                    code: &m.code,
                    name: &m.name,
                    category: m.category,
                    severity: m.severity,
                    icf: &m.icf,
                    summary: &m.summary,
                    explanation: &m.explanation,
                    fire: &m.examples_fire,
                    pass: &m.examples_pass,
                    origin: &m.origin,
                })
                .collect();
            crate::output::json::pretty(&list) + "\n"
        }
    };
    emit(&text)
}

/// Code, name, category, default severity and summary, in aligned columns.
pub fn table<'a>(metas: impl Iterator<Item = &'a RuleMeta>) -> String {
    let rows: Vec<[&str; 5]> = metas
        .map(|m| {
            [
                m.code.as_str(),
                m.name.as_str(),
                m.category.as_str(),
                m.severity.as_str(),
                m.summary.as_str(),
            ]
        })
        .collect();
    let header = ["CODE", "NAME", "CATEGORY", "SEVERITY", "SUMMARY"];
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                let pad = widths[i] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn explain(args: ExplainArgs) -> ExitCode {
    let rules = match rule_set(args.config.as_ref(), args.no_config) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    match rules.get(args.rule.trim()) {
        Some(r) => emit(&explanation(&r.meta)),
        None => {
            let q = args.rule.trim().to_lowercase();
            let near: Vec<&str> = rules
                .metas()
                .filter(|m| {
                    !q.is_empty()
                        && (m.code.to_lowercase().starts_with(&q)
                            || m.name.contains(&q)
                            || m.category.as_str() == q)
                })
                .map(|m| m.code.as_str())
                .collect();
            let hint = if near.is_empty() {
                "see `coachlint rules` for the list".to_owned()
            } else {
                format!("did you mean {}?", near.join(", "))
            };
            fail(&format!("no rule `{}`; {hint}", args.rule))
        }
    }
}

/// Everything `coachlint explain` prints about a rule.
pub fn explanation(m: &RuleMeta) -> String {
    let mut s = format!("{} {}\n", m.code, m.name);
    s.push_str(&format!(
        "category: {} · default severity: {}\n",
        m.category.as_str(),
        m.severity.as_str()
    ));
    if !m.icf.is_empty() {
        s.push_str("ICF PCC markers:\n");
        for code in &m.icf {
            match marker_title(code) {
                Some(t) => s.push_str(&format!("  {code}  {t}\n")),
                None => s.push_str(&format!("  {code}\n")),
            }
        }
    }
    s.push('\n');
    s.push_str(m.explanation.trim());
    s.push('\n');
    if !m.examples_fire.is_empty() {
        s.push_str("\nFires on:\n");
        for x in &m.examples_fire {
            s.push_str(&format!("  ✗ {x}\n"));
        }
    }
    if !m.examples_pass.is_empty() {
        s.push_str("\nDoes not fire on:\n");
        for x in &m.examples_pass {
            s.push_str(&format!("  ✓ {x}\n"));
        }
    }
    if !m.origin.starts_with("builtin:") {
        s.push_str(&format!("\nDefined in {}\n", m.origin));
    }
    s
}

fn emit(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => fail(&format!("cannot write: {e}")),
        _ => ExitCode::SUCCESS,
    }
}

fn fail(msg: &str) -> ExitCode {
    let _ = writeln!(anstream::stderr(), "error: {msg}");
    ExitCode::from(2)
}
