#include "validate/lints.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "util/files.hpp"
#include "util/strings.hpp"
#include "validate/expression.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

// GitHub's limit on the jobs one matrix may make in a workflow run.
constexpr std::uint64_t max_matrix_jobs = 256;

constexpr std::string_view local_workflow_prefix = "./.github/workflows/";

std::uint64_t add_saturating(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

std::uint64_t mul_saturating(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

std::string list_or_none(const std::vector<std::string>& names) {
  return names.empty() ? "none" : util::join(names, ", ");
}

std::vector<std::string> keys_of(const json& object) {
  std::vector<std::string> out;
  if (object.is_object())
    for (const auto& [key, value] : object.items()) out.push_back(key);
  return out;
}

std::string as_text(const json& scalar) { return scalar.is_string() ? scalar.get<std::string>() : scalar.dump(); }

bool has_key(const json& object, std::string_view key) {
  return object.is_object() && object.contains(key);
}

// A matrix reduced to what counting needs: axes by index, excludes as (axis, value) constraints.
class MatrixCounter {
 public:
  static std::optional<MatrixCounter> of(const json& matrix) {
    MatrixCounter c;
    std::map<std::string, std::size_t> index;
    for (const auto& [key, value] : matrix.items()) {
      if (key == "include" || key == "exclude") continue;
      if (!value.is_array()) return std::nullopt;
      index.emplace(key, c.axes_.size());
      c.axes_.push_back(&value);
    }
    for (const char* list : {"include", "exclude"})
      if (has_key(matrix, list) && !matrix[list].is_array()) return std::nullopt;
    if (has_key(matrix, "exclude"))
      for (const json& entry : matrix["exclude"]) {
        Constraints constraints;
        bool matchable = true;
        for (const auto& [key, value] : entry.items()) {
          auto it = index.find(key);
          // GitHub rejects an exclude key that is no axis; such an entry excludes nothing here.
          if (it == index.end()) matchable = false;
          else constraints.emplace_back(it->second, &value);
        }
        if (matchable && !constraints.empty()) c.excludes_.push_back(std::move(constraints));
      }
    if (has_key(matrix, "include"))
      for (const json& entry : matrix["include"]) {
        Constraints constraints;
        for (const auto& [key, value] : entry.items())
          if (auto it = index.find(key); it != index.end()) constraints.emplace_back(it->second, &value);
        c.includes_.push_back(std::move(constraints));
      }
    return c;
  }

  std::uint64_t jobs() const {
    // Without axes there is no original combination: every include entry is a job of its own.
    if (axes_.empty()) return includes_.size();
    std::vector<std::size_t> all(excludes_.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::uint64_t total = remaining(0, all, {});
    for (const Constraints& include : includes_)
      if (remaining(0, all, include) == 0) total = add_saturating(total, 1);
    return total;
  }

 private:
  using Constraints = std::vector<std::pair<std::size_t, const json*>>;

  static const json* constraint_on(const Constraints& cs, std::size_t axis) {
    for (const auto& [a, value] : cs)
      if (a == axis) return value;
    return nullptr;
  }

  // Combinations of axes k.. that agree with `fixed` and that no exclude in `alive` (those
  // matching every axis before k) matches. Values no alive exclude names share one subtree,
  // so the work grows with the excludes, not with the size of the product.
  std::uint64_t remaining(std::size_t k, const std::vector<std::size_t>& alive, const Constraints& fixed) const {
    for (std::size_t e : alive) {
      const bool constrains_rest = std::any_of(excludes_[e].begin(), excludes_[e].end(),
                                               [&](const auto& c) { return c.first >= k; });
      if (!constrains_rest) return 0;  // matched on every axis it names
    }
    if (k == axes_.size()) return 1;
    const json* pinned = constraint_on(fixed, k);
    std::vector<std::size_t> unnamed_alive;
    for (std::size_t e : alive)
      if (!constraint_on(excludes_[e], k)) unnamed_alive.push_back(e);
    std::uint64_t unnamed_values = 0;
    std::uint64_t total = 0;
    for (const json& value : *axes_[k]) {
      if (pinned && *pinned != value) continue;
      std::vector<std::size_t> next = unnamed_alive;
      for (std::size_t e : alive)
        if (const json* v = constraint_on(excludes_[e], k); v && *v == value) next.push_back(e);
      if (next.size() == unnamed_alive.size()) ++unnamed_values;
      else total = add_saturating(total, remaining(k + 1, next, fixed));
    }
    if (unnamed_values > 0) total = add_saturating(total, mul_saturating(unnamed_values, remaining(k + 1, unnamed_alive, fixed)));
    return total;
  }

  std::vector<const json*> axes_;  // in key order
  std::vector<Constraints> excludes_;
  std::vector<Constraints> includes_;  // only the keys that are axes
};

// Where `timeout-minutes` may go on a job's runner; nullopt when the runner is unknown.
struct RunnerLimit {
  double minutes;
  std::string_view what;
};

std::optional<RunnerLimit> runner_limit(const json& runs_on) {
  std::vector<std::string> labels;
  const json& list = runs_on.is_object() ? runs_on.value("labels", json::array()) : runs_on;
  if (list.is_string()) labels.push_back(list);
  else
    for (const json& l : list) labels.push_back(l.get<std::string>());
  if (labels.empty()) return std::nullopt;  // a runner group alone: its runners are unknown
  for (const std::string& l : labels)
    if (util::contains(l, "${{")) return std::nullopt;
  if (std::find(labels.begin(), labels.end(), "self-hosted") != labels.end())
    return RunnerLimit{7200, "the 7200-minute (5-day) job limit of self-hosted runners"};
  if (std::find(labels.begin(), labels.end(), "ubuntu-slim") != labels.end())
    return RunnerLimit{15, "the 15-minute job limit of ubuntu-slim runners"};
  // GitHub-hosted images, standard and larger, are named after their OS.
  const bool hosted = std::all_of(labels.begin(), labels.end(), [](const std::string& l) {
    return l.starts_with("ubuntu-") || l.starts_with("windows-") || l.starts_with("macos-");
  });
  if (hosted) return RunnerLimit{360, "the 360-minute job limit of GitHub-hosted runners"};
  return std::nullopt;
}

// The `on.workflow_call` mapping of a workflow (empty when given without settings), or null
// when the workflow cannot be called.
const json* workflow_call_of(const json& workflow) {
  static const json empty = json::object();
  if (!has_key(workflow, "on")) return nullptr;
  const json& on = workflow["on"];
  if (on.is_string()) return on == "workflow_call" ? &empty : nullptr;
  if (on.is_array()) return std::find(on.begin(), on.end(), "workflow_call") != on.end() ? &empty : nullptr;
  if (!has_key(on, "workflow_call")) return nullptr;
  const json& call = on["workflow_call"];
  return call.is_object() ? &call : &empty;
}

std::vector<std::string> needs_of(const json& job) {
  if (!has_key(job, "needs")) return {};
  const json& needs = job["needs"];
  if (needs.is_string()) return {needs.get<std::string>()};
  std::vector<std::string> out;
  for (const json& n : needs) out.push_back(n.get<std::string>());
  return out;
}

std::string needs_pointer(const std::string& job_pointer, const json& job, std::size_t index) {
  const std::string p = pointer_append(job_pointer, "needs");
  return job["needs"].is_string() ? p : pointer_append(p, index);
}

// One context path read somewhere in a job, with what is known at that place.
struct Use {
  std::string pointer;
  ContextPath path;
  std::size_t steps_run = 0;  // how many of the job's steps have finished where it is read
  bool in_run = false;        // inside a step's `run:` script
};

// A workflow named by a local reusable call, read once per lint run.
struct Callee {
  enum class State { ok, missing, unparsable, not_callable } state = State::ok;
  std::string shown;  // the path as the user should look for it
  std::string name;   // the file name, as the call names it
  json workflow;
  const json* call = nullptr;  // its on.workflow_call
};

class Linter {
 public:
  Linter(const util::YamlDocument& doc, const LintOptions& options) : doc_(doc), options_(options) {}

  util::Diagnostics run() {
    const json& root = doc_.value;
    if (!has_key(root, "permissions"))
      report("", "no workflow-level permissions block, so every job gets the repository's default token "
                 "permissions; add one granting the least the jobs need (e.g. permissions: {contents: read})",
             "permissions");
    check_choice_defaults();
    check_needs_graph();
    for (const auto& [id, job] : root["jobs"].items()) check_job(id, job);
    util::sort(out_);
    out_.erase(std::unique(out_.begin(), out_.end(),
                           [](const auto& a, const auto& b) {
                             return a.where.line == b.where.line && a.where.column == b.where.column &&
                                    a.message == b.message;
                           }),
               out_.end());
    return std::move(out_);
  }

 private:
  void report(std::string_view pointer, std::string_view message, std::string_view lint, bool at_key = false) {
    util::Location where = at_key ? doc_.marks.key_at(pointer) : doc_.marks.value_at(pointer);
    out_.push_back(util::error_at(std::move(where),
                                  fmt::format("{}: {} [{}]", pointer.empty() ? "/" : pointer, message, lint)));
  }

  void check_choice_defaults() {
    const json& on = doc_.value["on"];
    if (!has_key(on, "workflow_dispatch") || !has_key(on["workflow_dispatch"], "inputs")) return;
    for (const auto& [name, input] : on["workflow_dispatch"]["inputs"].items()) {
      if (input.value("type", "") != "choice" || !input.contains("default")) continue;
      // GitHub passes every input as text, so `default: 1` matches the option '1'.
      std::vector<std::string> options;
      for (const json& o : input["options"]) options.push_back(as_text(o));
      const std::string chosen = as_text(input["default"]);
      if (std::find(options.begin(), options.end(), chosen) != options.end()) continue;
      report(pointer_append(pointer_append("/on/workflow_dispatch/inputs", name), "default"),
             fmt::format("default '{}' is not one of the options ({})", chosen, util::join(options, ", ")),
             "choice-default");
    }
  }

  void check_needs_graph() {
    const json& jobs = doc_.value["jobs"];
    const std::vector<std::string> names = keys_of(jobs);
    std::map<std::string, std::vector<std::string>> edges;
    for (const auto& [id, job] : jobs.items()) {
      const std::vector<std::string> needs = needs_of(job);
      for (std::size_t i = 0; i < needs.size(); ++i) {
        if (jobs.contains(needs[i])) {
          edges[id].push_back(needs[i]);
          continue;
        }
        report(needs_pointer(pointer_append("/jobs", id), job, i),
               fmt::format("job '{}' does not exist (jobs: {})", needs[i], util::join(names, ", ")), "needs");
      }
    }
    report_cycles(edges);
  }

  // One report per cycle, at the `needs` entry of its alphabetically first job, so the
  // same cycle reads the same however the jobs are ordered.
  void report_cycles(const std::map<std::string, std::vector<std::string>>& edges) {
    std::set<std::string> reported;
    for (const auto& [start, next] : edges) {
      if (reported.contains(start)) continue;
      std::vector<std::string> path = cycle_from(start, edges);
      if (path.empty()) continue;
      if (*std::min_element(path.begin(), path.end()) != start) continue;  // reported from its first job
      for (const std::string& j : path) reported.insert(j);
      const json& job = doc_.value["jobs"][start];
      const std::vector<std::string> needs = needs_of(job);
      const std::size_t i = std::find(needs.begin(), needs.end(), path.size() > 1 ? path[1] : start) - needs.begin();
      report(needs_pointer(pointer_append("/jobs", start), job, i),
             fmt::format("needs cycle: {} → {}", util::join(path, " → "), start),
             "needs");
    }
  }

  // The shortest path start → … → start along needs (breadth first), without the final
  // start; empty when start is on no cycle.
  static std::vector<std::string> cycle_from(const std::string& start,
                                             const std::map<std::string, std::vector<std::string>>& edges) {
    std::map<std::string, std::string> parent;
    std::vector<std::string> frontier{start};
    while (!frontier.empty()) {
      std::vector<std::string> next;
      for (const std::string& j : frontier) {
        auto it = edges.find(j);
        if (it == edges.end()) continue;
        for (const std::string& n : it->second) {
          if (n == start) {
            std::vector<std::string> path{j};
            while (path.back() != start) path.push_back(parent.at(path.back()));
            std::reverse(path.begin(), path.end());
            return path;
          }
          if (parent.emplace(n, j).second) next.push_back(n);
        }
      }
      frontier = std::move(next);
    }
    return {};
  }

  void check_job(const std::string& id, const json& job) {
    const std::string at = pointer_append("/jobs", id);
    const std::vector<Use> uses = uses_in(at, job);
    check_matrix_context(id, job, uses);
    check_needs_context(id, job, uses);
    if (job.contains("steps")) {
      check_steps(id, at, job, uses);
    } else {
      check_reusable_call(at, job);
    }
    check_timeout(at, job);
    check_matrix_size(at, job);
  }

  // Every context path the job's strings read. `if:` is an expression even without ${{ }}.
  static std::vector<Use> uses_in(const std::string& at, const json& job) {
    std::vector<Use> out;
    const std::size_t step_count = job.contains("steps") ? job["steps"].size() : 0;
    for (const auto& [key, value] : job.items()) {
      const std::string p = pointer_append(at, key);
      if (key == "steps") {
        for (std::size_t i = 0; i < value.size(); ++i)
          for (const auto& [step_key, step_value] : value[i].items())
            collect(pointer_append(pointer_append(p, i), step_key), step_value, step_key == "if",
                    Use{{}, {}, i, step_key == "run"}, out);
      } else {
        // Only the job's outputs and environment URL are evaluated after its steps.
        const std::size_t steps_run = key == "outputs" || key == "environment" ? step_count : 0;
        collect(p, value, key == "if", Use{{}, {}, steps_run, false}, out);
      }
    }
    return out;
  }

  static void collect(const std::string& pointer, const json& value, bool condition, const Use& where,
                      std::vector<Use>& out) {
    if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      for (ContextPath& path : condition ? condition_paths(text) : template_paths(text))
        out.push_back(Use{pointer, std::move(path), where.steps_run, where.in_run});
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) collect(pointer_append(pointer, i), value[i], false, where, out);
    } else if (value.is_object()) {
      for (const auto& [key, item] : value.items()) collect(pointer_append(pointer, key), item, false, where, out);
    }
  }

  void check_matrix_context(const std::string& id, const json& job, const std::vector<Use>& uses) {
    const json* matrix = job.contains("strategy") && job["strategy"].contains("matrix") ? &job["strategy"]["matrix"] : nullptr;
    // An expression matrix (or include list) has axes only known at run time.
    if (matrix && (matrix->is_string() || (matrix->contains("include") && (*matrix)["include"].is_string()))) return;
    std::set<std::string> axes;
    if (matrix) {
      for (const auto& [key, value] : matrix->items())
        if (key != "include" && key != "exclude") axes.insert(key);
      if (matrix->contains("include"))
        for (const json& entry : (*matrix)["include"])
          for (const auto& [key, value] : entry.items()) axes.insert(key);
    }
    for (const Use& use : uses) {
      if (use.path.segments[0] != "matrix" || use.path.segments.size() < 2 || use.path.segments[1] == "*") continue;
      if (axes.contains(use.path.segments[1])) continue;
      if (!matrix)
        report(use.pointer, fmt::format("matrix.{} is used, but job '{}' has no matrix", use.path.segments[1], id),
               "matrix-context");
      else
        report(use.pointer,
               fmt::format("matrix.{} is not an axis of job '{}' (axes: {})", use.path.segments[1], id,
                           util::join(std::vector(axes.begin(), axes.end()), ", ")),
               "matrix-context");
    }
  }

  void check_needs_context(const std::string& id, const json& job, const std::vector<Use>& uses) {
    const std::vector<std::string> needs = needs_of(job);
    const json& jobs = doc_.value["jobs"];
    for (const Use& use : uses) {
      const auto& s = use.path.segments;
      if (s[0] != "needs" || s.size() < 2 || s[1] == "*") continue;
      if (std::find(needs.begin(), needs.end(), s[1]) == needs.end()) {
        report(use.pointer,
               fmt::format("{} reads job '{}', which is not in the needs of job '{}' (needs: {})", use.path.text(), s[1],
                           id, list_or_none(needs)),
               "needs-context");
        continue;
      }
      if (s.size() < 4 || s[2] != "outputs" || s[3] == "*" || !jobs.contains(s[1])) continue;
      const std::optional<std::vector<std::string>> outputs = outputs_of(jobs[s[1]]);
      if (!outputs || std::find(outputs->begin(), outputs->end(), s[3]) != outputs->end()) continue;
      report(use.pointer,
             fmt::format("{} is not an output of job '{}' (outputs: {})", use.path.text(), s[1], list_or_none(*outputs)),
             "needs-context");
    }
  }

  // The outputs a job declares; for a local reusable call, its workflow's. nullopt when unknown.
  std::optional<std::vector<std::string>> outputs_of(const json& job) {
    if (!job.contains("uses")) return keys_of(job.value("outputs", json::object()));
    const Callee* callee = callee_of(job["uses"].get<std::string>());
    if (!callee || callee->state != Callee::State::ok) return std::nullopt;
    return keys_of(callee->call->value("outputs", json::object()));
  }

  void check_steps(const std::string& id, const std::string& at, const json& job, const std::vector<Use>& uses) {
    const json& steps = job["steps"];
    const std::string steps_at = pointer_append(at, "steps");
    std::vector<std::string> ids;  // by step index; "" for a step without id
    std::map<std::string, std::size_t> first;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::string step = pointer_append(steps_at, i);
      ids.push_back(steps[i].value("id", ""));
      if (auto [it, fresh] = first.emplace(ids.back(), i); !fresh && !ids.back().empty()) {
        const int line = doc_.marks.value_at(pointer_append(pointer_append(steps_at, it->second), "id")).line;
        report(pointer_append(step, "id"), fmt::format("duplicate step id '{}' (first used at line {})", ids.back(), line),
               "step-id");
      }
      if (steps[i].contains("uses")) check_action_ref(pointer_append(step, "uses"), steps[i]["uses"]);
    }
    std::vector<std::string> named;
    for (const std::string& s : ids)
      if (!s.empty()) named.push_back(s);
    for (const Use& use : uses) {
      const auto& s = use.path.segments;
      if (s[0] == "steps" && s.size() >= 2 && s[1] != "*") {
        auto it = first.find(s[1]);
        if (it == first.end())
          report(use.pointer,
                 fmt::format("{} refers to no step of job '{}' (step ids: {})", use.path.text(), id, list_or_none(named)),
                 "steps-context");
        else if (it->second >= use.steps_run)
          report(use.pointer, fmt::format("{} refers to step '{}', which has not run yet here", use.path.text(), s[1]),
                 "steps-context");
      }
      const bool untrusted = use.path.starts_with({"github", "event"}) || use.path.starts_with({"github", "head_ref"}) ||
                             s[0] == "inputs";
      if (use.in_run && untrusted)
        report(use.pointer,
               fmt::format("{} is expanded into the script, where it can inject commands; pass it through env: "
                           "and use the variable instead",
                           use.path.text()),
               "untrusted-input");
    }
  }

  void check_action_ref(const std::string& pointer, const json& uses) {
    const std::string& action = uses.get_ref<const std::string&>();
    if (action.starts_with("./") || action.starts_with("docker://")) return;
    const std::size_t at = action.find('@');
    if (at != std::string::npos && at + 1 < action.size()) return;
    const std::string name = action.substr(0, at);
    report(pointer, fmt::format("{} has no version; pin it as {}@<tag> or {}@<commit SHA>", action, name, name),
           "action-ref");
  }

  void check_reusable_call(const std::string& at, const json& job) {
    const std::string& uses = job["uses"].get_ref<const std::string&>();
    const Callee* callee = callee_of(uses);
    if (!callee) return;
    const std::string uses_at = pointer_append(at, "uses");
    switch (callee->state) {
      case Callee::State::missing:
        return report(uses_at, fmt::format("called workflow {} does not exist", callee->shown), "reusable-call");
      case Callee::State::unparsable:
        return report(uses_at, fmt::format("called workflow {} is not valid YAML; run forgeline validate on it", callee->shown),
                      "reusable-call");
      case Callee::State::not_callable:
        return report(uses_at, fmt::format("called workflow {} has no on.workflow_call trigger", callee->shown),
                      "reusable-call");
      case Callee::State::ok:
        break;
    }
    check_call_arguments(at, job, *callee, "with", "inputs", "input");
    if (job.value("secrets", json()) != "inherit") check_call_arguments(at, job, *callee, "secrets", "secrets", "secret");
  }

  // Required parameters the call does not pass, and passed ones the callee does not declare.
  void check_call_arguments(const std::string& at, const json& job, const Callee& callee, const char* passed_key,
                            const char* declared_key, std::string_view noun) {
    const json& declared = callee.call->value(declared_key, json::object());
    const json& passed = job.value(passed_key, json::object());
    const bool has_passed = job.contains(passed_key);
    for (const auto& [name, spec] : declared.items()) {
      if (passed.contains(name) || !spec.is_object() || spec.value("required", false) != true) continue;
      report(has_passed ? pointer_append(at, passed_key) : pointer_append(at, "uses"),
             fmt::format("required {} '{}' of {} is not passed", noun, name, callee.name), "reusable-call", has_passed);
    }
    for (const auto& [name, value] : passed.items()) {
      if (declared.contains(name)) continue;
      report(pointer_append(pointer_append(at, passed_key), name),
             fmt::format("{} declares no {} '{}' ({}: {})", callee.name, noun, name, declared_key,
                         list_or_none(keys_of(declared))),
             "reusable-call", true);
    }
  }

  // The workflow a local call names, read and parsed once; null for a remote call or
  // when no folder is known.
  const Callee* callee_of(const std::string& uses) {
    if (!uses.starts_with(local_workflow_prefix) || !options_.folder) return nullptr;
    auto [it, fresh] = callees_.try_emplace(uses);
    Callee& c = it->second;
    if (!fresh) return &c;
    c.name = uses.substr(local_workflow_prefix.size());
    const std::filesystem::path path = *options_.folder / c.name;
    c.shown = path.generic_string();
    auto text = util::read_file(path);
    if (!text) {
      c.state = Callee::State::missing;
      return &c;
    }
    auto parsed = util::parse_yaml(*text, c.shown);
    if (!parsed) {
      c.state = Callee::State::unparsable;
      return &c;
    }
    c.workflow = std::move(parsed->value);
    c.call = workflow_call_of(c.workflow);
    if (!c.call) c.state = Callee::State::not_callable;
    return &c;
  }

  void check_timeout(const std::string& at, const json& job) {
    if (!job.contains("timeout-minutes") || !job["timeout-minutes"].is_number() || !job.contains("runs-on")) return;
    const std::optional<RunnerLimit> limit = runner_limit(job["runs-on"]);
    const json& minutes = job["timeout-minutes"];
    if (!limit || minutes.get<double>() <= limit->minutes) return;
    report(pointer_append(at, "timeout-minutes"), fmt::format("{} minutes is over {}", minutes.dump(), limit->what),
           "timeout");
  }

  void check_matrix_size(const std::string& at, const json& job) {
    if (!job.contains("strategy") || !job["strategy"].contains("matrix")) return;
    const json& matrix = job["strategy"]["matrix"];
    if (!matrix.is_object()) return;
    const std::optional<MatrixCounter> counter = MatrixCounter::of(matrix);
    if (!counter) return;
    const std::uint64_t jobs = counter->jobs();
    if (jobs <= max_matrix_jobs) return;
    std::vector<std::string> sizes;
    for (const auto& [key, value] : matrix.items())
      if (key != "include" && key != "exclude") sizes.push_back(fmt::format("{} {}", key, value.size()));
    report(pointer_append(pointer_append(at, "strategy"), "matrix"),
           fmt::format("expands to {} jobs ({}{}), over GitHub's limit of {} per matrix; split the job or shard the matrix",
                       jobs, util::join(sizes, " × "),
                       matrix.contains("include") || matrix.contains("exclude") ? " with include/exclude" : "",
                       max_matrix_jobs),
           "matrix-size");
  }

  const util::YamlDocument& doc_;
  const LintOptions& options_;
  std::map<std::string, Callee> callees_;
  util::Diagnostics out_;
};

}  // namespace

std::optional<std::uint64_t> matrix_job_count(const json& matrix) {
  if (!matrix.is_object()) return std::nullopt;
  const std::optional<MatrixCounter> counter = MatrixCounter::of(matrix);
  if (!counter) return std::nullopt;
  return counter->jobs();
}

util::Diagnostics lint_workflow(const util::YamlDocument& doc, const LintOptions& options) {
  return Linter(doc, options).run();
}

}  // namespace forgeline::validate
