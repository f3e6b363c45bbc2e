// VS Code settings -> the server's `initializationOptions`, which the server reads as
// `coachlint_core::Settings` (kebab-case keys, unknown keys rejected). Only what the
// user set is sent, so `.coachlint.toml` keeps the rest: the server layers these
// settings over the file (`Config::layered`). No `vscode` import: unit-tested.

export type Severity = "error" | "warning" | "information" | "hint";

/** `coachlint_core::Settings` as JSON. */
export interface ServerSettings {
  coach?: string[];
  select?: string[];
  ignore?: string[];
  severity?: Record<string, Severity>;
  thresholds?: Record<string, number>;
  "rule-packs"?: string[];
  "input-format"?: string;
}

/** Reads one `coachlint.*` setting; `undefined` when not set anywhere. */
export type Get = (key: string) => unknown;

/** VS Code setting (under `coachlint.thresholds.`) -> `[thresholds]` key. */
export const THRESHOLDS: ReadonlyArray<[string, string]> = [
  ["minQuestionRatio", "min-question-ratio"],
  ["maxTalkShare", "max-talk-share"],
  ["maxMonologueWords", "max-monologue-words"],
  ["noQuestionRun", "no-question-run"],
  ["stackedQuestions", "stacked-questions"],
  ["closedQuestionRun", "closed-question-run"],
  ["agreementWindow", "agreement-window"],
];

/** Thresholds that are counts (`usize` in the engine): fractions are rejected there. */
const FRACTIONAL = new Set(["min-question-ratio", "max-talk-share"]);

const SEVERITIES = new Set<string>(["error", "warning", "information", "hint"]);

function strings(v: unknown): string[] {
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === "string" && x.trim() !== "").map((x) => x.trim())
    : [];
}

/**
 * The settings to send, and the problems with what the user wrote (reported in the
 * output channel, never thrown: one bad value must not stop the linting).
 */
export function serverSettings(
  get: Get,
  resolvePath: (p: string) => string = (p) => p,
): { settings: ServerSettings; problems: string[] } {
  const settings: ServerSettings = {};
  const problems: string[] = [];
  for (const key of ["coach", "select", "ignore"] as const) {
    const list = strings(get(key));
    if (list.length > 0) settings[key] = list;
  }
  const severity = get("severity");
  if (severity && typeof severity === "object") {
    const out: Record<string, Severity> = {};
    for (const [sel, sev] of Object.entries(severity as Record<string, unknown>)) {
      const s = typeof sev === "string" ? sev.toLowerCase() : "";
      const norm = s === "info" ? "information" : s === "warn" ? "warning" : s;
      if (SEVERITIES.has(norm)) out[sel] = norm as Severity;
      else problems.push(`coachlint.severity: "${sel}" has ${JSON.stringify(sev)}; expected error, warning, information or hint`);
    }
    if (Object.keys(out).length > 0) settings.severity = out;
  }
  const thresholds: Record<string, number> = {};
  for (const [name, key] of THRESHOLDS) {
    const v = get(`thresholds.${name}`);
    if (v === undefined || v === null) continue;
    const ok =
      typeof v === "number" && Number.isFinite(v) && v >= 0 && (FRACTIONAL.has(key) || Number.isInteger(v));
    if (ok) thresholds[key] = v;
    else
      problems.push(
        `coachlint.thresholds.${name}: ${JSON.stringify(v)} is not a non-negative ${FRACTIONAL.has(key) ? "number" : "whole number"}`,
      );
  }
  if (Object.keys(thresholds).length > 0) settings.thresholds = thresholds;
  const packs = strings(get("rulePacks")).map(resolvePath);
  if (packs.length > 0) settings["rule-packs"] = packs;
  const format = get("inputFormat");
  if (typeof format === "string" && format !== "") settings["input-format"] = format;
  return { settings, problems };
}
