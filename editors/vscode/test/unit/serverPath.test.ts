import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { expandSetting, resolveServer } from "../../src/serverPath";

function tempTree() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "coachlint-path-"));
  const exe = (rel: string, mode = 0o755) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, "#!/bin/sh\n");
    fs.chmodSync(p, mode);
    return p;
  };
  return { root, exe };
}

test("the setting wins, then the bundled binary, then PATH", () => {
  const { root, exe } = tempTree();
  const custom = exe("custom/coachlint");
  const bundled = exe("ext/server/coachlint");
  const onPath = exe("bin/coachlint");
  const base = { extensionPath: path.join(root, "ext"), env: { PATH: `/nonexistent:${path.join(root, "bin")}` }, platform: "linux" as const };
  assert.deepEqual(resolveServer({ ...base, setting: custom }), { ok: true, command: custom, source: "setting" });
  assert.deepEqual(resolveServer({ ...base, setting: "" }), { ok: true, command: bundled, source: "bundled" });
  fs.rmSync(bundled);
  assert.deepEqual(resolveServer({ ...base, setting: "  " }), { ok: true, command: onPath, source: "path" });
});

test("a setting that points nowhere is an error naming the path, not a silent fallback", () => {
  const { root, exe } = tempTree();
  exe("bin/coachlint");
  const r = resolveServer({
    setting: "tools/coachlint",
    workspaceFolder: root,
    extensionPath: path.join(root, "ext"),
    env: { PATH: path.join(root, "bin") },
    platform: "linux",
  });
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.message.includes(path.join(root, "tools/coachlint")), JSON.stringify(r));
});

test("a bundled binary that lost its executable bit is made executable", () => {
  const { root, exe } = tempTree();
  const bundled = exe("ext/server/coachlint", 0o644);
  const r = resolveServer({ setting: "", extensionPath: path.join(root, "ext"), env: { PATH: "" }, platform: "linux" });
  assert.deepEqual(r, { ok: true, command: bundled, source: "bundled" });
  assert.ok(fs.statSync(bundled).mode & 0o100);
});

test("a file on PATH that is not executable does not count", () => {
  const { root, exe } = tempTree();
  exe("bin/coachlint", 0o644);
  const r = resolveServer({ setting: "", extensionPath: root, env: { PATH: path.join(root, "bin") }, platform: "linux" });
  assert.equal(r.ok, false);
  assert.ok(!r.ok && /not on PATH/.test(r.message));
});

test("relative, ~ and ${workspaceFolder} settings", () => {
  assert.equal(expandSetting("bin/coachlint", { workspaceFolder: "/ws" }), "/ws/bin/coachlint");
  assert.equal(expandSetting("${workspaceFolder}/target/debug/coachlint", { workspaceFolder: "/ws" }), "/ws/target/debug/coachlint");
  assert.equal(expandSetting("~/bin/coachlint", {}), path.join(os.homedir(), "bin/coachlint"));
  assert.equal(expandSetting("/abs/coachlint", { workspaceFolder: "/ws" }), "/abs/coachlint");
});
