//! The JSON contract (`docs/json.md`): `coachlint_core::output::Report`, written
//! one file at a time so that a large folder never sits in memory at once. The
//! bytes are exactly those of `serde_json::to_string_pretty(&Report { .. })`.

use super::Checked;
use coachlint_core::output::VERSION;
use serde::Serialize;

/// What comes before the first file.
pub fn begin() -> String {
    format!("{{\n  \"version\": {VERSION},\n  \"files\": [")
}

/// One file's object, indented as an element of `files`, preceded by the
/// separator it needs.
pub fn file(c: &Checked, first: bool) -> String {
    let pretty = pretty(&c.report());
    let mut out = String::with_capacity(pretty.len() + pretty.len() / 8);
    out.push_str(if first { "\n" } else { ",\n" });
    for (i, line) in pretty.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // serde_json escapes newlines inside strings, so every line break here
        // is structural and can take the array's indentation.
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// What comes after the last file.
pub fn end(files: usize) -> String {
    if files == 0 {
        "]\n}\n".to_owned()
    } else {
        "\n  ]\n}\n".to_owned()
    }
}

/// Pretty JSON of a value that cannot fail to serialise (plain structs of
/// strings, numbers and lists); falls back to `null` rather than panicking.
pub fn pretty<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use coachlint_core::output::{FileReport, Report};
    use coachlint_core::{Config, analyze};

    #[test]
    fn streamed_bytes_equal_the_report_serialised_whole() {
        let texts = [
            "Coach: What do you want from today?\nClient: Clarity.\nCoach: You should quit.\n",
            "Coach: How are you?\nClient: \"Tired\", she said.\n",
        ];
        let analyses: Vec<_> = texts
            .iter()
            .map(|t| analyze(t, &Config::default()).unwrap())
            .collect();
        let checked: Vec<Checked> = texts
            .iter()
            .zip(&analyses)
            .enumerate()
            .map(|(i, (t, a))| Checked::new(["a.transcript", "b.transcript"][i], "", t, a))
            .collect();
        for n in 0..=checked.len() {
            let mut streamed = begin();
            for (i, c) in checked[..n].iter().enumerate() {
                streamed.push_str(&file(c, i == 0));
            }
            streamed.push_str(&end(n));
            let whole = Report {
                version: VERSION,
                files: checked[..n]
                    .iter()
                    .map(|c| FileReport::new(c.path, c.text, c.analysis))
                    .collect(),
            };
            assert_eq!(streamed, pretty(&whole) + "\n", "{n} files");
        }
    }
}
