import * as fs from "node:fs";
import * as path from "node:path";

/** editors/fixtures, from the bundled test in editors/vscode/out/test. */
export const FIXTURES = path.resolve(__dirname, "../../../fixtures");

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), "utf8");
}

export function fixtureNames(): string[] {
  return fs.readdirSync(FIXTURES).filter((f) => !f.startsWith("."));
}
