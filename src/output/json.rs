//! The JSON contract (`docs/json.md`): `coachlint_core::output::Report`, written
//! one file at a time so that a large folder never sits in memory at once. The
//! bytes are exactly those of `serde_json::to_string_pretty(&Report { .. })`.

use super::Checked;
use coachlint_core::output::{Diagnostic, FileReport, TurnOut, VERSION};
use coachlint_core::{Category, Mode, Role, Severity};
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use std::io::{self, Write};

/// What comes before the first file.
pub fn begin() -> String {
    format!("{{\n  \"version\": {VERSION},\n  \"files\": [")
}

/// One file's object, indented as an element of `files`, preceded by the
/// separator it needs.
pub fn file(c: &Checked, first: bool) -> String {
    // Always UTF-8: text from `&str`s and ASCII punctuation.
    String::from_utf8(file_bytes(c, first))
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`file()`] as bytes, which is how it is written.
pub fn file_bytes(c: &Checked, first: bool) -> Vec<u8> {
    // The output is about 3.5 times the size of the transcript.
    let mut out = Vec::with_capacity(c.text.len() * 4);
    out.extend_from_slice(if first { b"\n    " } else { b",\n    " });
    write_file(&mut out, &c.report(), 2);
    out
}

/// Writes `r` as [`write_pretty`] does, the turns and diagnostics (nearly all
/// of it) by hand: through serde they cost about five times as much, mostly
/// in serialising the keys.
fn write_file(out: &mut Vec<u8>, r: &FileReport, depth: usize) {
    let d = depth + 1;
    out.push(b'{');
    key(out, d, true, "path");
    string(out, r.path);
    key(out, d, false, "format");
    name(out, r.format);
    key(out, d, false, "coach");
    write_pretty(out, &r.coach, d);
    key(out, d, false, "coach_source");
    write_pretty(out, r.coach_source, d);
    key(out, d, false, "speakers");
    write_pretty(out, &r.speakers, d);
    key(out, d, false, "metrics");
    write_pretty(out, r.metrics, d);
    key(out, d, false, "turns");
    list(out, d, &r.turns, turn);
    key(out, d, false, "diagnostics");
    list(out, d, &r.diagnostics, diagnostic);
    key(out, d, false, "suppressed");
    number(out, r.suppressed);
    newline(out, depth, false);
    out.push(b'}');
}

fn turn(out: &mut Vec<u8>, t: &TurnOut, depth: usize) {
    let d = depth + 1;
    out.push(b'{');
    key(out, d, true, "index");
    number(out, t.index);
    key(out, d, false, "speaker");
    string(out, t.speaker);
    key(out, d, false, "role");
    name(out, role(t.role));
    key(out, d, false, "line");
    number(out, t.line);
    key(out, d, false, "end_line");
    number(out, t.end_line);
    key(out, d, false, "start_time");
    match t.start_time {
        Some(x) if x.is_finite() => {
            let _ = CompactFormatter.write_f64(out, x);
        }
        _ => out.extend_from_slice(b"null"),
    }
    key(out, d, false, "words");
    number(out, t.words);
    key(out, d, false, "sentences");
    number(out, t.sentences);
    key(out, d, false, "questions");
    number(out, t.questions);
    key(out, d, false, "open_questions");
    number(out, t.open_questions);
    key(out, d, false, "mode");
    match t.mode {
        Some(m) => name(out, mode(m)),
        None => out.extend_from_slice(b"null"),
    }
    newline(out, depth, false);
    out.push(b'}');
}

fn diagnostic(out: &mut Vec<u8>, x: &Diagnostic, depth: usize) {
    let d = depth + 1;
    out.push(b'{');
    key(out, d, true, "code");
    string(out, x.code);
    key(out, d, false, "name");
    string(out, x.name);
    key(out, d, false, "category");
    name(out, category(x.category));
    key(out, d, false, "severity");
    name(out, severity(x.severity));
    key(out, d, false, "line");
    number(out, x.line);
    key(out, d, false, "column");
    number(out, x.column);
    key(out, d, false, "end_line");
    number(out, x.end_line);
    key(out, d, false, "end_column");
    number(out, x.end_column);
    key(out, d, false, "message");
    string(out, x.message);
    key(out, d, false, "icf");
    list(out, d, x.icf, |out, s, _| string(out, s));
    key(out, d, false, "rephrasings");
    list(out, d, x.rephrasings, |out, r, _| string(out, &r.text));
    key(out, d, false, "turn");
    match x.turn {
        Some(n) => number(out, n),
        None => out.extend_from_slice(b"null"),
    }
    newline(out, depth, false);
    out.push(b'}');
}

/// A list at `depth`, each item written by `item` one level deeper.
pub(super) fn list<T>(
    out: &mut Vec<u8>,
    depth: usize,
    items: &[T],
    item: impl Fn(&mut Vec<u8>, &T, usize),
) {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        newline(out, depth + 1, i > 0);
        item(out, x, depth + 1);
    }
    if !items.is_empty() {
        newline(out, depth, false);
    }
    out.push(b']');
}

/// A line break (after a comma unless `first`) and a key at `depth`.
// Inlined so that the name's length is known and it is copied without a call.
#[inline(always)]
pub(super) fn key(out: &mut Vec<u8>, depth: usize, first: bool, name: &str) {
    newline(out, depth, !first);
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\": ");
}

pub(super) fn number(out: &mut Vec<u8>, n: usize) {
    let _ = CompactFormatter.write_u64(out, n as u64);
}

/// A string that needs no escaping (the name of a value), as a JSON string.
pub(super) fn name(out: &mut Vec<u8>, s: &str) {
    debug_assert!(
        s.bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    );
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// A string as serde_json writes it.
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escaped(out, s);
    out.push(b'"');
}

/// The inside of a JSON string as serde_json writes it: `"`, `\\` and control
/// characters escaped (the common ones by letter), everything else as it is.
pub(super) fn escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut from = 0;
    loop {
        let i = next_escape(bytes, from);
        out.extend_from_slice(&bytes[from..i]);
        let Some(&b) = bytes.get(i) else {
            return;
        };
        from = i + 1;
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            b'\t' => b't',
            b'\n' => b'n',
            0x0c => b'f',
            b'\r' => b'r',
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
                continue;
            }
        };
        out.extend_from_slice(&[b'\\', short]);
    }
}

/// Where the next byte to escape is, at or after `from` (or the length).
fn next_escape(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Eight bytes at a time: whether any is below 0x20, a quote or a backslash
    // (exact tests, as 0x20 <= 0x80).
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        if below(x, 0x20) | below(x ^ (ONES * 0x22), 1) | below(x ^ (ONES * 0x5c), 1) != 0 {
            break;
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map_or(bytes.len(), |j| i + j)
}

// The names serde gives these enums (tested against it).
pub(super) fn role(r: Role) -> &'static str {
    match r {
        Role::Coach => "coach",
        Role::Client => "client",
    }
}

pub(super) fn mode(m: Mode) -> &'static str {
    m.as_str()
}

pub(super) fn category(c: Category) -> &'static str {
    c.as_str()
}

pub(super) fn severity(s: Severity) -> &'static str {
    s.as_str()
}

/// [`line()`] for a `Vec`: a copy of fixed length (which needs no call to
/// `memcpy`) cut to the length needed.
#[inline]
pub(super) fn newline(out: &mut Vec<u8>, depth: usize, comma: bool) {
    const WIDTH: usize = 48;
    const COMMA: [u8; WIDTH] = spaces_after(b",\n");
    const NO_COMMA: [u8; WIDTH] = spaces_after(b"\n");
    let len = out.len() + usize::from(comma) + 1 + 2 * depth;
    if len - out.len() > WIDTH {
        let _ = line(out, depth, comma);
        return;
    }
    out.extend_from_slice(if comma { &COMMA } else { &NO_COMMA });
    out.truncate(len);
}

const fn spaces_after<const N: usize>(start: &[u8]) -> [u8; N] {
    let mut b = [b' '; N];
    let mut i = 0;
    while i < start.len() {
        b[i] = start[i];
        i += 1;
    }
    b
}

/// A line break, after a comma if asked, and the indentation of `depth`.
fn line<W: ?Sized + Write>(w: &mut W, depth: usize, comma: bool) -> io::Result<()> {
    const BREAK: [u8; 66] = spaces_after(b",\n");
    let from = usize::from(!comma);
    let to = 2 + 2 * depth;
    if to <= BREAK.len() {
        w.write_all(&BREAK[from..to])
    } else {
        w.write_all(&BREAK[from..2])?;
        (0..depth).try_for_each(|_| w.write_all(b"  "))
    }
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

/// Appends `value` as [`pretty`] writes it, but as if it stood `depth` levels
/// deep in an enclosing document (its inner lines indented `2 * depth` spaces
/// more; the first line is not indented). Falls back to `null` like [`pretty`].
pub fn write_pretty<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T, depth: usize) {
    let len = out.len();
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, Pretty::at(depth));
    if value.serialize(&mut ser).is_err() {
        out.truncate(len);
        out.extend_from_slice(b"null");
    }
}

/// serde_json's `PrettyFormatter` with two-space indentation, starting at a
/// given depth, writing each line break and its indentation in one piece
/// rather than two bytes at a time.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Pretty {
        Pretty {
            depth,
            has_value: false,
        }
    }

    fn line<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        line(w, self.depth, comma)
    }
}

impl Formatter for Pretty {
    #[inline]
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    #[inline]
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(b"]")
    }

    #[inline]
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    #[inline]
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    #[inline]
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    #[inline]
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(b"}")
    }

    #[inline]
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    #[inline]
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    #[inline]
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coachlint_core::output::{FileReport, Report};
    use coachlint_core::{Config, analyze};
    use proptest::prelude::*;
    use serde_json::json;

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

    /// The file objects written by hand, serialised by serde.
    fn assert_written_as_serde_writes(texts: &[&str]) {
        let config = Config::default();
        for t in texts {
            let a = analyze(t, &config).unwrap();
            let c = Checked::new("dir/\"odd\" name\\\u{1}é.srt", "", t, &a);
            let mut whole = Vec::new();
            write_pretty(&mut whole, &c.report(), 2);
            assert_eq!(
                String::from_utf8(file_bytes(&c, false)).unwrap(),
                format!(",\n    {}", String::from_utf8(whole).unwrap()),
                "{t}"
            );
        }
    }

    #[test]
    fn files_are_written_as_serde_writes_them() {
        assert_written_as_serde_writes(&[
            include_str!("../../tests/fixtures/samples/advice-heavy.transcript"),
            include_str!("../../tests/fixtures/samples/advice-heavy.zoom.vtt"),
            include_str!("../../tests/fixtures/samples/advice-heavy.teams.vtt"),
            include_str!("../../tests/fixtures/samples/advice-heavy.otter.txt"),
            include_str!("../../tests/fixtures/samples/good-coaching.rev.txt"),
            include_str!("../../tests/fixtures/samples/good-coaching.srt"),
            "Coach: You should \"quit\"\tnow.\u{1}\nClient: Why\\not?\nCoach: Ça va? You must go.\n",
            "Solo: Just me talking.\n",
        ]);
    }

    #[test]
    fn enum_names_are_serde_names() {
        fn serde<T: Serialize>(v: &T) -> String {
            serde_json::to_string(v).unwrap()
        }
        for r in [Role::Coach, Role::Client] {
            assert_eq!(serde(&r), format!("\"{}\"", role(r)));
        }
        for m in Mode::ALL {
            assert_eq!(serde(&m), format!("\"{}\"", mode(m)));
        }
        for c in Category::ALL {
            assert_eq!(serde(&c), format!("\"{}\"", category(c)));
        }
        for f in coachlint_core::Format::ALL {
            let mut out = Vec::new();
            name(&mut out, f.as_str());
            assert_eq!(String::from_utf8(out).unwrap(), serde(&f.as_str()));
        }
        for s in [
            Severity::Hint,
            Severity::Information,
            Severity::Warning,
            Severity::Error,
        ] {
            assert_eq!(serde(&s), format!("\"{}\"", severity(s)));
        }
    }

    proptest! {
        #[test]
        fn strings_are_escaped_as_serde_escapes_them(
            s in "([ -~]|[\u{0}-\u{1f}\u{7f}-\u{a0}]|\\PC){0,40}"
        ) {
            let mut out = Vec::new();
            string(&mut out, &s);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
        }
    }

    #[test]
    fn line_breaks_are_indented_at_any_depth() {
        for depth in 0..40 {
            for comma in [false, true] {
                let (mut fast, mut general) = (b"x".to_vec(), b"x".to_vec());
                newline(&mut fast, depth, comma);
                line(&mut general, depth, comma).unwrap();
                assert_eq!(fast, general);
                let expected = format!("x{}\n{}", if comma { "," } else { "" }, "  ".repeat(depth));
                assert_eq!(String::from_utf8(fast).unwrap(), expected);
            }
        }
    }

    #[test]
    fn indented_writing_is_pretty_printing_shifted() {
        let deep = (0..40).fold(json!([]), |v, i| json!({ "k": [v, i, {}, []] }));
        let values = [
            json!(null),
            json!([]),
            json!({}),
            json!({ "a": [1, 2.5, "x\n\"y\"", null], "b": { "c": {} }, "d": [[]] }),
            deep,
        ];
        for v in &values {
            let plain = pretty(v);
            for depth in 0..4 {
                let mut out = Vec::new();
                write_pretty(&mut out, v, depth);
                let pad = "  ".repeat(depth);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    plain.replace('\n', &format!("\n{pad}")),
                    "depth {depth}"
                );
            }
        }
    }
}
