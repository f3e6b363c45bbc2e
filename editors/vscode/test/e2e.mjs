// Real-editor test of the VS Code extension: installs the .vsix into code-server
// (VS Code served to a browser), drives it with Playwright in Debian's headless
// Chromium, and checks what a coach sees: the language mode, findings in the Problems
// panel, the status bar summary, a rephrase quick fix changing the text, the report.
//
//   npm run package -- --server …/coachlint --out coachlint-bundled.vsix
//   CODE_SERVER=…/code-server VSIX=coachlint-bundled.vsix node test/e2e.mjs
//
// The .vsix carries the server (as a coach installing a release would get it) and
// `coachlint` is kept off PATH, so the bundled binary is what runs.
//
// Every wait polls a condition with a timeout; nothing sleeps to synchronise.
// Screenshots of each step go to $E2E_ARTIFACTS (default: a temp dir, printed).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const extRoot = path.resolve(here, "..");
const fixtures = path.resolve(extRoot, "../fixtures");
const CODE_SERVER = process.env.CODE_SERVER ?? "code-server";
const VSIX = path.resolve(process.env.VSIX ?? path.join(extRoot, "coachlint.vsix"));
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coachlint-e2e-"));
const artifacts = process.env.E2E_ARTIFACTS ?? path.join(tmp, "artifacts");
fs.mkdirSync(artifacts, { recursive: true });
const userData = path.join(tmp, "user-data");
const extensions = path.join(tmp, "extensions");
const workspace = path.join(tmp, "sessions");
const csConfig = path.join(tmp, "code-server.yaml");

function log(msg) {
  process.stdout.write(`${msg}\n`);
}

async function poll(what, fn, timeout = TIMEOUT, every = 100) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// --- setup ---------------------------------------------------------------------

function prepare() {
  if (!fs.existsSync(VSIX)) throw new Error(`missing ${VSIX}`);
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(csConfig, "bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n");
  for (const f of ["advice-heavy.transcript", "advice-heavy.otter.txt", "good-coaching.transcript"]) {
    fs.copyFileSync(path.join(fixtures, f), path.join(workspace, f));
  }
  fs.writeFileSync(path.join(workspace, "shopping.txt"), "Shopping list\nNote: milk\neggs\nbread\nTODO: call Sam back\n");
  const settings = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.welcomePage.walkthroughs.openOnInstall": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "chat.disableAIFeatures": true,
    "editor.codeLens": true,
    "files.autoSave": "off",
    "workbench.secondarySideBar.defaultVisibility": "hidden",
  };
  fs.writeFileSync(path.join(userData, "User", "settings.json"), JSON.stringify(settings, null, 2));
  const common = ["--user-data-dir", userData, "--extensions-dir", extensions, "--config", csConfig];
  const r = spawnSync(CODE_SERVER, ["--install-extension", VSIX, ...common], { encoding: "utf8", timeout: 120_000 });
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) throw new Error(`installing ${VSIX} failed:\n${out}`);
  return common;
}

function pathWithoutCoachlint() {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => dir && !fs.existsSync(path.join(dir, "coachlint")))
    .join(path.delimiter);
}

async function startCodeServer(common) {
  const port = await freePort();
  const logFile = path.join(artifacts, "code-server.log");
  const logStream = fs.openSync(logFile, "w");
  const child = spawn(
    CODE_SERVER,
    ["--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override", ...common, workspace],
    // No marketplace: the test never leaves this machine. No coachlint on PATH: the
    // extension must use the binary bundled in it.
    { stdio: ["ignore", logStream, logStream], detached: true, env: { ...process.env, PATH: pathWithoutCoachlint(), EXTENSIONS_GALLERY: '{"serviceUrl":""}' } },
  );
  const url = `http://127.0.0.1:${port}`;
  await poll("code-server to answer", async () => {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    const r = await fetch(`${url}/healthz`);
    return r.ok;
  });
  return { child, url };
}

// --- the checks ------------------------------------------------------------------

const results = [];
let shot = 0;

async function screenshot(page, name) {
  const file = path.join(artifacts, `${String(++shot).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file }).catch(() => {});
  return file;
}

async function check(page, name, fn) {
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    log(`ok - ${name}${detail ? ` (${detail})` : ""}`);
    await screenshot(page, name.replace(/\W+/g, "-").slice(0, 50));
    return true;
  } catch (e) {
    results.push({ name, ok: false });
    const file = await screenshot(page, `FAILED-${name.replace(/\W+/g, "-").slice(0, 40)}`);
    log(`not ok - ${name}\n  ${String(e?.stack ?? e).split("\n").join("\n  ")}\n  screenshot: ${file}`);
    return false;
  }
}

async function runCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: TIMEOUT });
  await input.fill(`>${title}`);
  const row = page.locator(".quick-input-list .monaco-list-row.focused", { hasText: title }).first();
  await row.waitFor({ state: "visible", timeout: TIMEOUT });
  await page.keyboard.press("Enter");
}

async function openFile(page, name) {
  // The file's own tab, not the report's ("Session report: NAME").
  const isTab = { hasText: name, hasNotText: "Session report" };
  const tab = page.locator(".tabs-container .tab", isTab).first();
  if (await tab.count()) {
    // Already open: click its tab (keys typed while a webview has the focus stay there).
    await tab.click();
  } else {
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: TIMEOUT });
    await input.fill(name);
    // Enter opens the focused row: wait until filtering has put the file there.
    await page.locator(".quick-input-list .monaco-list-row.focused", { hasText: name }).first().waitFor({ timeout: TIMEOUT });
    await page.keyboard.press("Enter");
  }
  await page.locator(".editor-group-container.active .tab.active", isTab).waitFor({ timeout: TIMEOUT });
  // The editor has the focus once its cursor is drawn.
  await page.locator(".editor-instance .monaco-editor.focused").first().waitFor({ timeout: TIMEOUT });
}

/** The rows of the Problems panel, as text. */
async function problemRows(page) {
  return page.locator(".markers-panel .monaco-list-row").allInnerTexts();
}

function lineOf(file, needle) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return { line: i + 1, text: lines[i] };
}

async function main() {
  const common = prepare();
  log(`code-server: ${CODE_SERVER}\nextension: ${VSIX}\nartifacts: ${artifacts}`);
  const { child, url } = await startCodeServer(common);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    page.setDefaultTimeout(TIMEOUT);
    const transcript = path.join(workspace, "advice-heavy.transcript");
    const target = "You should definitely go for it.";
    const { line: targetLine } = lineOf(transcript, target);

    await check(page, "the workbench loads with the workspace", async () => {
      await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator(".monaco-workbench").waitFor({ timeout: TIMEOUT });
      await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "advice-heavy.transcript" }).waitFor({ timeout: TIMEOUT });
    });

    const opened = await check(page, "a .transcript opens in the Coaching Transcript language", async () => {
      const openedAt = Date.now();
      await openFile(page, "advice-heavy.transcript");
      const mode = page.locator('[id="status.editor.mode"]');
      await poll("the language mode", async () => /Coaching Transcript/.test(await mode.innerText()));
      // A figure, not an assertion: from opening the file to the first findings counted in
      // the status bar (this includes starting the server).
      const problems = page.locator('[id="status.problems"]');
      await poll("findings counted in the status bar", async () => /[1-9]/.test(await problems.innerText()));
      return `${await mode.innerText()}; findings ${Date.now() - openedAt} ms after opening the file`;
    });
    if (!opened) throw new Error("cannot go on without the transcript open");

    // Token colours come from the theme; the coach's label must differ from the client's.
    const colourOf = async (word, stamp) => {
      // The label on the turn stamped `stamp`, not the name in the front matter.
      // Monaco renders spaces as no-break spaces.
      const pattern = new RegExp(`^${word.replace(/ /g, "\\s")}$`);
      const line = page.locator(".view-lines .view-line", { hasText: stamp }).first();
      const span = line.locator("span span", { hasText: pattern }).first();
      await span.waitFor({ timeout: TIMEOUT });
      return span.evaluate((el) => getComputedStyle(el).color);
    };
    await check(page, "the coach's label is coloured apart from the client's", async () => {
      const coach = await colourOf("Coach", "[00:00:02]");
      const client = await colourOf("Client", "[00:00:09]");
      if (coach === client) throw new Error(`both labels are ${coach}`);
      return `coach ${coach}, client ${client}`;
    });

    await check(page, "a coach with a name (front matter) is set apart too", async () => {
      await openFile(page, "good-coaching.transcript");
      // The extension's semantic tokens arrive after the grammar's colours: poll.
      const [coach, client] = await poll("the coach's label to change colour", async () => {
        const pair = [await colourOf("Maya Chen", "[00:00:02]"), await colourOf("Jordan Ellis", "[00:00:09]")];
        return pair[0] !== pair[1] ? pair : undefined;
      });
      await openFile(page, "advice-heavy.transcript");
      return `Maya Chen ${coach}, Jordan Ellis ${client}`;
    });

    await check(page, "findings appear in the Problems panel", async () => {
      await page.keyboard.press("Control+Shift+M");
      await page.locator(".markers-panel").waitFor({ timeout: TIMEOUT });
      const rows = await poll("coachlint problems", async () => {
        const r = await problemRows(page);
        return r.filter((t) => /coachlint/.test(t)).length >= 3 ? r : undefined;
      });
      const ours = rows.filter((t) => /coachlint/.test(t));
      if (!ours.some((t) => /ADV\d{3}/.test(t))) throw new Error(`no advice finding among:\n${ours.join("\n")}`);
      if (!ours.some((t) => new RegExp(`Ln ${targetLine}\\b`).test(t))) throw new Error(`nothing on line ${targetLine}:\n${ours.join("\n")}`);
      return `${ours.length} findings`;
    });

    await check(page, "the status bar shows the coach's talk share and question ratio", async () => {
      const item = page.locator(".statusbar-item", { hasText: /Coach \d+%/ }).first();
      await item.waitFor({ timeout: TIMEOUT });
      const text = await item.innerText();
      if (!/Coach \d+% · Q\/S (\d+\.\d|–)/.test(text)) throw new Error(`status text: ${text}`);
      return text.trim();
    });

    await check(page, "a rephrase quick fix turns the advice into a question", async () => {
      const before = lineOf(transcript, target).text;
      // Go to the finding from the Problems panel, as a coach would.
      const row = page.locator(".markers-panel .monaco-list-row", { hasText: new RegExp(`Ln ${targetLine}\\b`) }).first();
      // A double click moves the focus to the editor, at the finding.
      await row.dblclick();
      await page.locator(".editor-instance .monaco-editor.focused").first().waitFor({ timeout: TIMEOUT });
      const menu = page.locator(".action-widget").filter({ visible: true });
      // On a loaded machine a key press can land before the editor takes
      // it: pressed again until the menu opens, as a user would.
      await poll(
        "the quick-fix menu",
        async () => {
          if (await menu.isVisible()) return true;
          await page.keyboard.press("Control+.");
          await menu.waitFor({ state: "visible", timeout: 5_000 });
          return true;
        },
        TIMEOUT,
      );
      const items = menu.locator(".monaco-list-row.action");
      await items.first().waitFor({ timeout: TIMEOUT });
      const titles = await items.allInnerTexts();
      // A rephrasing is an open question: its title carries the question.
      const index = titles.findIndex((t) => t.includes("?"));
      if (index < 0) throw new Error(`no rephrasing among the quick fixes:\n${titles.join("\n")}`);
      await items.nth(index).click();
      await page.keyboard.press("Control+S");
      const after = await poll("the saved file to change", async () => {
        const now = lineOf(transcript, "[00:00:16]").text;
        return now !== before ? now : undefined;
      });
      if (after.includes(target)) throw new Error(`advice still there: ${after}`);
      if (!after.startsWith("[00:00:16] Coach: ")) throw new Error(`label damaged: ${after}`);
      if (!after.includes("?")) throw new Error(`no question: ${after}`);
      return `"${titles[index].trim()}" -> ${after}`;
    });

    await check(page, "an Otter .txt export that looks like a transcript is linted", async () => {
      await openFile(page, "advice-heavy.otter.txt");
      const mode = await page.locator('[id="status.editor.mode"]').innerText();
      if (/Coaching Transcript/.test(mode)) throw new Error("the .txt was taken over by the transcript language");
      await poll("problems for the .txt", async () =>
        page.locator(".markers-panel .monaco-list-row", { hasText: "advice-heavy.otter.txt" }).count(),
      );
      return `language mode stays ${mode.trim()}`;
    });

    await check(page, "a text file that is not a transcript gets no findings", async () => {
      await openFile(page, "shopping.txt");
      // The status bar summary is only shown for linted documents: it goes away.
      await poll("the summary to hide", async () => (await page.locator(".statusbar-item", { hasText: /Coach \d+%/ }).count()) === 0);
      const rows = await problemRows(page);
      if (rows.some((t) => t.includes("shopping.txt"))) throw new Error(`findings for shopping.txt:\n${rows.join("\n")}`);
    });

    await check(page, "the command opens the session report", async () => {
      await openFile(page, "advice-heavy.transcript");
      await runCommand(page, "coachlint: Open Session Report");
      await page.locator(".tabs-container .tab", { hasText: "Session report: advice-heavy.transcript" }).waitFor({ timeout: TIMEOUT });
      const text = await poll("the report's text in the webview", async () => {
        // The webview's own frame, not the workbench around it.
        for (const frame of page.frames().filter((f) => /webview/i.test(f.url()) && f !== page.mainFrame())) {
          const body = await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "");
          if (/Coach/.test(body) && /Client/.test(body) && /talk share/i.test(body)) return body;
        }
        return undefined;
      });
      return `${text.length} characters of report`;
    });

    await check(page, "the restart command brings the server back", async () => {
      await openFile(page, "advice-heavy.transcript");
      await runCommand(page, "coachlint: Restart Language Server");
      await poll("findings after the restart", async () => (await problemRows(page)).filter((t) => /coachlint/.test(t)).length >= 3);
    });

    await check(page, "a setting reaches the server: ignoring MNT001 clears those findings", async () => {
      const mnt001 = async () => (await problemRows(page)).filter((t) => /MNT001/.test(t)).length;
      await poll("MNT001 findings before", async () => (await mnt001()) > 0);
      // As a coach would through the Settings UI: the workspace's settings.json.
      fs.mkdirSync(path.join(workspace, ".vscode"), { recursive: true });
      fs.writeFileSync(path.join(workspace, ".vscode", "settings.json"), JSON.stringify({ "coachlint.ignore": ["MNT001"] }));
      // The server restarts with the setting; the other findings come back without MNT001.
      await poll("the MNT001 findings to go", async () => (await mnt001()) === 0 && (await problemRows(page)).some((t) => /ADV0\d\d/.test(t)));
    });

    await check(page, "editing .coachlint.toml re-lints the open transcript", async () => {
      const jdg001 = async () => (await problemRows(page)).filter((t) => /JDG001/.test(t)).length;
      await poll("JDG001 findings before", async () => (await jdg001()) > 0);
      fs.writeFileSync(path.join(workspace, ".coachlint.toml"), 'ignore = ["JDG001"]\n');
      await poll("the JDG001 findings to go", async () => (await jdg001()) === 0 && (await problemRows(page)).some((t) => /ADV0\d\d/.test(t)));
    });

    await check(page, "a server path that points nowhere says so and links to the install instructions", async () => {
      fs.mkdirSync(path.join(workspace, ".vscode"), { recursive: true });
      fs.writeFileSync(
        path.join(workspace, ".vscode", "settings.json"),
        JSON.stringify({ "coachlint.server.path": "/nonexistent/coachlint" }),
      );
      const toast = page.locator(".notification-toast", { hasText: "/nonexistent/coachlint" }).first();
      await toast.waitFor({ timeout: TIMEOUT });
      const message = await toast.locator(".notification-list-item-message").innerText();
      await toast.locator(".monaco-button", { hasText: "Install Instructions" }).click();
      await page.locator(".tabs-container .tab", { hasText: "README" }).first().waitFor({ timeout: TIMEOUT });
      await poll("the install instructions in the preview", async () => {
        for (const frame of page.frames().filter((f) => /webview/i.test(f.url()) && f !== page.mainFrame())) {
          const body = await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "");
          if (body.includes("Installing the server")) return true;
        }
        return false;
      });
      return message;
    });
  } finally {
    await browser.close().catch(() => {});
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
  }
}

let fatal;
try {
  await main();
} catch (e) {
  fatal = e;
  log(`not ok - setup\n  ${String(e?.stack ?? e).split("\n").join("\n  ")}`);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (fatal ? 1 : 0);
log(`\nvscode: ${passed} passed, ${failed} failed`);
if (failed === 0 && !process.env.E2E_ARTIFACTS) fs.rmSync(tmp, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);
