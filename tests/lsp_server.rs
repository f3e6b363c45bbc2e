//! `coachlint lsp` end to end: the real binary, JSON-RPC over its stdio.

mod lsp_support;

use lsp_support::*;
use serde_json::{Value, json};

/// A URI whose directories hold no `.coachlint.toml`.
const DOC: &str = "file:///coachlint-lsp-test-nowhere/advice.transcript";
const ADV_SENTENCE: &str = "You should definitely go for it.";

fn find<'a>(diags: &'a [Value], code: &str, text: &str, enc: &str, doc: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == code && slice(doc, &d["range"], enc).starts_with(text))
        .unwrap_or_else(|| panic!("no {code} on {text:?} in {diags:#?}"))
}

fn open_advice(c: &mut Client) -> Vec<Value> {
    c.open(DOC, "coaching-transcript", ADVICE);
    c.diagnostics(DOC, Some(1))
}

fn actions_at(c: &mut Client, uri: &str, diag: &Value) -> Vec<Value> {
    let r = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diag["range"],
               "context": {"diagnostics": [diag]}}),
    );
    r.as_array().cloned().unwrap_or_default()
}

fn action<'a>(actions: &'a [Value], title_start: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(title_start))
        .unwrap_or_else(|| panic!("no action {title_start:?} in {actions:#?}"))
}

fn full_change(c: &mut Client, uri: &str, version: i64, text: &str) {
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version},
               "contentChanges": [{"text": text}]}),
    );
}

#[test]
fn initialize_negotiates_the_position_encoding() {
    let cases: [(Value, &str); 4] = [
        (json!({}), "utf-16"),
        (
            json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
            "utf-8",
        ),
        (
            json!({"general": {"positionEncodings": ["utf-32", "utf-8"]}}),
            "utf-32",
        ),
        (
            json!({"general": {"positionEncodings": ["utf-7"]}}),
            "utf-16",
        ),
    ];
    for (caps, want) in cases {
        let mut c = Client::start();
        let r = c.initialize(caps.clone(), Value::Null, None);
        assert_eq!(r["capabilities"]["positionEncoding"], want, "for {caps}");
        if want == "utf-16" && caps == json!({}) {
            insta::assert_json_snapshot!("initialize_result", r);
        }
        assert!(c.shutdown_and_exit().success());
    }
}

#[test]
fn open_publishes_findings_with_version_code_source_and_markers() {
    let mut c = Client::start();
    c.init_default();
    let diags = open_advice(&mut c);
    assert!(diags.len() >= 10, "{diags:#?}");
    for d in &diags {
        assert_eq!(d["source"], "coachlint");
        assert!(d["code"].is_string());
        assert!((1..=4).contains(&d["severity"].as_i64().unwrap()));
    }
    let adv = find(&diags, "ADV001", ADV_SENTENCE, c.enc, ADVICE);
    assert_eq!(slice(ADVICE, &adv["range"], c.enc), ADV_SENTENCE);
    assert_eq!(adv["severity"], 2);
    assert!(
        adv["message"].as_str().unwrap().ends_with("(ICF 5.3, 7.5)"),
        "{adv}"
    );
    assert_eq!(adv["data"]["icf"], json!(["5.3", "7.5"]));
    assert_eq!(adv["data"]["category"], "advice");
    // Session-level findings sit on the coach's first label.
    let bal = diags.iter().find(|d| d["code"] == "BAL003").unwrap();
    assert_eq!(slice(ADVICE, &bal["range"], c.enc), "Coach");
}

#[test]
fn incremental_multibyte_edits_keep_findings_in_place() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let mut c = Client::start();
        c.initialize(
            json!({"general": {"positionEncodings": [enc]}}),
            json!({"debounceMs": 0}),
            None,
        );
        assert_eq!(c.enc, enc);
        open_advice(&mut c);
        let mut text = ADVICE.to_owned();

        // Before the finding, in the same turn and line.
        let at = text.find(ADV_SENTENCE).unwrap();
        c.edit(DOC, 2, &mut text, at..at, "Café 🙂 你好. ");
        let d = c.diagnostics(DOC, Some(2));
        let adv = find(&d, "ADV001", "You should", enc, &text);
        assert_eq!(slice(&text, &adv["range"], enc), ADV_SENTENCE);

        // Inside the finding.
        let go = text.find("go for it.").unwrap() + "go for it".len();
        c.edit(DOC, 3, &mut text, go..go, " 🙂 tout de suite, 你好");
        let d = c.diagnostics(DOC, Some(3));
        let adv = find(&d, "ADV001", "You should", enc, &text);
        assert_eq!(
            slice(&text, &adv["range"], enc),
            "You should definitely go for it 🙂 tout de suite, 你好."
        );

        // Lines above, with accents and new lines, and a deletion across lines.
        let topic = text.find("career move").unwrap();
        c.edit(DOC, 4, &mut text, topic..topic + 6, "carrière 🎉\nnotes: é");
        let start = text.find("notes: é").unwrap();
        c.edit(DOC, 5, &mut text, start - 1..start + "notes: é".len(), "");
        let d = c.diagnostics(DOC, Some(5));
        let adv = find(&d, "ADV001", "You should", enc, &text);
        assert_eq!(
            slice(&text, &adv["range"], enc),
            "You should definitely go for it 🙂 tout de suite, 你好."
        );

        // The same text opened fresh gives the same diagnostics.
        let fresh = "file:///coachlint-lsp-test-nowhere/fresh.transcript";
        c.open(fresh, "coaching-transcript", &text);
        assert_eq!(c.diagnostics(fresh, Some(1)), d, "{enc}");
    }
}

#[test]
fn quick_fixes_rephrase_ask_permission_and_suppress() {
    let mut c = Client::start();
    c.initialize(
        json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
        json!({"debounceMs": 0}),
        None,
    );
    let diags = open_advice(&mut c);
    let before = diags.iter().filter(|d| d["code"] == "ADV001").count();
    let adv = find(&diags, "ADV001", ADV_SENTENCE, c.enc, ADVICE).clone();
    let actions = actions_at(&mut c, DOC, &adv);
    for a in &actions {
        assert_eq!(a["kind"], "quickfix");
        assert_eq!(a["diagnostics"][0], adv);
    }

    // The best rephrasing is the preferred quick fix and replaces the sentence.
    let rephrase = action(&actions, "Ask instead: ");
    assert_eq!(rephrase["isPreferred"], true);
    let question = rephrase["title"].as_str().unwrap()["Ask instead: ".len()..]
        .trim_matches('"')
        .to_owned();
    assert!(question.ends_with('?'), "{question}");
    let edit = &rephrase["edit"];
    assert_eq!(edit["documentChanges"][0]["textDocument"]["version"], 1);
    let rephrased = apply_edits(ADVICE, &edits_for(edit, DOC), c.enc);
    assert_eq!(rephrased, ADVICE.replacen(ADV_SENTENCE, &question, 1));
    full_change(&mut c, DOC, 2, &rephrased);
    let d = c.diagnostics(DOC, Some(2));
    assert_eq!(
        d.iter().filter(|d| d["code"] == "ADV001").count(),
        before - 1
    );

    // Ask permission first: a question put before the advice.
    let adv = find(&d, "ADV001", "You need to", c.enc, &rephrased).clone();
    let actions = actions_at(&mut c, DOC, &adv);
    let permission = action(&actions, "Ask permission first");
    let edits = edits_for(&permission["edit"], DOC);
    let asked = apply_edits(&rephrased, &edits, c.enc);
    let inserted = edits[0]["newText"].as_str().unwrap();
    assert!(asked.contains(&format!("{inserted}You need to practise")));
    assert!(inserted.trim_end().ends_with('?'), "{inserted:?}");

    // Suppress: the comment goes on its own line before the turn.
    let suppress = action(&actions, "Suppress ADV001 for this turn");
    let suppressed = apply_edits(&rephrased, &edits_for(&suppress["edit"], DOC), c.enc);
    assert!(
        suppressed.contains(
            "# coachlint-disable-next-turn ADV001\n[00:01:49] Coach: Here is what I would do"
        ),
        "{suppressed}"
    );
    full_change(&mut c, DOC, 3, &suppressed);
    let d = c.diagnostics(DOC, Some(3));
    assert_eq!(
        d.iter().filter(|d| d["code"] == "ADV001").count(),
        before - 2
    );
}

#[test]
fn suppressing_in_webvtt_puts_a_note_before_the_cue() {
    let mut c = Client::start();
    c.init_default();
    let uri = "file:///coachlint-lsp-test-nowhere/advice.vtt";
    c.open(uri, "vtt", ADVICE_VTT);
    let d = c.diagnostics(uri, Some(1));
    let adv = find(&d, "ADV001", ADV_SENTENCE, c.enc, ADVICE_VTT).clone();
    let actions = actions_at(&mut c, uri, &adv);
    let suppress = action(&actions, "Suppress ADV001");
    let text = apply_edits(ADVICE_VTT, &edits_for(&suppress["edit"], uri), c.enc);
    assert!(
        text.contains("\n\nNOTE coachlint-disable-next-turn ADV001\n\n3\n00:00:16.862"),
        "{text}"
    );
    full_change(&mut c, uri, 2, &text);
    let d = c.diagnostics(uri, Some(2));
    assert!(
        !d.iter()
            .any(|x| x["code"] == "ADV001" && slice(&text, &x["range"], c.enc) == ADV_SENTENCE),
        "{d:#?}"
    );
}

#[test]
fn hover_explains_findings_and_speakers() {
    let mut c = Client::start();
    c.init_default();
    let diags = open_advice(&mut c);
    let adv = find(&diags, "ADV001", ADV_SENTENCE, c.enc, ADVICE);
    let inside = ADVICE.find("definitely").unwrap();
    let h = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": DOC}, "position": pos_json(ADVICE, inside, c.enc)}),
    );
    let md = h["contents"]["value"].as_str().unwrap();
    assert_eq!(h["contents"]["kind"], "markdown");
    assert_eq!(h["range"], adv["range"]);
    for want in [
        "**ADV001** `advice-should`",
        "**ICF PCC markers**",
        "**5.3** supports the client to choose",
        "**Ask instead**",
        "- What would it take to go for it?",
    ] {
        assert!(md.contains(want), "{want:?} not in:\n{md}");
    }

    let label = ADVICE.find("Client: Not yet").unwrap() + 2;
    let h = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": DOC}, "position": pos_json(ADVICE, label, c.enc)}),
    );
    insta::assert_snapshot!(
        "hover_client_label",
        h["contents"]["value"].as_str().unwrap()
    );
    assert_eq!(slice(ADVICE, &h["range"], c.enc), "Client");

    let plain = ADVICE.find("Not yet").unwrap() + 2;
    let h = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": DOC}, "position": pos_json(ADVICE, plain, c.enc)}),
    );
    assert_eq!(h, Value::Null);
}

#[test]
fn lens_hints_and_symbols_summarise_the_session() {
    let mut c = Client::start();
    c.init_default();
    let diags = open_advice(&mut c);
    let lenses = c.call(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": DOC}}),
    );
    let lenses = lenses.as_array().unwrap();
    assert_eq!(lenses.len(), 1);
    let cmd = &lenses[0]["command"];
    let title = cmd["title"].as_str().unwrap();
    assert!(
        title.starts_with("coach talk 80% · 0.4 questions per statement"),
        "{title}"
    );
    assert!(title.contains("advising"), "{title}");
    assert_eq!(
        lenses[0]["range"]["start"]["line"], 7,
        "the first turn's line"
    );
    let shown = c.call(
        "workspace/executeCommand",
        json!({"command": cmd["command"], "arguments": cmd["arguments"]}),
    );
    assert!(
        shown
            .as_str()
            .unwrap()
            .starts_with("Session summary: coach talk 80%")
    );
    let msg = c.wait_for("summary message", |m| m["method"] == "window/showMessage");
    assert_eq!(msg["params"]["message"], shown);

    // The same figures for editors that show them elsewhere (a status bar).
    let sum = c.call(
        "coachlint/sessionSummary",
        json!({"textDocument": {"uri": DOC}}),
    );
    assert!(
        (sum["coachTalkShare"].as_f64().unwrap() - 0.8).abs() < 0.005,
        "{sum}"
    );
    assert!(sum["questionRatio"].as_f64().unwrap() < 0.45, "{sum}");
    assert_eq!(sum["coach"], json!(["Coach"]));
    assert_eq!(sum["coachSource"], "front-matter");
    assert_eq!(sum["metrics"]["coach_talk_share"], sum["coachTalkShare"]);
    assert_eq!(sum["findings"], diags.len());

    let end = pos_json(ADVICE, ADVICE.len(), c.enc);
    let hints = c.call(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": DOC},
               "range": {"start": {"line": 0, "character": 0}, "end": end}}),
    );
    let hints = hints.as_array().unwrap();
    let coach_turns = ADVICE.matches("] Coach: ").count();
    assert_eq!(hints.len(), coach_turns);
    for h in hints {
        let at = offset(ADVICE, &h["position"], c.enc);
        assert!(ADVICE[..at].ends_with("] Coach"), "hint not after a label");
        assert!(ADVICE[at..].starts_with(": "));
        let label = h["label"].as_str().unwrap();
        assert!(label.starts_with('(') && label.ends_with(')'), "{label}");
    }
    assert!(hints.iter().any(|h| h["label"] == "(advising)"));

    let symbols = c.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": DOC}}),
    );
    let symbols = symbols.as_array().unwrap();
    assert_eq!(
        symbols.len(),
        ADVICE.matches("] Co").count() + ADVICE.matches("] Cl").count()
    );
    let names: Vec<&str> = symbols
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    insta::assert_json_snapshot!("symbol_names", names);
    for s in symbols {
        let sel = slice(ADVICE, &s["selectionRange"], c.enc);
        assert!(s["name"].as_str().unwrap().starts_with(sel), "{s}");
        assert!(slice(ADVICE, &s["range"], c.enc).starts_with(sel));
    }
    assert!(
        symbols[2]["detail"]
            .as_str()
            .unwrap()
            .ends_with("You should definitely go for it. Promotions like…")
    );
}

#[test]
fn settings_from_initialization_options_and_configuration_changes() {
    let mut c = Client::start();
    c.initialize(
        json!({}),
        json!({"coachlint": {"ignore": ["advice"], "debounceMs": 0}}),
        None,
    );
    let d = open_advice(&mut c);
    assert!(!codes(&d).iter().any(|c| c.starts_with("ADV")), "{d:#?}");

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"coachlint": {"severity": {"ADV001": "error"}}}}),
    );
    let m = c.wait_for("re-lint with new settings", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| x["code"] == "ADV001"))
    });
    let d = m["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(m["params"]["version"], 1);
    for x in d.iter().filter(|x| x["code"] == "ADV001") {
        assert_eq!(x["severity"], 1);
    }

    // Bad settings are reported and the previous ones stay.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"coachlint": {"thresholds": {"maxTalkShare": 2}}}}),
    );
    let msg = c.wait_for("settings error", |m| m["method"] == "window/showMessage");
    assert_eq!(msg["params"]["type"], 1);
    assert!(
        msg["params"]["message"]
            .as_str()
            .unwrap()
            .contains("max-talk-share")
    );
    let other = "file:///coachlint-lsp-test-nowhere/other.transcript";
    c.open(other, "coaching-transcript", ADVICE);
    let d = c.diagnostics(other, Some(1));
    let adv = find(&d, "ADV001", ADV_SENTENCE, c.enc, ADVICE);
    assert_eq!(adv["severity"], 1);

    // A selector no rule answers to may belong to a project's rule pack: the
    // settings apply, with a warning naming it.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"coachlint": {"ignore": ["NOPE999"]}}}),
    );
    let msg = c.wait_for("unknown selector warning", |m| {
        m["method"] == "window/showMessage"
    });
    assert_eq!(msg["params"]["type"], 2);
    assert!(
        msg["params"]["message"]
            .as_str()
            .unwrap()
            .contains("`NOPE999`")
    );
}

#[test]
fn workspace_folders_follow_the_editor() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (a, b) = (
        a.path().canonicalize().unwrap(),
        b.path().canonicalize().unwrap(),
    );
    std::fs::write(a.join(".coachlint.toml"), "ignore = [\"ADV001\"]\n").unwrap();
    std::fs::write(b.join(".coachlint.toml"), "ignore = [\"judgment\"]\n").unwrap();
    let mut c = Client::start();
    let r = c.initialize(json!({}), json!({"debounceMs": 0}), Some(&a));
    let folders = &r["capabilities"]["workspace"]["workspaceFolders"];
    assert_eq!(folders["supported"], true);
    assert_eq!(folders["changeNotifications"], true);

    // An untitled document takes the configuration of the workspace.
    let doc = "untitled:Untitled-1";
    c.open(doc, "coaching-transcript", ADVICE);
    let d = codes(&c.diagnostics(doc, Some(1)));
    assert!(!d.contains(&"ADV001".to_owned()), "{d:?}");
    assert!(d.iter().any(|x| x.starts_with("JDG")), "{d:?}");

    // The editor swaps folder A for B: the document follows B's configuration.
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(&b), "name": "b"}],
                         "removed": [{"uri": file_uri(&a), "name": "a"}]}}),
    );
    let m = c.wait_for("re-lint under folder B", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == doc
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| x["code"] == "ADV001"))
    });
    let d = codes(m["params"]["diagnostics"].as_array().unwrap());
    assert!(!d.iter().any(|x| x.starts_with("JDG")), "{d:?}");
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn config_files_are_watched_and_a_broken_one_keeps_the_last_good() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().canonicalize().unwrap();
    let cfg = root.join(".coachlint.toml");
    std::fs::write(&cfg, "ignore = [\"ADV001\"]\n").unwrap();
    let mut c = Client::start();
    c.initialize(
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
        json!({"debounceMs": 0}),
        Some(&root),
    );
    let reg = c.wait_for("watch registration", |m| {
        m["method"] == "client/registerCapability"
    });
    assert_eq!(
        reg["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    let doc = file_uri(&root.join("s.transcript"));
    let cfg_uri = file_uri(&cfg);
    c.open(&doc, "coaching-transcript", ADVICE);
    let d = c.diagnostics(&doc, Some(1));
    assert!(!codes(&d).contains(&"ADV001".to_owned()));
    assert!(codes(&d).contains(&"JDG001".to_owned()));

    let changed = |c: &mut Client, typ: u32| {
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": cfg_uri, "type": typ}]}),
        );
    };
    let relinted = |c: &mut Client, what: &str, f: &dyn Fn(&[String]) -> bool| -> Vec<Value> {
        let m = c.wait_for(what, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == doc
                && f(&codes(m["params"]["diagnostics"].as_array().unwrap()))
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    };
    std::fs::write(&cfg, "# team settings\nignore = [\"judgment\"]\n").unwrap();
    changed(&mut c, 2);
    relinted(&mut c, "judgment ignored", &|codes| {
        codes.contains(&"ADV001".to_owned()) && !codes.iter().any(|c| c.starts_with("JDG"))
    });

    // Broken: the error shows on the config file's line; the last good stays.
    std::fs::write(
        &cfg,
        "# team settings\nignore = [\"judgment\"]\nselect = 3\n",
    )
    .unwrap();
    changed(&mut c, 2);
    let cd = c.diagnostics(&cfg_uri, None);
    assert_eq!(cd.len(), 1, "{cd:#?}");
    assert_eq!(cd[0]["range"]["start"]["line"], 2);
    assert_eq!(cd[0]["severity"], 1);
    assert!(
        cd[0]["message"]
            .as_str()
            .unwrap()
            .contains("last valid configuration")
    );
    let d = relinted(&mut c, "re-lint with the last good config", &|_| true);
    assert!(!codes(&d).iter().any(|c| c.starts_with("JDG")), "{d:#?}");
    assert!(codes(&d).contains(&"ADV001".to_owned()));

    // Fixed: the error clears and the new config applies.
    std::fs::write(&cfg, "ignore = [\"QST\"]\n").unwrap();
    changed(&mut c, 2);
    assert_eq!(c.diagnostics(&cfg_uri, None), Vec::<Value>::new());
    relinted(&mut c, "QST ignored", &|codes| {
        codes.contains(&"JDG001".to_owned()) && !codes.iter().any(|c| c.starts_with("QST"))
    });

    // A broken rule pack: the error shows on the pack, and clears with it.
    std::fs::create_dir(root.join("packs")).unwrap();
    let pack = root.join("packs").join("team.toml");
    std::fs::write(&pack, "[[rule]]\ncode = \"TEAM001\"\nname = 3\n").unwrap();
    std::fs::write(
        &cfg,
        "ignore = [\"QST\"]\nrule-packs = [\"packs/team.toml\"]\n",
    )
    .unwrap();
    changed(&mut c, 2);
    let pd = c.diagnostics(&file_uri(&pack), None);
    assert_eq!(pd.len(), 1, "{pd:#?}");
    std::fs::write(&cfg, "ignore = [\"QST\"]\n").unwrap();
    changed(&mut c, 2);
    assert_eq!(c.diagnostics(&file_uri(&pack), None), Vec::<Value>::new());

    // Deleted: back to the defaults.
    std::fs::remove_file(&cfg).unwrap();
    changed(&mut c, 3);
    relinted(&mut c, "defaults", &|codes| {
        codes.iter().any(|c| c.starts_with("QST"))
    });
}

#[test]
fn disabling_a_rule_edits_or_creates_the_project_config() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().canonicalize().unwrap();
    let cfg = root.join(".coachlint.toml");
    let mut c = Client::start();
    c.initialize(
        json!({"workspace": {"workspaceEdit": {"documentChanges": true,
                                               "resourceOperations": ["create"]}}}),
        json!({"debounceMs": 0}),
        Some(&root),
    );
    let doc = file_uri(&root.join("sub").join("s.transcript"));
    c.open(&doc, "coaching-transcript", ADVICE);
    let d = c.diagnostics(&doc, Some(1));
    let adv = find(&d, "ADV001", ADV_SENTENCE, c.enc, ADVICE).clone();
    let actions = actions_at(&mut c, &doc, &adv);
    let disable = action(&actions, "Disable ADV001 (advice-should) in this project");
    let ops = disable["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops[0]["kind"], "create");
    assert_eq!(ops[0]["uri"], file_uri(&cfg));
    let created = apply_edits("", &edits_for(&disable["edit"], &file_uri(&cfg)), c.enc);
    std::fs::write(&cfg, &created).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&cfg), "type": 1}]}),
    );
    let m = c.wait_for("ADV001 disabled", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == doc
            && !codes(m["params"]["diagnostics"].as_array().unwrap()).contains(&"ADV001".into())
    });
    let d = m["params"]["diagnostics"].as_array().unwrap().clone();

    // The file exists now: the code is added to its list, the rest kept.
    let with_comment = format!("{created}\n[thresholds]\nmax-talk-share = 0.9\n");
    std::fs::write(&cfg, &with_comment).unwrap();
    let jdg = find(&d, "JDG001", "Look, you're overthinking", c.enc, ADVICE).clone();
    let actions = actions_at(&mut c, &doc, &jdg);
    let disable = action(&actions, "Disable JDG001");
    let edits = edits_for(&disable["edit"], &file_uri(&cfg));
    let updated = apply_edits(&with_comment, &edits, c.enc);
    assert_eq!(
        updated,
        with_comment.replace("[\"ADV001\"]", "[\"ADV001\", \"JDG001\"]")
    );

    // A client that cannot create files is not offered to.
    let mut plain = Client::start();
    let empty = tempfile::tempdir().unwrap();
    let root2 = empty.path().canonicalize().unwrap();
    plain.initialize(json!({}), json!({"debounceMs": 0}), Some(&root2));
    let doc2 = file_uri(&root2.join("s.transcript"));
    plain.open(&doc2, "coaching-transcript", ADVICE);
    let d = plain.diagnostics(&doc2, Some(1));
    let adv = find(&d, "ADV001", ADV_SENTENCE, plain.enc, ADVICE).clone();
    let actions = actions_at(&mut plain, &doc2, &adv);
    assert!(
        !actions
            .iter()
            .any(|a| a["title"].as_str().unwrap().starts_with("Disable"))
    );
    let rephrase = action(&actions, "Ask instead");
    assert!(
        rephrase["edit"]["changes"][&doc2].is_array(),
        "plain `changes`"
    );
}

#[test]
fn bad_requests_get_errors_and_the_server_keeps_serving() {
    let mut c = Client::start();
    c.init_default();
    open_advice(&mut c);
    let err = |r: &Value| r["error"]["code"].as_i64();

    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nope.transcript"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(err(&r), Some(-32602), "{r}");
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": DOC}, "position": {"line": 999, "character": 0}}),
    );
    assert_eq!(err(&r), Some(-32602), "{r}");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": DOC},
               "range": {"start": {"line": 9, "character": 0}, "end": {"line": 8, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(err(&r), Some(-32602), "{r}");
    let r = c.request("textDocument/hover", json!({"foo": 1}));
    assert_eq!(err(&r), Some(-32602), "{r}");
    let r = c.request("coachlint/nope", json!({}));
    assert_eq!(err(&r), Some(-32601), "{r}");
    let r = c.request(
        "workspace/executeCommand",
        json!({"command": "rm -rf", "arguments": []}),
    );
    assert_eq!(err(&r), Some(-32602), "{r}");

    c.send_raw(b"{this is not json");
    let r = c.wait_for("parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(r["id"], Value::Null);

    // A change out of range is refused (and logged); the document is unchanged.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": DOC, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 500, "character": 0},
                                             "end": {"line": 500, "character": 1}}, "text": "x"}]}),
    );
    let log = c.wait_for("log of the bad change", |m| {
        m["method"] == "window/logMessage"
    });
    assert_eq!(log["params"]["type"], 1);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///never-opened.transcript", "version": 2},
               "contentChanges": [{"text": "x"}]}),
    );
    c.wait_for("log of the unknown document", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap()
                .contains("never-opened")
    });

    let inside = ADVICE.find("definitely").unwrap();
    let h = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": DOC}, "position": pos_json(ADVICE, inside, c.enc)}),
    );
    assert!(h["contents"]["value"].as_str().unwrap().contains("ADV001"));
    assert!(c.shutdown_and_exit().success());
}

#[test]
fn plain_text_needs_to_look_like_a_transcript_and_closing_clears() {
    let mut c = Client::start();
    c.init_default();
    let notes = "file:///coachlint-lsp-test-nowhere/notes.txt";
    let mut text = "Shopping list\nNote: buy milk. You should buy eggs.\n".to_owned();
    c.open(notes, "plaintext", &text);
    assert_eq!(c.diagnostics(notes, Some(1)), Vec::<Value>::new());
    let end = text.len();
    c.edit(notes, 2, &mut text, 0..end, ADVICE);
    assert!(c.diagnostics(notes, Some(2)).len() >= 10);

    let vtt = "file:///coachlint-lsp-test-nowhere/session.vtt";
    c.open(vtt, "vtt", ZOOM);
    assert!(!c.diagnostics(vtt, Some(1)).is_empty());
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": vtt}}),
    );
    assert_eq!(c.diagnostics(vtt, None), Vec::<Value>::new());
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": vtt}}),
    );
    assert_eq!(r["error"]["code"], -32602);
}

#[test]
fn typing_fast_never_publishes_an_older_version_over_a_newer() {
    // The default debounce is on: versions arrive faster than they are analysed.
    let mut c = Client::start();
    c.initialize(json!({}), Value::Null, None);
    open_advice(&mut c);
    let mut text = ADVICE.to_owned();
    for v in 2..=30 {
        // In the client's turn just before the advice.
        let at = text.find("to be honest").unwrap() + "to be honest".len();
        c.edit(
            DOC,
            v,
            &mut text,
            at..at,
            if v % 2 == 0 { " é" } else { "🙂" },
        );
    }
    // Publications come in order of version, ending with the last one.
    let mut seen = Vec::new();
    let last = loop {
        let m = c.wait_for("a publication", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == DOC
        });
        seen.push(m["params"]["version"].as_i64().unwrap());
        if seen.last() == Some(&30) {
            break m["params"]["diagnostics"].as_array().unwrap().clone();
        }
    };
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    let adv = find(&last, "ADV001", "You should", c.enc, &text);
    assert_eq!(slice(&text, &adv["range"], c.enc), ADV_SENTENCE);
    // Answered after every change was handled; nothing older may follow.
    c.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": DOC}}),
    );
    let after = c.take_received(|m| m["method"] == "textDocument/publishDiagnostics");
    assert!(after.is_empty(), "published after v30: {after:?}");
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let mut c = Client::start();
    c.init_default();
    c.notify("exit", Value::Null);
    assert!(!c.wait_exit().success());
    let mut c = Client::start();
    c.init_default();
    assert!(c.shutdown_and_exit().success());
}
