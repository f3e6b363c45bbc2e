//! `coachlint report` from the command line: output forms, files and standard
//! output, and bad files reported and skipped without losing the rest.

mod report_support;

use report_support::fixture;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn coachlint(args: &[&str], cwd: Option<&Path>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_coachlint"));
    c.arg("report").args(args);
    if let Some(d) = cwd {
        c.current_dir(d);
    }
    c.output().expect("runs coachlint")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A folder of transcripts: `good` copies of the good session, with dates,
/// and the bad files given.
fn folder(good: usize, bad: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".coachlint.toml"), "").unwrap();
    let text = std::fs::read_to_string(fixture("good-coaching.transcript")).unwrap();
    for i in 0..good {
        let dated = text.replace("date: 2026-10-14", &format!("date: 2026-10-{:02}", 28 - i));
        std::fs::write(dir.path().join(format!("s{i:03}.transcript")), dated).unwrap();
    }
    for (name, bytes) in bad {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

#[test]
fn writes_html_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let o = coachlint(
        &[
            fixture("good-coaching.transcript").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "nothing on stdout when writing a file");
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Session report: leading a new product team"));
    assert!(
        stderr(&o).contains("report.html (1 session)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn format_follows_the_output_extension_or_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture("good-coaching.transcript");
    let good = good.to_str().unwrap();
    let json = dir.path().join("r.json");
    assert!(
        coachlint(&[good, "-o", json.to_str().unwrap()], None)
            .status
            .success()
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 1);

    let md = dir.path().join("r.md");
    assert!(
        coachlint(&[good, "-o", md.to_str().unwrap()], None)
            .status
            .success()
    );
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .starts_with("# Session report")
    );

    // --format wins over the extension; stdout without -o.
    let o = coachlint(&[good, "--format", "md"], None);
    assert!(o.status.success());
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .starts_with("# Session report")
    );
    let o = coachlint(&[good], None);
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    let o = coachlint(&[good, "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], 1);
}

#[test]
fn bad_files_are_reported_and_skipped() {
    let dir = folder(
        3,
        &[
            ("binary.transcript", b"\x7fELF\0\0\x01\x02"),
            ("notes.txt", b"just some notes, nobody speaking\n"),
            ("latin1.txt", b"Coach: hi\nClient: caf\xe9\n"),
        ],
    );
    let out = dir.path().join("out").with_extension("html");
    let o = coachlint(&[".", "-o", out.to_str().unwrap()], Some(dir.path()));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error: ./binary.transcript: the file looks binary"),
        "{err}"
    );
    assert!(
        err.contains("error: ./latin1.txt: line 2 is not valid UTF-8"),
        "{err}"
    );
    // A .txt found in a folder may be any notes: passed over, not an error (as `check`).
    assert!(
        err.contains("note: skipped ./notes.txt: not a transcript"),
        "{err}"
    );
    // The report of the rest is still written, and says what was left out.
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.contains("3 coaching sessions"));
    assert!(page.contains("Files not included (2)"));
    assert!(page.contains("id=\"s3\""));
}

#[test]
fn nothing_readable_writes_nothing() {
    let dir = folder(0, &[("a.transcript", b"no speakers here\n")]);
    let out = dir.path().join("r.html");
    let o = coachlint(
        &["a.transcript", "missing.transcript", "-o", "r.html"],
        Some(dir.path()),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("missing.transcript: no such file or directory"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("no report written"));
    assert!(!out.exists());
}

#[test]
fn many_files_in_parallel_keep_their_order() {
    let dir = folder(24, &[]);
    let o = coachlint(&[".", "--format", "json"], Some(dir.path()));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let dates: Vec<&str> = v["report"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sort_date"].as_str().unwrap())
        .collect();
    assert_eq!(dates.len(), 24);
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "sessions in date order, not file order");
    assert_eq!(dates[0], "2026-10-05");
    // No progress bar when stderr is not a terminal.
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn reads_standard_input() {
    let text = std::fs::read(fixture("advice-heavy.transcript")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_coachlint"))
        .args(["report", "-", "--format", "md", "--coach", "Coach"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(md.contains("# Session report: career move"), "{md}");
    assert!(
        md.contains("set in the configuration"),
        "--coach is used: {md}"
    );
}

#[test]
fn summary_only_leaves_out_the_sessions() {
    let dir = folder(3, &[]);
    let o = coachlint(
        &[".", "--summary-only", "--title", "Q4 <review>"],
        Some(dir.path()),
    );
    assert!(o.status.success());
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(page.contains("<h1>Q4 &lt;review&gt;</h1>"));
    assert!(page.contains("id=\"trends\""));
    assert!(!page.contains("id=\"s1\""));
}

#[test]
fn a_bad_configuration_names_its_file_and_line() {
    let dir = folder(2, &[]);
    std::fs::write(dir.path().join(".coachlint.toml"), "coach = 3\n").unwrap();
    let o = coachlint(&[".", "--format", "md"], Some(dir.path()));
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains(".coachlint.toml:1:"), "{err}");
    assert!(err.contains("s000.transcript"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn a_transcript_named_outright_that_is_not_one_is_an_error() {
    let dir = folder(1, &[("notes.txt", b"just some notes\n")]);
    let o = coachlint(
        &["notes.txt", "s000.transcript", "--format", "md"],
        Some(dir.path()),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error: notes.txt: no speaker turns"),
        "{}",
        stderr(&o)
    );
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .starts_with("# Session report")
    );
}

#[test]
fn configuration_flags_work_as_for_check() {
    let dir = folder(1, &[]);
    // A rule selector that names nothing stops everything, once.
    let o = coachlint(&[".", "--select", "NOPE999"], Some(dir.path()));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).matches("NOPE999").count(), 1, "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    // --config and --no-config choose the file; its `ignore` removes findings.
    let all = coachlint(&[".", "--format", "json", "--no-config"], Some(dir.path()));
    let v: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let total = v["report"]["overall"]["findings"].as_u64().unwrap();
    std::fs::write(
        dir.path().join("strict.toml"),
        "ignore = [\"agreement\", \"balance\"]\n",
    )
    .unwrap();
    let some = coachlint(
        &[".", "--format", "json", "--config", "strict.toml"],
        Some(dir.path()),
    );
    assert!(some.status.success(), "{}", stderr(&some));
    let v: serde_json::Value = serde_json::from_slice(&some.stdout).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .all(|d| d["category"] != "agreement" && d["category"] != "balance")
    );
    assert!(v["report"]["overall"]["findings"].as_u64().unwrap() <= total);
    let o = coachlint(&[".", "--config", "missing.toml"], Some(dir.path()));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.toml"), "{}", stderr(&o));
}

#[test]
fn stdin_filename_names_the_session_and_finds_its_config() {
    let dir = folder(0, &[]);
    std::fs::create_dir(dir.path().join("team")).unwrap();
    std::fs::write(
        dir.path().join("team/.coachlint.toml"),
        "coach = [\"Client\"]\n",
    )
    .unwrap();
    let text = std::fs::read(fixture("advice-heavy.transcript")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_coachlint"))
        .args([
            "report",
            "-",
            "--format",
            "json",
            "--stdin-filename",
            "team/week1.transcript",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["path"], "team/week1.transcript");
    // The .coachlint.toml beside the named file made "Client" the coach.
    assert_eq!(v["files"][0]["coach"][0], "Client");
}
