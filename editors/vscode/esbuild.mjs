// Bundles the extension (and, with --tests, the unit tests) with esbuild.
//   node esbuild.mjs               development build into dist/
//   node esbuild.mjs --production  minified, for the .vsix
//   node esbuild.mjs --watch
//   node esbuild.mjs --tests       unit tests into out/test/ (run with node --test)
import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";

const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");
const tests = process.argv.includes("--tests");

const options = tests
  ? {
      entryPoints: readdirSync("test/unit")
        .filter((f) => f.endsWith(".test.ts"))
        .map((f) => `test/unit/${f}`),
      outdir: "out/test",
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      sourcemap: "inline",
      // Tests run next to node_modules: only our own sources are bundled.
      packages: "external",
      logLevel: "warning",
    }
  : {
      entryPoints: ["src/extension.ts"],
      outfile: "dist/extension.js",
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      // Provided by the editor at run time.
      external: ["vscode"],
      minify: production,
      sourcemap: !production,
      logLevel: "warning",
    };

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
