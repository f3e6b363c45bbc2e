//! A guard in front of the JSON-RPC reader.
//!
//! tower-lsp-server stops reading (and the server exits) at the first message
//! its codec cannot decode: bad JSON, a body that is no JSON-RPC message, an
//! unknown `Content-Type`. Every message therefore passes through [`pump`]
//! first, which re-frames the well-formed ones and turns each malformed one
//! into a request for [`MALFORMED`], which the server answers with the JSON-RPC
//! error the client should see (`-32700` or `-32600`). Nothing is dropped
//! silently and the server keeps serving.

use serde::Deserialize;
use serde_json::{Value, json};
use std::io::{ErrorKind, Write};
use std::sync::mpsc::{Receiver, Sender, channel};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Request, Response};

/// The method a malformed message becomes.
pub const MALFORMED: &str = "coachlint/malformedMessage";

/// Bodies above this are not read into memory.
pub const MAX_BODY: usize = 256 << 20;
/// Header lines above this are garbage.
const MAX_HEADER_LINE: u64 = 8 << 10;

/// Parameters of a [`MALFORMED`] request.
#[derive(Debug, Deserialize)]
pub struct MalformedParams {
    pub code: i64,
    pub message: String,
}

/// The error a [`MALFORMED`] request is answered with.
pub fn malformed_error(p: MalformedParams) -> Error {
    Error {
        code: ErrorCode::from(p.code),
        message: p.message.into(),
        data: None,
    }
}

/// The stand-in for a malformed message: a request for [`MALFORMED`] with the
/// original id where there is a usable one (else `null`, as JSON-RPC asks).
fn stand_in(id: Value, code: ErrorCode, message: String) -> Vec<u8> {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": MALFORMED,
        "params": {"code": code.code(), "message": message},
    })
    .to_string()
    .into_bytes()
}

/// `None` if the body is a message tower-lsp-server decodes; else its stand-in.
pub fn check(body: &[u8]) -> Option<Vec<u8>> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Some(stand_in(
                Value::Null,
                ErrorCode::ParseError,
                format!("Parse error: {e}"),
            ));
        }
    };
    let decodes = Response::deserialize(&value).is_ok() || Request::deserialize(&value).is_ok();
    if decodes {
        return None;
    }
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    Some(stand_in(
        id,
        ErrorCode::InvalidRequest,
        "Invalid request: not a JSON-RPC 2.0 request, notification or response".into(),
    ))
}

/// The header in front of a message body of `len` bytes.
fn header(len: usize) -> String {
    format!("Content-Length: {len}\r\n\r\n")
}

async fn write_frame<W: AsyncWrite + Unpin>(out: &mut W, body: &[u8]) -> std::io::Result<()> {
    out.write_all(header(body.len()).as_bytes()).await?;
    out.write_all(body).await?;
    out.flush().await
}

/// Reads one message's headers: `None` at the end of the input, else the
/// Content-Length if there was a valid one.
async fn read_headers<R: AsyncRead + Unpin>(
    input: &mut BufReader<R>,
) -> std::io::Result<Option<Option<usize>>> {
    let mut len = None;
    let mut seen_header = false;
    loop {
        let mut line = Vec::new();
        let n = (&mut *input)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            if seen_header {
                return Ok(Some(len));
            }
            continue;
        }
        seen_header = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                len = value.trim().parse().ok();
            }
        }
    }
}

/// Copies LSP messages from `input` to `output`, replacing malformed ones by
/// their stand-ins, until `input` ends.
pub async fn pump<R, W>(input: R, mut output: W) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(input);
    loop {
        let Some(len) = read_headers(&mut input).await? else {
            return Ok(());
        };
        let Some(len) = len else {
            let msg = "Parse error: a message without a valid Content-Length header";
            write_frame(
                &mut output,
                &stand_in(Value::Null, ErrorCode::ParseError, msg.into()),
            )
            .await?;
            continue;
        };
        if len > MAX_BODY {
            let skipped =
                tokio::io::copy(&mut (&mut input).take(len as u64), &mut tokio::io::sink()).await?;
            if skipped < len as u64 {
                return Ok(());
            }
            let msg = format!("Parse error: a message of {len} bytes is too large");
            write_frame(
                &mut output,
                &stand_in(Value::Null, ErrorCode::ParseError, msg),
            )
            .await?;
            continue;
        }
        let mut body = vec![0; len];
        if input.read_exact(&mut body).await.is_err() {
            return Ok(());
        }
        match check(&body) {
            None => write_frame(&mut output, &body).await?,
            Some(stand_in) => write_frame(&mut output, &stand_in).await?,
        }
    }
}

/// Whole messages to the client, written in the order they are sent by one
/// thread that owns the output.
///
/// tower-lsp-server's own messages arrive here through [`forward`];
/// diagnostics come straight from the server, serialized once from the
/// findings: going through `Client::publish_diagnostics` would build a JSON
/// value tree of every diagnostic and serialize that again, which on a long
/// session cost more than the analysis itself.
#[derive(Clone, Debug)]
pub struct Outbox(Sender<Vec<u8>>);

impl Outbox {
    /// Starts the thread that writes to `output`. The receiver hears once the
    /// thread has stopped (after [`Outbox::close`], everything sent before it
    /// has then been written).
    pub fn start<W: Write + Send + 'static>(
        mut output: W,
    ) -> std::io::Result<(Outbox, Receiver<()>)> {
        let (frames, queue) = channel::<Vec<u8>>();
        let (stopped, done) = channel();
        std::thread::Builder::new()
            .name("coachlint-output".into())
            .spawn(move || {
                let mut pending = queue.recv().ok();
                while let Some(frame) = pending.take() {
                    // An empty frame is the end; a write error means the
                    // client is gone, and nothing more can reach it.
                    if frame.is_empty() || output.write_all(&frame).is_err() {
                        break;
                    }
                    // One flush per burst, not per message.
                    pending = match queue.try_recv() {
                        Ok(next) => Some(next),
                        Err(_) => match output.flush() {
                            Ok(()) => queue.recv().ok(),
                            Err(_) => None,
                        },
                    };
                }
                let _ = output.flush();
                let _ = stopped.send(());
            })?;
        Ok((Outbox(frames), done))
    }

    /// Queues one message body, framed.
    pub fn send(&self, body: &[u8]) {
        let mut frame = header(body.len()).into_bytes();
        frame.extend_from_slice(body);
        // The thread only stops at the end, when nothing is left to say.
        let _ = self.0.send(frame);
    }

    /// Ends the output once what was sent before is written.
    pub fn close(&self) {
        let _ = self.0.send(Vec::new());
    }
}

/// Reads the messages tower-lsp-server writes and queues each, whole, in the
/// outbox, until the server drops its end.
pub async fn forward<R: AsyncRead + Unpin>(input: R, outbox: Outbox) -> std::io::Result<()> {
    let mut input = BufReader::new(input);
    while let Some(len) = read_headers(&mut input).await? {
        let len = len.ok_or_else(|| {
            std::io::Error::new(ErrorKind::InvalidData, "a message without Content-Length")
        })?;
        let mut body = vec![0; len];
        input.read_exact(&mut body).await?;
        outbox.send(&body);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    async fn run(input: String) -> Vec<Value> {
        let mut out = Vec::new();
        pump(input.as_bytes(), &mut out).await.unwrap();
        let text = String::from_utf8(out).unwrap();
        text.split("Content-Length: ")
            .filter(|s| !s.is_empty())
            .map(|s| serde_json::from_str(s.split_once("\r\n\r\n").unwrap().1).unwrap())
            .collect()
    }

    #[tokio::test]
    async fn good_messages_pass_and_bad_ones_become_stand_ins() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = [
            framed(good),
            framed("{not json"),
            framed(r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#),
            "Content-Type: application/vscode-jsonrpc; charset=latin1\r\n".to_owned()
                + &framed(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            "X-Junk: 1\r\n\r\n".to_owned(),
            framed("[1,2]"),
        ]
        .concat();
        let out = run(input).await;
        assert_eq!(out.len(), 6, "{out:#?}");
        assert_eq!(out[0], serde_json::from_str::<Value>(good).unwrap());
        assert_eq!(out[1]["method"], MALFORMED);
        assert_eq!(out[1]["id"], Value::Null);
        assert_eq!(out[1]["params"]["code"], -32700);
        assert_eq!(out[2]["id"], 7);
        assert_eq!(out[2]["params"]["code"], -32600);
        assert_eq!(out[3]["method"], "exit", "odd headers are dropped");
        assert_eq!(out[4]["params"]["code"], -32700, "no Content-Length");
        assert_eq!(out[5]["params"]["code"], -32600);
    }

    #[tokio::test]
    async fn a_truncated_message_ends_the_stream() {
        let out = run("Content-Length: 100\r\n\r\n{\"jsonrpc\"".into()).await;
        assert!(out.is_empty());
    }

    /// A writer the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn the_outbox_writes_whole_messages_in_order_before_it_closes() {
        let out = Shared::default();
        let (outbox, done) = Outbox::start(out.clone()).unwrap();
        let replies = [
            framed(r#"{"jsonrpc":"2.0","id":1,"result":null}"#),
            framed(r#"{"jsonrpc":"2.0","id":2,"result":"ü"}"#),
        ]
        .concat();
        forward(replies.as_bytes(), outbox.clone()).await.unwrap();
        outbox.send(br#"{"jsonrpc":"2.0","method":"m"}"#);
        outbox.close();
        done.recv_timeout(std::time::Duration::from_secs(10))
            .unwrap();
        let written = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            written,
            replies + &framed(r#"{"jsonrpc":"2.0","method":"m"}"#)
        );
    }

    #[tokio::test]
    async fn forwarding_stops_at_a_message_without_a_length() {
        let (outbox, _done) = Outbox::start(Shared::default()).unwrap();
        let err = forward(&b"X-Junk: 1\r\n\r\n{}"[..], outbox).await;
        assert_eq!(err.unwrap_err().kind(), ErrorKind::InvalidData);
    }
}
