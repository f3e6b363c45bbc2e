//! GitHub Actions workflow commands: one `::warning file=…::message` line per
//! finding, which Actions shows as an annotation on the pull request.

use super::Checked;
use coachlint_core::Severity;
use coachlint_core::output::Diagnostic;
use serde_json::ser::{CompactFormatter, Formatter};

/// The annotation lines of one file.
pub fn file(c: &Checked) -> Vec<u8> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    escape(&mut path, c.path, true);
    for f in &c.analysis.findings {
        let d = Diagnostic::new(f, c.text, &c.index);
        let command: &[u8] = match d.severity {
            Severity::Error => b"::error file=",
            Severity::Warning => b"::warning file=",
            Severity::Information | Severity::Hint => b"::notice file=",
        };
        out.extend_from_slice(command);
        out.extend_from_slice(&path);
        for (name, n) in [
            (&b",line="[..], d.line),
            (b",col=", d.column),
            (b",endLine=", d.end_line),
            (b",endColumn=", d.end_column),
        ] {
            out.extend_from_slice(name);
            let _ = CompactFormatter.write_u64(&mut out, n as u64);
        }
        out.extend_from_slice(b",title=");
        escape(&mut out, d.code, true);
        out.extend_from_slice(b"::");
        escape(&mut out, d.message, false);
        if let Some(best) = d.rephrasings.first() {
            // The line break of "\nask instead", escaped.
            out.extend_from_slice(b"%0Aask instead: \"");
            escape(&mut out, &best.text, false);
            out.push(b'"');
        }
        out.push(b'\n');
    }
    out
}

/// Escapes a command's message, as the Actions runner expects.
pub fn data(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    escape(&mut out, s, false);
    String::from_utf8(out).unwrap_or_default()
}

/// Escapes a property value (`file=`, `title=`): as [`data`], plus `:` and `,`.
pub fn property(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    escape(&mut out, s, true);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `s` escaped as [`data`] or, if `property`, as [`property`].
fn escape(out: &mut Vec<u8>, s: &str, property: bool) {
    // Most text has nothing to escape: no `%`, no ASCII control, no C1 control
    // (whose UTF-8 starts with 0xC2, as do other characters: those take the
    // general way too), and for properties no `:` or `,`.
    let plain = |b: u8| ((b' '..=b'~').contains(&b) && b != b'%') || (b >= 0x80 && b != 0xC2);
    if s.bytes()
        .all(|b| plain(b) && !(property && (b == b':' || b == b',')))
    {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    let mut buf = [0; 4];
    for c in s.chars() {
        let escaped: &str = match c {
            '%' => "%25",
            '\r' => "%0D",
            '\n' => "%0A",
            ':' if property => "%3A",
            ',' if property => "%2C",
            c if c.is_control() => " ",
            c => c.encode_utf8(&mut buf),
        };
        out.extend_from_slice(escaped.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_like_the_actions_runner() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(data("bell\u{7}"), "bell ");
        assert_eq!(data("c1\u{85}é\u{a0}"), "c1 é\u{a0}");
    }

    /// How escaping was first written, character by character.
    fn reference(s: &str, property: bool) -> String {
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
        if property {
            out = out.replace(':', "%3A").replace(',', "%2C");
        }
        out
    }

    proptest! {
        #[test]
        fn escaping_equals_the_character_by_character_reading(
            s in "([ -~]|[\u{0}-\u{1f}\u{7f}-\u{a0}]|\\PC|é){0,24}"
        ) {
            prop_assert_eq!(data(&s), reference(&s, false));
            prop_assert_eq!(property(&s), reference(&s, true));
        }
    }
}
