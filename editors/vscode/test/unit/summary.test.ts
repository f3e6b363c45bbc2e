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

test("the server's summary code lens title", () => {
  assert.deepEqual(parseLensTitle("coach talk 62% · 0.4 questions per statement · 50% open · advising 5, coaching 2"), {
    coachTalkShare: 0.62,
    questionRatio: 0.4,
    openQuestionShare: 0.5,
  });
  assert.deepEqual(parseLensTitle("coach talk 20% · 3 questions, no statements · 100% open"), {
    coachTalkShare: 0.2,
    questionRatio: null,
    openQuestionShare: 1,
  });
  assert.equal(parseLensTitle("(advising)"), undefined);
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
