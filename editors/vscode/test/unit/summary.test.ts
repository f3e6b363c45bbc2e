import assert from "node:assert/strict";
import { test } from "node:test";
import { isOutOfBalance, parseLensTitle, parseSessionSummary, statusText, statusTooltip } from "../../src/summary";

test("the sessionSummary result, camelCase or the engine's Metrics", () => {
  assert.deepEqual(
    parseSessionSummary({ coachTalkShare: 0.31, questionRatio: 1.4, openQuestionShare: 0.8, coach: ["Maya"], coachSource: "front-matter", findings: 3 }),
    { coachTalkShare: 0.31, questionRatio: 1.4, openQuestionShare: 0.8, coach: ["Maya"], coachSource: "front-matter", findings: 3 },
  );
  const fromMetrics = parseSessionSummary({ metrics: { coach_talk_share: 0.62, question_ratio: null, open_question_share: null }, coach_source: "name" });
  assert.equal(fromMetrics?.coachTalkShare, 0.62);
  assert.equal(fromMetrics?.questionRatio, null);
  assert.equal(fromMetrics?.coachSource, "name");
  assert.equal(parseSessionSummary(null), undefined);
  assert.equal(parseSessionSummary({ questionRatio: 1 }), undefined);
});

test("a summary code lens title", () => {
  const s = parseLensTitle("Coach talk share 62% · question ratio 0.4 · open questions 50%");
  assert.deepEqual(s, { coachTalkShare: 0.62, questionRatio: 0.4, openQuestionShare: 0.5 });
  assert.equal(parseLensTitle("Mode: advising")?.coachTalkShare, undefined);
  assert.equal(parseLensTitle("talk share: 30% | question ratio: n/a")?.questionRatio, null);
});

test("status text and balance", () => {
  const s = { coachTalkShare: 0.624, questionRatio: 0.44 };
  assert.equal(statusText(s), "$(comment-discussion) Coach 62% · Q/S 0.4");
  assert.equal(statusText({ coachTalkShare: 0.2, questionRatio: null }), "$(comment-discussion) Coach 20% · Q/S –");
  assert.equal(isOutOfBalance(s), true);
  assert.equal(isOutOfBalance({ coachTalkShare: 0.25, questionRatio: 2 }), false);
  assert.equal(isOutOfBalance({ coachTalkShare: 0.25, questionRatio: 2 }, 0.2), true);
  assert.match(statusTooltip(s), /Coach talk share: 62%/);
});
