//! `coachlint`: check transcripts, serve the language server, write reports.
//! Every subcommand is a thin front end over `coachlint-core`.

use clap::{Parser, Subcommand};
use coachlint::cmd;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "coachlint",
    version,
    about = "A linter and language server for coaching-session transcripts: ask, don't tell."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check transcripts and print findings.
    Check(cmd::check::Args),
    /// List every rule.
    Rules(cmd::rules::RulesArgs),
    /// Explain a rule: why it matters, with examples.
    Explain(cmd::rules::ExplainArgs),
    /// Run the language server on stdio.
    Lsp,
    /// Write a session report (HTML, Markdown or JSON).
    Report(cmd::report::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => cmd::check::run(args),
        Command::Rules(args) => cmd::rules::list(args),
        Command::Explain(args) => cmd::rules::explain(args),
        Command::Lsp => match coachlint_lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            // LSP: exit 1 when the client exits without asking to shut down.
            Err(e) => {
                eprintln!("coachlint lsp: {e}");
                ExitCode::from(1)
            }
        },
        Command::Report(args) => cmd::report::run(args),
    }
}
