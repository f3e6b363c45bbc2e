//! Human output, like rustc's: the line, the underline, the message and the
//! best rephrasing, then a summary of the session per file.

mod snippet;

use super::{Checked, Palette, plural, severity_counts};
use annotate_snippets::{AnnotationKind, Group, Level, Snippet};
use coachlint_core::analysis::CoachSource;
use coachlint_core::text::{LineIndex, floor_char_boundary};
use coachlint_core::{Finding, Metrics, Severity};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

/// Transcript text is untrusted: control characters and bidi overrides become
/// visible symbols so they cannot drive the terminal.
fn clean(s: &str) -> Cow<'_, str> {
    // Printable ASCII is never replaced, and most text is only that.
    if snippet::printable_ascii_str(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(annotate_snippets::normalize_untrusted_str(s))
    }
}

/// [`clean`], and whether the text has a line break: searched for only when
/// it was not left as it was (printable ASCII has none).
fn clean_lines(s: &str) -> (Cow<'_, str>, bool) {
    let cleaned = clean(s);
    let line_break = matches!(&cleaned, Cow::Owned(s) if s.contains('\n'));
    (cleaned, line_break)
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::INFO,
        Severity::Hint => Level::NOTE.with_name("hint"),
    }
}

/// Draws findings, in colour or not: most directly (see the `snippet` module), the rest
/// with annotate-snippets.
pub struct Renderer {
    library: annotate_snippets::Renderer,
    styles: snippet::Styles,
}

impl Renderer {
    pub fn new(colour: bool) -> Renderer {
        Renderer {
            library: if colour {
                annotate_snippets::Renderer::styled()
            } else {
                annotate_snippets::Renderer::plain()
            },
            styles: snippet::Styles::new(colour),
        }
    }
}

/// One finding as annotate-snippets is given it.
struct Diagnostic<'a> {
    severity: Severity,
    code: &'a str,
    /// The underline's label.
    name: &'a str,
    /// Cleaned.
    message: Cow<'a, str>,
    help: Option<Help<'a>>,
    /// Neither `message` nor `help` has a line break.
    one_line: bool,
    path: &'a str,
    /// The 1-based number of the first line of `source`.
    line: usize,
    /// The lines the finding covers, without the last one's line ending.
    source: &'a str,
    /// The finding, in `source`.
    span: Range<usize>,
}

/// The help line: a fix's title, or the best rephrasing in `ask instead: "…"`,
/// kept in pieces so that it is written without being built first.
struct Help<'a> {
    before: &'static str,
    /// Cleaned.
    text: Cow<'a, str>,
    after: &'static str,
}

impl<'a, T: Into<Cow<'a, str>>> From<T> for Help<'a> {
    fn from(text: T) -> Help<'a> {
        Help {
            before: "",
            text: text.into(),
            after: "",
        }
    }
}

impl<'a> Diagnostic<'a> {
    fn new(path: &'a str, text: &'a str, index: &LineIndex, f: &'a Finding) -> Diagnostic<'a> {
        // Only the lines the finding covers go to the renderer: handing it the whole
        // transcript for every finding would make output quadratic in file size.
        let start = floor_char_boundary(text, f.span.start);
        let end = floor_char_boundary(text, f.span.end.max(start));
        let first_line = index.line_of(start);
        let last = if end > start { end - 1 } else { start };
        // Most findings end on the line they start on: no second search.
        let last_line = if last < index.line_start(first_line + 1) {
            first_line
        } else {
            index.line_of(last)
        };
        let from = index.line_start(first_line);
        let to = index.line_span(text, last_line).end.max(from);
        let source = &text[from..to];
        let span = (start - from).min(source.len())..(end.min(to) - from).max(start - from);
        let (message, line_break) = clean_lines(&f.message);
        let mut one_line = !line_break;
        let help = if let Some(best) = f.rephrasings.first() {
            let (best, line_break) = clean_lines(&best.text);
            one_line &= !line_break;
            Some(Help {
                before: "ask instead: \"",
                text: best,
                after: "\"",
            })
        } else {
            f.fixes.first().map(|fix| {
                let (title, line_break) = clean_lines(&fix.title);
                one_line &= !line_break;
                title.into()
            })
        };
        Diagnostic {
            severity: f.severity,
            code: f.rule.code.as_str(),
            name: f.rule.name.as_str(),
            message,
            help,
            one_line,
            path,
            line: first_line + 1,
            source,
            span,
        }
    }

    fn draw_with_library(&self, out: &mut String, renderer: &annotate_snippets::Renderer) {
        let mut group: Group = level(self.severity)
            .primary_title(self.message.as_ref())
            .id(self.code)
            .element(
                Snippet::source(self.source)
                    .line_start(self.line)
                    .path(self.path)
                    .annotation(
                        AnnotationKind::Primary
                            .span(self.span.clone())
                            .label(self.name),
                    ),
            );
        if let Some(help) = &self.help {
            let text = [help.before, &help.text, help.after].concat();
            group = group.element(Level::HELP.message(text));
        }
        out.push_str(&renderer.render(&[group]));
    }
}

/// One finding as a rustc-style diagnostic, without a trailing newline.
pub fn finding(
    out: &mut String,
    renderer: &Renderer,
    path: &str,
    text: &str,
    index: &LineIndex,
    f: &Finding,
) {
    let d = Diagnostic::new(path, text, index, f);
    if !snippet::draw(out, &d, &renderer.styles) {
        d.draw_with_library(out, &renderer.library);
    }
}

/// The per-file summary: findings by severity, then the session metrics.
pub fn summary(c: &Checked, palette: &Palette) -> String {
    let a = c.analysis;
    let mut s = String::new();
    let counts = severity_counts(&a.findings);
    let _ = writeln!(
        s,
        "{}{}{}: {}",
        palette.bold.render(),
        clean(c.path),
        palette.bold.render_reset(),
        findings_phrase(a.findings.len(), &counts)
    );
    let _ = writeln!(s, "  {}", session_line(a, &a.metrics));
    s
}

/// `coach Maya Chen · talk share 28% · questions 21 / statements 9 · open 86% · modes: coaching 20`
pub fn session_line(a: &coachlint_core::Analysis, m: &Metrics) -> String {
    let names = a.coach_names();
    let coach = if names.is_empty() {
        "no coach identified".to_owned()
    } else {
        let mut coach = format!("coach {}", clean(&names.join(", ")));
        match a.coach_source {
            CoachSource::Inferred => coach.push_str(" (inferred: asked the most questions)"),
            CoachSource::Unknown => coach.push_str(" (only one speaker)"),
            _ => {}
        }
        coach
    };
    let mut parts = vec![
        coach,
        format!("talk share {}", percent(m.coach_talk_share)),
        format!(
            "questions {} / statements {}",
            m.coach_questions, m.coach_statements
        ),
    ];
    if let Some(open) = m.open_question_share {
        parts.push(format!("open {}", percent(open)));
    }
    let mut modes: Vec<_> = m.modes.iter().filter(|(_, n)| *n > 0).collect();
    // Most frequent first; ties keep the engine's order of modes.
    modes.sort_by_key(|x| std::cmp::Reverse(x.1));
    if !modes.is_empty() {
        let list: Vec<String> = modes
            .iter()
            .map(|(mode, n)| format!("{} {n}", mode.as_str()))
            .collect();
        parts.push(format!("modes: {}", list.join(", ")));
    }
    parts.join(" · ")
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// `3 findings (2 warnings, 1 hint)` or `no findings`.
pub fn findings_phrase(total: usize, counts: &[usize; 4]) -> String {
    if total == 0 {
        return "no findings".to_owned();
    }
    let parts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Information, "information", "information"),
        (Severity::Hint, "hint", "hints"),
    ]
    .into_iter()
    .filter(|(sev, _, _)| counts[*sev as usize] > 0)
    .map(|(sev, one, many)| plural(counts[sev as usize], one, many))
    .collect();
    format!(
        "{} ({})",
        plural(total, "finding", "findings"),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn printable_ascii_is_never_cleaned() {
        let ascii: String = (' '..='~').collect();
        assert_eq!(annotate_snippets::normalize_untrusted_str(&ascii), ascii);
        assert_eq!(super::clean("a\tb\u{1b}"), "a    b␛");
    }

    #[test]
    fn line_breaks_are_found_in_any_text_cleaned() {
        assert!(!super::clean_lines("a b").1);
        assert!(!super::clean_lines("é\tb").1);
        assert!(super::clean_lines("a\nb").1);
        assert!(super::clean_lines("é\nb").1);
    }
}
