//! The common finding drawn directly, byte for byte as annotate-snippets 0.12
//! draws it.
//!
//! annotate-snippets lays every diagnostic out in a grid of styled characters
//! and formats it one character at a time: on long sessions that was about
//! 160,000 instructions per finding (callgrind), 95% of human output and more
//! than the analysis itself. Nearly every finding is the same simple picture
//! (one line, one underline, a label, perhaps a help line), so that picture is
//! written here in a few slices, as is a span over several lines (`/` or `__^`
//! on the first, `|` down the side, `|__^` under the last, lines cut to the
//! terminal's width). Everything else (blank or bare-delimiter lines in a span,
//! spans not starting on the first line given or ending on the last, tabs,
//! control, zero-width or wide characters, underlines too long to show whole,
//! messages over several lines) still goes to the library.
//! The tests below hold the two to the same bytes, in colour and without.

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
    /// Every style is plain: rows need not track styles at all.
    plain: bool,
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
            plain: !colour,
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
    if !all_one_column(d.name) || !d.one_line {
        return false;
    }
    // Printable ASCII, as nearly every line is, has no line break to look for.
    let measure = if printable_ascii_str(line) {
        Measure { ascii: true }
    } else if line.contains('\n') {
        return draw_lines(out, d, styles);
    } else {
        let Some(measure) = Measure::of([line]) else {
            return false;
        };
        measure
    };
    let line_len = measure.columns(line);
    let start = measure.columns(&line[..d.span.start]);
    // An empty span is drawn as one `^`.
    let end = measure.columns(&line[..d.span.end]).max(start + 1);

    let digits = d.line.max(1).ilog10() as usize + 1;
    let code_offset = digits + 3;
    let term_width = DEFAULT_TERM_WIDTH.saturating_sub(code_offset);
    // The library elides the middle of an underline this long (its `MIN_PAD`
    // twice and an ellipsis).
    if end - start > term_width * 2 && end - start > 5 * 2 + ELLIPSIS.len() {
        return false;
    }
    let label_right = end + d.name.chars().count() + 1;
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
    let shown_from = left + if cut_left { ELLIPSIS.len() } else { 0 };
    let shown_to = right - if cut_right { ELLIPSIS.len() } else { 0 };
    let shown = &line[measure.byte(line, shown_from)..measure.byte(line, shown_to)];

    let (_, level_style) = styles.level(d.severity);
    let none = Style::new();
    let mut row = Row::new(out, styles.plain);
    header(&mut row, d, styles, digits, start);
    // 12 | the line
    row.next()
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
        .repeat(b' ', digits + 1, none)
        .put("|", styles.line_number)
        .repeat(b' ', 1 + start - left, none)
        .repeat(b'^', end - start, level_style);
    if !d.name.is_empty() {
        row.put(" ", none).put(d.name, level_style);
    }
    footer(&mut row, d, styles, digits);
    true
}

fn all_one_column(s: &str) -> bool {
    printable_ascii_str(s) || s.chars().all(one_column)
}

/// `warning[ADV001]: message`, ` --> path:line:column` and `  |`, leaving the
/// row open.
fn header(row: &mut Row, d: &Diagnostic, styles: &Styles, digits: usize, start: usize) {
    let (level_name, level_style) = styles.level(d.severity);
    let none = Style::new();
    row.put(level_name, level_style)
        .put("[", level_style)
        .put(d.code, level_style)
        .put("]", level_style)
        .put(": ", styles.emphasis)
        .put(&d.message, styles.emphasis)
        .next()
        .repeat(b' ', digits, none)
        .put("--> ", styles.line_number)
        .switch(none);
    let mut n = itoa::Buffer::new();
    row.out.push_str(d.path);
    row.out.push(':');
    row.out.push_str(n.format(d.line));
    row.out.push(':');
    row.out.push_str(n.format(start + 1));
    row.next()
        .repeat(b' ', digits + 1, none)
        .put("|", styles.line_number);
}

/// `   |` and `   = help: text` when there is help, and the end of the last row.
fn footer(row: &mut Row, d: &Diagnostic, styles: &Styles, digits: usize) {
    let none = Style::new();
    if let Some(help) = &d.help {
        row.next()
            .repeat(b' ', digits + 1, none)
            .put("|", styles.line_number)
            .next()
            .repeat(b' ', digits + 1, none)
            .put("= ", styles.line_number)
            .put("help", styles.emphasis)
            .put(": ", none)
            .put(help.before, none)
            .put(&help.text, none)
            .put(help.after, none);
    }
    row.end();
}

/// A span over several lines: the library's `MultilineStart`, `MultilineLine`
/// and `MultilineEnd` at depth 1 (`renderer/source_map.rs`, `renderer/render.rs`),
/// in the margin of the lines it annotates (`renderer/margin.rs`).
fn draw_lines(out: &mut String, d: &Diagnostic, styles: &Styles) -> bool {
    let source = d.source;
    // (byte offset, text) of each line.
    let mut lines: Vec<(usize, &str)> = Vec::with_capacity(8);
    let mut from = 0;
    for text in source.split('\n') {
        lines.push((from, text));
        from += text.len() + 1;
    }
    let n = lines.len();
    // Lines the library would count as empty (and so lay out differently)
    // or draw differently: fall back.
    let plain = |text: &str| {
        let t = text.trim();
        !(t.starts_with("//") && !(t.starts_with("///") || t.starts_with("//!")))
            && !["", "{", "}", "(", ")", "[", "]"].contains(&t)
    };
    if !lines.iter().all(|(_, text)| plain(text)) {
        return false;
    }
    let Some(measure) = Measure::of(lines.iter().map(|&(_, text)| text)) else {
        return false;
    };
    let line_columns = |s: &str| measure.columns(s);
    let byte = |text: &str, column: usize| measure.byte(text, column);
    // The line holding `at` (its line ending included) and the column in it.
    let locate = |at: usize| {
        let i = lines
            .iter()
            .position(|&(from, text)| at >= from && at <= from + text.len())
            .unwrap_or(n - 1);
        let (from, text) = lines[i];
        (i, line_columns(&text[..(at - from).min(text.len())]))
    };
    let (start_line, start) = locate(d.span.start);
    let (end_line, end) = locate(d.span.end);
    // Lines outside the span would be left out; an end at the start of a line
    // is drawn otherwise.
    if d.span.start >= d.span.end || start_line != 0 || end_line != n - 1 || end == 0 {
        return false;
    }
    let last_number = d.line + n - 1;
    let digits = last_number.ilog10() as usize + 1;
    let column_width = DEFAULT_TERM_WIDTH.saturating_sub(digits + 5);
    // The lines annotated (beyond four, the first four and the last two), whose
    // indentation and length set the margin; a line between them is drawn too
    // unless more are, which leaves `...`.
    let annotated = |i: usize| i < 4 || i + 1 == n || (i + 2 == n && n > 6);
    let drawn = |i: usize| annotated(i) || (i == 4 && (n == 6 || n == 7));
    // The margin, from the annotated lines: the start (`^`), the end (`^` and
    // label) and, over three lines or more, the `|` at column 0 of those between.
    let mut indent_min = usize::MAX;
    let mut max_len = 0;
    for (i, &(_, text)) in lines.iter().enumerate() {
        if annotated(i) {
            indent_min = indent_min.min(indent(text));
            max_len = max_len.max(line_columns(text));
        }
    }
    let span_left = if n > 2 { 0 } else { start.min(end - 1) };
    let span_right = (start + 1).max(end);
    let label_right = (start + 1).max(end + columns(d.name) + 1);
    let window = Window::new(
        indent_min,
        span_left,
        span_right,
        label_right,
        column_width,
        max_len,
    );
    let cut_left = window.left > 0;
    // What the library shows of line `i`: its first column, its text and
    // whether it was cut on the right.
    let piece = |i: usize| {
        let text = lines[i].1;
        let len = line_columns(text);
        let left = window.left.min(len);
        let right = window.right(len);
        let cut_right = len > right;
        if right < left || ((cut_left || cut_right) && right - left < 6) {
            return None;
        }
        let from = left + if cut_left { ELLIPSIS.len() } else { 0 };
        let to = right - if cut_right { ELLIPSIS.len() } else { 0 };
        Some((left, &text[byte(text, from)..byte(text, to)], cut_right))
    };
    let first = piece(0);
    let last = piece(n - 1);
    let (Some(first), Some(last)) = (first, last) else {
        return false;
    };
    // Marks left of the text shown are drawn otherwise.
    if start < first.0
        || end - 1 < last.0
        || !(1..n - 1).filter(|&i| drawn(i)).all(|i| piece(i).is_some())
    {
        return false;
    }

    let (_, level_style) = styles.level(d.severity);
    let none = Style::new();
    let mut row = Row::new(out, styles.plain);
    header(&mut row, d, styles, digits, start);
    let code = |row: &mut Row, i: usize, mark: &str, mark_style: Style| {
        let (_, text, cut_right) = piece(i).unwrap_or_default();
        let mut number = itoa::Buffer::new();
        let number = number.format(d.line + i);
        row.next()
            .repeat(b' ', digits - number.len(), styles.line_number)
            .put(number, styles.line_number);
        row.put(" ", none)
            .put("|", styles.line_number)
            .put(" ", none)
            .put(mark, mark_style)
            .put(" ", none);
        if cut_left {
            row.put(ELLIPSIS, styles.line_number);
        }
        row.put(text, none);
        if cut_right {
            row.put(ELLIPSIS, styles.line_number);
        }
    };
    // With nothing but whitespace before the span, the first line is marked
    // with `/`, else the span's start is joined to the left by `__^`.
    if lines[0].1.chars().take(start).all(char::is_whitespace) {
        code(&mut row, 0, "/", level_style);
    } else {
        code(&mut row, 0, " ", none);
        row.next()
            .repeat(b' ', digits + 1, none)
            .put("|", styles.line_number)
            .put(" ", none)
            .put(" ", level_style)
            .repeat(b'_', start - first.0 + 1, level_style)
            .put("^", level_style);
    }
    for i in 1..n {
        if n > 7 && i == 4 {
            row.next()
                .put("...", styles.line_number)
                .repeat(b' ', digits, none)
                .put("|", level_style);
        }
        if drawn(i) {
            code(&mut row, i, "|", level_style);
        }
    }
    //    | |___^ label
    row.next()
        .repeat(b' ', digits + 1, none)
        .put("|", styles.line_number)
        .put(" ", none)
        .put("|", level_style)
        .repeat(b'_', end - last.0, level_style)
        .put("^", level_style);
    if !d.name.is_empty() {
        row.put(" ", none).put(d.name, level_style);
    }
    footer(&mut row, d, styles, digits);
    true
}

fn columns(s: &str) -> usize {
    s.chars().count()
}

/// How to count the columns of lines whose every character is one column
/// wide: by bytes when they are printable ASCII, as nearly every line is.
#[derive(Clone, Copy)]
struct Measure {
    ascii: bool,
}

impl Measure {
    /// `None` when a line has a character that is not one column wide.
    fn of<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<Measure> {
        let mut ascii = true;
        for line in lines {
            if !printable_ascii_str(line) {
                ascii = false;
                if !line.chars().all(one_column) {
                    return None;
                }
            }
        }
        Some(Measure { ascii })
    }

    fn columns(self, s: &str) -> usize {
        if self.ascii { s.len() } else { columns(s) }
    }

    /// The byte of `line` at `column`, or its end.
    fn byte(self, line: &str, column: usize) -> usize {
        if self.ascii {
            column.min(line.len())
        } else {
            line.char_indices()
                .nth(column)
                .map_or(line.len(), |(b, _)| b)
        }
    }
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

/// Whether every byte of `s` is [`printable_ascii`]: eight at a time, as
/// every line, message and help of a finding is asked.
pub(super) fn printable_ascii_str(s: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // A byte below the space sets its high bit in the first term (a
        // borrow runs only upward, from such a byte); `~` + 1 and non-ASCII
        // bytes in the second (a carry only from 0xFF, itself non-ASCII).
        if (x.wrapping_sub(ONES * 0x20) & !x | x.wrapping_add(ONES) | x) & HIGH != 0 {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| printable_ascii(b))
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
    /// Every style is plain (no colour): nothing to switch, a comparison saved
    /// for every run written.
    plain: bool,
}

impl<'a> Row<'a> {
    fn new(out: &'a mut String, plain: bool) -> Row<'a> {
        Row {
            out,
            style: Style::new(),
            plain,
        }
    }

    // Inlined, as are the other writers below, so that without colour a run
    // costs a test and a copy, one of a constant length for the constant
    // pieces; with colour, styles are compared and written out of line.
    #[inline]
    fn switch(&mut self, style: Style) -> &mut Self {
        debug_assert!(!self.plain || style == Style::new());
        if !self.plain {
            self.restyle(style);
        }
        self
    }

    #[inline(never)]
    fn restyle(&mut self, style: Style) {
        if style != self.style {
            let _ = write!(self.out, "{}{}", self.style.render_reset(), style.render());
            self.style = style;
        }
    }

    #[inline]
    fn put(&mut self, s: &str, style: Style) -> &mut Self {
        if !s.is_empty() {
            self.switch(style);
            self.out.push_str(s);
        }
        self
    }

    /// `n` times the ASCII character `c`.
    #[inline]
    fn repeat(&mut self, c: u8, n: usize, style: Style) -> &mut Self {
        debug_assert!(c.is_ascii());
        if n > 0 {
            self.switch(style);
            // Pushed as slices of a run of `c`, not a character at a time.
            const SPACES: &str = "                                                                ";
            const CARETS: &str = "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^";
            const LOWS: &str = "________________________________________________________________";
            let run = match c {
                b' ' => SPACES,
                b'^' => CARETS,
                b'_' => LOWS,
                _ => {
                    for _ in 0..n {
                        self.out.push(char::from(c));
                    }
                    return self;
                }
            };
            let mut left = n;
            while left > 0 {
                let k = left.min(run.len());
                self.out.push_str(&run[..k]);
                left -= k;
            }
        }
        self
    }

    #[inline]
    fn number(&mut self, n: usize, style: Style) -> &mut Self {
        self.put(itoa::Buffer::new().format(n), style)
    }

    /// Ends this line and starts the next.
    #[inline]
    fn next(&mut self) -> &mut Self {
        self.end();
        self.out.push('\n');
        self
    }

    #[inline]
    fn end(&mut self) {
        // A plain style's reset is nothing: no formatting at all.
        if !self.plain {
            self.reset();
        }
    }

    #[inline(never)]
    fn reset(&mut self) {
        if self.style != Style::new() {
            let _ = write!(self.out, "{}", self.style.render_reset());
            self.style = Style::new();
        }
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
            one_line: true,
            path: "team/session.transcript",
            line,
            source,
            span,
        }
    }

    /// `one_line` as `Diagnostic::new` sets it.
    fn one_line(d: &Diagnostic) -> bool {
        !d.message.contains('\n') && !d.help.as_ref().is_some_and(|h| h.text.contains('\n'))
    }

    /// Draws `d` both ways, in colour and not: whether it was drawn directly.
    fn same_as_library(d: &Diagnostic) -> bool {
        assert_eq!(d.one_line, one_line(d), "one_line set as it would be");
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

    #[test]
    fn the_usual_span_over_lines_is_drawn_directly() {
        let two = "[00:00:16] Coach: What do you want?\n[00:00:18] Coach: And why?";
        let nine = ["[00:00:16] Coach: What else?"; 9].join("\n");
        let wide = format!("{}\n  {}", long_line(133), long_line(131));
        // Lines 9 to 17: two digits, 133 columns for the text.
        for source in [two, &nine, &wide] {
            for start in [0, 11] {
                let d = diagnostic(source, start..source.len() - 1, 9);
                assert!(same_as_library(&d), "{source:?} from {start}");
            }
        }
        // Over six or seven lines, the fifth is drawn but not annotated: its
        // indentation does not count in the margin.
        for n in [6, 7] {
            let lines: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        "{}Coach: So what now?",
                        " ".repeat(if i == 4 { 0 } else { 40 })
                    )
                })
                .collect();
            let source = lines.join("\n");
            same_as_library(&diagnostic(&source, 45..source.len() - 2, 9));
        }
        // Cut on the right, on both sides, and deep indentation cut on the left.
        let long = format!("{}\n{}", long_line(200), long_line(180));
        let deep = format!(
            "{0}{1}\n{0}{1}\n{0}{1}",
            " ".repeat(40),
            "Coach: So what now?"
        );
        for (source, start, end) in [
            (&long, 20, 30),
            (&long, 150, 40),
            (&long, 150, 170),
            (&deep, 45, 50),
        ] {
            let end = source.rfind('\n').unwrap()
                + 1
                + byte(&source[source.rfind('\n').unwrap() + 1..], end);
            let d = diagnostic(source, byte(source, start)..end, 9);
            assert!(same_as_library(&d), "{source:?} from {start} to {end}");
        }
    }

    proptest! {
        #[test]
        fn printable_ascii_str_is_a_byte_by_byte_check(
            s in prop_oneof!["[ -~]{0,40}", "[ -~\t\n\u{7f}\u{80}-\u{10ffff}]{0,40}", ".{0,40}"],
        ) {
            prop_assert_eq!(printable_ascii_str(&s), s.bytes().all(printable_ascii));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn any_span_over_lines_matches_the_library(
            lines in prop::collection::vec((prop_oneof![0..8usize, 0..60usize], "[abY .?\"é’–\u{a0}{}/]{0,200}"), 2..12),
            odd in prop::option::weighted(0.2, (any::<prop::sample::Index>(), prop::sample::select(ODD))),
            at in any::<prop::sample::Index>(),
            to in any::<prop::sample::Index>(),
            line_number in prop_oneof![1..20usize, 1..2_000_000usize],
            severity in prop::sample::select(SEVERITIES.as_slice()),
            name in prop::sample::select(&["advice-should", "", "x", "naïve-label"][..]),
            help in prop::option::of(message()),
        ) {
            let lines: Vec<String> = lines.iter().map(|(indent, body)| format!("{}{body}", " ".repeat(*indent))).collect();
            let mut source = lines.join("\n");
            if let Some((at, c)) = odd {
                source.insert(byte(&source, at.index(source.chars().count() + 1)), c);
            }
            let first = source.find('\n').unwrap_or(source.len());
            let last = source.rfind('\n').map_or(0, |i| i + 1);
            // Mostly from the first line to the last, as the findings are.
            let (first, last) = (source[..first].chars().count(), source[..last].chars().count());
            let start = byte(&source, at.index(first + 1));
            let end = byte(&source, last + to.index(source.chars().count() - last + 1)).max(start);
            let mut d = diagnostic(&source, start..end, line_number);
            d.severity = severity;
            d.name = name;
            d.help = help.map(Into::into);
            d.one_line = one_line(&d);
            same_as_library(&d);
        }

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
            d.one_line = one_line(&d);
            same_as_library(&d);
        }
    }

    /// Lines for spans over several: short and long (about the terminal's
    /// width), indented a little and a lot, with wide text, and the empty,
    /// bare-delimiter and comment lines the library leaves out.
    const LINES: &[&str] = &[
        "[00:00:16] Coach: What do you want? Why now?",
        "  Zoë: “maybe” – I think so ",
        "ok",
        "                              deeply indented line",
        "",
        "   ",
        "}",
        "// a comment",
        "/// a doc comment",
    ];

    fn long_line(len: usize) -> String {
        "Coach: and what else – é? "
            .chars()
            .cycle()
            .take(len)
            .collect()
    }

    /// Spans over 2 to 10 lines, starting before, in and after the first
    /// line's text and ending anywhere in the last line (or earlier), at line
    /// numbers that gain a digit on the way.
    #[test]
    fn many_generated_spans_over_lines_match_the_library() {
        let mut drawn = 0;
        let mut all = 0;
        let long: Vec<String> = [120, 129, 130, 131, 132, 133, 134, 135, 136, 200]
            .map(long_line)
            .to_vec();
        let pick = |k: usize, all_lines: bool| -> &str {
            let kinds = if all_lines { LINES.len() } else { 4 };
            if k % 5 == 4 {
                &long[(k / 5) % long.len()]
            } else {
                LINES[(k / 5 + k) % kinds]
            }
        };
        for n in 2..=10 {
            for seed in 0..16 {
                // Mostly lines the library draws alike, so that most spans are
                // drawn directly.
                let lines: Vec<&str> = (0..n)
                    .map(|i| pick(seed * 7 + i * (seed % 5 + 1), seed % 3 == 0))
                    .collect();
                let source = lines.join("\n");
                let first = lines[0].chars().count();
                let last_from = source.len() - lines[n - 1].len();
                let last = lines[n - 1].chars().count();
                for start in [
                    0,
                    1,
                    2,
                    first / 2,
                    first.saturating_sub(1),
                    first,
                    first + 1,
                ] {
                    let start = byte(&source, start);
                    for end in [0, 1, last / 2, last.saturating_sub(1), last] {
                        let end = last_from + byte(lines[n - 1], end);
                        for (i, line_number) in [1, 5, 93, 99_995].into_iter().enumerate() {
                            for earlier_end in [false, true] {
                                let end = if earlier_end {
                                    end.min(source.len() - lines[n - 1].len() - 1)
                                } else {
                                    end
                                };
                                let mut d = diagnostic(&source, start..end.max(start), line_number);
                                d.severity = SEVERITIES[(all + i) % 4];
                                if all % 3 == 0 {
                                    d.help = None;
                                }
                                d.name = ["advice-should", "", "naïve-label"][all % 3];
                                drawn += usize::from(same_as_library(&d));
                                all += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(drawn * 8 > all, "{drawn} of {all} drawn directly");
    }
}
