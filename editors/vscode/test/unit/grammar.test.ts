// Tokenizes the sample transcripts with the real TextMate engine VS Code uses.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";
import { fixture } from "./fixtures";

const ROOT = path.resolve(__dirname, "../..");

async function grammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope !== "text.coaching-transcript") return null;
      const file = path.join(ROOT, "syntaxes/coaching-transcript.tmLanguage.json");
      return textmate.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
  const g = await registry.loadGrammar("text.coaching-transcript");
  assert.ok(g);
  return g;
}

/** [text, scopes] of every token, line by line. */
function tokenize(g: textmate.IGrammar, text: string): [string, string[]][][] {
  let state = textmate.INITIAL;
  return text.split("\n").map((line) => {
    const r = g.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes]);
  });
}

function scopesOf(lines: [string, string[]][][], lineNo: number, text: string): string[] {
  const tok = lines[lineNo].find(([t]) => t === text);
  assert.ok(tok, `no token ${JSON.stringify(text)} on line ${lineNo}: ${JSON.stringify(lines[lineNo])}`);
  return tok[1];
}

const has = (scopes: string[], prefix: string) => scopes.some((s) => s.split(" ").some((x) => x.startsWith(prefix)));

test("front matter, timestamps and speaker labels, the coach set apart", async () => {
  const g = await grammar();
  const lines = tokenize(g, fixture("advice-heavy.transcript"));
  assert.ok(has(scopesOf(lines, 0, "---"), "punctuation.definition.front-matter.begin"));
  assert.ok(has(scopesOf(lines, 1, "coach"), "keyword.other.coach"));
  assert.ok(has(scopesOf(lines, 1, "Coach"), "entity.name.function.speaker.coach"));
  assert.ok(has(scopesOf(lines, 3, "date"), "variable.other.key"));
  assert.ok(has(scopesOf(lines, 5, "---"), "punctuation.definition.front-matter.end"));
  // [00:00:02] Coach: …   /   [00:00:09] Client: …
  assert.ok(has(scopesOf(lines, 7, "[00:00:02]"), "constant.numeric.timestamp"));
  assert.ok(has(scopesOf(lines, 7, "Coach"), "entity.name.function.speaker.coach"));
  assert.ok(has(scopesOf(lines, 8, "Client"), "entity.name.tag.speaker"));
  assert.ok(!has(scopesOf(lines, 8, "Client"), "entity.name.function.speaker.coach"));
  // The words spoken carry no label scope.
  const spoken = lines[7].find(([t]) => t.includes("last time"));
  assert.ok(spoken && !has(spoken[1], "entity.name"), JSON.stringify(spoken));
});

test("named speakers and the suppression comment", async () => {
  const g = await grammar();
  const text = [
    "Maya Chen: What would you like to focus on?",
    "# coachlint-disable-next-turn ADV001, judgment",
    "**Jordan:** The team.",
    "NOTE coachlint-disable",
    "# just a hash line",
  ].join("\n");
  const lines = tokenize(g, text);
  assert.ok(has(scopesOf(lines, 0, "Maya Chen"), "entity.name.tag.speaker"));
  assert.ok(has(scopesOf(lines, 1, "coachlint-disable-next-turn"), "keyword.control.directive.coachlint"));
  assert.ok(has(scopesOf(lines, 1, "ADV001"), "constant.language.rule-code"));
  assert.ok(has(scopesOf(lines, 1, "judgment"), "support.constant.rule-selector"));
  assert.ok(has(scopesOf(lines, 2, "Jordan"), "entity.name.tag.speaker"));
  assert.ok(has(scopesOf(lines, 3, "coachlint-disable"), "keyword.control.directive.coachlint"));
  assert.ok(!lines[4].some(([, s]) => has(s, "keyword.control.directive")));
});
