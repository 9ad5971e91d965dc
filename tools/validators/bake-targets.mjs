#!/usr/bin/env node
// Reads a Docker Bake file with a real HCL parser (@cdktn/hcl2json: HashiCorp's HCL v2 library,
// the one buildx parses bake files with, built to WebAssembly) and prints its targets as bake
// would build them, as JSON: every matrix expanded into its named targets, `${NAME}` and
// `${item.key}` interpolations evaluated, `inherits` applied.
//   node bake-targets.mjs FILE [NAME=VALUE]...     (NAME=VALUE sets a variable, as the environment does)
//   node bake-targets.mjs --batch                  (many reads, one process)
// Prints {"group": [target names of the default group], "targets": {name: {...}}}. Exits 1 with
// a message on a parse error, an expression it does not evaluate (anything but a variable or a
// matrix value), a target name bake would refuse, a `target:` context naming no target, or a
// `target:` cycle (as buildx's bake.go loadLinks refuses them).
// --batch reads one JSON array [FILE, "NAME=VALUE", ...] per line of stdin and prints, one line
// each, what FILE alone would print or {"error": MESSAGE}; it exits 1 if any read failed.
// Loading the parser takes about a second, which the tests pay once per batch instead of per read.
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { parse } = require("@cdktn/hcl2json");

/// A read that bake would refuse; the message names the file.
class BakeError extends Error {}

// The targets of FILE with the variables SETTINGS set, as bake would build them.
const read = async (file, settings) => {
  const fail = (message) => {
    throw new BakeError(`${file}: ${message}`);
  };

  let doc;
  try {
    doc = await parse(file, fs.readFileSync(file, "utf8"));
  } catch (e) {
    if (e instanceof BakeError) throw e;
    fail(String(e.message || e));
  }

  const variables = {};
  for (const [name, blocks] of Object.entries(doc.variable || {})) variables[name] = blocks[0].default ?? "";
  for (const s of settings) {
    const eq = s.indexOf("=");
    variables[s.slice(0, eq)] = s.slice(eq + 1);
  }

  // Evaluates a template string: "${NAME}" and "${item.key}" only.
  const evaluate = (text, scope) =>
    text.replace(/\$\{([^}]*)\}/g, (_, expr) => {
      const path = expr.trim().split(".");
      if (!path.every((p) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(p))) fail(`unsupported expression \${${expr}}`);
      let value = path[0] in scope ? scope[path[0]] : variables[path[0]];
      for (const key of path.slice(1)) value = value === undefined ? undefined : value[key];
      if (typeof value !== "string") fail(`\${${expr}} names no variable or matrix value`);
      return value;
    });

  const evaluateAll = (value, scope) => {
    if (typeof value === "string") return evaluate(value, scope);
    if (Array.isArray(value)) return value.map((v) => evaluateAll(v, scope));
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateAll(v, scope)]));
    return value;
  };

  // Every combination of the matrix values, as bake forks a target (one scope per combination).
  const combinations = (matrix) => {
    let out = [{}];
    for (const [key, values] of Object.entries(matrix || {}))
      out = out.flatMap((scope) => values.map((v) => ({ ...scope, [key]: v })));
    return out;
  };

  const blocks = doc.target || {};
  const targets = {};
  const byBlock = {};
  for (const [label, [body]] of Object.entries(blocks)) {
    byBlock[label] = [];
    const { matrix, name, ...attributes } = body;
    if (matrix && !name) fail(`target "${label}" has a matrix but no name`);
    for (const scope of combinations(matrix)) {
      const targetName = matrix ? evaluate(name, scope) : label;
      if (!/^[a-zA-Z0-9_-]+$/.test(targetName)) fail(`target name "${targetName}" holds characters bake refuses`);
      if (targets[targetName]) fail(`two targets are named "${targetName}"`);
      targets[targetName] = evaluateAll(attributes, scope);
      byBlock[label].push(targetName);
    }
  }

  // inherits: the inherited target's attributes, then the target's own over them.
  const resolve = (name, seen = []) => {
    if (seen.includes(name)) fail(`inherits loops: ${[...seen, name].join(" -> ")}`);
    const t = targets[name];
    if (!t) fail(`inherits names no target "${name}"`);
    let merged = {};
    for (const parent of t.inherits || []) merged = { ...merged, ...resolve(parent, [...seen, name]) };
    const { inherits, ...own } = t;
    return { ...merged, ...own };
  };
  const resolved = Object.fromEntries(Object.keys(targets).map((n) => [n, resolve(n)]));

  // target: contexts must name a target, without cycles.
  const visit = (name, path) => {
    for (const value of Object.values(resolved[name].contexts || {})) {
      if (!value.startsWith("target:")) continue;
      const linked = value.slice("target:".length);
      if (!resolved[linked]) fail(`target "${name}" links to "${linked}", which is no target`);
      if (path.includes(linked)) fail(`target links loop: ${[...path, linked].join(" -> ")}`);
      visit(linked, [...path, linked]);
    }
  };
  for (const name of Object.keys(resolved)) visit(name, [name]);

  const group = [];
  for (const entry of ((doc.group || {}).default || [{}])[0].targets || []) {
    const names = byBlock[entry] || (resolved[entry] ? [entry] : null);
    if (!names) fail(`the default group names no target "${entry}"`);
    group.push(...names);
  }
  return { group, targets: resolved };
};

const args = process.argv.slice(2);
if (args[0] === "--batch") {
  let failed = false;
  const lines = fs.readFileSync(0, "utf8").split("\n").filter((l) => l.trim());
  for (const line of lines) {
    const [file, ...settings] = JSON.parse(line);
    try {
      console.log(JSON.stringify(await read(file, settings)));
    } catch (e) {
      if (!(e instanceof BakeError)) throw e;
      failed = true;
      console.log(JSON.stringify({ error: e.message }));
    }
  }
  process.exit(failed ? 1 : 0);
}
if (!args[0]) {
  console.error("usage: bake-targets.mjs FILE [NAME=VALUE]... | --batch");
  process.exit(2);
}
try {
  console.log(JSON.stringify(await read(args[0], args.slice(1)), null, 2));
} catch (e) {
  if (!(e instanceof BakeError)) throw e;
  console.error(e.message);
  process.exit(1);
}
