//! The coachlint language server: a thin LSP front end over `coachlint-core`.
//!
//! - [`backend`]: the LSP handlers, scheduling and publishing analyses;
//! - [`document`]: open documents (ropes) and their analysed snapshots;
//! - [`position`]: byte offsets ⇄ LSP positions, for the negotiated encoding;
//! - [`config`]: `.coachlint.toml` files and editor settings;
//! - [`diagnostics`], [`actions`], [`hover`], [`summary`]: findings, fixes,
//!   explanations and the session summary in LSP terms.
//!
//! No rule logic lives here: everything the coach sees comes from the engine.

pub mod actions;
pub mod analyst;
pub mod backend;
pub mod config;
pub mod diagnostics;
pub mod document;
pub mod hover;
pub mod position;
pub mod summary;
pub mod transport;

pub use backend::{Backend, Options};

use std::sync::atomic::Ordering;
use std::time::Duration;
use tower_lsp_server::{ClientSocket, LspService, Server};

/// The service and its client socket, for running in process (tests, benches).
pub fn service(options: Options) -> (LspService<Backend>, ClientSocket) {
    LspService::build(move |client| Backend::new(client, options))
        .custom_method(transport::MALFORMED, Backend::malformed)
        .custom_method(summary::SESSION_SUMMARY, Backend::session_summary)
        .finish()
}

/// Runs the server on stdio until the client exits. An `exit` without a
/// `shutdown` first (or stdin closing) is an error, as LSP asks.
pub fn run() -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // stdin; analyses and output have their own threads.
        .max_blocking_threads(4)
        .enable_all()
        .build()?;
    let (outbox, output_done) = transport::Outbox::start(std::io::stdout())?;
    let shut_down = rt.block_on(async {
        let (service, socket) = service(Options {
            outbox: Some(outbox.clone()),
            ..Options::default()
        });
        let flag = service.inner().shut_down_flag();
        // Messages reach the server through the guard, and leave it through
        // the outbox (see `transport`).
        let (guarded, server_in) = tokio::io::duplex(1 << 16);
        tokio::spawn(transport::pump(tokio::io::stdin(), guarded));
        let (server_out, replies) = tokio::io::duplex(1 << 16);
        let forwarding = tokio::spawn(transport::forward(replies, outbox.clone()));
        Server::new(server_in, server_out, socket)
            .serve(service)
            .await;
        // The server's end is closed: its last replies are in the outbox.
        let _ = forwarding.await;
        flag.load(Ordering::SeqCst)
    });
    outbox.close();
    // A client that stopped reading must not keep the server alive.
    let _ = output_done.recv_timeout(Duration::from_secs(1));
    // The stdin reader may still be blocked in a read; do not wait for it.
    rt.shutdown_timeout(Duration::from_millis(100));
    if shut_down {
        Ok(())
    } else {
        Err(std::io::Error::other(
            "the client exited without asking the server to shut down",
        ))
    }
}
