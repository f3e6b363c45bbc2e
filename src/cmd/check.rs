//! `coachlint check`.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Transcript files or directories; `-` reads standard input.
    pub paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    for p in coachlint_core::input::collect_files(&args.paths) {
        let text = match p.and_then(|p| coachlint_core::input::read_file(&p)) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        match coachlint_core::analyze(&text, &coachlint_core::Config::default()) {
            Ok(a) => {
                for f in &a.findings {
                    println!("{} {}", f.rule.code, f.message);
                }
                if a.has_warnings() {
                    code = ExitCode::from(1);
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    code
}
