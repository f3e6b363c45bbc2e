//! The flags that choose each transcript's configuration, shared by `check` and
//! `report` so the two commands read transcripts the same way.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use coachlint_core::{Format, Settings};
use std::path::PathBuf;

#[derive(clap::Args, Clone, Debug, Default)]
pub struct ConfigArgs {
    /// The coach's name (repeat for co-coaches); every other speaker is a client.
    #[arg(long, value_name = "NAME")]
    pub coach: Vec<String>,

    /// Run only these rules: codes (ADV001), code prefixes (ADV), names
    /// (advice-should) or categories (advice). Comma-separated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not run these rules (same selectors as --select). Comma-separated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Read every input in this format instead of detecting it.
    #[arg(long, value_name = "FORMAT", value_parser = input_format_parser())]
    pub input_format: Option<Format>,

    /// Use this configuration file instead of searching for .coachlint.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore every .coachlint.toml: built-in defaults and flags only.
    #[arg(long)]
    pub no_config: bool,

    /// The name of the transcript read from `-`: shown in the output and used
    /// to find its .coachlint.toml.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
}

impl ConfigArgs {
    /// The flags as settings to layer over each file's configuration.
    pub fn overrides(&self) -> Settings {
        Settings {
            coach: self.coach.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            input_format: self.input_format,
            ..Settings::default()
        }
    }
}

fn input_format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(Format::as_str))
        .try_map(|s| Format::parse_name(&s).ok_or("unknown input format"))
}
