import assert from "node:assert/strict";
import { test } from "node:test";
import { coachLabels, frontMatterCoach, speakerLabels } from "../../src/coachLabels";
import { fixture } from "./fixtures";

test("the coach named in the front matter, in every turn", () => {
  const text = fixture("good-coaching.transcript");
  const labels = coachLabels(text);
  assert.ok(labels.length > 5);
  assert.ok(labels.every((l) => l.name === "Maya Chen"), JSON.stringify(labels.slice(0, 3)));
  const first = labels[0];
  const line = text.split("\n")[first.line];
  assert.equal(line.slice(first.start, first.start + first.length), "Maya Chen");
  assert.ok(line.startsWith("[00:00:02] Maya Chen:"));
});

test("the setting wins over the front matter; without either, a speaker called Coach", () => {
  const text = fixture("good-coaching.transcript");
  assert.ok(coachLabels(text, ["jordan ellis"]).every((l) => l.name === "Jordan Ellis"));
  const plain = "Coach: What would you like?\nClient: Clarity.\n**Coach:** Say more?\n";
  assert.deepEqual(
    coachLabels(plain).map((l) => [l.line, l.start, l.length]),
    [
      [0, 0, 5],
      [2, 2, 5],
    ],
  );
});

test("front matter lists, and lengths in UTF-16 units", () => {
  assert.deepEqual(frontMatterCoach(["---", 'coach: ["Zoë Ng", Sam]', "---"]), ["Zoë Ng", "Sam"]);
  const text = "---\ncoach: Zoë Ng\n---\n[00:01] Zoë Ng: how is it 🙂?\n[00:02] Sam: fine\n";
  assert.deepEqual(speakerLabels(text.split("\n")).map((l) => l.name), ["Zoë Ng", "Sam"]);
  // "Zoë Ng" is 6 UTF-16 units (7 bytes in UTF-8).
  assert.deepEqual(coachLabels(text).map((l) => [l.line, l.start, l.length]), [[3, 8, 6]]);
});
