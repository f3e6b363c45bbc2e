// The session summary shown in the status bar: the coach's talk share and question
// ratio. It comes from the server's `coachlint/sessionSummary` request; a server
// without that request still shows its summary as a code lens, whose title is read
// instead. No `vscode` import: unit-tested.

export const SESSION_SUMMARY_METHOD = "coachlint/sessionSummary";

export interface SessionSummary {
  /** Coach share of the words spoken, 0–1. */
  coachTalkShare: number;
  /** Coach questions per coach statement; null when the coach made no statement. */
  questionRatio: number | null;
  openQuestionShare?: number | null;
  coach?: string[];
  coachSource?: string;
  findings?: number;
}

function num(v: unknown): number | null | undefined {
  if (v === null) return null;
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/**
 * Reads the request's result: camelCase fields at the top, or the engine's
 * `Metrics` (snake_case) under `metrics`. `undefined` when it is not a summary.
 */
export function parseSessionSummary(result: unknown): SessionSummary | undefined {
  if (!result || typeof result !== "object") return undefined;
  const r = result as Record<string, unknown>;
  const m = (r.metrics && typeof r.metrics === "object" ? r.metrics : {}) as Record<string, unknown>;
  const share = num(r.coachTalkShare) ?? num(m.coach_talk_share);
  if (typeof share !== "number") return undefined;
  const ratio = num(r.questionRatio) ?? num(m.question_ratio) ?? null;
  const open = num(r.openQuestionShare) ?? num(m.open_question_share);
  const coach = Array.isArray(r.coach) ? r.coach.filter((c): c is string => typeof c === "string") : undefined;
  const source = r.coachSource ?? r.coach_source;
  const findings = num(r.findings);
  return {
    coachTalkShare: share,
    questionRatio: ratio,
    openQuestionShare: open,
    coach,
    coachSource: typeof source === "string" ? source : undefined,
    findings: typeof findings === "number" ? findings : undefined,
  };
}

/**
 * Reads the server's summary code lens title: "coach talk 62% · 0.4 questions per
 * statement · 50% open · advising 5, coaching 2" (or "3 questions, no statements").
 * `undefined` when the title carries no talk share.
 */
export function parseLensTitle(title: string): SessionSummary | undefined {
  const share = /coach talk(?:[\s-]*share)?\D{0,5}?(\d+(?:\.\d+)?)\s*%/i.exec(title);
  if (!share) return undefined;
  const ratio = /(\d+(?:\.\d+)?) questions? per statement/i.exec(title);
  const open = /(\d+(?:\.\d+)?)\s*% open/i.exec(title);
  return {
    coachTalkShare: Number(share[1]) / 100,
    questionRatio: ratio ? Number(ratio[1]) : null,
    openQuestionShare: open ? Number(open[1]) / 100 : undefined,
  };
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** The status bar text, with a codicon. */
export function statusText(s: SessionSummary): string {
  const ratio = s.questionRatio === null ? "–" : s.questionRatio.toFixed(1);
  return `$(comment-discussion) Coach ${percent(s.coachTalkShare)} · Q/S ${ratio}`;
}

/** The status bar tooltip: what the figures mean and how they compare to the norms. */
export function statusTooltip(s: SessionSummary, maxTalkShare = 0.5, minQuestionRatio = 1.0): string {
  const lines = [
    `coachlint session summary`,
    ``,
    `Coach talk share: ${percent(s.coachTalkShare)} of the words (coaching green zone 20–30%, flagged above ${percent(maxTalkShare)})`,
    `Question ratio: ${s.questionRatio === null ? "no statements" : s.questionRatio.toFixed(2)} coach questions per statement (flagged below ${minQuestionRatio.toFixed(1)})`,
  ];
  if (typeof s.openQuestionShare === "number") lines.push(`Open questions: ${percent(s.openQuestionShare)} of the coach's questions`);
  if (s.coach && s.coach.length > 0)
    lines.push(`Coach: ${s.coach.join(", ")}${s.coachSource ? ` (from ${s.coachSource})` : ""}`);
  if (typeof s.findings === "number") lines.push(`Findings: ${s.findings}`);
  lines.push(``, `Click to open the session report.`);
  return lines.join("\n");
}

/** Whether the figures are outside the thresholds, to colour the item as a warning. */
export function isOutOfBalance(s: SessionSummary, maxTalkShare = 0.5, minQuestionRatio = 1.0): boolean {
  return s.coachTalkShare > maxTalkShare || (s.questionRatio !== null && s.questionRatio < minQuestionRatio);
}
