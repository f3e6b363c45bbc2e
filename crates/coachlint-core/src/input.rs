//! Bytes to text: what may be read, and a clear error for what may not.

use std::fmt;

/// Transcripts beyond this size are refused rather than analysed slowly: a
/// three-hour session is about 200 KB.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Empty,
    TooLarge { bytes: usize },
    Binary,
    NotUtf8 { line: usize },
}

const MB: usize = 1024 * 1024;

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => write!(f, "the file is empty"),
            // A read stops just past the limit: its size is then unknown.
            InputError::TooLarge { bytes } if bytes / MB > MAX_BYTES / MB => write!(
                f,
                "the file is {} MB, over the {} MB limit for one transcript",
                bytes / MB,
                MAX_BYTES / MB
            ),
            InputError::TooLarge { .. } => write!(
                f,
                "the file is over the {} MB limit for one transcript",
                MAX_BYTES / MB
            ),
            InputError::Binary => write!(f, "the file looks binary, not a text transcript"),
            InputError::NotUtf8 { line } => write!(
                f,
                "line {line} is not valid UTF-8; save the transcript as UTF-8 and try again"
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Decodes a transcript file: UTF-8 (with or without a BOM), or UTF-16 with a
/// BOM as some Windows exports are. Anything else is an error, never a guess.
/// Plain UTF-8, nearly every file, becomes the text without a copy.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.len() > MAX_BYTES {
        return Err(InputError::TooLarge { bytes: bytes.len() });
    }
    let text = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        utf8(bytes)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)?
    } else {
        // Vectorised: `<[u8]>::contains` goes a word at a time.
        if memchr::memchr(0, &bytes).is_some() {
            return Err(InputError::Binary);
        }
        utf8(bytes)?
    };
    if text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    Ok(text)
}

fn utf8(bytes: Vec<u8>) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let upto = &bytes[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        // Mostly control bytes: a binary file rather than a mis-encoded one.
        let controls = bytes
            .iter()
            .take(4096)
            .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b))
            .count();
        if controls > 8 {
            InputError::Binary
        } else {
            InputError::NotUtf8 { line }
        }
    })
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> Result<String, InputError> {
    if bytes.len() % 2 != 0 {
        return Err(InputError::Binary);
    }
    let units = bytes.chunks_exact(2).map(|c| word([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut line = 1;
    for ch in char::decode_utf16(units) {
        match ch {
            Ok(c) => {
                if c == '\n' {
                    line += 1;
                }
                out.push(c);
            }
            Err(_) => return Err(InputError::NotUtf8 { line }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<String, InputError> {
        super::decode(bytes.to_vec())
    }

    #[test]
    fn reads_a_whole_file_and_refuses_one_over_the_limit() {
        let path = std::env::temp_dir().join(format!("coachlint-read-{}.txt", std::process::id()));
        let text = "Coach: What matters most here?\n".repeat(2_000);
        std::fs::write(&path, &text).unwrap();
        let whole = read_at_most(&path, text.len());
        let over = read_at_most(&path, text.len() - 1);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(whole.unwrap().unwrap(), text.as_bytes());
        assert_eq!(over.unwrap().unwrap_err(), text.len());
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Coach: Hi?\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap(), "Coach: Hi?\n");
    }

    #[test]
    fn refuses_binary_empty_and_latin1() {
        assert_eq!(decode(b"\x7fELF\0\0\x01"), Err(InputError::Binary));
        assert_eq!(decode(b"  \n"), Err(InputError::Empty));
        assert_eq!(
            decode(b"Coach: hi\nClient: caf\xe9\n"),
            Err(InputError::NotUtf8 { line: 2 })
        );
    }

    #[test]
    fn strips_utf8_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFCoach: hi").unwrap(), "Coach: hi");
    }

    #[test]
    fn reads_plain_utf8_as_is() {
        assert_eq!(
            decode("Coach: ¿Qué?\n".as_bytes()).unwrap(),
            "Coach: ¿Qué?\n"
        );
        assert_eq!(
            decode(b"Coach: hi\0there"),
            Err(InputError::Binary),
            "a NUL byte is binary even in valid UTF-8"
        );
    }
}

/// Extensions of files searched for in directories.
pub const TRANSCRIPT_EXTENSIONS: &[&str] = &["transcript", "vtt", "srt", "txt"];

/// A transcript file that could not be read, with its path.
#[derive(Debug)]
pub struct FileError {
    pub path: std::path::PathBuf,
    pub kind: FileErrorKind,
}

#[derive(Debug)]
pub enum FileErrorKind {
    Io(std::io::Error),
    Input(InputError),
    NoTranscripts,
}

impl fmt::Display for FileErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileErrorKind::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                write!(f, "no such file or directory")
            }
            FileErrorKind::Io(e) => write!(f, "{e}"),
            FileErrorKind::Input(e) => write!(f, "{e}"),
            FileErrorKind::NoTranscripts => write!(
                f,
                "no transcripts found (looked for *.{})",
                TRANSCRIPT_EXTENSIONS.join(", *.")
            ),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.kind)
    }
}

impl std::error::Error for FileError {}

/// Reads and decodes one transcript file.
pub fn read_file(path: &std::path::Path) -> Result<String, FileError> {
    let err = |kind| FileError {
        path: path.to_owned(),
        kind,
    };
    match read_at_most(path, MAX_BYTES) {
        Ok(Ok(bytes)) => decode(bytes).map_err(|e| err(FileErrorKind::Input(e))),
        Ok(Err(bytes)) => Err(err(FileErrorKind::Input(InputError::TooLarge { bytes }))),
        Err(e) => Err(err(FileErrorKind::Io(e))),
    }
}

/// Reads and decodes a transcript from standard input, no further than the
/// size limit.
pub fn read_stdin() -> Result<String, FileErrorKind> {
    match read_up_to(std::io::stdin().lock(), 0, MAX_BYTES) {
        Ok(Ok(bytes)) => decode(bytes).map_err(FileErrorKind::Input),
        Ok(Err(bytes)) => Err(FileErrorKind::Input(InputError::TooLarge { bytes })),
        Err(e) => Err(FileErrorKind::Io(e)),
    }
}

/// The bytes of the file at `path`, or `Ok(Err(len))` when it holds more
/// than `max` (`len` as far as it is known). Opened once and its size asked
/// of the open file; read no further than just past `max` either, as a
/// device or a pipe has no size.
pub fn read_at_most(path: &std::path::Path, max: usize) -> std::io::Result<Result<Vec<u8>, usize>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let len = meta.len();
    if len > max as u64 {
        return Ok(Err(usize::try_from(len).unwrap_or(usize::MAX)));
    }
    if !meta.is_file() {
        return read_up_to(file, len as usize + 1, max);
    }
    // A file of known size is read in one call, into room for one byte more
    // (through `take` the reads start at 8 KB and double: four calls for a
    // 34 KB session). A file that grew since is read on as a pipe is.
    let mut bytes = vec![0; len as usize + 1];
    let mut filled = 0;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    if filled > len as usize {
        file.take((max + 1 - filled) as u64)
            .read_to_end(&mut bytes)?;
    }
    Ok(within(bytes, max))
}

/// Everything `reader` holds, or `Ok(Err(len))` once it has given more than
/// `max` bytes (reading stops there).
fn read_up_to(
    reader: impl std::io::Read,
    capacity: usize,
    max: usize,
) -> std::io::Result<Result<Vec<u8>, usize>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(capacity);
    reader.take(max as u64 + 1).read_to_end(&mut bytes)?;
    Ok(within(bytes, max))
}

/// `bytes`, or `Err(len)` when there are more than `max` of them.
fn within(bytes: Vec<u8>, max: usize) -> Result<Vec<u8>, usize> {
    if bytes.len() > max {
        Err(bytes.len())
    } else {
        Ok(bytes)
    }
}

/// The transcript files named by `paths`: files as given, directories searched
/// recursively (hidden entries and `target`/`node_modules` skipped), sorted.
/// A directory without transcripts is an error naming it.
pub fn collect_files(paths: &[std::path::PathBuf]) -> Vec<Result<std::path::PathBuf, FileError>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            if found.is_empty() {
                out.push(Err(FileError {
                    path: p.clone(),
                    kind: FileErrorKind::NoTranscripts,
                }));
            }
            out.extend(found.into_iter().map(Ok));
        } else if p.exists() {
            out.push(Ok(p.clone()));
        } else {
            out.push(Err(FileError {
                path: p.clone(),
                kind: FileErrorKind::Io(std::io::Error::from(std::io::ErrorKind::NotFound)),
            }));
        }
    }
    out
}

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, out);
        } else if ft.is_file() && is_transcript_name(&name) {
            out.push(path);
        }
    }
}

/// Whether a file name has a transcript extension.
pub fn is_transcript_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        TRANSCRIPT_EXTENSIONS
            .iter()
            .any(|x| x.eq_ignore_ascii_case(ext))
    })
}
