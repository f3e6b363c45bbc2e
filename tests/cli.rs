//! The `coachlint check`, `rules` and `explain` command line, run as a user
//! runs it: the real binary, real files, exit codes, stdout and stderr.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const GOOD: &str = "examples/good-coaching.transcript";
const ADVICE: &str = "examples/advice-heavy.transcript";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_coachlint"));
    c.args(args)
        .current_dir(dir)
        // Colour depends on the terminal and these; tests pipe, so no colour.
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("NO_COLOR");
    c
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut c = command(dir, args);
    c.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = c.spawn().expect("the coachlint binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // The child may stop reading early (e.g. over the size limit).
        let _ = pipe.write_all(input);
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Run {
    run_in(root(), args, None)
}

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--output-format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    let v = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", r.stdout, r.stderr));
    (r.code, v)
}

fn codes(file: &Value) -> Vec<String> {
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

const SMALL: &str = "Alex: What would you like to focus on today?\n\
Sam: My workload. I'm drowning.\n\
Alex: You should delegate more.\n\
Sam: Maybe.\n\
Alex: What would make delegating feel safe?\n";

// ---------------------------------------------------------------- human

#[test]
fn human_output_on_advice_heavy() {
    let r = run(&["check", ADVICE]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert!(!r.stdout.contains('\x1b'), "no colour when piped");
    insta::assert_snapshot!("human_advice_heavy", r.stdout);
}

#[test]
fn human_output_on_good_coaching() {
    let r = run(&["check", GOOD]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    insta::assert_snapshot!("human_good_coaching", r.stdout);
}

#[test]
fn human_output_has_snippet_underline_rephrasing_and_summary() {
    let r = run(&["check", "--select", "ADV001", ADVICE]);
    let text = std::fs::read_to_string(root().join(ADVICE)).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("You should definitely"))
        .unwrap()
        + 1;
    let col = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("You should")
        .unwrap()
        + 1;
    assert!(r.stdout.contains("warning[ADV001]: "), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("--> {ADVICE}:{line}:{col}")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("^^^"), "{}", r.stdout);
    assert!(r.stdout.contains("help: ask instead: \""), "{}", r.stdout);
    assert!(
        r.stdout.contains("coach Coach · talk share "),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Checked 1 file: "), "{}", r.stdout);
}

/// What the renderer must get right beyond the examples: non-ASCII names and
/// quotes, a tab, wide characters, a span over two lines, a line cut on both
/// sides and an underline too long to show whole.
const RENDERING: &str = "tests/fixtures/rendering.transcript";

#[test]
fn human_output_on_rendering_edge_cases() {
    let r = run(&["check", RENDERING]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("human_rendering_edge_cases", r.stdout);
}

#[test]
fn human_output_in_colour() {
    for (name, path) in [
        ("human_advice_heavy_colour", ADVICE),
        ("human_rendering_edge_cases_colour", RENDERING),
    ] {
        let r = run(&["check", "--color", "always", path]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        // Escapes spelt out, so the snapshot reads (and diffs) as text.
        assert!(!r.stdout.contains("\\e["));
        insta::assert_snapshot!(name, r.stdout.replace('\x1b', "\\e"));
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = run(&["check", ADVICE]);
    let forced = run(&["check", "--color", "always", ADVICE]);
    assert!(!plain.stdout.contains("\x1b["));
    assert!(forced.stdout.contains("\x1b["));
    let never = run_in(root(), &["check", "--color", "never", ADVICE], None);
    assert_eq!(never.stdout, plain.stdout);
}

#[test]
fn statistics_count_findings_per_rule() {
    let r = run(&["check", "--statistics", ADVICE]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("statistics", r.stdout);
    let (_, v) = json(&[ADVICE]);
    let adv004 = codes(&v["files"][0])
        .iter()
        .filter(|c| *c == "ADV004")
        .count();
    assert!(
        r.stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()[..2]
                == [adv004.to_string().as_str(), "ADV004"]),
        "{}",
        r.stdout
    );

    let r = run(&["check", "--statistics", "--output-format", "json", ADVICE]);
    let stats: Value = serde_json::from_str(&r.stdout).unwrap();
    let total: u64 = stats
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, codes(&v["files"][0]).len());
}

// ---------------------------------------------------------------- json

#[test]
fn json_output_on_the_examples() {
    let r = run(&["check", "--output-format", "json", ADVICE, GOOD]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("json_examples", r.stdout);
}

#[test]
fn json_follows_the_documented_contract() {
    let (_, v) = json(&[ADVICE, GOOD]);
    assert_eq!(v["version"], 1);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], ADVICE);
    assert_eq!(files[1]["path"], GOOD);
    for f in files {
        let text = std::fs::read_to_string(root().join(f["path"].as_str().unwrap())).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(f["format"], "transcript");
        assert!(f["coach"].is_array());
        assert!(f["metrics"]["coach_talk_share"].is_number());
        for s in f["speakers"].as_array().unwrap() {
            assert!(s["name"].is_string());
            assert!(s["role"] == "coach" || s["role"] == "client");
        }
        for (i, t) in f["turns"].as_array().unwrap().iter().enumerate() {
            assert_eq!(t["index"], i);
            for k in [
                "words",
                "sentences",
                "questions",
                "open_questions",
                "end_line",
            ] {
                assert!(t[k].is_u64(), "{k}");
            }
            assert!(t["start_time"].is_number() || t["start_time"].is_null());
            assert!(t["mode"].is_string() == (t["role"] == "coach"));
            // `line` is where the turn's text starts: the speaker's name is on
            // that line, before the text.
            let line = lines[t["line"].as_u64().unwrap() as usize - 1];
            assert!(line.contains(t["speaker"].as_str().unwrap()), "{line}");
        }
        for d in f["diagnostics"].as_array().unwrap() {
            for k in ["code", "name", "category", "severity", "message"] {
                assert!(d[k].is_string(), "{k}");
            }
            assert!(
                ["error", "warning", "information", "hint"]
                    .contains(&d["severity"].as_str().unwrap())
            );
            assert!(d["icf"].is_array() && d["rephrasings"].is_array());
            let (l, c) = (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap());
            let (el, ec) = (
                d["end_line"].as_u64().unwrap(),
                d["end_column"].as_u64().unwrap(),
            );
            assert!(l >= 1 && c >= 1 && (el, ec) >= (l, c));
        }
    }
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let dir = temp();
    // "é" and "—" are several bytes each; the finding's column must not move.
    let text = "Coach: Café — what would you like to focus on?\n\
Client: My boss — again.\n\
Coach: Zoë, you should talk to your manager.\n\
Client: Maybe.\n";
    let p = write(dir.path(), "s.transcript", text);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "json",
            "--select",
            "ADV001",
            "s.transcript",
        ],
        None,
    );
    assert!(p.exists());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "ADV001");
    assert_eq!(d["line"], 3);
    let line3 = text.lines().nth(2).unwrap();
    let byte = line3.find("you should").unwrap();
    let chars = line3[..byte].chars().count();
    // The finding covers the sentence, which starts at "Zoë" (column 8) and
    // runs past the multi-byte characters.
    assert_eq!(d["column"], 8);
    assert!(chars < byte, "the line has multi-byte characters");
    assert_eq!(
        d["end_column"].as_u64().unwrap() as usize,
        line3.chars().count() + 1
    );
}

#[test]
fn bundled_examples_meet_the_floors() {
    let (_, v) = json(&[ADVICE, GOOD]);
    let categories = |f: &Value, min: &str| -> Vec<String> {
        let rank = |s: &str| {
            ["hint", "information", "warning", "error"]
                .iter()
                .position(|x| *x == s)
        };
        f["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| rank(d["severity"].as_str().unwrap()) >= rank(min))
            .map(|d| d["category"].as_str().unwrap().to_owned())
            .collect()
    };
    let advice = categories(&v["files"][0], "hint");
    for c in [
        "advice",
        "judgment",
        "leading",
        "questioning",
        "mentoring",
        "balance",
    ] {
        assert!(
            advice.iter().any(|x| x == c),
            "advice-heavy has no {c} finding"
        );
    }
    let good = categories(&v["files"][1], "warning");
    for c in ["advice", "judgment", "leading"] {
        assert!(
            !good.iter().any(|x| x == c),
            "good-coaching has a {c} warning"
        );
    }
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_codes() {
    let dir = temp();
    write(
        dir.path(),
        "clean.transcript",
        "Coach: What would you like to focus on today?\nClient: My week.\nCoach: What matters most about it?\nClient: Rest.\nCoach: What will you take from today?\nClient: Rest matters.\n",
    );
    let clean = run_in(
        dir.path(),
        &[
            "check",
            "--select",
            "advice,judgment,leading",
            "clean.transcript",
        ],
        None,
    );
    assert_eq!(clean.code, 0, "{}{}", clean.stdout, clean.stderr);
    assert!(clean.stdout.contains("no findings"), "{}", clean.stdout);
    assert_eq!(run(&["check", ADVICE]).code, 1);
    assert_eq!(run(&["check", "no-such-file.transcript"]).code, 2);
    // Usage errors.
    assert_eq!(run(&["check", "--output-format", "yaml", ADVICE]).code, 2);
    assert_eq!(run(&["check", "--no-such-flag"]).code, 2);
    // Below warning only: exit 0 even with findings.
    let hints = run(&["check", "--select", "JDG005", ADVICE]);
    let (_, v) = json(&["--select", "JDG005", ADVICE]);
    let sev: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    assert!(!sev.is_empty());
    let expected = if sev.iter().any(|s| *s == "warning" || *s == "error") {
        1
    } else {
        0
    };
    assert_eq!(hints.code, expected);
}

// ---------------------------------------------------------------- inputs

#[test]
fn stdin_with_dash() {
    let text = std::fs::read(root().join(ADVICE)).unwrap();
    let r = run_in(
        root(),
        &["check", "--output-format", "json", "-"],
        Some(&text),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["files"][0]["path"], "<stdin>");
    let (_, from_file) = json(&[ADVICE]);
    assert_eq!(
        v["files"][0]["diagnostics"],
        from_file["files"][0]["diagnostics"]
    );

    let named = run_in(
        root(),
        &[
            "check",
            "--stdin-filename",
            "sessions/today.transcript",
            "-",
        ],
        Some(&text),
    );
    assert!(
        named.stdout.contains("--> sessions/today.transcript:"),
        "{}",
        named.stdout
    );

    let empty = run_in(root(), &["check", "-"], Some(b""));
    assert_eq!(empty.code, 2);
    assert!(
        empty.stderr.contains("<stdin>: the file is empty"),
        "{}",
        empty.stderr
    );
}

#[test]
fn missing_file_is_named() {
    let r = run(&["check", "nowhere/session.transcript"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("nowhere/session.transcript: no such file or directory"),
        "{}",
        r.stderr
    );
    // Only the total on stdout, with no gap left for file output.
    assert_eq!(
        r.stdout,
        "Checked 0 files: no findings. 1 file could not be checked.\n"
    );
}

#[test]
fn bad_inputs_are_named_and_exit_2() {
    let dir = temp();
    let d = dir.path();
    write(d, "empty.transcript", "");
    write(d, "blank.transcript", "  \n\n");
    write(
        d,
        "binary.transcript",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
    );
    write(
        d,
        "latin1.transcript",
        b"Coach: What brings you here?\nClient: Le caf\xe9, encore.\n",
    );
    write(
        d,
        "notes.transcript",
        "Remember to buy milk.\nAnd call the plumber.\n",
    );
    let cases = [
        ("empty.transcript", "empty.transcript: the file is empty"),
        ("blank.transcript", "blank.transcript: the file is empty"),
        (
            "binary.transcript",
            "binary.transcript: the file looks binary",
        ),
        (
            "latin1.transcript",
            "latin1.transcript: line 2 is not valid UTF-8",
        ),
        (
            "notes.transcript",
            "notes.transcript: no speaker turns found",
        ),
    ];
    for (file, message) in cases {
        let r = run_in(d, &["check", file], None);
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{file}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
}

#[test]
fn utf16_with_a_bom_is_decoded() {
    let dir = temp();
    let text = std::fs::read_to_string(root().join(ADVICE)).unwrap();
    let mut le = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        le.extend(u.to_le_bytes());
    }
    write(dir.path(), "utf16.transcript", &le);
    let r = run_in(
        dir.path(),
        &["check", "--output-format", "json", "utf16.transcript"],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let (_, utf8) = json(&[ADVICE]);
    assert_eq!(codes(&v["files"][0]), codes(&utf8["files"][0]));
}

#[test]
fn a_directory_without_transcripts_is_an_error() {
    let dir = temp();
    write(dir.path(), "notes/readme.md", "# Notes\n");
    let r = run_in(dir.path(), &["check", "notes"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("notes: no transcripts found"),
        "{}",
        r.stderr
    );
}

#[test]
fn directories_are_searched_in_path_order() {
    let r = run(&["check", "--output-format", "json", "examples"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, [ADVICE, GOOD]);
}

#[test]
fn a_text_file_found_in_a_directory_that_is_not_a_transcript_is_skipped() {
    let dir = temp();
    write(dir.path(), "sessions/a.transcript", SMALL);
    write(dir.path(), "sessions/todo.txt", "buy milk\n");
    let r = run_in(dir.path(), &["check", "sessions"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("note: skipped sessions/todo.txt: not a transcript"),
        "{}",
        r.stderr
    );
    // Named explicitly, the same file is an error.
    let r = run_in(dir.path(), &["check", "sessions/todo.txt"], None);
    assert_eq!(r.code, 2);
}

#[test]
fn one_failing_file_does_not_stop_the_others() {
    let dir = temp();
    let d = dir.path();
    write(d, "a.transcript", SMALL);
    write(d, "b.transcript", "");
    write(d, "c.transcript", SMALL.replace("Alex", "Kim"));
    let r = run_in(
        d,
        &[
            "check",
            "--output-format",
            "json",
            "a.transcript",
            "b.transcript",
            "missing.transcript",
            "c.transcript",
        ],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("b.transcript: the file is empty"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("missing.transcript: no such file"),
        "{}",
        r.stderr
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.transcript", "c.transcript"]);

    let human = run_in(d, &["check", "a.transcript", "b.transcript"], None);
    assert!(
        human.stdout.contains("1 file could not be checked"),
        "{}",
        human.stdout
    );
}

/// A file over the size limit is refused by its size, without reading it; a
/// device (or pipe) has no size, and reading it stops just past the limit.
#[test]
fn oversized_input_is_refused_without_reading_it_all() {
    let dir = temp();
    let p = dir.path().join("huge.transcript");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let mut cases = vec![(
        "huge.transcript",
        "huge.transcript: the file is 100 MB, over the",
    )];
    if cfg!(target_os = "linux") {
        cases.push(("/dev/zero", "/dev/zero: the file is over the 64 MB limit"));
    }
    for (path, message) in cases {
        let r = run_in(dir.path(), &["check", path], None);
        assert_eq!(r.code, 2, "{path}");
        assert!(r.stderr.contains(message), "{}", r.stderr);
    }
}

#[test]
fn transcripts_are_never_written() {
    let dir = temp();
    let p = write(dir.path(), "s.transcript", SMALL);
    let before = (
        std::fs::read(&p).unwrap(),
        std::fs::metadata(&p).unwrap().modified().unwrap(),
    );
    for format in ["human", "json", "sarif", "github"] {
        run_in(
            dir.path(),
            &["check", "--output-format", format, "s.transcript"],
            None,
        );
    }
    let after = (
        std::fs::read(&p).unwrap(),
        std::fs::metadata(&p).unwrap().modified().unwrap(),
    );
    assert_eq!(before, after);
}

// ---------------------------------------------------------------- configuration

#[test]
fn a_bad_config_names_file_line_and_key() {
    let dir = temp();
    write(dir.path(), "s.transcript", SMALL);
    write(
        dir.path(),
        ".coachlint.toml",
        "coach = [\"Alex\"]\n\n[thresholds]\nmax-talk-shar = 0.4\n",
    );
    let r = run_in(dir.path(), &["check", "s.transcript"], None);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains(".coachlint.toml:4:"), "{}", r.stderr);
    assert!(r.stderr.contains("max-talk-shar"), "{}", r.stderr);
    // Reported once, however many transcripts it governs.
    write(dir.path(), "t.transcript", SMALL);
    let r = run_in(dir.path(), &["check", "."], None);
    assert_eq!(
        r.stderr.matches(".coachlint.toml:4:").count(),
        1,
        "{}",
        r.stderr
    );
}

#[test]
fn errors_come_in_the_order_of_the_paths_and_the_rest_is_checked() {
    // The files are listed while the first path's configuration compiles:
    // neither may change what is reported, or in what order.
    let dir = temp();
    let d = dir.path();
    write(
        d,
        "bad/.coachlint.toml",
        "[thresholds]\nmax-talk-shar = 0.4\n",
    );
    write(d, "bad/s.transcript", SMALL);
    write(d, "bad/t.transcript", SMALL);
    write(d, "good/s.transcript", SMALL);
    let r = run_in(d, &["check", "bad", "nowhere.transcript", "good"], None);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let config = r.stderr.find(".coachlint.toml:2:").expect(&r.stderr);
    let missing = r.stderr.find("nowhere.transcript").expect(&r.stderr);
    assert!(config < missing, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches(".coachlint.toml:2:").count(),
        1,
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("good/s.transcript"), "{}", r.stdout);
    assert!(!r.stdout.contains("bad/s.transcript"), "{}", r.stdout);
    assert!(
        r.stdout.contains("3 files could not be checked"),
        "{}",
        r.stdout
    );
}

#[test]
fn config_is_found_from_the_transcript_and_flags_layer_on_top() {
    let dir = temp();
    let d = dir.path();
    write(
        d,
        "team/.coachlint.toml",
        "coach = [\"Sam\"]\nignore = [\"balance\"]\n",
    );
    write(d, "team/s.transcript", SMALL);
    // Run from elsewhere: the config is found by walking up from the transcript.
    let r = run_in(
        d,
        &["check", "--output-format", "json", "team/s.transcript"],
        None,
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["files"][0]["coach"], serde_json::json!(["Sam"]));
    assert_eq!(v["files"][0]["coach_source"], "config");
    assert!(!codes(&v["files"][0]).iter().any(|c| c.starts_with("BAL")));

    // --coach replaces the file's coach.
    let r = run_in(
        d,
        &[
            "check",
            "--output-format",
            "json",
            "--coach",
            "Alex",
            "team/s.transcript",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["files"][0]["coach"], serde_json::json!(["Alex"]));
    assert!(codes(&v["files"][0]).contains(&"ADV001".to_owned()));

    // --no-config ignores it: Alex asks the most questions.
    let r = run_in(
        d,
        &[
            "check",
            "--output-format",
            "json",
            "--no-config",
            "team/s.transcript",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["files"][0]["coach_source"], "inferred");

    // --config uses a given file.
    write(d, "other.toml", "coach = [\"Sam\"]\n");
    let r = run_in(
        d,
        &[
            "check",
            "--output-format",
            "json",
            "--config",
            "other.toml",
            "team/s.transcript",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["files"][0]["coach"], serde_json::json!(["Sam"]));

    // stdin: the config is found from the current directory.
    let r = run_in(
        &d.join("team"),
        &["check", "--output-format", "json", "-"],
        Some(SMALL.as_bytes()),
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["files"][0]["coach"], serde_json::json!(["Sam"]));
}

#[test]
fn coach_flag_sets_the_coach() {
    let (_, v) = json(&["--coach", "Client", ADVICE]);
    let f = &v["files"][0];
    assert_eq!(f["coach"], serde_json::json!(["Client"]));
    assert_eq!(f["coach_source"], "config");
    for t in f["turns"].as_array().unwrap() {
        assert_eq!(t["role"] == "coach", t["speaker"] == "Client");
    }

    // A name nobody has: the fallback is used, and the user is told.
    let r = run(&["check", "--coach", "Maya", ADVICE]);
    assert!(
        r.stderr
            .contains("no speaker is called Maya; the coach was taken from the front matter"),
        "{}",
        r.stderr
    );
}

#[test]
fn select_and_ignore() {
    let (_, all) = json(&[ADVICE]);
    let all = codes(&all["files"][0]);
    let (_, v) = json(&["--select", "advice", ADVICE]);
    let selected = codes(&v["files"][0]);
    assert!(!selected.is_empty());
    assert!(
        selected.iter().all(|c| c.starts_with("ADV")),
        "{selected:?}"
    );
    assert_eq!(
        selected.len(),
        all.iter().filter(|c| c.starts_with("ADV")).count()
    );

    let (_, v) = json(&["--select", "ADV001,JDG", ADVICE]);
    assert!(
        codes(&v["files"][0])
            .iter()
            .all(|c| c == "ADV001" || c.starts_with("JDG"))
    );

    let (_, v) = json(&["--ignore", "advice", "--ignore", "QST001", ADVICE]);
    let ignored = codes(&v["files"][0]);
    assert!(
        !ignored
            .iter()
            .any(|c| c.starts_with("ADV") || c == "QST001")
    );
    assert_eq!(
        ignored.len(),
        all.iter()
            .filter(|c| !c.starts_with("ADV") && *c != "QST001")
            .count()
    );

    let r = run(&["check", "--select", "NOPE999", ADVICE]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--select: `NOPE999` is not a rule code"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn input_format_flag() {
    let (code, v) = json(&["--input-format", "transcript", ADVICE]);
    assert_eq!(code, 1);
    assert_eq!(v["files"][0]["format"], "transcript");
    let r = run(&["check", "--input-format", "docx", ADVICE]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("zoom-vtt"), "{}", r.stderr);
}

// ---------------------------------------------------------------- sarif, github

#[test]
fn sarif_is_valid_for_code_scanning() {
    let r = run(&["check", "--output-format", "sarif", ADVICE, GOOD]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "coachlint");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"ADV001"));
    for rule in rules {
        for k in ["shortDescription", "fullDescription", "help"] {
            assert!(!rule[k]["text"].as_str().unwrap().is_empty(), "{k}");
        }
        assert!(rule["name"].is_string());
    }
    let results = runs[0]["results"].as_array().unwrap();
    let (_, j) = json(&[ADVICE, GOOD]);
    let total: usize = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| codes(f).len())
        .sum();
    assert_eq!(results.len(), total);
    for res in results {
        assert!(ids.contains(&res["ruleId"].as_str().unwrap()));
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri == ADVICE || uri == GOOD, "relative uri: {uri}");
        let region = &loc["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().unwrap() >= 1, "{k}");
        }
        if let Some(fixes) = res.get("fixes") {
            let rep = &fixes[0]["artifactChanges"][0]["replacements"][0];
            assert!(rep["deletedRegion"]["startLine"].is_u64());
            assert!(rep["insertedContent"]["text"].is_string());
        }
    }
}

#[test]
fn github_annotations() {
    let r = run(&["check", "--output-format", "github", ADVICE]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("github_advice_heavy", r.stdout);
    for line in r.stdout.lines() {
        let (head, _message) = line[2..].split_once("::").unwrap();
        let (command, props) = head.split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let keys: Vec<&str> = props
            .split(',')
            .map(|p| p.split_once('=').unwrap().0)
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"]
        );
        assert!(props.starts_with(&format!("file={ADVICE},")), "{line}");
    }
}

// ---------------------------------------------------------------- rules, explain

#[test]
fn rules_lists_every_rule() {
    let dir = temp();
    let r = run_in(dir.path(), &["rules"], None);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("rules", r.stdout);
    let j = run_in(dir.path(), &["rules", "--output-format", "json"], None);
    let list: Value = serde_json::from_str(&j.stdout).unwrap();
    let list = list.as_array().unwrap();
    // One table row per rule, after the header.
    assert_eq!(r.stdout.lines().count(), list.len() + 1);
    for rule in list {
        let code = rule["code"].as_str().unwrap();
        assert!(
            r.stdout.lines().any(|l| l.starts_with(&format!("{code} "))),
            "{code}"
        );
        assert!(rule["explanation"].is_string());
    }
}

#[test]
fn rules_include_project_packs() {
    let dir = temp();
    write(
        dir.path(),
        "packs/team.toml",
        r#"[[rule]]
code = "TEAM001"
name = "team-jargon"
category = "advice"
severity = "hint"
summary = "Team jargon"
explanation = "Say it plainly."
patterns = ['\bsynergy\b']
"#,
    );
    write(dir.path(), ".coachlint.toml", "rule-packs = [\"packs\"]\n");
    let r = run_in(dir.path(), &["rules"], None);
    assert!(r.stdout.contains("TEAM001  team-jargon"), "{}", r.stdout);
    let e = run_in(dir.path(), &["explain", "TEAM001"], None);
    assert_eq!(e.code, 0);
    assert!(e.stdout.contains("Defined in"), "{}", e.stdout);
    let none = run_in(dir.path(), &["rules", "--no-config"], None);
    assert!(!none.stdout.contains("TEAM001"));
}

#[test]
fn explain_prints_everything_about_a_rule() {
    let r = run(&["explain", "ADV001"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("explain_adv001", r.stdout);
    assert!(r.stdout.contains("5.3  "), "ICF markers with titles");
    let by_name = run(&["explain", "advice-should"]);
    assert_eq!(by_name.stdout, r.stdout);
    let lower = run(&["explain", "adv001"]);
    assert_eq!(lower.stdout, r.stdout);
}

#[test]
fn explain_unknown_rule() {
    let r = run(&["explain", "ADV999"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no rule `ADV999`"), "{}", r.stderr);
    let r = run(&["explain", "ADV"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean ADV001"), "{}", r.stderr);
}

#[test]
fn vtt_findings_point_at_the_cue_text() {
    let dir = temp();
    let vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAlex: What would you like to focus on today?\n\n2\n00:00:05.000 --> 00:00:08.000\nSam: My workload.\n\n3\n00:00:09.000 --> 00:00:12.000\nAlex: You should delegate more.\n";
    write(dir.path(), "s.vtt", vtt);
    let r = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "json",
            "--select",
            "ADV001",
            "s.vtt",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["format"], "zoom-vtt");
    let d = &f["diagnostics"][0];
    assert_eq!(d["code"], "ADV001");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(13), Some(7))
    );
    // Forcing the native format on a VTT file reads it differently, or fails
    // with a message naming the file: never a panic.
    let r = run_in(
        dir.path(),
        &["check", "--input-format", "srt", "s.vtt"],
        None,
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    if r.code == 2 {
        assert!(r.stderr.contains("s.vtt"), "{}", r.stderr);
    }
}
