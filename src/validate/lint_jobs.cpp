#include "validate/lint_jobs.hpp"

#include <algorithm>
#include <deque>
#include <map>

#include <fmt/format.h>

#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

std::vector<std::string> keys_of(const json* object) {
  std::vector<std::string> out;
  if (object && object->is_object())
    for (const auto& [key, value] : object->items()) out.push_back(key);
  return out;
}

std::string needs_pointer(const std::string& job_pointer, const json& job, std::size_t index) {
  const std::string p = pointer_append(job_pointer, "needs");
  const json* needs = member(job, "needs");
  return needs && !needs->is_array() ? p : pointer_append(p, index);
}

}  // namespace

// GitHub reads a number or boolean where it expects a job id as its text (`needs: 3` names job '3').
std::vector<std::string> needs_of(const json& job) {
  const json* needs = member(job, "needs");
  if (!needs) return {};
  const auto text = [](const json& v) -> std::optional<std::string> {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number() || v.is_boolean()) return util::dump(v);
    return std::nullopt;
  };
  std::vector<std::string> out;
  if (!needs->is_array()) {
    if (auto t = text(*needs)) out.push_back(*t);
    return out;
  }
  for (const json& item : *needs)
    if (auto t = text(item)) out.push_back(*t);
  return out;
}

namespace {

// Strongly connected components of the needs graph (Tarjan, iterative so a 10,000-job
// chain cannot overflow the stack): each job and edge is visited once.
std::vector<std::vector<std::size_t>> components(const std::vector<std::vector<std::size_t>>& edges) {
  const std::size_t n = edges.size();
  constexpr std::size_t unseen = static_cast<std::size_t>(-1);
  std::vector<std::size_t> index(n, unseen), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::vector<std::vector<std::size_t>> out;
  std::size_t counter = 0;
  for (std::size_t root = 0; root < n; ++root) {
    if (index[root] != unseen) continue;
    std::vector<std::pair<std::size_t, std::size_t>> work{{root, 0}};  // node, next edge
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!work.empty()) {
      auto& [v, next] = work.back();
      if (next < edges[v].size()) {
        const std::size_t w = edges[v][next++];
        if (index[w] == unseen) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = true;
          work.emplace_back(w, 0);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      const std::size_t done = v;
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
      if (low[done] != index[done]) continue;
      std::vector<std::size_t> component;
      std::size_t w = 0;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component.push_back(w);
      } while (w != done);
      out.push_back(std::move(component));
    }
  }
  return out;
}

// The shortest cycle from `start` back to it inside its component (breadth first).
std::vector<std::size_t> shortest_cycle(std::size_t start, const std::vector<std::vector<std::size_t>>& edges,
                                        const std::vector<std::size_t>& component_of) {
  std::map<std::size_t, std::size_t> parent;
  std::deque<std::size_t> queue{start};
  while (!queue.empty()) {
    const std::size_t v = queue.front();
    queue.pop_front();
    for (std::size_t w : edges[v]) {
      if (component_of[w] != component_of[start]) continue;
      if (w == start) {
        std::vector<std::size_t> path{v};
        while (path.back() != start) path.push_back(parent.at(path.back()));
        std::reverse(path.begin(), path.end());
        return path;
      }
      if (parent.emplace(w, v).second) queue.push_back(w);
    }
  }
  return {start};
}

void check_needs(Linter& linter) {
  const json& jobs = linter.jobs();
  std::vector<std::string> names;
  std::map<std::string, std::size_t, std::less<>> id;
  for (const auto& [name, job] : jobs.items()) {
    id.emplace(name, names.size());
    names.push_back(name);
  }
  std::vector<std::vector<std::size_t>> edges(names.size());
  for (const auto& [name, job] : jobs.items()) {
    const std::vector<std::string> needs = needs_of(job);
    for (std::size_t i = 0; i < needs.size(); ++i) {
      if (auto it = id.find(needs[i]); it != id.end()) {
        edges[id.at(name)].push_back(it->second);
        continue;
      }
      linter.report("needs", needs_pointer(pointer_append("/jobs", name), job, i),
                    fmt::format("job '{}' does not exist (jobs: {})", needs[i], util::join(names, ", ")));
    }
  }
  // One report per cycle, at the key of its alphabetically first job (names are sorted, so
  // that is the component's smallest index), so the same cycle reads the same however the jobs
  // are ordered. A cycle belongs to its jobs, not to one `needs` entry: the job's key is where
  // actionlint reports it too.
  const auto sccs = components(edges);
  std::vector<std::size_t> component_of(names.size());
  for (std::size_t c = 0; c < sccs.size(); ++c)
    for (std::size_t v : sccs[c]) component_of[v] = c;
  for (const auto& component : sccs) {
    const std::size_t start = *std::min_element(component.begin(), component.end());
    const bool self_loop = std::find(edges[start].begin(), edges[start].end(), start) != edges[start].end();
    if (component.size() == 1 && !self_loop) continue;
    const std::vector<std::size_t> cycle = shortest_cycle(start, edges, component_of);
    std::vector<std::string> path;
    for (std::size_t v : cycle) path.push_back(names[v]);
    linter.report("needs", pointer_append("/jobs", names[start]),
                  fmt::format("needs cycle: {} → {}", util::join(path, " → "), names[start]), true);
  }
}

// Required parameters the call does not pass, and passed ones the callee does not declare.
void check_call_arguments(Linter& linter, const std::string& at, const json& job, const CalledWorkflow& callee,
                          const char* passed_key, const char* declared_key, std::string_view noun) {
  const json* declared = member(callee.call, declared_key);
  const json* passed = member(job, passed_key);
  const bool has_passed = passed && passed->is_object();
  if (declared && declared->is_object())
    for (const auto& [name, spec] : declared->items()) {
      if (member(passed, name) || !spec.is_object() || spec.value("required", json(false)) != true) continue;
      linter.report("reusable-call", has_passed ? pointer_append(at, passed_key) : pointer_append(at, "uses"),
                    fmt::format("required {} '{}' of {} is not passed", noun, name, callee.name), has_passed);
    }
  if (!has_passed) return;
  for (const auto& [name, value] : passed->items()) {
    if (member(declared, name)) continue;
    linter.report("reusable-call", pointer_append(pointer_append(at, passed_key), name),
                  fmt::format("{} declares no {} '{}' ({}: {})", callee.name, noun, name, declared_key,
                              list_or_none(keys_of(declared))),
                  true);
  }
}

void check_reusable_call(Linter& linter, const std::string& at, const json& job) {
  const std::string* uses = text_of(member(job, "uses"));
  if (!uses) return;
  const CalledWorkflow* callee = linter.called_workflow(*uses);
  if (!callee) return;
  const std::string uses_at = pointer_append(at, "uses");
  switch (callee->state) {
    case CalledWorkflow::State::missing:
      return linter.report("reusable-call", uses_at, fmt::format("called workflow {} does not exist", callee->shown));
    case CalledWorkflow::State::unparsable:
      return linter.report("reusable-call", uses_at,
                           fmt::format("called workflow {} is not valid YAML; run forgeline validate on it", callee->shown));
    case CalledWorkflow::State::not_callable:
      return linter.report("reusable-call", uses_at,
                           fmt::format("called workflow {} has no on.workflow_call trigger", callee->shown));
    case CalledWorkflow::State::ok:
      break;
  }
  check_call_arguments(linter, at, job, *callee, "with", "inputs", "input");
  const std::string* secrets = text_of(member(job, "secrets"));
  if (!secrets || *secrets != "inherit") check_call_arguments(linter, at, job, *callee, "secrets", "secrets", "secret");
}

}  // namespace

std::optional<std::vector<std::string>> outputs_of(Linter& linter, const json& job) {
  const std::string* uses = text_of(member(job, "uses"));
  if (!uses) return keys_of(member(job, "outputs"));
  const CalledWorkflow* callee = linter.called_workflow(*uses);
  if (!callee || callee->state != CalledWorkflow::State::ok) return std::nullopt;
  return keys_of(member(callee->call, "outputs"));
}

void lint_jobs(Linter& linter) {
  check_needs(linter);
  for (const auto& [id, job] : linter.jobs().items())
    if (member(job, "uses")) check_reusable_call(linter, pointer_append("/jobs", id), job);
}

}  // namespace forgeline::validate
