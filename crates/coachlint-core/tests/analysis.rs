//! The engine as a user meets it: whole small transcripts in, findings out.

use coachlint_core::finding::{Category, Severity};
use coachlint_core::{
    Analysis, CoachSource, Config, Mode, Role, Settings, TurnCache, analyze, analyze_cached,
};

fn run(text: &str) -> Analysis {
    analyze(text, &Config::default()).expect("parses")
}

fn with(settings: Settings, text: &str) -> Analysis {
    analyze(text, &Config::from_settings(settings, None).unwrap()).expect("parses")
}

fn codes(a: &Analysis) -> Vec<&str> {
    a.findings.iter().map(|f| f.rule.code.as_str()).collect()
}

const COACH: &str = "---\ncoach: Coach\n---\n";

/// The coach's `line` after the client's `client` is no advice.
fn assert_no_advice(client: &str, line: &str) {
    let a = run(&format!("{COACH}Client: {client}\nCoach: {line}\n"));
    assert!(
        a.findings
            .iter()
            .all(|f| f.rule.category != Category::Advice),
        "{line}: {:?}",
        codes(&a)
    );
}

#[test]
fn advice_after_permission_is_reported_as_permissioned() {
    let a = run(&format!(
        "{COACH}Client: I keep missing deadlines.\nCoach: Would it help if I shared an idea that has worked for others?\nClient: Yes please.\nCoach: You could try blocking your mornings for deep work. What do you make of that?\n"
    ));
    assert!(codes(&a).contains(&"ADV010"), "{:?}", codes(&a));
    assert!(!codes(&a).contains(&"ADV005"), "{:?}", codes(&a));
    let f = a.findings.iter().find(|f| f.rule.code == "ADV010").unwrap();
    assert_eq!(f.severity, Severity::Information);
    // ADV010's own message, quoting the words the advice rule matched.
    assert_eq!(
        f.message,
        "Advice with permission: \"You could try\" was offered after asking, or with the choice left to the client"
    );
    assert_eq!(a.metrics.advice_with_permission, 1);
    assert_eq!(a.metrics.advice, 0);
}

#[test]
fn permission_asked_earlier_in_the_same_turn_counts() {
    let a = run(&format!(
        "{COACH}Client: I don't know how to start.\nCoach: Can I offer a thought? You might want to start with the smallest step.\n"
    ));
    assert_eq!(codes(&a), ["ADV010"]);
}

#[test]
fn the_advice_models_finding_after_permission_says_so() {
    let a = run(&format!(
        "{COACH}Client: I keep getting headaches.\nCoach: Can I offer a thought? Try the patches.\n"
    ));
    assert_eq!(codes(&a), ["ADV010"]);
    assert_eq!(
        a.findings[0].message,
        "Advice with permission: \"Try\" was offered after asking, or with the choice left to the client"
    );
    // Without the ask, the model's own message.
    let a = run(&format!(
        "{COACH}Client: I keep getting headaches.\nCoach: Try the patches.\n"
    ));
    assert_eq!(codes(&a), ["ADV006"]);
    assert!(
        a.findings[0]
            .message
            .ends_with("reads as telling the client what to do"),
        "{}",
        a.findings[0].message
    );
}

#[test]
fn client_asking_for_advice_counts_as_permission() {
    let a = run(&format!(
        "{COACH}Client: What would you do in my place?\nCoach: I'd suggest talking to her first.\n"
    ));
    assert_eq!(codes(&a), ["ADV010"]);
}

#[test]
fn the_coach_answering_the_clients_request_counts_as_permission() {
    // The coach says the client asked: advice given on request (MITI's
    // Advise with permission), whatever words the client asked in.
    for coach in [
        "Since you asked, I'd start by telling your GP how bad it's got.",
        "As you asked, you should book it this week.",
        "You asked what I'd do: you should talk to her first.",
        "Since you asked for my advice, you could try blocking your mornings.",
    ] {
        let a = run(&format!(
            "{COACH}Client: I keep putting it off.\nCoach: {coach}\n"
        ));
        assert!(
            codes(&a).iter().all(|&c| c == "ADV010"),
            "{coach}: {:?}",
            codes(&a)
        );
        assert!(!codes(&a).is_empty(), "{coach}");
    }
    // Near misses: the client asking themselves, a question about asking.
    for coach in [
        "You asked yourself why you stay. You should leave.",
        "Have you asked your manager? You should ask her today.",
    ] {
        let a = run(&format!(
            "{COACH}Client: I keep putting it off.\nCoach: {coach}\n"
        ));
        assert!(codes(&a).contains(&"ADV001"), "{coach}: {:?}", codes(&a));
        assert!(!codes(&a).contains(&"ADV010"), "{coach}: {:?}", codes(&a));
    }
}

#[test]
fn declined_permission_keeps_the_warning() {
    let a = run(&format!(
        "{COACH}Client: I'm stuck.\nCoach: Would it help if I shared an idea?\nClient: No, I'd rather work it out myself.\nCoach: You should talk to your manager.\n"
    ));
    assert!(codes(&a).contains(&"ADV001"), "{:?}", codes(&a));
}

#[test]
fn autonomy_framing_softens_advice() {
    let a = run(&format!(
        "{COACH}Client: I'm stuck.\nCoach: It's entirely up to you, but you could try writing it down.\n"
    ));
    assert_eq!(codes(&a), ["ADV010"]);
}

#[test]
fn autonomy_framing_anywhere_in_the_turn_softens_its_advice() {
    // After the advice, in another sentence, as before it.
    for coach in [
        "You could try writing it down. It's your call, of course.",
        "No pressure. You should write it down tonight.",
        "You should quit. But you have to decide that for yourself.",
    ] {
        let a = run(&format!("{COACH}Client: I'm stuck.\nCoach: {coach}\n"));
        assert!(
            codes(&a).iter().all(|&c| c == "ADV010"),
            "{coach}: {:?}",
            codes(&a)
        );
        assert!(!codes(&a).is_empty(), "{coach}");
    }
    // Not the client's words, nor a framing in another coach turn.
    let a = run(&format!(
        "{COACH}Client: It's up to me, I know.\nCoach: You should write it down tonight.\nClient: Maybe.\nCoach: It's your call.\n"
    ));
    assert!(codes(&a).contains(&"ADV001"), "{:?}", codes(&a));
    assert!(!codes(&a).contains(&"ADV010"), "{:?}", codes(&a));
}

#[test]
fn the_advice_rules_exemptions_bind_the_advice_model() {
    // Sentences the model reads as advice, which an advice rule's `unless` covers.
    for line in [
        "Take your time.",
        "Keep going.",
        "Tell me more about that.",
        "I'd suggest we take a break.",
    ] {
        let model = coachlint_core::model::AdviceModel::builtin().unwrap();
        assert!(model.assess(line).advice, "the model alone flags {line:?}");
        assert_no_advice("I'm tired.", line);
    }
    // Not what the exemptions name: still advice.
    let a = run(&format!(
        "{COACH}Client: I'm tired.\nCoach: Take a week off work.\n"
    ));
    assert!(
        codes(&a).iter().any(|c| c.starts_with("ADV")),
        "{:?}",
        codes(&a)
    );
}

/// What coaches say every session: courtesies at the end, and invitations to
/// think, imagine or scale within it. Imperatives, but no plan for the
/// client's life: each was flagged before the directive rule's exemptions
/// named it, most by the advice model.
#[test]
fn courtesies_and_invitations_within_the_session_are_not_advice() {
    let model = coachlint_core::model::AdviceModel::builtin().unwrap();
    let mut model_flags = 0;
    for line in [
        "Have a lovely evening.",
        "Enjoy the rest of your week.",
        "Take care of yourself.",
        "Go ahead.",
        "Think back to a time when you felt confident.",
        "Close your eyes for a moment.",
        "Stay with that feeling for a moment.",
        "Let it sit for a moment.",
        "Say it again, slower.",
        "Look at what you've achieved.",
        "Don't worry about getting it right.",
        "Pick a number from one to ten for how confident you feel.",
        "Have a great wedding.",
        "Have a safe flight home.",
    ] {
        model_flags += usize::from(model.assess(line).advice);
        assert_no_advice("I'm not sure.", line);
    }
    assert!(model_flags >= 10, "the model alone flags {model_flags}");
    // The same verbs with a plan for outside the session: still advice.
    for line in [
        "Take care of your health before the promotion.",
        "Go ahead and book the flights tonight.",
        "Have a small wedding and save the money.",
    ] {
        let a = run(&format!("{COACH}Client: I'm not sure.\nCoach: {line}\n"));
        assert!(
            codes(&a).iter().any(|c| c.starts_with("ADV")),
            "{line}: {:?}",
            codes(&a)
        );
    }
}

#[test]
fn reflections_reported_speech_and_negation_are_not_advice() {
    for line in [
        "So you feel you should quit.",
        "You should call your sister, you said.",
        "Your boss said you should apologise.",
        "I'm not saying you should quit.",
        "It sounds like you think you need to have all the answers.",
    ] {
        let a = run(&format!(
            "{COACH}Client: I should call my sister, honestly.\nCoach: {line}\n"
        ));
        assert!(
            !a.findings
                .iter()
                .any(|f| f.rule.category.as_str() == "advice"),
            "{line}: {:?}",
            codes(&a)
        );
    }
}

#[test]
fn mirroring_the_clients_own_should_is_not_advice() {
    let a = run(&format!(
        "{COACH}Client: I should probably call him before Friday.\nCoach: You should call him before Friday. What would that give you?\n"
    ));
    assert!(!codes(&a).contains(&"ADV001"), "{:?}", codes(&a));
}

#[test]
fn client_speech_is_never_flagged() {
    let a = run(&format!(
        "{COACH}Coach: What's on your mind?\nClient: You should see my inbox. You always get this wrong. Why don't you just tell me what to do?\n"
    ));
    assert!(
        a.findings.iter().all(|f| f.turn != Some(1)),
        "{:?}",
        codes(&a)
    );
}

#[test]
fn suppression_comments_silence_the_next_turn_or_the_file() {
    let text = format!(
        "{COACH}Client: I'm stuck.\n# coachlint-disable-next-turn ADV001\nCoach: You should talk to your manager.\nClient: Maybe.\nCoach: You should talk to your manager today.\n"
    );
    let a = run(&text);
    assert_eq!(codes(&a), ["ADV001"]);
    assert_eq!(a.findings[0].turn, Some(3));
    assert_eq!(a.suppressed, 1);
    let a = run(&format!(
        "{COACH}# coachlint-disable advice\nClient: I'm stuck.\nCoach: You should talk to your manager.\n"
    ));
    assert!(codes(&a).is_empty());
}

#[test]
fn select_ignore_and_severity_from_settings() {
    let text = format!(
        "{COACH}Client: I'm stuck.\nCoach: You should talk to your manager. Why did you wait?\n"
    );
    let a = with(
        Settings {
            ignore: vec!["QST001".into()],
            ..Default::default()
        },
        &text,
    );
    assert_eq!(codes(&a), ["ADV001"]);
    let a = with(
        Settings {
            select: vec!["questioning".into()],
            ..Default::default()
        },
        &text,
    );
    assert_eq!(codes(&a), ["QST001"]);
    let mut s = Settings::default();
    s.severity.insert("advice".into(), Severity::Hint);
    s.severity.insert("ADV001".into(), Severity::Error);
    let a = with(s, &text);
    let adv = a.findings.iter().find(|f| f.rule.code == "ADV001").unwrap();
    assert_eq!(
        adv.severity,
        Severity::Error,
        "the code is more specific than the category"
    );
}

#[test]
fn coach_is_inferred_and_says_so() {
    let a = run(
        "Maya: What would you like to focus on today?\nJordan: The team.\nMaya: What about the team?\nJordan: They don't trust me yet.\n",
    );
    assert_eq!(a.coach_source, CoachSource::Inferred);
    assert_eq!(a.coach_names(), ["Maya"]);
    let f = a
        .findings
        .iter()
        .find(|f| f.rule.code == "CL001")
        .expect("says it guessed");
    assert!(f.message.contains("Maya"), "{}", f.message);
    assert_eq!(f.severity, Severity::Information);
}

#[test]
fn configured_coach_wins_and_team_coaching_has_several_clients() {
    let text = "Ana: How is the team doing?\nBen: You should ask Cleo.\nCleo: We should ship faster.\nAna: What would shipping faster give you both?\n";
    let a = with(
        Settings {
            coach: vec!["ana".into()],
            ..Default::default()
        },
        text,
    );
    assert_eq!(a.coach_source, CoachSource::Config);
    let roles: Vec<Role> = a.transcript.speakers.iter().map(|s| s.role).collect();
    assert_eq!(roles, [Role::Coach, Role::Client, Role::Client]);
    assert!(
        codes(&a).iter().all(|c| !c.starts_with("ADV")),
        "{:?}",
        codes(&a)
    );
}

#[test]
fn modes_by_turn() {
    let a = run(&format!(
        "{COACH}Client: Hi.\nCoach: What would you like to focus on today?\nClient: My team.\nCoach: You should give them clearer goals. Book a meeting with them.\nClient: OK.\nCoach: When I was in your position, what worked for me was a weekly one-to-one.\nClient: Right.\nCoach: There are three steps to delegation. Let me explain how the model works.\nClient: OK.\nCoach: Where does that come from in your childhood?\nClient: Hm.\nCoach: I need you to have the plan on my desk. The deadline is Friday.\nClient: Fine.\nCoach: The real problem here is your process. Here's the plan: first fix the backlog.\n"
    ));
    let modes: Vec<Mode> = a.turns.iter().filter_map(|t| t.mode).collect();
    assert_eq!(
        modes,
        [
            Mode::Coaching,
            Mode::Advising,
            Mode::Mentoring,
            Mode::Teaching,
            Mode::Therapy,
            Mode::Managing,
            Mode::Consulting
        ]
    );
    assert!(
        a.turns
            .iter()
            .zip(&a.transcript.turns)
            .all(|(t, turn)| (t.mode.is_some()) == (a.transcript.role(turn) == Role::Coach))
    );
}

#[test]
fn rephrasing_edits_replace_the_sentence_in_the_source() {
    let text = format!(
        "{COACH}Client: I'm unsure about the promotion.\nCoach: You should talk to your manager. What else?\n"
    );
    let a = run(&text);
    let f = a.findings.iter().find(|f| f.rule.code == "ADV001").unwrap();
    assert_eq!(&text[f.span.clone()], "You should talk to your manager.");
    let r = &f.rephrasings[0];
    assert_eq!(r.text, "What would it take to talk to your manager?");
    let mut fixed = text.clone();
    for e in r.edits().iter().rev() {
        fixed.replace_range(e.span.clone(), &e.replacement);
    }
    assert!(
        fixed.contains("Coach: What would it take to talk to your manager? What else?\n"),
        "{fixed}"
    );
    // And asking permission first is offered as a fix of its own.
    assert_eq!(f.fixes[0].title, "Ask permission first");
}

#[test]
fn session_findings_are_anchored_where_they_belong() {
    let mut text = String::from(COACH);
    for i in 0..4 {
        text.push_str(&format!("Client: Point {i}.\nCoach: I see that as a hard problem with many moving parts that will take time to untangle properly.\n"));
    }
    let a = run(&text);
    let stretch = a
        .findings
        .iter()
        .find(|f| f.rule.code == "BAL002")
        .expect("no-question stretch");
    let first_coach = text.find("Coach: I see").unwrap() + "Coach: ".len();
    assert_eq!(stretch.span.start, first_coach);
    assert!(stretch.span.end > text.rfind("Coach: I see").unwrap());
}

#[test]
fn a_cached_reanalysis_works_out_only_the_turns_an_edit_touched() {
    let turns = [
        "Coach: What would you like to focus on today?",
        "Client: My manager keeps changing priorities and I should push back.",
        "Coach: You should push back. Would it help if I shared an idea?",
        "Client: Sure.",
        "Coach: Try a weekly check-in with her.",
        "Client: I could do that.",
        "Coach: What would make it work for you?",
    ];
    let text = format!("---\ncoach: Coach\n---\n{}\n", turns.join("\n"));
    let config = Config::default();
    let mut cache = TurnCache::default();
    let first = analyze_cached(&text, &config, &mut cache).unwrap();
    assert_eq!((cache.reused, cache.computed), (0, 4));
    assert_eq!(codes(&first), codes(&run(&text)));

    // Same text again: nothing to work out.
    analyze_cached(&text, &config, &mut cache).unwrap();
    assert_eq!((cache.reused, cache.computed), (4, 0));

    // An edit in the last coach turn: only it is worked out again, and its
    // finding appears where a fresh analysis puts it.
    let edited = text.replace(
        "What would make it work for you?",
        "You need to make it work.",
    );
    let a = analyze_cached(&edited, &config, &mut cache).unwrap();
    assert_eq!((cache.reused, cache.computed), (3, 1));
    assert!(codes(&a).contains(&"ADV001"), "{:?}", codes(&a));
    assert_eq!(codes(&a), codes(&run(&edited)));

    // An edit in a client turn changes the context of the coach turn after it.
    let edited = edited.replace("Client: Sure.", "Client: No thanks.");
    let a = analyze_cached(&edited, &config, &mut cache).unwrap();
    assert_eq!((cache.reused, cache.computed), (3, 1));
    assert_eq!(codes(&a), codes(&run(&edited)));
    let b = run(&edited);
    assert_eq!(format!("{:?}", a.findings), format!("{:?}", b.findings));
}

/// Three questions at once, whether as sentences, joined by commas, or run
/// together in unpunctuated speech; a question that only contains a clause
/// ("what you would do") asks one.
#[test]
fn stacked_questions_are_counted_within_a_sentence_too() {
    let stacked = |line: &str| {
        let a = run(&format!(
            "{COACH}Client: I've been thinking about my career.\nCoach: {line}\n"
        ));
        a.findings
            .iter()
            .filter(|f| f.rule.code == "QST002")
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
    };
    for line in [
        "What is stopping you? Is it fear? Is it your boss?",
        "What do you think about that, and how does it feel, and what will you do?",
        "so what do you want from this what would success look like how would you know",
    ] {
        assert_eq!(
            stacked(line),
            ["3 questions in a row: ask one, then let the client answer"],
            "{line}"
        );
    }
    for line in [
        "What happened? What did you do?",
        "What do you think would happen if you asked her what she wants?",
        "Tell me what you would do and how you would know it worked.",
        "How would you know what success looks like?",
    ] {
        assert!(stacked(line).is_empty(), "{line}: {:?}", stacked(line));
    }
}
