//! GitHub Actions workflow commands: one `::warning file=…::message` line per
//! finding, which Actions shows as an annotation on the pull request.

use super::Checked;
use coachlint_core::Severity;
use std::fmt::Write as _;

/// The annotation lines of one file.
pub fn file(c: &Checked) -> String {
    let mut out = String::new();
    for d in &c.report().diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information | Severity::Hint => "notice",
        };
        let mut message = d.message.to_owned();
        if let Some(best) = d.rephrasings.first() {
            let _ = write!(message, "\nask instead: \"{best}\"");
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(c.path),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            property(d.code),
            data(&message)
        );
    }
    out
}

/// Escapes a command's message, as the Actions runner expects.
pub fn data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value (`file=`, `title=`): as [`data`], plus `:` and `,`.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_runner() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(data("bell\u{7}"), "bell ");
    }
}
