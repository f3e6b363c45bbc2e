//! The coachlint language server: a thin LSP front end over `coachlint-core`.

/// Runs the server on stdio until the client exits.
pub fn run() -> std::io::Result<()> {
    Err(std::io::Error::other(
        "the language server is not built yet",
    ))
}
