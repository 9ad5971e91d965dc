#include "validate/lint_steps.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

// The built-in shells: docs.github.com, "Workflow syntax for GitHub Actions",
// jobs.<job_id>.steps[*].shell ("bash, pwsh, python, sh, cmd, powershell"; anything else is a
// custom shell, a command template with {0} for the script file).
constexpr std::array<std::string_view, 6> kShells{"bash", "pwsh", "python", "sh", "cmd", "powershell"};

// Workflow commands GitHub retired. set-env and add-path are disabled: the runner fails the
// step unless ACTIONS_ALLOW_UNSECURE_COMMANDS is true (GitHub changelog 2020-10-01,
// "github-actions-deprecating-set-env-and-add-path-commands", CVE-2020-15228). set-output
// and save-state still work but are deprecated (changelog 2022-10-11,
// "github-actions-deprecating-save-state-and-set-output-commands"; the failure it announced for
// 2023-06-01 was postponed by the update of 2023-07-24 on that page, and has not come), so they
// stay warnings.
struct RetiredCommand {
  std::string_view name;
  std::string_view rule;
  std::string_view instead;
};
constexpr std::array<RetiredCommand, 4> kRetiredCommands{
    RetiredCommand{"set-env", "disabled-command", "echo \"NAME=value\" >> \"$GITHUB_ENV\""},
    RetiredCommand{"add-path", "disabled-command", "echo \"DIR\" >> \"$GITHUB_PATH\""},
    RetiredCommand{"set-output", "deprecated-command", "echo \"NAME=value\" >> \"$GITHUB_OUTPUT\""},
    RetiredCommand{"save-state", "deprecated-command", "echo \"NAME=value\" >> \"$GITHUB_STATE\""},
};

// GitHub's own actions whose older majors were written for Node 12 or 16, runtimes the runners
// no longer ship: GitHub runs them on a newer Node, with a deprecation warning (GitHub
// changelog 2022-09-22 "All Actions will begin running on Node16 instead of Node12" and
// 2023-09-22 "Transitioning from Node 16 to Node 20"). `first_current` is the first major
// written for Node 20 or later: `runs.using` of action.yml at each major tag vN of
// github.com/actions/<name>.
struct OutdatedAction {
  std::string_view name;
  int first_current;
};
constexpr std::array<OutdatedAction, 10> kOutdated{
    OutdatedAction{"actions/checkout", 4},          OutdatedAction{"actions/setup-node", 4},
    OutdatedAction{"actions/cache", 4},             OutdatedAction{"actions/upload-artifact", 4},
    OutdatedAction{"actions/download-artifact", 4}, OutdatedAction{"actions/setup-python", 5},
    OutdatedAction{"actions/github-script", 7},     OutdatedAction{"actions/stale", 9},
    OutdatedAction{"actions/setup-go", 5},          OutdatedAction{"actions/setup-java", 4},
};

// Majors of GitHub's own actions that GitHub shut down: a run using one fails, so they are
// errors (rule retired-action) rather than outdated-action's warnings. Artifacts v1 and v2 since
// 2024-06-30 (GitHub changelog 2024-02-13, "deprecation-notice-v1-and-v2-of-the-artifact-actions"),
// v3 since 2025-01-30 (changelog 2024-02-12, "deprecation-notice-v3-of-the-artifact-actions");
// cache v1 and v2 since the legacy cache service closed on 2025-02-01 (actions/cache README:
// "all workflow runs using any of the deprecated actions/cache will fail"; its v3 and v4 tags
// point at the releases for the new service; explicit older patches of v3/v4 are not modelled).
// This is github.com: GitHub Enterprise Server keeps the old majors.
struct RetiredAction {
  std::string_view name;
  int through;              // this major and the ones before it (the first entry of a name that fits)
  std::string_view since;   // the date runs started to fail
  int use;                  // the major to move to
};
constexpr std::array<RetiredAction, 5> kRetiredActions{
    RetiredAction{"actions/upload-artifact", 2, "2024-06-30", 4},
    RetiredAction{"actions/upload-artifact", 3, "2025-01-30", 4},
    RetiredAction{"actions/download-artifact", 2, "2024-06-30", 4},
    RetiredAction{"actions/download-artifact", 3, "2025-01-30", 4},
    RetiredAction{"actions/cache", 2, "2025-02-01", 4},
};

// The major of a `vN` or `vN.x.y` ref; nullopt for branches and SHAs.
std::optional<int> major_of(std::string_view ref) {
  if (ref.size() < 2 || ref[0] != 'v') return std::nullopt;
  int major = 0;
  const auto [end, ec] = std::from_chars(ref.data() + 1, ref.data() + ref.size(), major);
  if (ec != std::errc{} || (end != ref.data() + ref.size() && *end != '.')) return std::nullopt;
  return major;
}

bool is_sha(std::string_view ref) {
  return ref.size() == 40 && ref.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool sets_unsecure_commands(const json* env) {
  const json* value = member(env, "ACTIONS_ALLOW_UNSECURE_COMMANDS");
  return value && (*value == true || *value == "true");
}

void check_action(Linter& linter, const std::string& pointer, const std::string& action) {
  if (action.starts_with("./") || action.starts_with("docker://") || action.find("${{") != std::string::npos) return;
  const std::size_t at = action.find('@');
  const std::string name = action.substr(0, at);
  if (at == std::string::npos || at + 1 == action.size()) {
    linter.report("action-ref", pointer,
                  fmt::format("{} has no version; pin it as {}@<tag> or {}@<commit SHA>", action, name, name));
    return;
  }
  const std::string_view ref = std::string_view(action).substr(at + 1);
  const std::optional<int> major = major_of(ref);
  const auto retired = std::find_if(kRetiredActions.begin(), kRetiredActions.end(), [&](const RetiredAction& a) {
    return a.name == name && major && *major <= a.through;
  });
  const auto outdated = std::find_if(kOutdated.begin(), kOutdated.end(), [&](const OutdatedAction& a) { return a.name == name; });
  if (retired != kRetiredActions.end())
    linter.report("retired-action", pointer,
                  fmt::format("{} no longer works: GitHub shut it down on {} and fails the runs that use it; use "
                              "{}@v{} or later",
                              action, retired->since, name, retired->use));
  else if (outdated != kOutdated.end() && major && *major < outdated->first_current)
    linter.report("outdated-action", pointer,
                  fmt::format("{} was written for a Node.js the runners no longer have; GitHub runs it on a newer one "
                              "with a deprecation warning: use {}@v{} or later",
                              action, name, outdated->first_current));
  if (!is_sha(ref))
    linter.report("action-pin", pointer,
                  fmt::format("{} is used by tag or branch, which its owner can move; pin it as {}@<commit SHA>",
                              action, name));
}

void check_shell(Linter& linter, const std::string& pointer, const json* shell) {
  const std::string* name = text_of(shell);
  if (!name || name->find("${{") != std::string::npos || known_shell(*name)) return;
  linter.report("shell", pointer,
                fmt::format("unknown shell '{}': use one of {}, or a command with {{0}} for the script file "
                            "(e.g. '{} {{0}}')",
                            *name, util::join(std::vector<std::string>(kShells.begin(), kShells.end()), ", "), *name));
}

void check_commands(Linter& linter, const std::string& pointer, const std::string& script, bool unsecure_allowed) {
  for (const RetiredCommand& c : kRetiredCommands) {
    const std::string marker = fmt::format("::{}", c.name);
    for (std::size_t at = script.find(marker); at != std::string::npos; at = script.find(marker, at + 1)) {
      const std::size_t end = at + marker.size();
      if (end < script.size() && script[end] != ' ' && script[end] != ':') continue;
      if (c.rule == "disabled-command" && unsecure_allowed) continue;
      linter.report_at(c.rule, pointer, at,
                       c.rule == "disabled-command"
                           ? fmt::format("the ::{} workflow command is disabled, so the step fails; use {}", c.name,
                                         c.instead)
                           : fmt::format("the ::{} workflow command is deprecated; use {}", c.name, c.instead));
    }
  }
}

void check_job(Linter& linter, const std::string& id, const json& job, bool workflow_unsecure) {
  const std::string at = pointer_append("/jobs", id);
  check_shell(linter, at + "/defaults/run/shell", member(member(member(job, "defaults"), "run"), "shell"));
  const json* steps = member(job, "steps");
  if (!steps || !steps->is_array()) return;
  const bool job_unsecure = workflow_unsecure || sets_unsecure_commands(member(job, "env"));
  std::map<std::string, std::size_t> first;  // lowercased id → index of the first step with it
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const json& step = (*steps)[i];
    const std::string step_at = pointer_append(pointer_append(at, "steps"), i);
    if (const std::string* step_id = text_of(member(step, "id")); step_id && !step_id->empty()) {
      auto [it, fresh] = first.emplace(util::to_lower(*step_id), i);
      if (!fresh) {
        const std::string first_at = pointer_append(pointer_append(pointer_append(at, "steps"), it->second), "id");
        const std::string* first_id = text_of(member((*steps)[it->second], "id"));
        const int line = linter.doc().marks.value_at(first_at).line;
        linter.report("step-id", pointer_append(step_at, "id"),
                      *first_id == *step_id
                          ? fmt::format("duplicate step id '{}' (first used at line {})", *step_id, line)
                          : fmt::format("duplicate step id '{}' (first used at line {} as '{}'; GitHub ignores case)",
                                        *step_id, line, *first_id));
      }
    }
    if (const std::string* uses = text_of(member(step, "uses"))) check_action(linter, pointer_append(step_at, "uses"), *uses);
    check_shell(linter, pointer_append(step_at, "shell"), member(step, "shell"));
    const bool unsecure = job_unsecure || sets_unsecure_commands(member(step, "env"));
    if (const std::string* run = text_of(member(step, "run")))
      check_commands(linter, pointer_append(step_at, "run"), *run, unsecure);
    if (is_github_script(step))
      if (const std::string* script = text_of(member(member(step, "with"), "script")))
        check_commands(linter, step_at + "/with/script", *script, unsecure);
  }
}

}  // namespace

bool known_shell(std::string_view shell) {
  if (shell.find("{0}") != std::string_view::npos) return true;
  const std::string name = util::to_lower(shell);
  for (std::string_view s : kShells)
    if (name == s) return true;
  return false;
}

void lint_steps(Linter& linter) {
  const json& root = linter.root();
  check_shell(linter, "/defaults/run/shell", member(member(member(root, "defaults"), "run"), "shell"));
  const bool unsecure = sets_unsecure_commands(member(root, "env"));
  for (const auto& [id, job] : linter.jobs().items()) {
    if (!job.is_object()) continue;
    check_job(linter, id, job, unsecure);
    if (const std::string* uses = text_of(member(job, "uses")))
      if (!uses->starts_with("./") && !uses->starts_with("$/") && uses->find('@') != std::string::npos)
        check_action(linter, pointer_append(pointer_append("/jobs", id), "uses"), *uses);
  }
}

}  // namespace forgeline::validate
