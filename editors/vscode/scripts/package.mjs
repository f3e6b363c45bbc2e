// Packages the extension as a .vsix (one command: `npm run package`).
//   npm run package                                   -> coachlint.vsix (finds coachlint on PATH)
//   npm run package -- --server ../../target/release/coachlint
//                                                     -> coachlint-<platform>-<arch>.vsix with the
//                                                        server bundled in server/
//   options: --target linux-x64 (VS Code platform of a bundled server), --out FILE
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

const server = opt("server");
const serverDir = path.join(root, "server");
rmSync(serverDir, { recursive: true, force: true });
let target = opt("target");
if (server) {
  const src = path.resolve(process.cwd(), server);
  if (!existsSync(src) || !statSync(src).isFile()) fail(`--server ${server}: no such file (build it with cargo build --release)`);
  // VS Code's platform names: linux-x64, linux-arm64, darwin-arm64, win32-x64, …
  target ??= `${process.platform}-${process.arch}`;
  const exe = target.startsWith("win32") ? "coachlint.exe" : "coachlint";
  mkdirSync(serverDir, { recursive: true });
  copyFileSync(src, path.join(serverDir, exe));
  chmodSync(path.join(serverDir, exe), 0o755);
}
const out = path.resolve(process.cwd(), opt("out") ?? path.join(root, target ? `coachlint-${target}.vsix` : "coachlint.vsix"));
const vsce = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
if (!existsSync(vsce)) fail("run `npm ci` first: @vscode/vsce is not installed");
const vsceArgs = ["package", "--no-dependencies", "--allow-missing-repository", "--out", out];
if (target) vsceArgs.push("--target", target);
const r = spawnSync(vsce, vsceArgs, { cwd: root, stdio: "inherit" });
// The copy only lives inside the .vsix.
rmSync(serverDir, { recursive: true, force: true });
if (r.status !== 0) fail(`vsce exited with ${r.status ?? r.signal}`);
console.log(out);
