//! Project rule packs: a team's own phrases, and clear errors for broken packs.

use coachlint_core::{Config, analyze};
use std::fs;

fn project(files: &[(&str, &str)]) -> tempdir::Dir {
    let dir = tempdir::Dir::new();
    for (name, text) in files {
        let p = dir.path().join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// Loads a project whose `.coachlint.toml` names the one pack `p.toml`.
fn load_with_pack(pack: &str) -> Result<Config, String> {
    let dir = project(&[
        ("p.toml", pack),
        (".coachlint.toml", "rule-packs = [\"p.toml\"]\n"),
    ]);
    Config::load(&dir.path().join(".coachlint.toml")).map_err(|e| e.to_string())
}

/// A scratch directory removed on drop (no crate needed for this much).
mod tempdir {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> Dir {
            static N: AtomicUsize = AtomicUsize::new(0);
            let p = std::env::temp_dir().join(format!(
                "coachlint-packs-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

const PACK: &str = r#"
[[rule]]
code = "TEAM001"
name = "fix-it-for-them"
category = "advice"
severity = "error"
icf = ["5.3"]
summary = "Offering to do the client's work"
message = "Rescuing: \"{match}\" takes the task off the client"
patterns = ['''\bi(?:'ll| will) (?:do|handle|sort) (?:it|that) for you\b''']
sentence = "statement"
rephrase = "none"
fire = ["I'll handle it for you."]
pass = ["How will you handle it?"]
explanation = "Doing it for them teaches them that they cannot."
"#;

#[test]
fn a_project_pack_adds_rules_that_run_and_can_be_configured() {
    let dir = project(&[
        ("rules/team.toml", PACK),
        (
            ".coachlint.toml",
            "rule-packs = [\"rules\"]\n[severity]\nTEAM001 = \"warning\"\n",
        ),
    ]);
    let config = Config::load(&dir.path().join(".coachlint.toml")).unwrap();
    let a = analyze(
        "---\ncoach: Coach\n---\nClient: I'm swamped.\nCoach: I'll handle it for you.\n",
        &config,
    )
    .unwrap();
    let f = a
        .findings
        .iter()
        .find(|f| f.rule.code == "TEAM001")
        .expect("the pack's rule fired");
    assert_eq!(
        f.message,
        "Rescuing: \"I'll handle it for you\" takes the task off the client"
    );
    assert_eq!(f.severity, coachlint_core::Severity::Warning);
    assert!(config.rules.get("ADV001").is_some(), "built-in rules stay");
}

#[test]
fn a_broken_pattern_names_the_pack_line_and_key() {
    let bad = "[[rule]]\ncode = \"TEAM002\"\nname = \"broken\"\ncategory = \"advice\"\nseverity = \"warning\"\nsummary = \"s\"\nexplanation = \"e\"\npatterns = [\n  '(unclosed',\n]\n";
    let dir = project(&[
        ("rules/bad.toml", bad),
        (".coachlint.toml", "rule-packs = [\"rules/bad.toml\"]\n"),
    ]);
    let e = Config::load(&dir.path().join(".coachlint.toml")).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("bad.toml:9:"), "{msg}");
    assert!(msg.contains("`patterns`"), "{msg}");
    assert!(msg.contains("invalid pattern"), "{msg}");
    // What is wrong, not only where.
    assert!(msg.contains("unclosed group"), "{msg}");
}

#[test]
fn an_unknown_category_or_duplicate_code_is_an_error() {
    let unknown = "[[rule]]\ncode = \"TEAM003\"\nname = \"x\"\ncategory = \"vibes\"\nseverity = \"warning\"\nsummary = \"s\"\nexplanation = \"e\"\npatterns = ['x']\n";
    let e = load_with_pack(unknown).unwrap_err();
    assert!(
        e.contains("p.toml:4:") && e.contains("`category`") && e.contains("vibes"),
        "{e}"
    );

    let dup = "[[rule]]\ncode = \"ADV001\"\nname = \"mine\"\ncategory = \"advice\"\nseverity = \"warning\"\nsummary = \"s\"\nexplanation = \"e\"\npatterns = ['x']\n";
    let e = load_with_pack(dup).unwrap_err();
    assert!(e.contains("defined twice"), "{e}");
}

#[test]
fn a_missing_pack_is_an_error_naming_it() {
    let dir = project(&[(".coachlint.toml", "rule-packs = [\"nowhere.toml\"]\n")]);
    let e = Config::load(&dir.path().join(".coachlint.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("nowhere.toml") && e.contains("cannot read"),
        "{e}"
    );
}

#[test]
fn a_pack_too_large_to_be_one_is_refused_without_reading_it_all() {
    let big = "# ".repeat(600_000);
    let mut packs = vec!["big.toml"];
    // A device has no size to check: reading it stops at the limit.
    if cfg!(target_os = "linux") {
        packs.push("/dev/zero");
    }
    for pack in packs {
        let config = format!("rule-packs = [\"{pack}\"]\n");
        let dir = project(&[(".coachlint.toml", &config), ("big.toml", &big)]);
        let e = Config::load(&dir.path().join(".coachlint.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(pack) && e.contains("larger than the 1 MB a rule pack may be"),
            "{e}"
        );
    }
}

#[test]
fn a_pattern_that_matches_empty_text_is_an_error_naming_it() {
    let empty = "[[rule]]\ncode = \"TEAM004\"\nname = \"maybe-really\"\ncategory = \"advice\"\nseverity = \"warning\"\nsummary = \"s\"\nexplanation = \"e\"\npatterns = [\n  'you should',\n  '(?:really )?',\n]\n";
    let e = load_with_pack(empty).unwrap_err();
    assert!(
        e.contains("p.toml:10:") && e.contains("`patterns`") && e.contains("(?:really )?"),
        "{e}"
    );
    // A word boundary alone matches empty text too; a phrase after it does not.
    for (pattern, ok) in [(r"\b", false), (r"\bwhy\b", true)] {
        let pack = empty.replace("(?:really )?", pattern);
        assert_eq!(load_with_pack(&pack).is_ok(), ok, "{pattern}");
    }
}

/// A pack rule with exemptions, the second of them `extra`.
fn pack_with_unless(extra: &str) -> String {
    format!(
        r#"
[[rule]]
code = "TEAM002"
name = "take-it-over"
category = "advice"
severity = "warning"
summary = "Taking the task over"
patterns = ['''\bi(?:'ll| will) handle\b''']
unless = ['''\bunless you\b''', '''{extra}''']
sentence = "statement"
rephrase = "none"
explanation = "The client's task stays theirs."
"#
    )
}

fn codes(config: &Config, coach_says: &str) -> Vec<String> {
    let text = format!("---\ncoach: Coach\n---\nClient: I'm swamped.\nCoach: {coach_says}\n");
    let a = analyze(&text, config).unwrap();
    a.findings.iter().map(|f| f.rule.code.clone()).collect()
}

#[test]
fn a_packs_exemptions_spare_the_sentences_they_match() {
    // Searched in the rules' walk like the built-in exemptions, and (an
    // exemption that matches empty text cannot be) each rule's own search.
    for extra in [r"\bif you like\b", r"(?:if you like)?"] {
        let config = load_with_pack(&pack_with_unless(extra)).unwrap();
        let exempt_all = extra.ends_with('?');
        assert_eq!(
            codes(&config, "I'll handle it.").contains(&"TEAM002".to_owned()),
            !exempt_all,
            "{extra}"
        );
        assert!(
            !codes(&config, "I'll handle it unless you want to.").contains(&"TEAM002".to_owned())
        );
        assert!(!codes(&config, "I'll handle it if you like.").contains(&"TEAM002".to_owned()));
        // The built-in rules' exemptions hold either way.
        assert!(codes(&config, "You should talk to your manager.").contains(&"ADV001".to_owned()));
        let exempted = codes(&config, "Whatever you need to do is fine with me.");
        assert!(
            !exempted.iter().any(|c| c.starts_with("ADV")),
            "{extra}: {exempted:?}"
        );
    }
}

#[test]
fn every_built_in_pattern_and_exemption_compiles() {
    // The built-in packs' own regexes compile only when first searched, and
    // most never are: this is where a broken one would show.
    let rules = coachlint_core::rules::RuleSet::builtin();
    let mut compiled = 0;
    for r in &rules.rules {
        if let coachlint_core::rules::pack::RuleKind::Phrase(p) = &r.kind {
            assert!(
                p.regex.get().find("").is_none(),
                "{} matches empty text",
                r.meta.code
            );
            if let Some(u) = &p.unless {
                u.get();
            }
            compiled += 1;
        }
    }
    assert!(compiled >= 15, "only {compiled} phrase rules");
}
