#include "rehearse/rehearse.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <system_error>

#include <fmt/format.h>

#include "expr/evaluate.hpp"
#include "rehearse/actions.hpp"
#include "rehearse/contexts.hpp"
#include "rehearse/expressions.hpp"
#include "rehearse/graph.hpp"
#include "rehearse/matrix.hpp"
#include "rehearse/shim.hpp"
#include "rehearse/steps.hpp"
#include "rehearse/workflow.hpp"
#include "util/files.hpp"
#include "util/json_object.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// GitHub allows reusable workflows to call others up to ten levels deep (docs.github.com,
/// "Reusing workflows", Limitations).
constexpr int max_call_depth = 10;

/// A called workflow's path from `uses: ./.github/workflows/x.yml`; empty for other forms.
std::string local_workflow(const std::string& uses) {
  if (!uses.starts_with("./")) return "";
  return fs::path(uses.substr(2)).lexically_normal().generic_string();
}

/// How a job ended, as `needs` and the caller's `jobs` context read it.
struct JobState {
  Result result = Result::success;
  json outputs = json::object();
};
using States = std::map<std::string, JobState>;

class Rehearsal {
 public:
  explicit Rehearsal(Session& s) : s_(s) {}

  /// Loads the workflow and everything it calls, checking each once.
  util::Diagnostics load(const std::string& path, const util::Location& from, int depth);
  const Workflow& workflow(const std::string& path) const { return workflows_.at(path); }

  States run_workflow(const Workflow& wf, const json& inputs, const json& secrets, const std::string& prefix, int depth);

 private:
  util::Diagnostics check(const Workflow& wf, int depth);
  JobState run_job(const Workflow& wf, const Job& job, const States& done, const json& inputs, const json& secrets,
                   const std::string& prefix, int depth);
  JobState run_call(const Workflow& wf, const Job& job, const json& contexts, const std::string& id, int depth);
  void finished(const JobReport& report);

  Session& s_;
  std::map<std::string, Workflow> workflows_;
};

util::Diagnostics Rehearsal::load(const std::string& path, const util::Location& from, int depth) {
  if (workflows_.contains(path)) return {};
  auto wf = read_workflow(s_.options.repository, path);
  if (!wf) {
    if (from.line > 0 && wf.error().size() == 1 && wf.error()[0].where.line == 0)
      return {util::error_at(from, fmt::format("the called workflow {} cannot be read", path))};
    return wf.error();
  }
  if (auto order = job_order(*wf); !order) return order.error();
  auto [it, fresh] = workflows_.emplace(path, std::move(*wf));
  return check(it->second, depth);
}

util::Diagnostics Rehearsal::check(const Workflow& wf, int depth) {
  util::Diagnostics out = check_expressions(wf, "", wf.document);
  for (const Job& job : wf.jobs) {
    const std::string uses_at = util::pointer_append(job.pointer, "uses");
    if (!job.uses.empty()) {
      const std::string called = local_workflow(job.uses);
      if (called.empty()) {
        out.push_back(util::error_at(wf.marks.value_at(uses_at),
                                     fmt::format("calling {} is not rehearsed: only reusable workflows of this repository "
                                                 "(./.github/workflows/…) are",
                                                 job.uses)));
        continue;
      }
      if (depth + 1 > max_call_depth) {
        out.push_back(util::error_at(wf.marks.value_at(uses_at), "reusable workflows nest deeper than GitHub's 10 levels"));
        continue;
      }
      auto more = load(called, wf.marks.value_at(uses_at), depth + 1);
      out.insert(out.end(), more.begin(), more.end());
      if (more.empty() && !workflows_.at(called).on.contains("workflow_call"))
        out.push_back(util::error_at(wf.marks.value_at(uses_at),
                                     fmt::format("{} has no workflow_call trigger, so it cannot be called", called)));
    }
    for (const Step& step : job.steps) {
      if (step.uses.empty() || known_action(step.uses)) continue;
      std::vector<std::string> known;
      for (const auto& a : known_actions()) known.push_back(std::string(a.repo));
      out.push_back(util::error_at(
          wf.marks.value_at(util::pointer_append(step.pointer, "uses")),
          fmt::format("the action {} has no local equivalent in forgeline rehearse (it knows {})", step.uses,
                      util::join(known, ", "))));
    }
  }
  return out;
}

void Rehearsal::finished(const JobReport& report) {
  if (report.result == Result::failure && s_.report.failure.empty()) {
    s_.report.failure = fmt::format("job {} failed: {}", report.id, report.why);
    for (const auto& step : report.steps)
      if (step.result == Result::failure && !step.tail.empty()) {
        s_.report.failure_tail = step.tail;
        break;
      }
  }
  if (!s_.options.dry_run)
    std::cerr << fmt::format("==> {}: {}\n", report.id, result_name(report.result));
  s_.report.jobs.push_back(report);
}

JobState Rehearsal::run_call(const Workflow& wf, const Job& job, const json& contexts, const std::string& id, int depth) {
  const Workflow& callee = workflows_.at(local_workflow(job.uses));
  expr::Scope scope;
  scope.contexts = contexts;
  JobReport failed_call;
  failed_call.id = id;
  failed_call.workflow = wf.path;
  failed_call.result = Result::failure;
  auto with = evaluate_value(wf, util::pointer_append(job.pointer, "with"), job.with, scope);
  if (!with) {
    failed_call.why = util::format(with.error());
    finished(failed_call);
    return {Result::failure};
  }
  std::map<std::string, json> given;
  for (const auto& [k, v] : with->items()) given[k] = v;
  const json& call = callee.on["workflow_call"];
  auto inputs = typed_inputs(call.is_object() ? call.value("inputs", json::object()) : json::object(), given);
  if (!inputs) {
    failed_call.why = fmt::format("calling {}: {}", callee.path, inputs.error().message);
    finished(failed_call);
    return {Result::failure};
  }
  json secrets = util::object({{"GITHUB_TOKEN", contexts["secrets"].value("GITHUB_TOKEN", "")}});
  if (job.secrets.is_string() && job.secrets == "inherit") {
    secrets = contexts["secrets"];
  } else if (job.secrets.is_object()) {
    auto passed = evaluate_value(wf, util::pointer_append(job.pointer, "secrets"), job.secrets, scope);
    if (!passed) {
      failed_call.why = util::format(passed.error());
      finished(failed_call);
      return {Result::failure};
    }
    for (const auto& [k, v] : passed->items()) secrets[k] = expr::to_string(v);
  }
  const States states = run_workflow(callee, *inputs, secrets, id + " / ", depth + 1);
  JobState out;
  json jobs = json::object();
  for (const auto& [name, state] : states) {
    jobs[name] = util::object({{"result", result_name(state.result)}, {"outputs", state.outputs}});
    if (state.result == Result::failure || state.result == Result::cancelled) out.result = Result::failure;
  }
  expr::Scope outputs_scope;
  outputs_scope.contexts =
      util::object({{"github", contexts["github"]}, {"inputs", *inputs}, {"jobs", jobs}, {"vars", contexts["vars"]}});
  if (call.is_object() && call.contains("outputs") && call["outputs"].is_object())
    for (const auto& [name, spec] : call["outputs"].items()) {
      if (!spec.is_object() || !spec.contains("value")) continue;
      auto v = evaluate_string(callee, "/on/workflow_call/outputs/" + name + "/value", spec["value"], outputs_scope);
      out.outputs[name] = v ? *v : "";
    }
  return out;
}

JobState Rehearsal::run_job(const Workflow& wf, const Job& job, const States& done, const json& inputs,
                            const json& secrets, const std::string& prefix, int depth) {
  json needs = json::object();
  for (const auto& n : job.needs)
    needs[n] = util::object({{"result", result_name(done.at(n).result)}, {"outputs", done.at(n).outputs}});
  // The status functions in a job's `if:` read every job it depends on, directly or not: a
  // skipped grandparent makes success() false, and failure() too unless one failed.
  std::map<std::string, Result> results;
  for (const auto& [name, state] : done) results[name] = state.result;
  const AncestorStatus before = ancestor_status(wf, job.id, results);
  json contexts = util::object({{"github", s_.github},
                                {"inputs", inputs},
                                {"needs", needs},
                                {"vars", s_.options.vars.empty() ? json::object() : json(s_.options.vars)}});
  expr::Scope scope;
  scope.contexts = contexts;
  scope.failed = before.failed;
  scope.skipped = before.skipped;
  const std::string id = prefix + job.id;
  auto go = evaluate_condition(wf, util::pointer_append(job.pointer, "if"), job.condition, scope);
  if (!go || !*go) {
    JobReport r;
    r.id = id;
    r.workflow = wf.path;
    r.result = go ? Result::skipped : Result::failure;
    const bool asks_failure = job.condition.find("failure()") != std::string::npos;
    r.why = !go ? util::format(go.error())
            : job.condition.empty() ? before.first
            : !before.first.empty() && job.condition.find("always()") == std::string::npos && !asks_failure
                ? fmt::format("if: {} was false; {}", job.condition, before.first)
            : asks_failure && !before.failed && before.skipped
                ? fmt::format("if: {} was false: no job it depends on failed ({})", job.condition, before.first)
                : fmt::format("if: {} was false", job.condition);
    finished(r);
    return {r.result};
  }
  // The strategy may read needs and inputs (a matrix from fromJSON(needs.x.outputs.y)).
  json combos = json::array({nullptr});
  bool fail_fast = true;
  if (!job.strategy.is_null()) {
    auto strategy = evaluate_value(wf, util::pointer_append(job.pointer, "strategy"), job.strategy, scope);
    std::string problem;
    if (!strategy) {
      problem = util::format(strategy.error());
    } else if (strategy->is_object() && strategy->contains("matrix")) {
      auto expanded = expand_matrix((*strategy)["matrix"]);
      if (!expanded) problem = util::format(util::error_at(wf.marks.value_at(util::pointer_append(util::pointer_append(job.pointer, "strategy"), "matrix")), expanded.error()));
      else combos = json(*expanded);
      fail_fast = expr::truthy(strategy->value("fail-fast", json(true)));
    }
    if (!problem.empty()) {
      JobReport r{id, "", wf.path, Result::failure, problem};
      finished(r);
      return {Result::failure};
    }
  }
  contexts["secrets"] = secrets;
  JobState state;
  bool cancel_rest = false;
  for (std::size_t i = 0; i < combos.size(); ++i) {
    const json& combo = combos[i];
    const std::string run_id = combo.is_null() ? id : fmt::format("{} ({})", id, matrix_label(combo));
    if (cancel_rest) {
      JobReport r{run_id, "", wf.path, Result::cancelled, "fail-fast: an earlier matrix job failed"};
      finished(r);
      if (state.result == Result::success) state.result = Result::cancelled;
      continue;
    }
    json ctx = contexts;
    ctx["matrix"] = combo.is_null() ? json::object() : combo;
    ctx["strategy"] = util::object(
        {{"fail-fast", fail_fast}, {"job-index", i}, {"job-total", combos.size()}, {"max-parallel", combos.size()}});
    JobState one;
    if (!job.uses.empty()) {
      if (!s_.options.dry_run) std::cerr << fmt::format("==> {}: calls {}\n", run_id, job.uses);
      one = run_call(wf, job, ctx, run_id, depth);
    } else {
      if (!s_.options.dry_run) std::cerr << fmt::format("==> {}\n", run_id);
      JobEnd end = run_steps(s_, {&wf, &job, run_id, ctx});
      // continue-on-error may read the matrix (`${{ matrix.experimental }}`).
      expr::Scope run_scope;
      run_scope.contexts = ctx;
      auto keep_going = evaluate_value(wf, util::pointer_append(job.pointer, "continue-on-error"), job.continue_on_error, run_scope);
      if (end.result == Result::failure && keep_going && expr::truthy(*keep_going)) {
        end.report.why += " (continue-on-error)";
        end.result = Result::success;
      }
      finished(end.report);
      one.result = end.result;
      for (const auto& [k, v] : end.outputs) one.outputs[k] = v;
    }
    // A matrix job's outputs are whichever run set them last (docs.github.com, "Defining
    // outputs for jobs"); runs here go in matrix order.
    for (const auto& [k, v] : one.outputs.items())
      if (!v.is_string() || !v.get<std::string>().empty() || !state.outputs.contains(k)) state.outputs[k] = v;
    if (one.result == Result::failure) {
      state.result = Result::failure;
      cancel_rest = fail_fast && i + 1 < combos.size();
    }
  }
  return state;
}

States Rehearsal::run_workflow(const Workflow& wf, const json& inputs, const json& secrets, const std::string& prefix,
                               int depth) {
  States done;
  const std::vector<std::size_t> order = job_order(wf).value();  // checked when the workflow was loaded
  for (const std::size_t index : order)
    done[wf.jobs[index].id] = run_job(wf, wf.jobs[index], done, inputs, secrets, prefix, depth);
  return done;
}

std::string next_run_folder(const fs::path& work_dir) {
  int highest = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(work_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("run-")) highest = std::max(highest, std::atoi(name.c_str() + 4));
  }
  return fmt::format("run-{}", highest + 1);
}

}  // namespace

util::Result<Report> rehearse(const Options& options) {
  Session s;
  s.options = options;
  auto fail = [](std::string message) {
    return std::unexpected(util::Diagnostics{util::error_at({"forgeline rehearse", 0, 0}, std::move(message))});
  };
  auto source = read_source(options.repository);
  if (!source) return fail(source.error());
  s.source = std::move(*source);
  const std::string repository = !options.repository_name.empty() ? options.repository_name
                                 : !s.source.remote.empty()       ? s.source.remote
                                                                  : "local/" + fs::absolute(options.repository).lexically_normal().filename().string();
  if (!options.registry.empty() && !s.options.images.maps("ghcr.io")) s.options.images.add("ghcr.io", options.registry);

  Rehearsal r(s);
  util::Diagnostics problems;
  for (const auto& path : options.workflows) {
    auto more = r.load(path, {}, 0);
    problems.insert(problems.end(), more.begin(), more.end());
  }
  if (!problems.empty()) {
    util::sort(problems);
    return std::unexpected(problems);
  }

  // Which workflows the event starts, and the inputs a dispatch gives.
  std::vector<const Workflow*> triggered;
  for (const auto& path : options.workflows) {
    const Workflow& wf = r.workflow(path);
    const Trigger t = triggered_by(wf, options.event);
    s.report.workflows.emplace_back(wf.path, t.reason);
    if (t.runs) triggered.push_back(&wf);
  }
  json inputs = json::object();
  if (options.event.name == "workflow_dispatch") {
    if (triggered.size() != 1) {
      std::vector<std::string> names;
      for (const auto* wf : triggered) names.push_back(wf->path);
      return fail(triggered.empty() ? "no workflow of those given runs on workflow_dispatch"
                                    : fmt::format("workflow_dispatch starts one workflow; pass --workflow with one of {}",
                                                  util::join(names, ", ")));
    }
    const Workflow& wf = *triggered[0];
    const json& dispatch = wf.on["workflow_dispatch"];
    std::map<std::string, json> given(options.inputs.begin(), options.inputs.end());
    auto typed = typed_inputs(dispatch.is_object() ? dispatch.value("inputs", json::object()) : json::object(), given);
    if (!typed) {
      const std::string inputs_at = dispatch.is_object() && dispatch.contains("inputs") ? "/on/workflow_dispatch/inputs"
                                                                                         : "/on/workflow_dispatch";
      const std::string at = typed.error().input.empty() ? inputs_at : util::pointer_append(inputs_at, typed.error().input);
      return std::unexpected(
          util::Diagnostics{util::error_at(wf.marks.key_at(at), fmt::format("--input: {}", typed.error().message))});
    }
    inputs = *typed;
  } else if (!options.inputs.empty()) {
    return fail("--input is for --event workflow_dispatch");
  }

  std::error_code ec;
  fs::create_directories(options.work_dir, ec);
  s.run_dir = options.work_dir / next_run_folder(options.work_dir);
  s.artifacts = s.run_dir / "artifacts";
  s.volumes = options.work_dir / "volumes";
  s.shims = s.run_dir / "shims";
  s.record = s.run_dir / "shims" / "record.jsonl";
  for (const auto& d : {s.run_dir, s.artifacts, s.volumes, s.shims}) fs::create_directories(d, ec);
  if (ec) return fail(fmt::format("cannot create {}: {}", s.run_dir.string(), ec.message()));

  ShimConfig shim;
  shim.dry_run = options.dry_run;
  shim.images = s.options.images;
  shim.add_hosts = options.add_hosts;
  shim.record = s.record.string();
  if (!options.dry_run) {
    auto engine = probe_engine(options.environment);
    if (!engine) return fail(engine.error());
    s.engine = *engine;
    shim.docker = engine->client.string();
    shim.docker_env = engine->env;
    shim.native_platform = engine->native_platform;
    shim.skopeo = engine->skopeo ? engine->skopeo->string() : "";
    if (!options.registry.empty()) {
      shim.registries_conf = (s.run_dir / "registries.conf").string();
      // containers-registries.conf(5): plain HTTP to the rehearsal's registry.
      if (!util::write_all({{shim.registries_conf,
                             fmt::format("[[registry]]\nlocation = \"{}\"\ninsecure = true\n", options.registry), false}}))
        return fail("cannot write " + shim.registries_conf);
    }
  } else {
    shim.native_platform = "linux/amd64";
  }
  auto installed = install_shims(s.shims, options.self, shim);
  if (!installed) return fail("cannot install the docker/skopeo shims: " + installed.error());
  s.shim_env = *installed;

  Report& rep = s.report;
  rep.dry_run = options.dry_run;
  const std::string where = options.event.name == "pull_request"
                                ? fmt::format("pull_request from {} into {}", options.event.ref, options.event.base)
                                : fmt::format("{} on {}", options.event.name, options.event.ref);
  rep.header.push_back(fmt::format("rehearsal{} of {} in {} at {}{}", options.dry_run ? " (dry run)" : "", where, repository,
                                   s.source.sha.substr(0, 12), s.source.dirty ? " plus uncommitted changes" : ""));
  rep.header.push_back(options.dry_run ? "engine: none (dry run): docker and skopeo in run: steps are recording shims that "
                                         "answer \"image not found\""
                                       : "engine: " + s.engine->describe());
  for (const auto& [from, to] : s.options.images.rules()) rep.header.push_back(fmt::format("images: {} → {}", from, to));
  rep.header.push_back("run folder: " + s.run_dir.string());
  rep.emulate("jobs run one at a time in dependency order (GitHub starts jobs that are ready in parallel)");
  rep.skip("permissions, concurrency and timeout-minutes");

  for (const Workflow* wf : triggered) {
    s.github = github_context(s.options, s.source, repository, wf->name, wf->path);
    json secrets = json::object();
    secrets["GITHUB_TOKEN"] = "rehearsal-token";
    for (const auto& [k, v] : options.secrets) secrets[k] = v;
    r.run_workflow(*wf, inputs, secrets, "", 0);
  }
  rep.result = std::any_of(rep.jobs.begin(), rep.jobs.end(),
                           [](const JobReport& j) { return j.result == Result::failure || j.result == Result::cancelled; })
                   ? Result::failure
                   : Result::success;
  if (rep.result == Result::failure && rep.failure.empty()) rep.failure = "a job was cancelled";
  return rep;
}

}  // namespace forgeline::rehearse
