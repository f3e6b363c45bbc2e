//! The coachlint engine: transcripts in, findings out.
//!
//! One direction of flow: bytes are decoded ([`input`]), parsed into a
//! [`Transcript`] ([`formats`]), analysed ([`analysis`]: sentences, questions,
//! conversation modes, metrics) and checked by the rules ([`rules`]), giving an
//! [`Analysis`]. The CLI, the language server and the report are thin front ends
//! over [`analyze`]; nothing here knows about terminals, LSP or HTML.
//!
//! Offsets are byte offsets into the original text everywhere in the engine;
//! editor positions are computed at the edges ([`text::LineIndex`] for the CLI,
//! the server's rope for LSP).

pub mod analysis;
pub mod config;
pub mod finding;
pub mod formats;
pub mod input;
pub mod model;
pub mod output;
pub mod rephrase;
pub mod rules;
pub mod suppress;
pub mod text;
pub mod transcript;

pub use analysis::{
    Analysis, CoachSource, Metrics, Mode, SentenceKind, TurnCache, analyze, analyze_cached,
};
pub use config::{Config, ConfigError, Settings};
pub use finding::{Category, Edit, Finding, Fix, Rephrasing, Severity};
pub use formats::{Format, ParseError};
pub use transcript::{Role, Speaker, SpeakerId, Text, Transcript, Turn};

/// A byte range into the original text.
pub type Span = std::ops::Range<usize>;
