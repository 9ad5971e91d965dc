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

std::string list_or_none(const std::vector<std::string>& names) {
  return names.empty() ? "none" : util::join(names, ", ");
}

void check_matrix(Linter& linter, const std::string& id, const json& job) {
  const json* matrix = member(member(job, "strategy"), "matrix");
  // An expression matrix (or include list) has keys only known at run time.
  if (matrix && !matrix->is_object()) return;
  const json* include = member(matrix, "include");
  if (include && !include->is_array()) return;
  std::set<std::string> axes;
  if (matrix) {
    for (const auto& [key, value] : matrix->items())
      if (key != "include" && key != "exclude") axes.insert(key);
    if (include)
      for (const json& entry : *include) {
        if (!entry.is_object()) return;  // an expression entry may add any key
        for (const auto& [key, value] : entry.items()) axes.insert(key);
      }
  }
  for (const Read& read : linter.reads_of(id)) {
    const auto& s = read.path.segments;
    if (s[0] != "matrix" || s.size() < 2 || s[1] == "*" || axes.contains(s[1])) continue;
    if (!matrix)
      linter.report_at("matrix-context", read.pointer, read.offset,
                       fmt::format("matrix.{} is used, but job '{}' has no matrix", s[1], id));
    else
      linter.report_at("matrix-context", read.pointer, read.offset,
                       fmt::format("matrix.{} is not an axis of job '{}' (axes: {})", s[1], id,
                                   util::join(std::vector(axes.begin(), axes.end()), ", ")));
  }
}

void check_needs(Linter& linter, const std::string& id, const json& job) {
  const std::vector<std::string> needs = needs_of(job);
  const json& jobs = linter.jobs();
  for (const Read& read : linter.reads_of(id)) {
    const auto& s = read.path.segments;
    if (s[0] != "needs" || s.size() < 2 || s[1] == "*") continue;
    if (std::find(needs.begin(), needs.end(), s[1]) == needs.end()) {
      linter.report_at("needs-context", read.pointer, read.offset,
                       fmt::format("{} reads job '{}', which is not in the needs of job '{}' (needs: {})",
                                   read.path.text(), s[1], id, list_or_none(needs)));
      continue;
    }
    const json* needed = member(jobs, s[1]);
    if (s.size() < 4 || s[2] != "outputs" || s[3] == "*" || !needed) continue;
    const std::optional<std::vector<std::string>> outputs = outputs_of(linter, *needed);
    if (!outputs || std::find(outputs->begin(), outputs->end(), s[3]) != outputs->end()) continue;
    linter.report_at("needs-context", read.pointer, read.offset,
                     fmt::format("{} is not an output of job '{}' (outputs: {})", read.path.text(), s[1],
                                 list_or_none(*outputs)));
  }
}

void check_steps(Linter& linter, const std::string& id, const json& job) {
  const json* steps = member(job, "steps");
  if (!steps || !steps->is_array()) return;
  std::map<std::string, std::size_t> first;  // step id → index of its first step
  std::vector<std::string> named;
  for (std::size_t i = 0; i < steps->size(); ++i)
    if (const std::string* step_id = text_of(member((*steps)[i], "id")))
      if (first.emplace(*step_id, i).second) named.push_back(*step_id);
  for (const Read& read : linter.reads_of(id)) {
    const auto& s = read.path.segments;
    if (s[0] != "steps" || s.size() < 2 || s[1] == "*") continue;
    auto it = first.find(s[1]);
    if (it == first.end())
      linter.report_at("steps-context", read.pointer, read.offset,
                       fmt::format("{} refers to no step of job '{}' (step ids: {})", read.path.text(), id,
                                   list_or_none(named)));
    else if (it->second >= read.steps_run)
      linter.report_at("steps-context", read.pointer, read.offset,
                       fmt::format("{} refers to step '{}', which has not run yet here", read.path.text(), s[1]));
  }
}

}  // namespace

void lint_contexts(Linter& linter) {
  for (const auto& [id, job] : linter.jobs().items()) {
    if (!job.is_object()) continue;
    check_matrix(linter, id, job);
    check_needs(linter, id, job);
    check_steps(linter, id, job);
  }
}

}  // namespace forgeline::validate
