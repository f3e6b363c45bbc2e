//! `coachlint rules` and `coachlint explain`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct RulesArgs {}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A rule code (`ADV001`) or name (`advice-should`).
    pub rule: String,
}

pub fn list(_: RulesArgs) -> ExitCode {
    for m in coachlint_core::rules::RuleSet::builtin().metas() {
        println!("{} {} {}", m.code, m.name, m.summary);
    }
    ExitCode::SUCCESS
}

pub fn explain(args: ExplainArgs) -> ExitCode {
    match coachlint_core::rules::RuleSet::builtin().get(&args.rule) {
        Some(r) => {
            println!(
                "{} ({})\n\n{}",
                r.meta.code, r.meta.name, r.meta.explanation
            );
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: no rule `{}` (see `coachlint rules`)", args.rule);
            ExitCode::from(2)
        }
    }
}
