import assert from "node:assert/strict";
import { test } from "node:test";
import { looksLikeTranscript, shouldLint, sniff } from "../../src/sniff";
import { fixture, fixtureNames } from "./fixtures";

test("every sample transcript format looks like a transcript", () => {
  const names = fixtureNames().filter((n) => /\.(transcript|vtt|srt|txt)$/.test(n));
  assert.ok(names.length >= 12, `fixtures: ${names.join(", ")}`);
  for (const name of names) {
    const s = sniff(fixture(name));
    assert.ok(looksLikeTranscript(fixture(name)), `${name}: ${JSON.stringify(s)}`);
    assert.ok(s.speakers.length === 2, `${name}: speakers ${s.speakers.join(", ")}`);
  }
});

test("speakers are read from every label style", () => {
  assert.deepEqual(sniff(fixture("good-coaching.otter.txt")).speakers, ["Maya Chen", "Jordan Ellis"]);
  assert.deepEqual(sniff(fixture("good-coaching.rev.txt")).speakers, ["Maya Chen", "Jordan Ellis"]);
  assert.deepEqual(sniff(fixture("good-coaching.teams.vtt")).speakers, ["Maya Chen", "Jordan Ellis"]);
  assert.deepEqual(sniff(fixture("advice-heavy.transcript")).speakers, ["Coach", "Client"]);
  assert.deepEqual(sniff("**Ana:** How are you?\n**Ben:** Fine.\n").speakers, ["Ana", "Ben"]);
});

test("random text files and subtitles without speakers are not transcripts", () => {
  const notes = [
    "Shopping list",
    "Note: buy milk",
    "TODO: call the plumber",
    "eggs",
    "bread",
    "Remember: the car needs washing on Friday",
    "apples",
  ].join("\n");
  const movie = [
    "1",
    "00:00:01,000 --> 00:00:04,000",
    "It was a dark and stormy night.",
    "",
    "2",
    "00:00:05,000 --> 00:00:08,000",
    "The rain fell in torrents.",
    "",
  ].join("\n");
  const monologue = "Coach: I think you should.\nCoach: Really, you should.\nCoach: Do it.\n";
  const prose = Array.from({ length: 20 }, (_, i) => `Paragraph ${i} talks about things: many things, at length.`).join(
    "\n\n",
  );
  for (const [name, text] of Object.entries({ notes, movie, monologue, prose, empty: "" })) {
    assert.equal(looksLikeTranscript(text), false, `${name}: ${JSON.stringify(sniff(text))}`);
  }
});

test("only the head of a long file is read", () => {
  const turn = "Ana: What would you like to talk about today?\nBen: My team, mostly.\n";
  const long = turn.repeat(5000);
  const s = sniff(long);
  assert.ok(s.labelled < 2 * 5000, "sniffed the whole file");
  assert.ok(looksLikeTranscript(long));
});

test("which documents go to the server", () => {
  const transcript = () => fixture("good-coaching.zoom.vtt");
  const random = () => "just some words\nand more words\n";
  assert.equal(shouldLint("coaching-transcript", "/x/a.transcript", "off", random), true);
  assert.equal(shouldLint("plaintext", "/x/a.vtt", "off", transcript), false);
  assert.equal(shouldLint("plaintext", "/x/a.vtt", "auto", transcript), true);
  assert.equal(shouldLint("plaintext", "/x/a.TXT", "auto", random), false);
  assert.equal(shouldLint("plaintext", "/x/a.txt", "always", random), true);
  assert.equal(shouldLint("markdown", "/x/a.md", "always", transcript), false);
});
