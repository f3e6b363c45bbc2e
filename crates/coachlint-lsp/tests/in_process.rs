//! The service driven in process: what needs a replaced engine or a look at
//! the server's own state (panics caught, memory released on close).

use coachlint_core::{Analysis, Config, ParseError, TurnCache};
use coachlint_lsp::{Options, service};
use futures::StreamExt;
use serde_json::{Value, json};
use std::time::Duration;
use tower::{Service, ServiceExt};
use tower_lsp_server::jsonrpc::Request;
use tower_lsp_server::{ClientSocket, LspService};

const ADVICE: &str = include_str!("../testdata/advice-heavy.transcript");
const TIMEOUT: Duration = Duration::from_secs(60);

struct Harness {
    service: LspService<coachlint_lsp::Backend>,
    socket: ClientSocket,
    next_id: i64,
}

impl Harness {
    async fn start(options: Options) -> Harness {
        let (service, socket) = service(options);
        let mut h = Harness {
            service,
            socket,
            next_id: 0,
        };
        let r = h
            .request(
                "initialize",
                json!({"capabilities": {}, "initializationOptions": {"debounceMs": 0}}),
            )
            .await;
        assert!(r["capabilities"].is_object(), "{r}");
        h.notify("initialized", json!({})).await;
        h
    }

    async fn request(&mut self, method: &'static str, params: Value) -> Value {
        self.next_id += 1;
        let req = Request::build(method)
            .params(params)
            .id(self.next_id)
            .finish();
        let resp = self
            .service
            .ready()
            .await
            .unwrap()
            .call(req)
            .await
            .unwrap()
            .expect("a response");
        let (_, result) = resp.into_parts();
        result.unwrap_or_else(|e| json!({"error": e.code.code(), "message": e.message}))
    }

    async fn notify(&mut self, method: &'static str, params: Value) {
        let req = Request::build(method).params(params).finish();
        let resp = self.service.ready().await.unwrap().call(req).await.unwrap();
        assert!(resp.is_none());
    }

    /// The next server-to-client message with this method.
    async fn next(&mut self, method: &str) -> Value {
        loop {
            let msg = tokio::time::timeout(TIMEOUT, self.socket.next())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for {method}"))
                .expect("socket open");
            let (m, _, params) = msg.into_parts();
            if m == method {
                return params.unwrap_or(Value::Null);
            }
        }
    }

    async fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "coaching-transcript",
                                    "version": 1, "text": text}}),
        )
        .await;
    }
}

/// The engine, except on text that says BOOM.
fn fragile(text: &str, config: &Config, cache: &mut TurnCache) -> Result<Analysis, ParseError> {
    assert!(!text.contains("BOOM"), "engine bug triggered by BOOM");
    coachlint_core::analyze_cached(text, config, cache)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_the_engine_is_logged_and_the_server_keeps_serving() {
    let mut h = Harness::start(Options {
        analyzer: fragile,
        ..Options::default()
    })
    .await;
    let uri = "file:///coachlint-lsp-test-nowhere/a.transcript";
    let broken = ADVICE.replacen("You should", "BOOM You should", 1);
    h.open(uri, &broken).await;
    let log = h.next("window/logMessage").await;
    assert_eq!(log["type"], 1);
    let msg = log["message"].as_str().unwrap();
    assert!(msg.contains("panicked") && msg.contains("BOOM"), "{msg}");
    let d = h.next("textDocument/publishDiagnostics").await;
    let diags = d["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("internal error")
    );

    // Requests on the document still get answers.
    let r = h
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 9, "character": 20}}),
        )
        .await;
    assert_eq!(r, Value::Null);

    // Fixing the text brings the findings back.
    h.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": ADVICE}]}),
    )
    .await;
    let d = h.next("textDocument/publishDiagnostics").await;
    assert_eq!(d["version"], 2);
    assert!(d["diagnostics"].as_array().unwrap().len() >= 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_documents_are_freed() {
    let mut h = Harness::start(Options::default()).await;
    // Nobody reads the diagnostics here: drain them so the server never waits.
    let mut socket = std::mem::replace(&mut h.socket, service(Options::default()).1);
    tokio::spawn(async move { while socket.next().await.is_some() {} });
    for round in 0..2 {
        for i in 0..20 {
            h.open(&format!("file:///nowhere/{round}-{i}.transcript"), ADVICE)
                .await;
        }
        assert_eq!(h.service.inner().open_documents(), 20);
        for i in 0..20 {
            h.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": format!("file:///nowhere/{round}-{i}.transcript")}}),
            )
            .await;
        }
        assert_eq!(h.service.inner().open_documents(), 0);
    }
    let r = h
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///nowhere/0-0.transcript"}}),
        )
        .await;
    assert_eq!(r["error"], -32602, "{r}");
}
