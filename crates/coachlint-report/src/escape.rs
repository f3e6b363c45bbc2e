//! Escaping user text (transcripts are user data) for HTML and Markdown.

use std::fmt::Write;

/// Escapes text for HTML element content and attribute values alike. The
/// output is also well-formed XML: control characters XML forbids become
/// U+FFFD, so one stray byte in a transcript cannot break the page.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push_html(&mut out, s);
    out
}

/// [`html`], appending to `out`.
pub fn push_html(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if is_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// Characters XML 1.0 does not allow in a document, and C1 controls.
fn is_forbidden(c: char) -> bool {
    matches!(c, '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Escapes text for Markdown inline content, including inside table cells:
/// every character CommonMark could read as markup is backslash-escaped, and
/// line breaks become spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '+'
            | '!' | '|' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A number with a fixed number of decimals, trailing zeros kept.
pub fn fixed(x: f64, decimals: usize) -> String {
    let mut s = String::new();
    let _ = write!(s, "{x:.decimals$}");
    if s == "-0" || s.starts_with("-0.") && s[3..].chars().all(|c| c == '0') {
        s.remove(0);
    }
    s
}

/// A share (0–1) as a whole percentage.
pub fn percent(share: f64) -> String {
    format!("{}%", fixed(share * 100.0, 0))
}

/// Seconds as `h:mm:ss` or `m:ss`.
pub fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A duration in words: `5 min 48 s`, `1 h 02 min`.
pub fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{s} s")
    }
}

/// `1 question`, `2 questions`: a count and a noun that takes an `s`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// At most `max` characters, cut at a word boundary with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_quotes_and_controls() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(html("a\u{0}b\u{1b}c\u{85}"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}");
        assert_eq!(html("tab\there\ncafé 🙂"), "tab\there\ncafé 🙂");
    }

    #[test]
    fn markdown_escapes_what_could_be_markup() {
        assert_eq!(
            markdown("*bold* [link](x) | <b> `c` # h\nnext"),
            "\\*bold\\* \\[link\\]\\(x\\) \\| \\<b\\> \\`c\\` \\# h next"
        );
    }

    #[test]
    fn numbers_and_times() {
        assert_eq!(fixed(-0.001, 1), "0.0");
        assert_eq!(fixed(1.26, 1), "1.3");
        assert_eq!(percent(0.246), "25%");
        assert_eq!(clock(348.0), "5:48");
        assert_eq!(clock(3725.0), "1:02:05");
        assert_eq!(duration(348.0), "5 min 48 s");
        assert_eq!(duration(3725.0), "1 h 02 min");
        assert_eq!(truncate("one two three four", 12), "one two…");
        assert_eq!(truncate("short", 12), "short");
        assert_eq!(count(1, "question"), "1 question");
        assert_eq!(count(0, "question"), "0 questions");
    }
}
