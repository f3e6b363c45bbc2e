//! The common finding drawn directly, byte for byte as annotate-snippets 0.12
//! draws it.
//!
//! annotate-snippets lays every diagnostic out in a grid of styled characters
//! and formats it one character at a time: on long sessions that was about
//! 160,000 instructions per finding (callgrind), 95% of human output and more
//! than the analysis itself. Nearly every finding is the same simple picture
//! (one line, one underline, a label, perhaps a help line), so that picture is
//! written here in a few slices, and everything else (spans over several
//! lines, tabs, control, zero-width or wide characters, underlines too long to
//! show whole, messages over several lines) still goes to the library. The
//! tests below hold the two to the same bytes, in colour and without.

use super::Diagnostic;
use annotate_snippets::renderer::{
    DEFAULT_EMPHASIS_STYLE, DEFAULT_ERROR_STYLE, DEFAULT_INFO_STYLE, DEFAULT_LINE_NUM_STYLE,
    DEFAULT_NOTE_STYLE, DEFAULT_TERM_WIDTH, DEFAULT_WARNING_STYLE, Style,
};
use coachlint_core::Severity;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthChar;

/// The styles of `Renderer::styled()`, or none at all for `Renderer::plain()`.
pub(super) struct Styles {
    error: Style,
    warning: Style,
    info: Style,
    note: Style,
    line_number: Style,
    emphasis: Style,
}

impl Styles {
    pub(super) fn new(colour: bool) -> Styles {
        let s = |style: Style| if colour { style } else { Style::new() };
        Styles {
            error: s(DEFAULT_ERROR_STYLE),
            warning: s(DEFAULT_WARNING_STYLE),
            info: s(DEFAULT_INFO_STYLE),
            note: s(DEFAULT_NOTE_STYLE),
            line_number: s(DEFAULT_LINE_NUM_STYLE),
            emphasis: s(DEFAULT_EMPHASIS_STYLE),
        }
    }

    fn level(&self, severity: Severity) -> (&'static str, Style) {
        match severity {
            Severity::Error => ("error", self.error),
            Severity::Warning => ("warning", self.warning),
            Severity::Information => ("info", self.info),
            Severity::Hint => ("hint", self.note),
        }
    }
}

/// What annotate-snippets shows of a line too long for the terminal, which it
/// marks with `...` on the side it cut.
const ELLIPSIS: &str = "...";

/// Writes `d` as annotate-snippets would, or returns false having written
/// nothing when it is not the simple case.
pub(super) fn draw(out: &mut String, d: &Diagnostic, styles: &Styles) -> bool {
    let line = d.source;
    let all_one_column = |s: &str| s.bytes().all(printable_ascii) || s.chars().all(one_column);
    if !all_one_column(line)
        || !all_one_column(d.name)
        || d.message.contains('\n')
        || d.help.as_deref().is_some_and(|h| h.contains('\n'))
    {
        return false;
    }
    // Every character is one column: columns are character counts.
    let columns = |s: &str| s.chars().count();
    let line_len = columns(line);
    let start = columns(&line[..d.span.start]);
    // An empty span is drawn as one `^`.
    let end = columns(&line[..d.span.end]).max(start + 1);

    let digits = d.line.max(1).ilog10() as usize + 1;
    let code_offset = digits + 3;
    let term_width = DEFAULT_TERM_WIDTH.saturating_sub(code_offset);
    // The library elides the middle of an underline this long (its `MIN_PAD`
    // twice and an ellipsis).
    if end - start > term_width * 2 && end - start > 5 * 2 + ELLIPSIS.len() {
        return false;
    }
    let label_right = end + columns(d.name) + 1;
    let window = Window::new(indent(line), start, end, label_right, term_width, line_len);
    let left = window.left.min(line_len);
    let right = window.right(line_len);
    let cut_left = window.left > 0;
    let cut_right = line_len > right;
    // A window narrower than two ellipses, or a span left of it: let the
    // library decide how to draw it.
    if right < left || start < left || ((cut_left || cut_right) && right - left < 6) {
        return false;
    }
    let byte = |column: usize| {
        if line.len() == line_len {
            column
        } else {
            line.char_indices()
                .nth(column)
                .map_or(line.len(), |(i, _)| i)
        }
    };
    let shown_from = left + if cut_left { ELLIPSIS.len() } else { 0 };
    let shown_to = right - if cut_right { ELLIPSIS.len() } else { 0 };
    let shown = &line[byte(shown_from)..byte(shown_to)];

    let (level_name, level_style) = styles.level(d.severity);
    let none = Style::new();
    let mut row = Row::new(out);
    // warning[ADV001]: message
    row.put(level_name, level_style)
        .put("[", level_style)
        .put(d.code, level_style)
        .put("]", level_style)
        .put(": ", styles.emphasis)
        .put(&d.message, styles.emphasis)
        //  --> path:line:column
        .next()
        .repeat(' ', digits, none)
        .put("--> ", styles.line_number)
        .switch(none);
    let _ = write!(row.out, "{}:{}:{}", d.path, d.line, start + 1);
    //   |
    // 12 | the line
    row.next()
        .repeat(' ', digits + 1, none)
        .put("|", styles.line_number)
        .next()
        .number(d.line, styles.line_number)
        .put(" ", none)
        .put("|", styles.line_number);
    if right > left {
        row.put(" ", none);
        if cut_left {
            row.put(ELLIPSIS, styles.line_number);
        }
        row.put(shown, none);
        if cut_right {
            row.put(ELLIPSIS, styles.line_number);
        }
    }
    //    |      ^^^^ label
    row.next()
        .repeat(' ', digits + 1, none)
        .put("|", styles.line_number)
        .repeat(' ', 1 + start - left, none)
        .repeat('^', end - start, level_style);
    if !d.name.is_empty() {
        row.put(" ", none).put(d.name, level_style);
    }
    //    |
    //    = help: text
    if let Some(help) = &d.help {
        row.next()
            .repeat(' ', digits + 1, none)
            .put("|", styles.line_number)
            .next()
            .repeat(' ', digits + 1, none)
            .put("= ", styles.line_number)
            .put("help", styles.emphasis)
            .put(": ", none)
            .put(help, none);
    }
    row.end();
    true
}

/// Characters the library shows as they are, one column wide: anything else
/// (tabs, control and bidi characters, zero-width and wide characters) it
/// replaces or measures differently.
fn one_column(c: char) -> bool {
    if c.is_ascii() {
        return printable_ascii(c as u8);
    }
    !matches!(c, '\u{200d}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        && c.width() == Some(1)
}

/// A byte the library shows as it is, in one column (and [`super::clean`]
/// never replaces).
pub(super) fn printable_ascii(b: u8) -> bool {
    matches!(b, b' '..=b'~')
}

/// The columns of leading whitespace, or 0 for a line of nothing else.
fn indent(line: &str) -> usize {
    let rest = line.trim_start();
    if rest.is_empty() {
        0
    } else {
        line[..line.len() - rest.len()].chars().count()
    }
}

/// The part of the line shown: annotate-snippets' `Margin`
/// (`renderer/margin.rs`) for one line with one span on it.
struct Window {
    /// The first column shown.
    left: usize,
    /// The column after the last one shown, when the line must be cut.
    right: usize,
    term_width: usize,
}

impl Window {
    fn new(
        indent: usize,
        start: usize,
        end: usize,
        label_right: usize,
        term_width: usize,
        line_len: usize,
    ) -> Window {
        // Room for the `...`.
        const PASSING: usize = 6;
        let whitespace_left = indent.saturating_sub(PASSING);
        let span_left = start.saturating_sub(PASSING);
        let span_right = end + PASSING;
        let label_right = label_right + PASSING;
        // Long indentation is cut even when the line fits.
        let mut left = if whitespace_left > 20 {
            whitespace_left - 16
        } else {
            0
        };
        let mut right = line_len.max(left);
        if right - left > term_width {
            if label_right.saturating_sub(whitespace_left) <= term_width
                && label_right >= whitespace_left
            {
                left = whitespace_left;
                right = left + term_width;
            } else if label_right - span_left <= term_width {
                let padding = (term_width - (label_right - span_left)) / 2;
                left = span_left.saturating_sub(padding);
                right = left + term_width;
            } else if span_right - span_left <= term_width {
                let padding = (term_width - (span_right - span_left)) / 5 * 2;
                left = span_left.saturating_sub(padding);
                right = left + term_width;
            } else {
                left = span_left;
                right = span_right;
            }
        }
        Window {
            left,
            right,
            term_width,
        }
    }

    fn right(&self, line_len: usize) -> usize {
        if line_len.saturating_sub(self.left) <= self.term_width {
            line_len
        } else {
            line_len.min(self.right)
        }
    }
}

/// Output written a line at a time in styled runs, changing style where the
/// library's buffer does: the old style's reset, then the new style.
struct Row<'a> {
    out: &'a mut String,
    style: Style,
}

impl<'a> Row<'a> {
    fn new(out: &'a mut String) -> Row<'a> {
        Row {
            out,
            style: Style::new(),
        }
    }

    fn switch(&mut self, style: Style) -> &mut Self {
        if style != self.style {
            let _ = write!(self.out, "{:#}{style}", self.style);
            self.style = style;
        }
        self
    }

    fn put(&mut self, s: &str, style: Style) -> &mut Self {
        if !s.is_empty() {
            self.switch(style);
            self.out.push_str(s);
        }
        self
    }

    fn repeat(&mut self, c: char, n: usize, style: Style) -> &mut Self {
        if n > 0 {
            self.switch(style);
            self.out.extend(std::iter::repeat_n(c, n));
        }
        self
    }

    fn number(&mut self, n: usize, style: Style) -> &mut Self {
        self.switch(style);
        let _ = write!(self.out, "{n}");
        self
    }

    /// Ends this line and starts the next.
    fn next(&mut self) -> &mut Self {
        self.end();
        self.out.push('\n');
        self
    }

    fn end(&mut self) {
        let _ = write!(self.out, "{:#}", self.style);
        self.style = Style::new();
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Diagnostic, Renderer};
    use super::*;
    use proptest::prelude::*;

    const SEVERITIES: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Information,
        Severity::Hint,
    ];

    fn diagnostic<'a>(
        source: &'a str,
        span: std::ops::Range<usize>,
        line: usize,
    ) -> Diagnostic<'a> {
        Diagnostic {
            severity: Severity::Warning,
            code: "ADV001",
            name: "advice-should",
            message: "Advice: \"You should\" tells the client what to do".into(),
            help: Some("ask instead: \"What would it take?\"".into()),
            path: "team/session.transcript",
            line,
            source,
            span,
        }
    }

    /// Draws `d` both ways, in colour and not: whether it was drawn directly.
    fn same_as_library(d: &Diagnostic) -> bool {
        let mut direct = false;
        for colour in [false, true] {
            let renderer = Renderer::new(colour);
            let mut want = String::new();
            d.draw_with_library(&mut want, &renderer.library);
            let mut got = String::new();
            direct = draw(&mut got, d, &renderer.styles);
            if direct {
                assert_eq!(got, want, "colour {colour}, {:?} in {:?}", d.span, d.source);
            } else {
                assert_eq!(got, "", "nothing written when not drawn");
            }
        }
        direct
    }

    /// The byte offset of character `i` of `s`.
    fn byte(s: &str, i: usize) -> usize {
        s.char_indices().nth(i).map_or(s.len(), |(b, _)| b)
    }

    #[test]
    fn the_usual_finding_is_drawn_directly() {
        let line = "[00:00:16] Coach: You should definitely go for it.";
        let at = line.find("You").unwrap();
        assert!(same_as_library(&diagnostic(line, at..at + 10, 10)));
    }

    /// Every branch of the window: lines that fit, lines cut on the right, on
    /// the left, on both sides, long indentation, spans near either end, empty
    /// and very long spans, long labels, one to six-digit line numbers.
    #[test]
    fn many_generated_findings_match_the_library() {
        let words = "Zoë said “maybe” – you should, I think, just go for it ";
        let mut drawn = 0;
        let mut all = 0;
        for indent in [0, 3, 7, 26, 60] {
            for len in [0, 1, 10, 100, 127, 130, 133, 136, 137, 140, 180, 300] {
                let line: String = " "
                    .repeat(indent)
                    .chars()
                    .chain(words.chars().cycle().take(len))
                    .collect();
                let chars = line.chars().count();
                for start in [
                    0,
                    1,
                    indent,
                    indent + 5,
                    chars / 2,
                    chars.saturating_sub(3),
                    chars,
                ] {
                    for width in [0, 1, 5, 40, 120, 131, 200, 280, 300] {
                        let start = start.min(chars);
                        let end = (start + width).min(chars);
                        let span = byte(&line, start)..byte(&line, end);
                        for (i, line_number) in [1, 9, 10, 4_321, 999_999].into_iter().enumerate() {
                            let mut d = diagnostic(&line, span.clone(), line_number);
                            d.severity = SEVERITIES[(all + i) % 4];
                            if all % 3 == 0 {
                                d.help = None;
                            }
                            d.name = [
                                "advice-should",
                                "",
                                "a-label-long-enough-to-move-the-window-by-itself",
                            ][all % 3];
                            drawn += usize::from(same_as_library(&d));
                            all += 1;
                        }
                    }
                }
            }
        }
        // The direct path is the common one, not a rarity.
        assert!(drawn * 10 > all * 8, "{drawn} of {all} drawn directly");
    }

    /// Characters the library replaces or measures differently: tab, control,
    /// bidi, zero-width joiner, zero-width space, combining, wide.
    const ODD: &[char] = &[
        '\t', '\u{1}', '\r', '\n', '\u{7f}', '\u{85}', '\u{202e}', '\u{200d}', '\u{200b}',
        '\u{301}', '你', '🙂',
    ];

    /// Sometimes over two lines; tabs and escapes are cleaned like the real ones.
    fn message() -> impl Strategy<Value = String> {
        let line = "[a :\"ë\t\u{1b}]{0,60}";
        let regex = |r: &str| proptest::string::string_regex(r).unwrap();
        prop_oneof![4 => regex(line), 1 => regex(&format!("{line}\n{line}"))]
            .prop_map(|m| super::super::clean(&m).into_owned())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn any_finding_matches_the_library(
            indent in 0..40usize,
            body in "[abY .?\"é’–\u{a0}]{0,320}",
            odd in prop::option::weighted(0.25, (any::<prop::sample::Index>(), prop::sample::select(ODD))),
            at in any::<prop::sample::Index>(),
            width in prop_oneof![0..8usize, 0..400usize],
            line_number in prop_oneof![1..20usize, 1..2_000_000usize],
            severity in prop::sample::select(SEVERITIES.as_slice()),
            name in prop::sample::select(&["advice-should", "", "x", "naïve-label"][..]),
            message in message(),
            help in prop::option::of(message()),
        ) {
            let mut line = format!("{}{body}", " ".repeat(indent));
            if let Some((at, c)) = odd {
                line.insert(byte(&line, at.index(line.chars().count() + 1)), c);
            }
            let chars = line.chars().count();
            let start = at.index(chars + 1);
            let end = (start + width).min(chars);
            let mut d = diagnostic(&line, byte(&line, start)..byte(&line, end), line_number);
            d.severity = severity;
            d.name = name;
            d.message = message.into();
            d.help = help.map(Into::into);
            same_as_library(&d);
        }
    }
}
