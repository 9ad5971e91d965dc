#include "validate/rules.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace forgeline::validate {

namespace {

using util::Severity;

// Errors are what GitHub rejects or what cannot work; warnings work but are risky or likely
// mistakes (a workflow GitHub runs must never get an error); notes are information.
constexpr std::array kRules{
    Rule{"yaml", Severity::error, "workflow", "YAML syntax, and a key given twice in one mapping"},
    Rule{"schema", Severity::error, "workflow",
         "GitHub's workflow syntax (schemas/workflow.schema.json): unknown keys, wrong types, missing keys"},
    // A warning: GitHub's parser takes any setting under an event (only workflow_call is checked),
    // so the file runs; the setting most likely does nothing (a typo, or a filter the event lacks).
    Rule{"event-setting", Severity::warning, "workflow",
         "a key under an event that the event does not document (`create: {tags: ...}`, `push: {branch: ...}`)"},
    Rule{"duplicate-key", Severity::error, "lint_keys",
         "two keys of one mapping that differ only in case: GitHub reads keys case-insensitively"},
    Rule{"env-name", Severity::error, "lint_keys", "an environment variable name with `=`, a blank or a control character in it"},
    Rule{"needs", Severity::error, "lint_jobs", "a `needs` entry naming no job; a dependency cycle"},
    Rule{"reusable-call", Severity::error, "lint_jobs",
         "a local reusable workflow that is missing or not callable; a required input or secret not passed; "
         "one passed that it does not declare"},
    Rule{"step-id", Severity::error, "lint_steps", "two steps of a job with the same id (ignoring case)"},
    Rule{"action-ref", Severity::error, "lint_steps", "`uses: owner/repo` without `@ref`"},
    Rule{"outdated-action", Severity::warning, "lint_steps",
         "a major of one of GitHub's own actions written for Node 12 or 16 (actions/checkout@v2, ...)"},
    // An error: GitHub fails every run that uses such a major (sources beside the table in lint_steps).
    Rule{"retired-action", Severity::error, "lint_steps",
         "a major of one of GitHub's own actions that GitHub shut down (actions/upload-artifact@v3, actions/cache@v2, ...)"},
    Rule{"shell", Severity::error, "lint_steps", "a `shell:` that is neither a known shell nor a `{0}` command template"},
    Rule{"disabled-command", Severity::error, "lint_steps",
         "`::set-env` or `::add-path` in a script: GitHub disabled them"},
    Rule{"deprecated-command", Severity::warning, "lint_steps",
         "`::set-output` or `::save-state` in a script: use $GITHUB_OUTPUT, $GITHUB_STATE"},
    Rule{"matrix-size", Severity::error, "lint_matrix", "a matrix that makes more than 256 jobs"},
    Rule{"matrix-exclude", Severity::error, "lint_matrix", "an `exclude` entry naming a key the matrix does not have"},
    Rule{"exclude-matches-nothing", Severity::warning, "lint_matrix",
         "an `exclude` entry whose values match no combination of the matrix"},
    // The *-context rules all find a read that is always empty. matrix-, needs-, steps- and
    // inputs-context stay warnings: workflows GitHub runs do it (tokio, ccache,
    // docker/build-push-action, openwrt/docker, actions/checkout, astral-sh/uv; err-rate.md),
    // mostly harmlessly (a name, a fallback, an unused environment variable).
    Rule{"matrix-context", Severity::warning, "lint_contexts",
         "`matrix.X` where X is no key of the job's matrix (it reads as empty)"},
    Rule{"needs-context", Severity::warning, "lint_contexts",
         "`needs.J` where J is not needed by the job, or `needs.J.outputs.O` where J has no output O"},
    Rule{"steps-context", Severity::warning, "lint_contexts",
         "`steps.S` where the job has no step S, or S has not run yet there"},
    Rule{"inputs-context", Severity::warning, "lint_contexts",
         "`inputs.I` where the workflow declares no input I (it reads as empty)"},
    // An error, unlike the reads above: the reusable workflow declares an output bound to
    // nothing, so it is empty for every caller and that part of its interface cannot work.
    Rule{"jobs-context", Severity::error, "lint_contexts",
         "`jobs.J.outputs.O` in a reusable workflow's outputs where it has no job J or J no output O"},
    Rule{"cron", Severity::error, "lint_events",
         "a `schedule` cron that is not five valid fields, or `schedule` without cron entries"},
    Rule{"cron-interval", Severity::warning, "lint_events",
         "a `schedule` more often than every 5 minutes, GitHub's shortest interval"},
    Rule{"glob", Severity::error, "lint_events", "a branch, tag or path filter that is not a valid pattern"},
    Rule{"filters", Severity::error, "lint_events",
         "`branches` with `branches-ignore` (or `tags`, `paths` likewise) on one event"},
    Rule{"dispatch-inputs", Severity::error, "lint_events", "more than 25 `workflow_dispatch` inputs"},
    Rule{"choice-default", Severity::error, "lint_events", "a choice input whose default is not one of its options"},
    Rule{"required-default", Severity::warning, "lint_events",
         "a required workflow_call input with a default, which is never used"},
    Rule{"runner-label", Severity::error, "lint_runners",
         "a retired GitHub-hosted image, or labels (also through the matrix) no single runner has"},
    Rule{"unknown-runner-label", Severity::note, "lint_runners",
         "a label that looks GitHub-hosted but is none GitHub lists (a larger runner's, or a misspelling)"},
    Rule{"timeout", Severity::warning, "lint_runners", "a `timeout-minutes` over the runner's job time limit"},
    Rule{"permissions", Severity::warning, "lint_security",
         "jobs that get the repository's default token permissions: no `permissions:` for the workflow or job"},
    Rule{"untrusted-input", Severity::warning, "lint_security",
         "attacker-controlled text expanded into a `run:` or `github-script` script"},
    Rule{"credentials", Severity::warning, "lint_security",
         "a registry password written into the workflow for a container or service"},
    Rule{"expression", Severity::error, "lint_expressions",
         "an expression GitHub cannot parse, or a function it does not have or with the wrong arguments"},
    Rule{"context-availability", Severity::error, "lint_expressions",
         "a context or function GitHub does not provide in that key (env in a job's if:, hashFiles in run-name, "
         "an unknown name)"},
    Rule{"fromjson", Severity::error, "lint_expressions", "fromJSON() of a constant that is not JSON"},
    // An error: each case has one outcome whatever the data (a comparison always false or true,
    // 'Object' or 'Array' written instead of the contents, a property always null, an object
    // where a runner label must be), so the expression cannot do what it is written to do.
    // GitHub's rules: docs.github.com, "Evaluate expressions" (operators, literals).
    Rule{"expression-type", Severity::error, "lint_expressions",
         "a comparison always false because one side is an object or array; an object or array written into a "
         "string; a property of a string or number"},
    // A warning: the step or job still runs, only more often than written (also when cancelled),
    // and workflows GitHub runs do it (sveltejs/svelte's ci.yml: `(${{ success() }} || ...)`).
    Rule{"if-always-true", Severity::warning, "lint_expressions",
         "an `if:` with text around its `${{ }}`: a non-empty string, so always true"},
    Rule{"if-constant", Severity::note, "lint_expressions",
         "an `if:` that is a constant (`if: false`): the same on every run"},
    Rule{"action-pin", Severity::warning, "lint_steps", "an action used by tag or branch, not by commit SHA",
         false},
    Rule{"unused-ignore", Severity::note, "ignores", "a `# forgeline-ignore:` comment that suppresses nothing"},
};

}  // namespace

std::span<const Rule> rules() { return kRules; }

const Rule* find_rule(std::string_view id) {
  const auto it = std::find_if(kRules.begin(), kRules.end(), [&](const Rule& r) { return r.id == id; });
  return it == kRules.end() ? nullptr : &*it;
}

bool RuleSettings::runs(std::string_view id) const {
  const Rule* rule = find_rule(id);
  if (!rule || disabled.contains(id)) return false;
  return rule->on_by_default || enabled.contains(id);
}

std::expected<void, std::string> check_rule_name(std::string_view id) {
  if (find_rule(id)) return {};
  std::string known;
  for (const Rule& r : kRules) known += (known.empty() ? "" : ", ") + std::string(r.id);
  return std::unexpected(fmt::format("unknown rule '{}' (rules: {})", id, known));
}

}  // namespace forgeline::validate
