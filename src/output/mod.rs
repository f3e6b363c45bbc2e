//! Output formats of `coachlint check`. Each file is rendered on its own (in
//! parallel, by [`render`]) and then written in path order by a [`Sink`], which
//! also keeps the totals, the statistics and what must wait for the end (SARIF).

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use annotate_snippets::renderer::{AnsiColor, Effects, Style};
use coachlint_core::output::FileReport;
use coachlint_core::rules::{RuleMeta, RuleSet};
use coachlint_core::text::LineIndex;
use coachlint_core::{Analysis, Finding, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Diagnostics like rustc's, with a summary of the session per file.
    #[default]
    Human,
    /// The stable JSON contract (docs/json.md).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations (`::warning file=…`).
    Github,
}

/// Styles for the parts of human output that annotate-snippets does not draw.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub enabled: bool,
    pub bold: Style,
    pub error: Style,
    pub warning: Style,
}

impl Palette {
    pub fn new(enabled: bool) -> Palette {
        let s = |style: Style| if enabled { style } else { Style::new() };
        Palette {
            enabled,
            bold: s(Style::new().effects(Effects::BOLD)),
            error: s(AnsiColor::BrightRed.on_default().effects(Effects::BOLD)),
            warning: s(AnsiColor::BrightYellow.on_default().effects(Effects::BOLD)),
        }
    }

    pub fn renderer(&self) -> human::Renderer {
        human::Renderer::new(self.enabled)
    }
}

/// One analysed transcript and how to name it.
pub struct Checked<'a> {
    /// As the user named it (or found in a directory they named).
    pub path: &'a str,
    /// For SARIF: relative to the current directory, `/`-separated, encoded.
    pub uri: &'a str,
    pub text: &'a str,
    pub analysis: &'a Analysis,
    pub index: LineIndex,
}

impl<'a> Checked<'a> {
    pub fn new(path: &'a str, uri: &'a str, text: &'a str, analysis: &'a Analysis) -> Self {
        Checked {
            path,
            uri,
            text,
            analysis,
            index: LineIndex::new(text),
        }
    }

    /// The file in the JSON contract's terms (lines and character columns).
    pub fn report(&self) -> FileReport<'a> {
        FileReport::with_index(self.path, self.text, &self.index, self.analysis)
    }
}

/// A file's output, rendered away from the writer.
pub enum Rendered {
    Text(Vec<u8>),
    /// `--statistics`: only the counts matter.
    Nothing,
}

/// What the writer needs of one checked file.
pub struct FileOutput {
    pub rendered: Rendered,
    /// Findings per severity, indexed by `Severity as usize`.
    pub counts: [usize; 4],
    /// How many findings each rule made, in order of its first: counted here,
    /// on the rendering threads, so that the writer adds a few per file.
    pub fired: Vec<(Arc<RuleMeta>, usize)>,
    /// The rules in force, for SARIF's rule list.
    pub rules: Arc<RuleSet>,
}

impl FileOutput {
    pub fn has_warnings(&self) -> bool {
        self.counts[Severity::Warning as usize] + self.counts[Severity::Error as usize] > 0
    }
}

/// Renders one file in the chosen format.
pub fn render(
    c: &Checked,
    format: OutputFormat,
    statistics: bool,
    palette: &Palette,
    renderer: &human::Renderer,
    rules: Arc<RuleSet>,
) -> FileOutput {
    let a = c.analysis;
    let rendered = if statistics {
        Rendered::Nothing
    } else {
        match format {
            OutputFormat::Human => {
                // About 430 bytes a finding drawn: the buffer rarely grows.
                let mut s = String::with_capacity(512 * a.findings.len() + 512);
                for f in &a.findings {
                    human::finding(&mut s, renderer, c.path, c.text, &c.index, f);
                    s.push_str("\n\n");
                }
                s.push_str(&human::summary(c, palette));
                Rendered::Text(s.into_bytes())
            }
            // Rendered as a later element; the sink drops the comma for the first.
            OutputFormat::Json => Rendered::Text(json::file_bytes(c, false)),
            OutputFormat::Github => Rendered::Text(github::file(c)),
            // Results after a comma; the sink drops it for the first.
            OutputFormat::Sarif => Rendered::Text(sarif::results(c)),
        }
    };
    // A file fires up to a couple of dozen rules (18 on average on the bench
    // folder): room for them from the start.
    let mut fired: Vec<(Arc<RuleMeta>, usize)> = Vec::with_capacity(a.findings.len().min(32));
    for f in &a.findings {
        // Few enough rules to search; the writer merges them by code.
        match fired.iter_mut().find(|(r, _)| Arc::ptr_eq(r, &f.rule)) {
            Some(rule) => rule.1 += 1,
            None => fired.push((f.rule.clone(), 1)),
        }
    }
    FileOutput {
        rendered,
        counts: severity_counts(&a.findings),
        fired,
        rules,
    }
}

/// Findings per severity, indexed by `Severity as usize`.
pub fn severity_counts(findings: &[Finding]) -> [usize; 4] {
    let mut counts = [0; 4];
    for f in findings {
        counts[f.severity as usize] += 1;
    }
    counts
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes rendered files in order, and what comes before, between and after.
pub struct Sink<'w> {
    format: OutputFormat,
    statistics: bool,
    palette: Palette,
    out: &'w mut (dyn Write + Send),
    /// Files written so far.
    pub files: usize,
    /// Findings per severity over all files.
    pub counts: [usize; 4],
    /// Files that could not be checked (reported on stderr by the caller).
    pub failed: usize,
    pub has_warnings: bool,
    stats: BTreeMap<String, (Arc<RuleMeta>, usize)>,
    /// Whether a SARIF result has been written.
    sarif_results: bool,
    sarif_rules: Vec<Arc<RuleMeta>>,
    rule_sets: Vec<Arc<RuleSet>>,
}

/// One line of `--statistics`.
#[derive(Serialize)]
pub struct Statistic<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub category: coachlint_core::Category,
    pub count: usize,
}

impl<'w> Sink<'w> {
    pub fn new(
        format: OutputFormat,
        statistics: bool,
        palette: Palette,
        out: &'w mut (dyn Write + Send),
    ) -> Sink<'w> {
        Sink {
            format,
            statistics,
            palette,
            out,
            files: 0,
            counts: [0; 4],
            failed: 0,
            has_warnings: false,
            stats: BTreeMap::new(),
            sarif_results: false,
            sarif_rules: Vec::new(),
            rule_sets: Vec::new(),
        }
    }

    pub fn begin(&mut self) -> io::Result<()> {
        if self.statistics {
            return Ok(());
        }
        match self.format {
            OutputFormat::Json => self.out.write_all(json::begin().as_bytes()),
            OutputFormat::Sarif => self.out.write_all(sarif::begin().as_bytes()),
            OutputFormat::Human | OutputFormat::Github => Ok(()),
        }
    }

    pub fn file(&mut self, f: FileOutput) -> io::Result<()> {
        for (total, n) in self.counts.iter_mut().zip(f.counts) {
            *total += n;
        }
        for (rule, n) in &f.fired {
            // Looked up before inserting, which allocates the key.
            match self.stats.get_mut(rule.code.as_str()) {
                Some(stat) => stat.1 += n,
                None => {
                    self.stats.insert(rule.code.clone(), (rule.clone(), *n));
                }
            }
        }
        self.has_warnings |= f.has_warnings();
        if self.format == OutputFormat::Sarif
            && !self.rule_sets.iter().any(|r| Arc::ptr_eq(r, &f.rules))
        {
            for m in f.rules.metas() {
                if !self.sarif_rules.iter().any(|x| x.code == m.code) {
                    self.sarif_rules.push(m.clone());
                }
            }
            self.rule_sets.push(f.rules.clone());
        }
        match f.rendered {
            Rendered::Text(s) if self.format == OutputFormat::Json && self.files == 0 => {
                self.out.write_all(s.strip_prefix(b",").unwrap_or(&s))?;
            }
            Rendered::Text(s) if self.format == OutputFormat::Sarif => {
                let s = if self.sarif_results {
                    &s[..]
                } else {
                    s.strip_prefix(b",").unwrap_or(&s)
                };
                self.sarif_results |= !s.is_empty();
                self.out.write_all(s)?;
            }
            Rendered::Text(s) => {
                if self.format == OutputFormat::Human && self.files > 0 {
                    self.out.write_all(b"\n")?;
                }
                self.out.write_all(&s)?;
            }
            Rendered::Nothing => {}
        }
        self.files += 1;
        Ok(())
    }

    pub fn end(&mut self) -> io::Result<()> {
        if self.statistics {
            return self.write_statistics();
        }
        match self.format {
            OutputFormat::Json => self.out.write_all(json::end(self.files).as_bytes()),
            OutputFormat::Sarif => {
                let rules = self.sarif_rules.iter().map(|m| sarif::rule(m)).collect();
                self.out.write_all(&sarif::end(self.sarif_results, rules))
            }
            OutputFormat::Github => Ok(()),
            OutputFormat::Human => {
                // A blank line parts the total from the files' output, if any.
                let gap = if self.files > 0 { "\n" } else { "" };
                writeln!(self.out, "{gap}{}", self.total_line())
            }
        }
    }

    fn total_line(&self) -> String {
        let total: usize = self.counts.iter().sum();
        let mut line = format!(
            "{}Checked {}: {}.{}",
            self.palette.bold.render(),
            plural(self.files, "file", "files"),
            human::findings_phrase(total, &self.counts),
            self.palette.bold.render_reset()
        );
        if self.failed > 0 {
            line.push_str(&format!(
                " {}{} could not be checked.{}",
                self.palette.error.render(),
                plural(self.failed, "file", "files"),
                self.palette.error.render_reset()
            ));
        }
        line
    }

    fn write_statistics(&mut self) -> io::Result<()> {
        let mut rows: Vec<_> = self.stats.values().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.code.cmp(&b.0.code)));
        if self.format == OutputFormat::Json {
            let list: Vec<Statistic> = rows
                .iter()
                .map(|(m, n)| Statistic {
                    code: &m.code,
                    name: &m.name,
                    category: m.category,
                    count: *n,
                })
                .collect();
            return writeln!(self.out, "{}", json::pretty(&list));
        }
        let width = rows
            .iter()
            .map(|r| r.1.to_string().len())
            .max()
            .unwrap_or(1);
        let code_width = rows.iter().map(|r| r.0.code.len()).max().unwrap_or(6);
        for (m, n) in rows {
            writeln!(self.out, "{n:>width$}  {:<code_width$}  {}", m.code, m.name)?;
        }
        let line = self.total_line();
        writeln!(self.out, "{line}")
    }
}
