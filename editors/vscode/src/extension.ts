// The coachlint extension: starts `coachlint lsp`, decides which documents it sees,
// shows the session summary in the status bar, opens session reports. All the
// linting, quick fixes, hovers, lenses and symbols come from the server.

import { execFile } from "node:child_process";
import * as crypto from "node:crypto";
import { existsSync } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  ErrorCodes,
  LanguageClient,
  type LanguageClientOptions,
  type Middleware,
  ResponseError,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";
import { coachLabels } from "./coachLabels";
import { type Resolution, resolveServer } from "./serverPath";
import { serverSettings } from "./settings";
import { type OtherFormats, shouldLint } from "./sniff";
import {
  isOutOfBalance,
  parseLensTitle,
  parseSessionSummary,
  SESSION_SUMMARY_METHOD,
  type SessionSummary,
  statusText,
  statusTooltip,
} from "./summary";

const LANGUAGE = "coaching-transcript";
/** Settings whose change needs a new server; the others only touch the UI. */
const SERVER_SETTINGS = [
  "server",
  "lintOtherFormats",
  "coach",
  "select",
  "ignore",
  "severity",
  "thresholds",
  "rulePacks",
  "inputFormat",
].map((k) => `coachlint.${k}`);

let coachlint: Coachlint | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  coachlint = new Coachlint(context);
  context.subscriptions.push(coachlint);
  await coachlint.start();
}

export async function deactivate(): Promise<void> {
  await coachlint?.stop();
}

/** Which documents the server sees: decided at open, and again while a pending one is edited. */
class Gate {
  /** URIs whose didOpen went to the server. */
  readonly opened = new Set<string>();
  /** Documents not (yet) linted, with the function that would open them on the server. */
  private readonly pending = new Map<string, (doc: vscode.TextDocument) => Promise<void>>();

  constructor(private readonly mode: () => OtherFormats) {}

  accepts(doc: vscode.TextDocument): boolean {
    return shouldLint(doc.languageId, doc.fileName, this.mode(), () => doc.getText());
  }

  has(doc: vscode.TextDocument): boolean {
    return this.opened.has(doc.uri.toString());
  }

  clear(): void {
    this.opened.clear();
    this.pending.clear();
  }

  middleware(): Middleware {
    return {
      didOpen: async (doc, next) => {
        const uri = doc.uri.toString();
        if (this.accepts(doc)) {
          this.opened.add(uri);
          return next(doc);
        }
        // A new .txt is empty until the transcript is pasted in: look again on edits.
        if (this.mode() === "auto") this.pending.set(uri, next);
      },
      didChange: async (event, next) => {
        const uri = event.document.uri.toString();
        if (this.opened.has(uri)) return next(event);
        const open = this.pending.get(uri);
        if (open && this.accepts(event.document)) {
          this.pending.delete(uri);
          this.opened.add(uri);
          return open(event.document);
        }
      },
      didClose: async (doc, next) => {
        const uri = doc.uri.toString();
        this.pending.delete(uri);
        if (this.opened.delete(uri)) return next(doc);
      },
      didSave: async (doc, next) => (this.has(doc) ? next(doc) : undefined),
      willSave: async (event, next) => (this.has(event.document) ? next(event) : undefined),
      provideCodeActions: (doc, range, context, token, next) =>
        this.has(doc) ? next(doc, range, context, token) : [],
      provideHover: (doc, position, token, next) => (this.has(doc) ? next(doc, position, token) : undefined),
      provideCodeLenses: (doc, token, next) => (this.has(doc) ? next(doc, token) : []),
      provideDocumentSymbols: (doc, token, next) => (this.has(doc) ? next(doc, token) : []),
      provideInlayHints: (doc, range, token, next) => (this.has(doc) ? next(doc, range, token) : []),
      provideFoldingRanges: (doc, context, token, next) => (this.has(doc) ? next(doc, context, token) : []),
    };
  }
}

class Coachlint implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private server: Resolution | undefined;
  private readonly output = vscode.window.createOutputChannel("coachlint", { log: true });
  private readonly status = vscode.window.createStatusBarItem("coachlint.summary", vscode.StatusBarAlignment.Right, 100);
  private readonly gate = new Gate(() => this.config().get<OtherFormats>("lintOtherFormats", "auto"));
  private readonly disposables: vscode.Disposable[] = [];
  private readonly reportPanels = new Map<string, vscode.WebviewPanel>();
  private summaryTimer: NodeJS.Timeout | undefined;
  /** The server answered MethodNotFound to `coachlint/sessionSummary`: read its code lens instead. */
  private summaryFromLens = false;
  private summarySeq = 0;

  /** `.coachlint.toml` changes, for the server; one watcher for every restart. */
  private readonly configWatcher = vscode.workspace.createFileSystemWatcher("**/.coachlint.toml");
  /** Sets the coach's labels apart by name, which the TextMate grammar cannot know. */
  private readonly labelsChanged = new vscode.EventEmitter<void>();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.status.name = "coachlint session summary";
    const legend = new vscode.SemanticTokensLegend(["coachSpeaker"], []);
    this.disposables.push(
      this.configWatcher,
      this.labelsChanged,
      vscode.languages.registerDocumentSemanticTokensProvider(
        { language: LANGUAGE },
        {
          onDidChangeSemanticTokens: this.labelsChanged.event,
          provideDocumentSemanticTokens: (doc) => {
            const tokens = new vscode.SemanticTokensBuilder(legend);
            for (const l of coachLabels(doc.getText(), this.config().get<string[]>("coach", []))) {
              tokens.push(l.line, l.start, l.length, 0, 0);
            }
            return tokens.build();
          },
        },
        legend,
      ),
    );
    this.status.command = "coachlint.openReport";
    this.disposables.push(
      this.output,
      this.status,
      vscode.commands.registerCommand("coachlint.restartServer", () => this.restart()),
      vscode.commands.registerCommand("coachlint.openReport", (uri?: vscode.Uri) => this.openReport(uri)),
      vscode.commands.registerCommand("coachlint.showOutput", () => this.output.show()),
      vscode.commands.registerCommand("coachlint.showInstallHelp", () => this.showInstallHelp()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("coachlint.coach")) this.labelsChanged.fire();
        if (SERVER_SETTINGS.some((k) => e.affectsConfiguration(k))) void this.restart();
        else if (e.affectsConfiguration("coachlint")) this.scheduleSummary(0);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.scheduleSummary(0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.scheduleSummary(400);
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.scheduleSummary(50);
      }),
    );
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration("coachlint");
  }

  private workspaceFolder(): string | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file")?.uri.fsPath;
  }

  private resolve(): Resolution {
    return resolveServer({
      setting: this.config().get<string>("server.path", ""),
      extensionPath: this.context.extensionPath,
      workspaceFolder: this.workspaceFolder(),
      env: process.env,
      platform: process.platform,
    });
  }

  async start(): Promise<void> {
    this.server = this.resolve();
    if (!this.server.ok) {
      this.output.error(this.server.message);
      this.showStatus("$(error) coachlint", `${this.server.message}\nClick for the install instructions.`, true);
      this.status.command = "coachlint.showInstallHelp";
      void this.offerInstallHelp(this.server.message);
      return;
    }
    this.status.command = "coachlint.openReport";
    const command = this.server.command;
    this.output.info(`Starting ${command} lsp (found from ${this.server.source})`);

    const cfg = this.config();
    const { settings, problems } = serverSettings(
      (k) => {
        const v = cfg.inspect(k);
        // Only values the user set: defaults stay with .coachlint.toml.
        return v?.workspaceFolderValue ?? v?.workspaceValue ?? v?.globalValue;
      },
      (p) => {
        const ws = this.workspaceFolder();
        return path.isAbsolute(p) || !ws ? p : path.join(ws, p);
      },
    );
    for (const p of problems) this.output.warn(p);

    const extraEnv = cfg.get<Record<string, string>>("server.extraEnv", {});
    const serverOptions: ServerOptions = {
      command,
      args: ["lsp"],
      options: { env: { ...process.env, ...extraEnv } },
    };
    const other = cfg.get<OtherFormats>("lintOtherFormats", "auto");
    const documentSelector: LanguageClientOptions["documentSelector"] = [{ language: LANGUAGE }];
    if (other !== "off") {
      for (const scheme of ["file", "untitled"]) {
        documentSelector.push({ scheme, pattern: "**/*.{vtt,VTT,srt,SRT,txt,TXT}" });
      }
    }
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      initializationOptions: settings,
      outputChannel: this.output,
      middleware: this.gate.middleware(),
      synchronize: { fileEvents: this.configWatcher },
    };
    this.gate.clear();
    this.summaryFromLens = false;
    const client = new LanguageClient("coachlint", "coachlint", serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped) this.status.hide();
      if (e.newState === State.Running) this.scheduleSummary(0);
    });
    try {
      await client.start();
    } catch (err) {
      this.output.error(`The coachlint language server did not start: ${String(err)}`);
      void vscode.window
        .showErrorMessage(`coachlint: the language server (${command}) did not start. ${String(err)}`, "Show Output")
        .then((choice) => choice && this.output.show());
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.gate.clear();
    if (client && client.state !== State.Stopped) {
      try {
        await client.stop(2000);
      } catch (err) {
        this.output.warn(`Stopping the server: ${String(err)}`);
      }
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private async offerInstallHelp(message: string): Promise<void> {
    const install = "Install Instructions";
    const setPath = "Set Server Path";
    const choice = await vscode.window.showErrorMessage(`coachlint: ${message}`, install, setPath);
    if (choice === install) await vscode.commands.executeCommand("coachlint.showInstallHelp");
    if (choice === setPath) await vscode.commands.executeCommand("workbench.action.openSettings", "coachlint.server.path");
  }

  showInstallHelp(): Thenable<unknown> {
    // vsce stores the README as readme.md; a development checkout has README.md.
    const name = ["README.md", "readme.md"].find((n) => existsSync(path.join(this.context.extensionPath, n)));
    if (!name) {
      return vscode.window.showErrorMessage(
        "coachlint: install the binary with `cargo install --path .` in the coachlint repository, or set coachlint.server.path.",
      );
    }
    return vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.joinPath(this.context.extensionUri, name));
  }

  // --- status bar -----------------------------------------------------------------

  private showStatus(text: string, tooltip: string, warning: boolean): void {
    this.status.text = text;
    this.status.tooltip = tooltip;
    this.status.backgroundColor = warning ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    this.status.show();
  }

  private scheduleSummary(delayMs: number): void {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = setTimeout(() => void this.updateSummary(), delayMs);
  }

  private async updateSummary(): Promise<void> {
    const seq = ++this.summarySeq;
    const doc = vscode.window.activeTextEditor?.document;
    const client = this.client;
    if (!this.server?.ok) return;
    if (!this.config().get<boolean>("statusBar.enable", true) || !doc || !client || !client.isRunning() || !this.gate.has(doc)) {
      this.status.hide();
      return;
    }
    let summary: SessionSummary | undefined;
    try {
      summary = await this.fetchSummary(client, doc);
    } catch (err) {
      this.output.debug(`Session summary: ${String(err)}`);
    }
    // A newer update started meanwhile, or the editor moved on.
    if (seq !== this.summarySeq || vscode.window.activeTextEditor?.document !== doc) return;
    if (!summary) {
      this.status.hide();
      return;
    }
    const cfg = this.config();
    const maxShare = cfg.get<number | null>("thresholds.maxTalkShare") ?? 0.5;
    const minRatio = cfg.get<number | null>("thresholds.minQuestionRatio") ?? 1.0;
    this.showStatus(statusText(summary), statusTooltip(summary, maxShare, minRatio), isOutOfBalance(summary, maxShare, minRatio));
  }

  private async fetchSummary(client: LanguageClient, doc: vscode.TextDocument): Promise<SessionSummary | undefined> {
    const textDocument = { uri: client.code2ProtocolConverter.asUri(doc.uri) };
    if (!this.summaryFromLens) {
      try {
        return parseSessionSummary(await client.sendRequest(SESSION_SUMMARY_METHOD, { textDocument }));
      } catch (err) {
        if (!(err instanceof ResponseError && err.code === ErrorCodes.MethodNotFound)) throw err;
        this.output.info(`The server has no ${SESSION_SUMMARY_METHOD} request; reading its summary code lens instead.`);
        this.summaryFromLens = true;
      }
    }
    const lenses = (await client.sendRequest("textDocument/codeLens", { textDocument })) as
      | { command?: { title?: string } }[]
      | null;
    for (const lens of lenses ?? []) {
      const s = lens.command?.title ? parseLensTitle(lens.command.title) : undefined;
      if (s) return s;
    }
    return undefined;
  }

  // --- session report ---------------------------------------------------------------

  private async openReport(uri?: vscode.Uri): Promise<void> {
    if (!this.server?.ok) {
      await this.offerInstallHelp(this.server?.message ?? "The coachlint binary was not found.");
      return;
    }
    const doc = uri
      ? await vscode.workspace.openTextDocument(uri)
      : vscode.window.activeTextEditor?.document;
    if (!doc) {
      void vscode.window.showWarningMessage("coachlint: open a transcript to see its session report.");
      return;
    }
    const dir = path.join(this.context.globalStorageUri.fsPath, "reports");
    await fs.mkdir(dir, { recursive: true });
    const key = crypto.createHash("sha256").update(doc.uri.toString()).digest("hex").slice(0, 16);
    let file = doc.uri.fsPath;
    if (doc.isUntitled || doc.uri.scheme !== "file") {
      // An unsaved transcript: report on its text as it is now.
      file = path.join(dir, `${key}.transcript`);
      await fs.writeFile(file, doc.getText());
    } else if (doc.isDirty) {
      await doc.save();
    }
    const out = path.join(dir, `${key}.html`);
    const command = this.server.command;
    const title = `Session report: ${path.basename(doc.fileName)}`;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `coachlint: writing the report of ${path.basename(doc.fileName)}` },
      async () => {
        const result = await run(command, ["report", file, "-o", out], path.dirname(file));
        if (result.code !== 0) {
          const why = result.stderr.trim() || `exit code ${result.code}`;
          this.output.error(`coachlint report ${file}: ${why}`);
          void vscode.window
            .showErrorMessage(`coachlint report failed: ${why.split("\n")[0]}`, "Show Output")
            .then((c) => c && this.output.show());
          return;
        }
        this.output.info(`Report written to ${out}`);
        this.showReport(doc.uri.toString(), title, await fs.readFile(out, "utf8"));
      },
    );
  }

  private showReport(key: string, title: string, html: string): void {
    let panel = this.reportPanels.get(key);
    if (!panel) {
      panel = vscode.window.createWebviewPanel("coachlint.report", title, vscode.ViewColumn.Beside, {
        enableScripts: false,
        enableFindWidget: true,
      });
      panel.onDidDispose(() => this.reportPanels.delete(key));
      this.reportPanels.set(key, panel);
    }
    panel.title = title;
    // The report is self-contained (inline CSS and SVG): nothing else may load.
    const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:;">`;
    panel.webview.html = /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => `${h}${csp}`) : `${csp}${html}`;
    panel.reveal(undefined, true);
  }

  dispose(): void {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    for (const p of this.reportPanels.values()) p.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stderr: stderr || (err && typeof err.code !== "number" ? err.message : "") });
    });
  });
}
