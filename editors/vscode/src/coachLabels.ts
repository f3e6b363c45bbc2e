// Which speaker labels belong to the coach, so the editor can set them apart even when
// the coach has a name ("Maya Chen:") that no grammar can know. The coach is who the
// `coachlint.coach` setting names, else the front matter's `coach:`, else a speaker
// called "Coach" — the same order the engine uses (its guess from behaviour is left to
// the server). No `vscode` import: unit-tested.

export interface Label {
  /** 0-based line. */
  line: number;
  /** UTF-16 column of the name, as VS Code counts. */
  start: number;
  length: number;
  name: string;
}

const FRONT_KEY = /^\s*(coach|coaches)\s*:\s*(.*)$/i;
// `[00:01:02] Name:` / `00:01:02 Name:` / `Name:` / `**Name:**`, as the native parser reads them.
const LABEL =
  /^(\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\]?[ \t]+)?)(?:(\*\*)([^*:\n]{1,60}?):?\*\*:?|([\p{L}\p{M}][\p{L}\p{M}0-9 .'’_-]{0,59}?)[ \t]*:)[ \t]+\S/u;

/** The names in `coach: Maya Chen` or `coach: [Maya Chen, Sam]`. */
function names(value: string): string[] {
  return value
    .replace(/^\[|\]$/g, "")
    .split(",")
    .map((s) => s.trim().replace(/^["']|["']$/g, ""))
    .filter(Boolean);
}

/** The front matter's coach names, if the text opens with front matter. */
export function frontMatterCoach(lines: string[]): string[] {
  if (lines[0]?.trim() !== "---") return [];
  for (let i = 1; i < lines.length && i < 200; i++) {
    if (lines[i].trim() === "---") return [];
    const m = FRONT_KEY.exec(lines[i]);
    if (m) return names(m[2]);
  }
  return [];
}

/** Every speaker label after the front matter. */
export function speakerLabels(lines: string[]): Label[] {
  let i = 0;
  if (lines[0]?.trim() === "---") {
    const end = lines.findIndex((l, j) => j > 0 && l.trim() === "---");
    i = end > 0 ? end + 1 : 0;
  }
  const out: Label[] = [];
  for (; i < lines.length; i++) {
    const m = LABEL.exec(lines[i]);
    if (!m) continue;
    const name = (m[3] ?? m[4]).trim();
    const start = m[1].length + (m[2] ? 2 : 0);
    out.push({ line: i, start, length: name.length, name });
  }
  return out;
}

/** The coach's labels: named by `configured`, else by the front matter, else "Coach". */
export function coachLabels(text: string, configured: string[] = []): Label[] {
  const lines = text.split(/\r?\n/);
  const fold = (s: string) => s.trim().toLocaleLowerCase();
  const coach = new Set((configured.length > 0 ? configured : frontMatterCoach(lines)).map(fold));
  const isCoach = coach.size > 0 ? (n: string) => coach.has(fold(n)) : (n: string) => /^coach\b/i.test(n);
  return speakerLabels(lines).filter((l) => isCoach(l.name));
}
