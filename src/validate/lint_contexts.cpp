#include "validate/lint_contexts.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "util/strings.hpp"
#include "validate/lint_jobs.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

// Names as declared, looked up the way GitHub looks them up: ignoring case.
class Names {
 public:
  void add(const std::string& name) {
    if (by_folded_.emplace(util::to_lower(name), name).second) shown_.push_back(name);
  }
  bool has(const std::string& folded) const { return by_folded_.contains(folded); }
  const std::string* find(const std::string& folded) const {
    auto it = by_folded_.find(folded);
    return it == by_folded_.end() ? nullptr : &it->second;
  }
  std::string list() const {
    std::vector<std::string> sorted = shown_;
    std::sort(sorted.begin(), sorted.end());
    return list_or_none(sorted);
  }
  bool empty() const { return shown_.empty(); }

 private:
  std::map<std::string, std::string> by_folded_;
  std::vector<std::string> shown_;
};

void check_matrix(Linter& linter, const std::string& id, const json& job) {
  const json* matrix = member(member(job, "strategy"), "matrix");
  // An expression matrix (or include list) has keys only known at run time.
  if (matrix && !matrix->is_object()) return;
  const json* include = member(matrix, "include");
  if (include && !include->is_array()) return;
  Names axes;
  if (matrix) {
    for (const auto& [key, value] : matrix->items())
      if (key != "include" && key != "exclude") axes.add(key);
    if (include)
      for (const json& entry : *include) {
        if (!entry.is_object()) return;  // an expression entry may add any key
        for (const auto& [key, value] : entry.items()) axes.add(key);
      }
  }
  for (const Read& read : linter.reads_of(id)) {
    const auto& s = read.path.segments;
    if (s[0] != "matrix" || s.size() < 2 || s[1] == "*" || axes.has(s[1])) continue;
    if (!matrix)
      linter.report_at("matrix-context", read.pointer, read.offset,
                       fmt::format("{} is used, but job '{}' has no matrix", read.path.written, id), read.key);
    else
      linter.report_at("matrix-context", read.pointer, read.offset,
                       fmt::format("{} is not an axis of job '{}' (axes: {})", read.path.written, id, axes.list()), read.key);
  }
}

void check_needs(Linter& linter, const std::string& id, const json& job, const Names& jobs) {
  Names needs;
  for (const std::string& n : needs_of(job)) needs.add(n);
  for (const Read& read : linter.reads_of(id)) {
    const auto& s = read.path.segments;
    if (s[0] != "needs" || s.size() < 2 || s[1] == "*") continue;
    if (!needs.has(s[1])) {
      linter.report_at("needs-context", read.pointer, read.offset,
                       fmt::format("{} reads job '{}', which is not in the needs of job '{}' (needs: {})",
                                   read.path.written, s[1], id, needs.list()), read.key);
      continue;
    }
    const std::string* declared = jobs.find(s[1]);
    if (s.size() < 4 || s[2] != "outputs" || s[3] == "*" || !declared) continue;
    const std::optional<std::vector<std::string>> outputs = outputs_of(linter, linter.jobs()[*declared]);
    if (!outputs) continue;
    Names names;
    for (const std::string& o : *outputs) names.add(o);
    if (names.has(s[3])) continue;
    linter.report_at("needs-context", read.pointer, read.offset,
                     fmt::format("{} is not an output of job '{}' (outputs: {})", read.path.written, *declared,
                                 names.list()), read.key);
  }
}

void check_steps(Linter& linter, const std::string& id, const json& job) {
  const json* steps = member(job, "steps");
  if (!steps || !steps->is_array()) return;
  std::map<std::string, std::size_t> first;  // lowercased step id → index of its first step
  Names named;
  for (std::size_t i = 0; i < steps->size(); ++i)
    if (const std::string* step_id = text_of(member((*steps)[i], "id"))) {
      first.emplace(util::to_lower(*step_id), i);
      named.add(*step_id);
    }
  for (const Read& read : linter.reads_of(id)) {
    const auto& s = read.path.segments;
    if (s[0] != "steps" || s.size() < 2 || s[1] == "*") continue;
    auto it = first.find(s[1]);
    if (it == first.end())
      linter.report_at("steps-context", read.pointer, read.offset,
                       fmt::format("{} refers to no step of job '{}' (step ids: {})", read.path.written, id,
                                   named.list()), read.key);
    else if (it->second >= read.steps_run)
      linter.report_at("steps-context", read.pointer, read.offset,
                       fmt::format("{} refers to step '{}', which has not run yet here", read.path.written,
                                   *named.find(s[1])), read.key);
  }
}

// The inputs the workflow declares for workflow_dispatch and workflow_call.
Names declared_inputs(const json& root) {
  Names out;
  const json* on = member(root, "on");
  for (const char* event : {"workflow_dispatch", "workflow_call"}) {
    const json* inputs = member(member(on, event), "inputs");
    if (inputs && inputs->is_object())
      for (const auto& [name, spec] : inputs->items()) out.add(name);
  }
  return out;
}

// `inputs.X` (and `github.event.inputs.X`) read an input the workflow declares; anything else
// reads as empty.
void check_inputs(Linter& linter) {
  const Names inputs = declared_inputs(linter.root());
  for (const Site& site : linter.sites())
    for (const Expression& e : site.expressions)
      for (const ContextPath& path : context_paths(e)) {
        const auto& s = path.segments;
        const bool direct = s[0] == "inputs" && s.size() >= 2;
        const bool event = s.size() >= 4 && s[0] == "github" && s[1] == "event" && s[2] == "inputs";
        if (!direct && !event) continue;
        const std::string& name = direct ? s[1] : s[3];
        if (name == "*" || inputs.has(name)) continue;
        linter.report_at("inputs-context", site.pointer, path.offset,
                         inputs.empty() ? fmt::format("{} reads an input, but the workflow declares none (under "
                                                      "workflow_dispatch or workflow_call)",
                                                      path.written)
                                        : fmt::format("{} is not an input of the workflow (inputs: {})", path.written,
                                                      inputs.list()), site.key);
      }
}

// A reusable workflow's output values read `jobs.J.outputs.O`: J must be a job of it and O one
// of J's outputs.
void check_jobs(Linter& linter) {
  Names jobs;
  for (const auto& [name, value] : linter.jobs().items()) jobs.add(name);
  for (const Site& site : linter.sites()) {
    if (!site.pointer.starts_with("/on/workflow_call/outputs/")) continue;
    for (const Expression& e : site.expressions)
      for (const ContextPath& path : context_paths(e)) {
        const auto& s = path.segments;
        if (s[0] != "jobs" || s.size() < 2 || s[1] == "*") continue;
        const std::string* declared = jobs.find(s[1]);
        if (!declared) {
          linter.report_at("jobs-context", site.pointer, path.offset,
                           fmt::format("{} reads job '{}', which the workflow does not have (jobs: {})", path.written,
                                       s[1], jobs.list()), site.key);
          continue;
        }
        if (s.size() < 4 || s[2] != "outputs" || s[3] == "*") continue;
        const std::optional<std::vector<std::string>> outputs = outputs_of(linter, linter.jobs()[*declared]);
        if (!outputs) continue;
        Names names;
        for (const std::string& o : *outputs) names.add(o);
        if (!names.has(s[3]))
          linter.report_at("jobs-context", site.pointer, path.offset,
                           fmt::format("{} is not an output of job '{}' (outputs: {})", path.written, *declared,
                                       names.list()), site.key);
      }
  }
}

}  // namespace

void lint_contexts(Linter& linter) {
  Names jobs;
  for (const auto& [name, value] : linter.jobs().items()) jobs.add(name);
  for (const auto& [id, job] : linter.jobs().items()) {
    if (!job.is_object()) continue;
    check_matrix(linter, id, job);
    check_needs(linter, id, job, jobs);
    check_steps(linter, id, job);
  }
  check_inputs(linter);
  check_jobs(linter);
}

}  // namespace forgeline::validate
