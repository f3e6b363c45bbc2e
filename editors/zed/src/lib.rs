//! Zed extension for coachlint: starts `coachlint lsp` for plain-text buffers.
//! The binary comes from `lsp.coachlint.binary.path` in Zed's settings, else `PATH`.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result, Worktree};

struct Coachlint;

impl zed::Extension for Coachlint {
    fn new() -> Self {
        Coachlint
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.binary);
        let path = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which("coachlint"))
            .ok_or_else(|| {
                "coachlint was not found on PATH: install it with `cargo install --path .` in the \
                 coachlint repository, or set lsp.coachlint.binary.path in Zed's settings"
                    .to_string()
            })?;
        let args = binary
            .and_then(|b| b.arguments)
            .unwrap_or_else(|| vec!["lsp".into()]);
        Ok(zed::Command {
            command: path,
            args,
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        // coachlint's Settings (coach, select, ignore, severity, thresholds, ...).
        Ok(LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.initialization_options))
    }
}

zed::register_extension!(Coachlint);
