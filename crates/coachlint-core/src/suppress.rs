//! Suppression comments: `# coachlint-disable-next-turn ADV001` silences findings
//! in the next turn, `# coachlint-disable judgment` the whole file. In WebVTT the
//! same words go in a `NOTE` block. No selector means every rule.

use crate::transcript::{Directive, DirectiveScope};

pub const NEXT_TURN: &str = "coachlint-disable-next-turn";
pub const FILE: &str = "coachlint-disable";

/// Reads a directive from one line (without its line ending) at `start`.
#[inline]
pub fn parse_directive(line: &str, start: usize) -> Option<Directive> {
    // Most lines are speech: a visible first character that opens no
    // directive rules the line out before any trimming, and without a call
    // (parsers ask of every line).
    if line
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_graphic() && !matches!(c, b'#' | b'N' | b'<'))
    {
        return None;
    }
    read_directive(line, start)
}

/// [`parse_directive`] past its quick rejection.
fn read_directive(line: &str, start: usize) -> Option<Directive> {
    let s = line.trim();
    let rest = s
        .strip_prefix('#')
        .or_else(|| s.strip_prefix("NOTE"))
        .or_else(|| s.strip_prefix("<!--").map(|r| r.trim_end_matches("-->")))?
        .trim();
    let (scope, rest) = if let Some(r) = rest.strip_prefix(NEXT_TURN) {
        (DirectiveScope::NextTurn, r)
    } else if let Some(r) = rest.strip_prefix(FILE) {
        (DirectiveScope::File, r)
    } else {
        return None;
    };
    if !(rest.is_empty() || rest.starts_with([' ', '\t', ':'])) {
        return None;
    }
    let selectors = rest
        .trim_start_matches(':')
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let lead = line.len() - line.trim_start().len();
    Some(Directive {
        span: start + lead..start + line.trim_end().len(),
        scope,
        selectors,
    })
}

/// The comment line that silences `code` for the next turn, in a format's syntax.
pub fn next_turn_comment(format: crate::Format, code: &str) -> String {
    match format {
        crate::Format::ZoomVtt | crate::Format::TeamsVtt => format!("NOTE {NEXT_TURN} {code}\n\n"),
        _ => format!("# {NEXT_TURN} {code}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A leading blank bypasses the quick rejection: the general reading.
        #[test]
        fn the_quick_rejection_agrees_with_the_general_reading(
            line in "(#|NOTE|<!--|N|<|\\[|a)?[ \t]?(coachlint-disable(-next-turn)?)?[ :,a-z-]{0,5}(-->)?"
        ) {
            let general = parse_directive(&format!(" {line}"), 0).map(|mut d| {
                d.span = d.span.start - 1..d.span.end - 1;
                d
            });
            proptest::prop_assert_eq!(parse_directive(&line, 0), general);
        }
    }

    #[test]
    fn reads_directives() {
        let d = parse_directive("# coachlint-disable-next-turn ADV001, judgment", 10).unwrap();
        assert_eq!(d.scope, DirectiveScope::NextTurn);
        assert_eq!(d.selectors, ["ADV001", "judgment"]);
        assert_eq!(d.span, 10..56);
        let d = parse_directive("NOTE coachlint-disable", 0).unwrap();
        assert_eq!(d.scope, DirectiveScope::File);
        assert!(d.selectors.is_empty());
        assert!(parse_directive("# coachlint-disabled", 0).is_none());
        assert!(parse_directive("Coach: # coachlint-disable", 0).is_none());
    }
}
