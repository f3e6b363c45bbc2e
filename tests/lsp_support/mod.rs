//! A small LSP client for the integration tests: starts `coachlint lsp`, speaks
//! JSON-RPC over its stdio, and waits for the messages a test expects (with a
//! generous timeout, never a sleep). Also an independent position conversion,
//! so the tests check the server's rather than reuse it.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(60);

pub const ADVICE: &str =
    include_str!("../../crates/coachlint-lsp/testdata/advice-heavy.transcript");
pub const GOOD: &str = include_str!("../../crates/coachlint-lsp/testdata/good-coaching.transcript");
pub const ZOOM: &str = include_str!("../../crates/coachlint-lsp/testdata/good-coaching.zoom.vtt");
pub const ADVICE_VTT: &str =
    include_str!("../../crates/coachlint-lsp/testdata/advice-heavy.zoom.vtt");

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Messages received and not yet taken by a `wait_*`.
    inbox: Vec<Value>,
    /// Every request the server sent us (we answer them all with `null`).
    pub server_requests: Vec<Value>,
    next_id: i64,
    pub enc: &'static str,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    pub fn start() -> Client {
        Client::start_with_env(&[])
    }

    pub fn start_with_env(env: &[(&str, &str)]) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_coachlint"));
        cmd.arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start coachlint lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            rx,
            inbox: Vec::new(),
            server_requests: Vec::new(),
            next_id: 0,
            enc: "utf-16",
        }
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(body).unwrap();
        stdin.flush().unwrap();
    }

    pub fn send(&mut self, msg: &Value) {
        self.send_raw(msg.to_string().as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (result or error).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("response to {method}"), |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        })
    }

    /// Sends a request and returns its result, failing on an error.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// Receives one message, answering the server's own requests.
    fn receive(&mut self, deadline: Instant, what: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(m) => {
                if m.get("method").is_some() && m.get("id").is_some() {
                    let id = m["id"].clone();
                    self.server_requests.push(m.clone());
                    self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                }
                m
            }
            Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}"),
            Err(RecvTimeoutError::Disconnected) => panic!("server closed while waiting for {what}"),
        }
    }

    /// The first message (already received or still to come) matching `pred`.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.inbox.iter().position(&pred) {
            return self.inbox.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.receive(deadline, what);
            if pred(&m) {
                return m;
            }
            self.inbox.push(m);
        }
    }

    /// Messages received so far that match, removed from the inbox.
    pub fn take_received(&mut self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        while let Ok(m) = self.rx.try_recv() {
            self.inbox.push(m);
        }
        let (hit, keep) = std::mem::take(&mut self.inbox).into_iter().partition(pred);
        self.inbox = keep;
        hit
    }

    /// The diagnostics published for `uri` at `version` (`None`: no version).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let m = self.wait_for(&format!("diagnostics for {uri} v{version:?}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64() == version
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn initialize(
        &mut self,
        capabilities: Value,
        options: Value,
        root: Option<&Path>,
    ) -> Value {
        let root_uri = root.map(file_uri);
        let folders = root_uri
            .as_ref()
            .map(|u| json!([{"uri": u, "name": "ws"}]))
            .unwrap_or(Value::Null);
        let r = self.call(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": folders,
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        self.enc = match r["capabilities"]["positionEncoding"].as_str() {
            Some("utf-8") => "utf-8",
            Some("utf-32") => "utf-32",
            _ => "utf-16",
        };
        self.notify("initialized", json!({}));
        r
    }

    /// Initializes with no debounce (tests wait for versions, not for time).
    pub fn init_default(&mut self) -> Value {
        self.initialize(json!({}), json!({"debounceMs": 0}), None)
    }

    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// Replaces `span` (bytes of `text`) with `new`, in the server and in `text`.
    pub fn edit(
        &mut self,
        uri: &str,
        version: i64,
        text: &mut String,
        span: std::ops::Range<usize>,
        new: &str,
    ) {
        let range = json!({
            "start": pos_json(text, span.start, self.enc),
            "end": pos_json(text, span.end, self.enc),
        });
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": range, "text": new}]}),
        );
        text.replace_range(span, new);
    }

    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    pub fn wait_exit(&mut self) -> ExitStatus {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            // Polling the child's status, not synchronising with the server.
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn file_uri(p: &Path) -> String {
    let s = p.to_str().expect("utf-8 path");
    let mut out = String::from("file://");
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Code units of a char in an encoding.
fn units(c: char, enc: &str) -> usize {
    match enc {
        "utf-8" => c.len_utf8(),
        "utf-32" => 1,
        _ => c.len_utf16(),
    }
}

/// (line, character) of a byte offset: lines end at `\n` (the texts here use no
/// other line break).
pub fn pos(text: &str, offset: usize, enc: &str) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let ch: usize = text[start..offset].chars().map(|c| units(c, enc)).sum();
    (line as u64, ch as u64)
}

pub fn pos_json(text: &str, offset: usize, enc: &str) -> Value {
    let (line, character) = pos(text, offset, enc);
    json!({"line": line, "character": character})
}

/// The byte offset of an LSP position.
pub fn offset(text: &str, p: &Value, enc: &str) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let mut want = p["character"].as_u64().unwrap() as usize;
    let start = if line == 0 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 1)
            .map(|(i, _)| i + 1)
            .expect("line in text")
    };
    let mut at = start;
    for c in text[start..].chars() {
        if want == 0 || c == '\n' {
            break;
        }
        want = want.saturating_sub(units(c, enc));
        at += c.len_utf8();
    }
    at
}

/// The text a range covers.
pub fn slice<'a>(text: &'a str, range: &Value, enc: &str) -> &'a str {
    &text[offset(text, &range["start"], enc)..offset(text, &range["end"], enc)]
}

/// Applies LSP text edits (non-overlapping) to a text.
pub fn apply_edits(text: &str, edits: &[Value], enc: &str) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], enc),
                offset(text, &e["range"]["end"], enc),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (s, e, t) in spans {
        out.replace_range(s..e, t);
    }
    out
}

/// The text edits of a workspace edit for one document, from `changes` or
/// `documentChanges`.
pub fn edits_for(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(e) = edit["changes"][uri].as_array() {
        return e.clone();
    }
    edit["documentChanges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["textDocument"]["uri"] == uri)
        .flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// Codes of a list of diagnostics, in order.
pub fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}
