//! Transcript formats: detection from content, and one parser per format.
//!
//! Every parser keeps, for each turn, the exact source range of every piece of
//! its text (see [`crate::transcript::Piece`]), so findings point at the words,
//! never at a timestamp or a cue header.

mod native;

use crate::transcript::Transcript;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `Name: text` lines, optional front matter and timestamps; plain text too.
    Transcript,
    /// Zoom WebVTT: `Name: text` inside cues.
    ZoomVtt,
    /// Microsoft Teams WebVTT: `<v Name>` voice tags.
    TeamsVtt,
    Srt,
    /// Otter.ai text export: `Name  M:SS` headings.
    Otter,
    /// Rev text export: `Name (MM:SS):` headings.
    Rev,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Transcript,
        Format::ZoomVtt,
        Format::TeamsVtt,
        Format::Srt,
        Format::Otter,
        Format::Rev,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Transcript => "transcript",
            Format::ZoomVtt => "zoom-vtt",
            Format::TeamsVtt => "teams-vtt",
            Format::Srt => "srt",
            Format::Otter => "otter",
            Format::Rev => "rev",
        }
    }

    pub fn parse_name(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a text could not be read as a transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line the problem was seen on, where there is one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// The format a text is in, judged from its content.
pub fn detect(text: &str) -> Format {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("WEBVTT") {
        if text.contains("<v ") {
            Format::TeamsVtt
        } else {
            Format::ZoomVtt
        }
    } else {
        Format::Transcript
    }
}

/// Parses a transcript, detecting its format unless one is given.
pub fn parse(text: &str, format: Option<Format>) -> Result<Transcript, ParseError> {
    let format = format.unwrap_or_else(|| detect(text));
    let transcript = match format {
        Format::Transcript => native::parse(text)?,
        other => {
            return Err(ParseError {
                line: None,
                message: format!("the {other} format is not supported yet"),
            });
        }
    };
    if transcript.turns.is_empty() {
        return Err(ParseError {
            line: None,
            message: "no speaker turns found: expected lines like `Coach: What would you like to focus on?`".into(),
        });
    }
    Ok(transcript)
}

/// Whether a text looks like a transcript at all (for editors that send any
/// `.txt` or `.vtt`): a random text file must get no findings.
pub fn looks_like_transcript(text: &str) -> bool {
    parse(text, None).is_ok_and(|t| t.turns.len() >= 2 && t.speakers.len() >= 2)
}
