// Whether a .vtt, .srt or .txt file looks like a coaching transcript, judged from its
// head. The server judges again with the engine's parser; this check only keeps
// random text files (and movie subtitles without speakers) away from the server and
// the status bar. No `vscode` import: unit-tested under plain Node.

/** How much of a file is looked at: transcripts show their speakers early. */
export const SNIFF_BYTES = 16 * 1024;

const NAME = String.raw`[\p{L}\p{M}][\p{L}\p{M}0-9 .'’_-]{0,59}?`;
// `Name: text`, optionally stamped `[00:01:02]` / `00:01:02`, or `**Name:**`.
const INLINE_LABEL = new RegExp(
  String.raw`^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\]?\s+)?(?:\*\*(?<md>[^*:\n]{1,60}?):?\*\*:?|(?<name>${NAME})\s*:)\s+\S`,
  "u",
);
// Teams WebVTT voice tag.
const VOICE = /<v(?:\.[\w.-]+)?\s+(?<name>[^>]{1,60})>/u;
// Otter.ai heading: `Name  M:SS` (two or more spaces).
const OTTER = new RegExp(String.raw`^(?<name>${NAME}) {2,}\d{1,2}:\d{2}(?::\d{2})?\s*$`, "u");
// Rev heading: `Name (MM:SS):`.
const REV = new RegExp(String.raw`^(?<name>${NAME}) \((?:\d{1,2}:)?\d{1,2}:\d{2}\):\s*$`, "u");
const CUE_TIMING = /-->/;
const CUE_NUMBER = /^\d+$/;

/** Words that end in a colon in ordinary prose and notes, never speakers. */
const NOT_SPEAKERS = new Set([
  "note",
  "notes",
  "todo",
  "warning",
  "error",
  "info",
  "example",
  "see",
  "http",
  "https",
  "date",
  "subject",
  "from",
  "to",
  "re",
  "kind",
]);

export interface Sniff {
  speakers: string[];
  labelled: number;
  content: number;
}

/** Speaker labels in the head of a text, with the count of lines that carry text. */
export function sniff(text: string): Sniff {
  const head = text.slice(0, SNIFF_BYTES).replace(/^\uFEFF/, "");
  const lines = head.split(/\r?\n/);
  // The last line may be cut mid-way.
  if (text.length > SNIFF_BYTES) lines.pop();
  const speakers = new Map<string, number>();
  let labelled = 0;
  let content = 0;
  let i = 0;
  if (lines[0]?.trim() === "---") {
    const end = lines.indexOf("---", 1);
    if (end > 0) i = end + 1;
  }
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (
      line === "" ||
      line.startsWith("WEBVTT") ||
      line.startsWith("NOTE") ||
      line.startsWith("#") ||
      CUE_TIMING.test(line) ||
      CUE_NUMBER.test(line)
    ) {
      continue;
    }
    content++;
    const m = VOICE.exec(line) ?? OTTER.exec(line) ?? REV.exec(line) ?? INLINE_LABEL.exec(line);
    const name = (m?.groups?.name ?? m?.groups?.md)?.trim();
    // Names are a few words; "Chapter one begins here:" is prose.
    if (name && name.split(/\s+/).length <= 5 && !NOT_SPEAKERS.has(name.toLowerCase())) {
      speakers.set(name, (speakers.get(name) ?? 0) + 1);
      labelled++;
    }
  }
  return { speakers: [...speakers.keys()], labelled, content };
}

/**
 * Two or more speakers, speaker labels on a fair share of the lines (turns can run
 * over several lines, so not all of them), and speakers who speak again: prose whose
 * lines happen to start with "Some words:" names a new "speaker" every time.
 */
export function looksLikeTranscript(text: string): boolean {
  const s = sniff(text);
  const recurring = s.labelled <= 3 || s.labelled >= 1.5 * s.speakers.length;
  return s.speakers.length >= 2 && s.labelled >= 0.3 * s.content && recurring;
}

/** The file extensions (lower case, with the dot) that are linted besides `.transcript`. */
export const OTHER_EXTENSIONS = [".vtt", ".srt", ".txt"];

export type OtherFormats = "auto" | "always" | "off";

/** Whether a document goes to the server, given its language, path and the setting. */
export function shouldLint(
  languageId: string,
  fileName: string,
  setting: OtherFormats,
  text: () => string,
): boolean {
  if (languageId === "coaching-transcript") return true;
  if (setting === "off") return false;
  const lower = fileName.toLowerCase();
  if (!OTHER_EXTENSIONS.some((ext) => lower.endsWith(ext))) return false;
  return setting === "always" || looksLikeTranscript(text());
}
