import assert from "node:assert/strict";
import { test } from "node:test";
import { serverSettings } from "../../src/settings";

const from = (values: Record<string, unknown>) => (key: string) => values[key];

test("nothing set sends nothing, so .coachlint.toml keeps its values", () => {
  assert.deepEqual(serverSettings(from({})), { settings: {}, problems: [] });
  assert.deepEqual(serverSettings(from({ coach: [], select: [""], severity: {} })).settings, {});
});

test("settings become coachlint_core::Settings keys", () => {
  const { settings, problems } = serverSettings(
    from({
      coach: ["Maya Chen", " Sam "],
      select: ["advice", "QST"],
      ignore: ["ADV003"],
      severity: { ADV001: "error", judgment: "info", leading: "warn" },
      "thresholds.maxTalkShare": 0.4,
      "thresholds.minQuestionRatio": 1.5,
      "thresholds.maxMonologueWords": 80,
      rulePacks: ["packs/team.toml"],
      inputFormat: "zoom-vtt",
    }),
    (p) => `/ws/${p}`,
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, {
    coach: ["Maya Chen", "Sam"],
    select: ["advice", "QST"],
    ignore: ["ADV003"],
    severity: { ADV001: "error", judgment: "information", leading: "warning" },
    thresholds: { "min-question-ratio": 1.5, "max-talk-share": 0.4, "max-monologue-words": 80 },
    "rule-packs": ["/ws/packs/team.toml"],
    "input-format": "zoom-vtt",
  });
});

test("bad values are reported and left out, the rest still goes", () => {
  const { settings, problems } = serverSettings(
    from({
      severity: { ADV001: "loud", ADV002: "hint" },
      "thresholds.stackedQuestions": 2.5,
      "thresholds.maxTalkShare": -1,
      "thresholds.noQuestionRun": 4,
    }),
  );
  assert.deepEqual(settings, { severity: { ADV002: "hint" }, thresholds: { "no-question-run": 4 } });
  assert.equal(problems.length, 3, problems.join("\n"));
  assert.match(problems.join("\n"), /ADV001.*loud/);
  assert.match(problems.join("\n"), /stackedQuestions: 2\.5 is not a non-negative whole number/);
});
