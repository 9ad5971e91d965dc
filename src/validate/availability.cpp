#include "validate/availability.hpp"

#include <algorithm>
#include <array>

namespace forgeline::validate {

namespace {

// Context lists of GitHub's workflow schema (actions/languageservices,
// workflow-parser/src/workflow-v1.0.json), by the place they first apply; `*` is any key and
// `#` any list index. A value takes the entry with the longest matching prefix of its path.
struct Entry {
  std::vector<std::string_view> pattern;
  Availability allowed;
};

using V = std::vector<std::string_view>;

const V kWorkflow{"github", "inputs", "vars"};
const V kWorkflowEnv{"github", "inputs", "secrets", "vars"};
const V kCallOutput{"github", "inputs", "jobs", "vars"};
const V kJobIf{"github", "inputs", "needs", "vars"};
const V kStrategy{"github", "inputs", "needs", "vars"};
const V kJob{"github", "inputs", "matrix", "needs", "strategy", "vars"};
const V kJobSecrets{"github", "inputs", "matrix", "needs", "secrets", "strategy", "vars"};
const V kCredentials{"env", "github", "inputs", "matrix", "needs", "secrets", "strategy", "vars"};
const V kDefaultsRun{"env", "github", "inputs", "matrix", "needs", "strategy", "vars"};
const V kRunner{"env", "github", "inputs", "job", "matrix", "needs", "runner", "secrets", "steps", "strategy", "vars"};
const V kRunnerNoSecrets{"env", "github", "inputs", "job", "matrix", "needs", "runner", "steps", "strategy", "vars"};

const std::vector<Entry>& table() {
  static const std::vector<Entry> entries{
      {{"run-name"}, {kWorkflow}},
      {{"concurrency"}, {kWorkflow}},
      {{"env"}, {kWorkflowEnv}},
      {{"on", "workflow_call", "inputs", "*", "default"}, {kWorkflow}},
      {{"on", "workflow_call", "outputs", "*", "value"}, {kCallOutput}},
      {{"jobs", "*", "if"}, {kJobIf, true, true, false}},
      {{"jobs", "*", "name"}, {kJob}},
      {{"jobs", "*", "runs-on"}, {kJob}},
      {{"jobs", "*", "timeout-minutes"}, {kJob}},
      {{"jobs", "*", "cancel-timeout-minutes"}, {kJob}},
      {{"jobs", "*", "continue-on-error"}, {kJob}},
      {{"jobs", "*", "concurrency"}, {kJob}},
      {{"jobs", "*", "environment"}, {kJob}},
      {{"jobs", "*", "environment", "url"}, {kRunnerNoSecrets}},
      {{"jobs", "*", "container"}, {kJob}},
      {{"jobs", "*", "container", "credentials"}, {kCredentials}},
      {{"jobs", "*", "container", "env", "*"}, {kRunner}},
      {{"jobs", "*", "services"}, {kJob}},
      {{"jobs", "*", "services", "*", "credentials"}, {kCredentials}},
      {{"jobs", "*", "services", "*", "env", "*"}, {kRunner}},
      {{"jobs", "*", "snapshot", "if"}, {kJob}},
      {{"jobs", "*", "with", "*"}, {kJob}},
      {{"jobs", "*", "secrets", "*"}, {kJobSecrets}},
      {{"jobs", "*", "env"}, {kJobSecrets}},
      {{"jobs", "*", "strategy"}, {kStrategy}},
      {{"jobs", "*", "outputs", "*"}, {kRunner}},
      {{"jobs", "*", "defaults", "run"}, {kDefaultsRun}},
      {{"jobs", "*", "steps", "#", "if"}, {kRunnerNoSecrets, true, false, true}},
      {{"jobs", "*", "steps", "#", "name"}, {kRunner, false, false, true}},
      {{"jobs", "*", "steps", "#", "run"}, {kRunner, false, false, true}},
      {{"jobs", "*", "steps", "#", "env"}, {kRunner, false, false, true}},
      {{"jobs", "*", "steps", "#", "with"}, {kRunner, false, false, true}},
      {{"jobs", "*", "steps", "#", "continue-on-error"}, {kRunner, false, false, true}},
      {{"jobs", "*", "steps", "#", "timeout-minutes"}, {kRunner, false, false, true}},
      {{"jobs", "*", "steps", "#", "working-directory"}, {kRunner, false, false, true}},
  };
  return entries;
}

std::vector<std::string> tokens(std::string_view pointer) {
  std::vector<std::string> out;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);
    const std::size_t end = std::min(pointer.find('/'), pointer.size());
    std::string token;
    for (std::size_t i = 0; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end) token += pointer[++i] == '0' ? '~' : '/';
      else token += pointer[i];
    }
    out.push_back(std::move(token));
    pointer.remove_prefix(end);
  }
  return out;
}

bool matches(const std::vector<std::string_view>& pattern, const std::vector<std::string>& path) {
  if (pattern.size() > path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "*") continue;
    if (pattern[i] == "#") {
      if (path[i].empty() || path[i].find_first_not_of("0123456789") != std::string::npos) return false;
      continue;
    }
    if (pattern[i] != path[i]) return false;
  }
  return true;
}

}  // namespace

Availability availability_at(std::string_view pointer) {
  const std::vector<std::string> path = tokens(pointer);
  const Entry* best = nullptr;
  for (const Entry& e : table())
    if (matches(e.pattern, path) && (!best || e.pattern.size() > best->pattern.size())) best = &e;
  return best ? best->allowed : Availability{};
}

const std::vector<std::string_view>& context_names() {
  static const std::vector<std::string_view> names{"env",    "github",  "inputs", "job",      "jobs",
                                                   "matrix", "needs",   "runner", "secrets",  "steps",
                                                   "strategy", "vars"};
  return names;
}

}  // namespace forgeline::validate
