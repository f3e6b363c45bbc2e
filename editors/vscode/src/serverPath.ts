// Finding the `coachlint` binary: the `coachlint.server.path` setting, then a binary
// bundled in the extension (`server/coachlint`, put there by `npm run package --
// --server PATH`), then `PATH`. No `vscode` import: unit-tested.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type ServerSource = "setting" | "bundled" | "path";

export type Resolution =
  | { ok: true; command: string; source: ServerSource }
  | { ok: false; message: string };

export interface Where {
  /** `coachlint.server.path`, possibly empty. */
  setting: string;
  extensionPath: string;
  /** The first workspace folder, for a relative setting. */
  workspaceFolder?: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

export function exeName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "coachlint.exe" : "coachlint";
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== "win32") fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `~`, `${userHome}` and `${workspaceFolder}` expanded; relative to the workspace. */
export function expandSetting(setting: string, where: Pick<Where, "workspaceFolder">): string {
  let p = setting.trim();
  p = p.replace(/^~(?=$|[\\/])/, os.homedir()).replace(/\$\{userHome\}/g, os.homedir());
  if (where.workspaceFolder) p = p.replace(/\$\{workspaceFolder\}/g, where.workspaceFolder);
  if (!path.isAbsolute(p) && where.workspaceFolder) p = path.join(where.workspaceFolder, p);
  return p;
}

/** The first `coachlint` on `PATH` (with `PATHEXT` on Windows). */
export function onPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const sep = platform === "win32" ? ";" : ":";
  const dirs = (env.PATH ?? env.Path ?? "").split(sep).filter(Boolean);
  const exts = platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, "coachlint" + ext.toLowerCase());
      if (isExecutable(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

export function resolveServer(where: Where): Resolution {
  if (where.setting.trim() !== "") {
    const p = expandSetting(where.setting, where);
    if (isExecutable(p, where.platform)) return { ok: true, command: p, source: "setting" };
    return {
      ok: false,
      message: `coachlint.server.path is set to "${where.setting}", but ${p} is not an executable file.`,
    };
  }
  const bundled = path.join(where.extensionPath, "server", exeName(where.platform));
  if (!isExecutable(bundled, where.platform) && fs.existsSync(bundled)) {
    // An unpacker that dropped the executable bit: the file is ours to fix.
    try {
      fs.chmodSync(bundled, 0o755);
    } catch {
      // Read-only install: fall through to PATH.
    }
  }
  if (isExecutable(bundled, where.platform)) return { ok: true, command: bundled, source: "bundled" };
  const found = onPath(where.env, where.platform);
  if (found) return { ok: true, command: found, source: "path" };
  return {
    ok: false,
    message:
      "The coachlint language server was not found: coachlint.server.path is empty, the extension has no bundled binary, and `coachlint` is not on PATH.",
  };
}
