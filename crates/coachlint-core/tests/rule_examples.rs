//! Every phrase rule's `fire` examples must fire and its `pass` examples (the
//! near-misses) must not, each said by the coach after a neutral client turn.

use coachlint_core::finding::Category;
use coachlint_core::rules::RuleSet;
use coachlint_core::rules::pack::RuleKind;
use coachlint_core::{Config, Settings, analyze};

/// The advice model's code.
const MODEL: &str = "ADV006";

fn codes_for(coach_line: &str) -> Vec<String> {
    let text = format!(
        "---\ncoach: Coach\n---\nClient: There's a lot going on at work and I'm not sure where to start.\nCoach: {coach_line}\n"
    );
    let config = Config::from_settings(Settings::default(), None).unwrap();
    let a = analyze(&text, &config).expect("parses");
    a.findings.iter().map(|f| f.rule.code.clone()).collect()
}

#[test]
fn fire_examples_fire_and_near_misses_do_not() {
    let rules = RuleSet::builtin();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &rules.rules {
        if !matches!(rule.kind, RuleKind::Phrase(_)) {
            continue;
        }
        let m = &rule.meta;
        assert!(
            !m.examples_fire.is_empty(),
            "{} has no fire examples",
            m.code
        );
        assert!(
            !m.examples_pass.is_empty(),
            "{} has no near-miss examples",
            m.code
        );
        for ex in &m.examples_fire {
            checked += 1;
            let codes = codes_for(ex);
            if !codes.contains(&m.code) {
                failures.push(format!("{} should fire on {ex:?}, got {codes:?}", m.code));
            }
        }
        for ex in &m.examples_pass {
            checked += 1;
            let codes = codes_for(ex);
            if codes.contains(&m.code) {
                failures.push(format!("{} must not fire on {ex:?}", m.code));
            }
            // An advice rule's exemptions bind the advice model too.
            if m.category == Category::Advice && codes.iter().any(|c| c == MODEL) {
                failures.push(format!("{MODEL} fires on {}'s near-miss {ex:?}", m.code));
            }
        }
    }
    assert!(checked > 50, "only {checked} examples");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
