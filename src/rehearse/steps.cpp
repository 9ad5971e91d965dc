#include "rehearse/steps.hpp"

#include <algorithm>
#include <iostream>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "expr/evaluate.hpp"
#include "rehearse/actions.hpp"
#include "rehearse/command_files.hpp"
#include "rehearse/contexts.hpp"
#include "rehearse/expressions.hpp"
#include "rehearse/process.hpp"
#include "rehearse/shim.hpp"
#include "util/files.hpp"
#include "util/json_object.hpp"
#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> shell_command(const std::string& shell, const std::string& script) {
  if (shell.empty()) return {"bash", "-e", script};
  if (shell == "bash") return {"bash", "--noprofile", "--norc", "-eo", "pipefail", script};
  if (shell == "sh") return {"sh", "-e", script};
  if (shell == "python") return {"python", script};
  std::vector<std::string> out = split_options(shell);
  bool placed = false;
  for (auto& a : out)
    if (a.find("{0}") != std::string::npos) a = util::replace_all(a, "{0}", script), placed = true;
  if (!placed) out.push_back(script);
  return out;
}

std::vector<std::string> split_options(const std::string& options) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char c : options) {
    if (quote) {
      if (c == quote) quote = 0;
      else cur += c;
    } else if (c == '"' || c == '\'') {
      quote = c, in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(cur), cur.clear(), in_word = false;
    } else {
      cur += c, in_word = true;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

namespace {

std::string folder_name(const std::string& id) {
  std::string out;
  for (char c : id) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
  return out;
}

std::string repository_folder(const json& github) {
  const std::string repo = github.value("repository", "repo");
  return repo.substr(repo.find('/') + 1);
}

/// The job's container, when it has one: created at the start, removed at the end.
struct Container {
  std::string id;
  std::string image;  // as the workflow names it
  std::string path;   // its PATH, for GITHUB_PATH additions
};

/// Everything one job run shares between its steps.
class JobRunner {
 public:
  JobRunner(Session& s, const JobRun& run) : s_(s), run_(run), wf_(*run.workflow), job_(*run.job) {}

  JobEnd run();

 private:
  expr::Scope scope() const {
    expr::Scope sc;
    sc.contexts = contexts_;
    sc.failed = failed_;
    sc.hash_files = [this](const std::vector<std::string>& patterns) -> std::expected<std::string, std::string> {
      return hash_files(host_.workspace, patterns);
    };
    return sc;
  }

  /// A path as the steps see it → on this machine.
  fs::path host_path(const std::string& p) const {
    if (!fs::path(p).is_absolute() || !container_) return p;
    for (const auto& [inside, outside] :
         {std::pair{inside_.workspace, host_.workspace}, {inside_.temp, host_.temp}, {inside_.home, host_.home}})
      if (p == inside || p.starts_with(inside + "/")) return outside + p.substr(inside.size());
    return p;
  }

  bool prepare_folders();
  bool start_container(StepReport& setup);
  void stop_container();
  StepReport run_step(const Step& step, std::size_t index);
  bool run_script(const Step& step, std::size_t index, StepReport& rep, const std::string& script);
  bool run_uses(const Step& step, std::size_t index, StepReport& rep);
  void note_shims(StepReport& rep);
  std::map<std::string, std::string> step_env(const json& step_env_value) const;

  Session& s_;
  const JobRun& run_;
  const Workflow& wf_;
  const Job& job_;
  fs::path dir_;
  JobPaths host_, inside_;  // inside_ equals host_ without a container
  std::optional<Container> container_;
  json contexts_;
  json env_ = json::object();   // the env context: workflow, job and GITHUB_ENV values
  std::vector<std::string> added_path_;
  bool failed_ = false;
  std::string failure_;  // the first failed step and why
};

bool JobRunner::prepare_folders() {
  const int n = ++s_.jobs_started;
  dir_ = s_.run_dir / "jobs" / fmt::format("{:02}-{}", n, folder_name(run_.id));
  host_ = {(dir_ / "workspace").string(), (dir_ / "temp").string(), (dir_ / "home").string(),
           (dir_ / "temp" / "_runner_file_commands").string()};
  std::error_code ec;
  for (const auto& d : {host_.workspace, host_.temp, host_.home, host_.file_commands}) fs::create_directories(d, ec);
  if (ec) return false;
  inside_ = host_;
  return util::write_all({{fs::path(host_.file_commands) / "event.json",
                           util::dump(contexts_["github"]["event"], 2) + "\n", false}})
      .has_value();
}

std::map<std::string, std::string> JobRunner::step_env(const json& step_env_value) const {
  std::map<std::string, std::string> env;
  for (const auto& [k, v] : env_.items()) env[k] = expr::to_string(v);
  for (const auto& [k, v] : step_env_value.items()) env[k] = expr::to_string(v);
  return env;
}

bool JobRunner::start_container(StepReport& setup) {
  auto evaluated = evaluate_value(wf_, util::pointer_append(job_.pointer, "container"), job_.container, scope());
  if (!evaluated) {
    setup.result = Result::failure;
    setup.why = util::format(evaluated.error());
    return false;
  }
  json c = evaluated->is_string() ? util::object({{"image", *evaluated}}) : *evaluated;
  Container box;
  box.image = expr::to_string(c.value("image", json("")));
  const std::string mapped = s_.options.images.map(box.image);
  const std::string repo = repository_folder(contexts_["github"]);
  inside_ = {"/__w/" + repo + "/" + repo, "/__w/_temp", "/github/home", "/__w/_temp/_runner_file_commands"};
  setup.name = "Initialize container";
  setup.notes.push_back(fmt::format("{} {}", s_.options.dry_run ? "would start" : "started", box.image));
  if (box.image != mapped) setup.notes.push_back("pulled as " + mapped);
  std::vector<std::string> args = {"create", "--network", "host", "--workdir", inside_.workspace};
  for (const auto& h : s_.options.add_hosts) args.insert(args.end(), {"--add-host", h});
  for (const auto& [inside, outside] :
       {std::pair{inside_.workspace, host_.workspace}, {inside_.temp, host_.temp}, {inside_.home, host_.home}})
    args.insert(args.end(), {"--volume", outside + ":" + inside});
  if (c.contains("volumes") && c["volumes"].is_array())
    for (const auto& v : c["volumes"]) {
      std::string spec = expr::to_string(v);
      // A runner's host folder (/cache/cargo:/cache/cargo) becomes a folder of the rehearsal's
      // work directory, kept between rehearsals as a self-hosted runner keeps its volumes.
      if (spec.starts_with("/")) {
        const std::string source = spec.substr(0, spec.find(':'));
        const fs::path local = s_.volumes / source.substr(1);
        std::error_code ec;
        fs::create_directories(local, ec);
        s_.report.emulate(fmt::format("the runner's host folder {} is {}", source, local.string()));
        spec = local.string() + spec.substr(source.size());
      }
      args.insert(args.end(), {"--volume", spec});
    }
  args.insert(args.end(), {"--env", "HOME=" + inside_.home});
  if (c.contains("env") && c["env"].is_object())
    for (const auto& [k, v] : c["env"].items()) args.insert(args.end(), {"--env", k + "=" + expr::to_string(v)});
  if (c.contains("options")) {
    const auto opts = split_options(expr::to_string(c["options"]));
    args.insert(args.end(), opts.begin(), opts.end());
  }
  if (c.contains("credentials")) s_.report.skip(fmt::format("container credentials for {}: the local registry needs none", box.image));
  if (c.contains("ports")) s_.report.skip("container ports");
  args.insert(args.end(), {"--entrypoint", "tail", mapped, "-f", "/dev/null"});
  if (s_.options.dry_run) {
    container_ = box;
    return true;
  }
  const fs::path log = dir_ / "container.log";
  const Finished pulled = s_.engine->docker({"pull", mapped}, log, s_.options.verbose);
  if (pulled.status != 0 && s_.engine->docker({"image", "inspect", mapped}).status != 0) {
    setup.result = Result::failure;
    setup.why = fmt::format("cannot pull {}", mapped);
    setup.tail = last_lines(pulled.output, 10);
    return false;
  }
  const Finished created = s_.engine->docker(args, log, false);
  if (created.status != 0) {
    setup.result = Result::failure;
    setup.why = "docker create failed";
    setup.tail = last_lines(created.output, 10);
    return false;
  }
  box.id = util::split_lines(created.output).empty() ? "" : util::split_lines(created.output).back();
  const Finished started = s_.engine->docker({"start", box.id}, log, false);
  if (started.status != 0) {
    setup.result = Result::failure;
    setup.why = "docker start failed";
    setup.tail = last_lines(started.output, 10);
    s_.engine->docker({"rm", "-f", box.id});
    return false;
  }
  const Finished env = s_.engine->docker({"inspect", "--format", "{{json .Config.Env}}", box.id});
  const json vars = util::parse_or_discarded(env.output);
  if (vars.is_array())
    for (const auto& v : vars)
      if (v.is_string() && v.get<std::string>().starts_with("PATH=")) box.path = v.get<std::string>().substr(5);
  container_ = box;
  return true;
}

void JobRunner::stop_container() {
  if (container_ && !container_->id.empty()) s_.engine->docker({"rm", "-f", container_->id});
}

void JobRunner::note_shims(StepReport& rep) {
  for (const auto& r : take_records(s_.record)) {
    std::vector<std::string> quoted;
    for (const auto& a : r.args) quoted.push_back(a.find_first_of(" \t'\"$") == std::string::npos ? a : "'" + a + "'");
    std::string line = r.tool + " " + util::join(quoted, " ");
    for (const auto& n : r.notes) {
      line += " → " + n;
      if (n.starts_with("--platform")) s_.report.skip(n);
      else if (n.starts_with("--network host added")) s_.report.emulate(n);
      else if (n.starts_with("emulated") && r.args.size() >= 3)
        s_.report.emulate(fmt::format("{} {} {} {}: {}", r.tool, r.args[0], r.args[1], r.args[2], n));
    }
    rep.notes.push_back((s_.options.dry_run ? "recorded: " : "ran: ") + line);
    // Tags written by `docker buildx imagetools create` are pushes too, of an existing image.
    if (r.tool == "docker" && r.status == 0)
      if (const ShimPlan plan = plan_docker(ShimConfig{}, r.args); plan.kind == ShimPlan::imagetools_create)
        for (const auto& tag : plan.targets) s_.report.pushed.push_back({tag, "tagged from " + plan.source, run_.id});
  }
}

bool JobRunner::run_script(const Step& step, std::size_t index, StepReport& rep, const std::string& script) {
  const int number = static_cast<int>(index) + 1;
  std::string shell = step.shell;
  auto default_of = [&](const json& defaults, const char* key) {
    return defaults.contains("run") && defaults["run"].is_object() && defaults["run"].contains(key)
               ? expr::to_string(defaults["run"][key])
               : std::string();
  };
  if (shell.empty()) shell = default_of(job_.defaults, "shell");
  if (shell.empty()) shell = default_of(wf_.defaults, "shell");
  std::string workdir;
  if (!step.working_directory.is_null()) {
    auto w = evaluate_string(wf_, util::pointer_append(step.pointer, "working-directory"), step.working_directory, scope());
    if (!w) {
      rep.result = Result::failure;
      rep.why = util::format(w.error());
      return false;
    }
    workdir = *w;
  }
  if (workdir.empty()) workdir = default_of(job_.defaults, "working-directory");
  if (workdir.empty()) workdir = default_of(wf_.defaults, "working-directory");
  workdir = workdir.empty() ? inside_.workspace : fs::path(workdir).is_absolute() ? workdir : inside_.workspace + "/" + workdir;

  auto env_value = evaluate_value(wf_, util::pointer_append(step.pointer, "env"), step.env, scope());
  if (!env_value) {
    rep.result = Result::failure;
    rep.why = util::format(env_value.error());
    return false;
  }
  std::map<std::string, std::string> env = step_env(*env_value);
  for (const auto& [k, v] : runner_env(contexts_["github"], job_.id, step.id, inside_, number)) env[k] = v;

  if (container_ && s_.options.dry_run) {
    rep.notes.push_back(fmt::format("would run in {} (working directory {})", container_->image, workdir));
    rep.script = util::split_lines(script);
    return true;
  }
  if (s_.options.dry_run) rep.script = util::split_lines(script);

  const fs::path script_file = fs::path(host_.temp) / fmt::format("step_{}.sh", number);
  if (!util::write_all({{script_file, script, false}})) {
    rep.result = Result::failure;
    rep.why = "cannot write the step's script";
    return false;
  }
  for (const char* name : {"output", "env", "path", "state", "summary"})
    util::write_all({{fs::path(host_.file_commands) / fmt::format("{}_{}", name, number), "", false}});
  const fs::path log = dir_ / fmt::format("step_{}.log", number);
  std::string added = util::join(std::vector<std::string>(added_path_.rbegin(), added_path_.rend()), ":");
  Finished done;
  const std::string inside_script = inside_.temp + "/" + script_file.filename().string();
  if (container_) {
    if (!added.empty()) env["PATH"] = added + ":" + (container_->path.empty() ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" : container_->path);
    std::vector<std::string> args = {"exec", "-i", "--workdir", workdir};
    for (const auto& [k, v] : env) args.insert(args.end(), {"--env", k + "=" + v});
    args.push_back(container_->id);
    const auto command = shell_command(shell, inside_script);
    args.insert(args.end(), command.begin(), command.end());
    done = s_.engine->docker(args, log, s_.options.verbose);
  } else {
    const auto host_path_var = s_.options.environment.contains("PATH") ? s_.options.environment.at("PATH") : "/usr/bin:/bin";
    env["PATH"] = s_.shims.string() + ":" + (added.empty() ? "" : added + ":") + host_path_var;
    env[s_.shim_env.first] = s_.shim_env.second;
    // The runner refuses a working directory that does not exist, as this does.
    if (std::error_code ec; !fs::is_directory(workdir, ec)) {
      rep.result = Result::failure;
      rep.why = fmt::format("the working directory {} does not exist", workdir);
      return false;
    }
    done = run_command({shell_command(shell, inside_script), env, workdir}, log, s_.options.verbose);
    note_shims(rep);
  }
  if (!done.output.empty()) rep.log = log.string();
  // File commands are read whether or not the script failed, as the runner does.
  auto read_pairs = [&](const char* name) {
    return parse_command_file(util::read_file(fs::path(host_.file_commands) / fmt::format("{}_{}", name, number)).value_or(""));
  };
  auto outputs = read_pairs("output");
  auto envs = read_pairs("env");
  if (!outputs || !envs) {
    rep.result = Result::failure;
    rep.why = "$GITHUB_" + std::string(!outputs ? "OUTPUT" : "ENV") + ": " + (!outputs ? outputs.error() : envs.error());
    return false;
  }
  for (const auto& [k, v] : *outputs) rep.outputs.emplace_back(k, v);
  for (const auto& [k, v] : *envs) env_[k] = v;
  for (const auto& line : util::split_lines(util::read_file(fs::path(host_.file_commands) / fmt::format("path_{}", number)).value_or("")))
    if (!line.empty()) added_path_.push_back(line);
  if (done.status != 0) {
    rep.result = Result::failure;
    rep.why = fmt::format("exit {}", done.status);
    rep.tail = last_lines(done.output, 15);
    return false;
  }
  return true;
}

bool JobRunner::run_uses(const Step& step, std::size_t index, StepReport& rep) {
  auto with = evaluate_value(wf_, util::pointer_append(step.pointer, "with"), step.with, scope());
  if (!with) {
    rep.result = Result::failure;
    rep.why = util::format(with.error());
    return false;
  }
  ActionStep a;
  a.uses = step.uses;
  for (const auto& [k, v] : with->items()) a.with[k] = expr::to_string(v);
  a.job = run_.id;
  a.workspace = host_.workspace;
  a.host_path = [this](const std::string& p) { return host_path(p); };
  a.log = dir_ / fmt::format("step_{}.log", index + 1);
  ActionOutcome o = run_action(s_, a);
  rep.notes.insert(rep.notes.end(), o.notes.begin(), o.notes.end());
  rep.outputs = o.outputs;
  if (!o.output.empty()) rep.log = a.log.string();
  if (!o.ok) {
    rep.result = Result::failure;
    rep.why = o.error;
    rep.tail = last_lines(o.output, 15);
    return false;
  }
  return true;
}

StepReport JobRunner::run_step(const Step& step, std::size_t index) {
  StepReport rep;
  expr::Scope sc = scope();
  if (!step.name.is_null()) {
    auto name = evaluate_string(wf_, util::pointer_append(step.pointer, "name"), step.name, sc);
    rep.name = name ? *name : expr::to_string(step.name);
  } else {
    rep.name = step.uses.empty() ? "Run " + util::split_lines(step.run + "\n")[0] : "Run " + step.uses;
  }
  if (!s_.options.dry_run) std::cerr << fmt::format("==> {}: {}\n", run_.id, rep.name);
  auto go = evaluate_condition(wf_, util::pointer_append(step.pointer, "if"), step.condition, sc);
  if (!go) {
    rep.result = Result::failure;
    rep.why = util::format(go.error());
  } else if (!*go) {
    rep.result = Result::skipped;
    rep.why = step.condition.empty() ? "an earlier step failed" : fmt::format("if: {} was false", step.condition);
  } else if (!step.run.empty()) {
    auto script = evaluate_string(wf_, util::pointer_append(step.pointer, "run"), step.run, sc);
    if (!script) {
      rep.result = Result::failure;
      rep.why = util::format(script.error());
    } else {
      run_script(step, index, rep, *script);
    }
  } else {
    run_uses(step, index, rep);
  }
  // The steps context: outcome before continue-on-error, conclusion after.
  bool keep_going = false;
  if (rep.result == Result::failure) {
    auto c = evaluate_value(wf_, util::pointer_append(step.pointer, "continue-on-error"), step.continue_on_error, sc);
    keep_going = c && expr::truthy(*c);
    if (keep_going) rep.why += " (continue-on-error)";
  }
  if (!step.id.empty()) {
    json outputs = json::object();
    for (const auto& [k, v] : rep.outputs) outputs[k] = v;
    const std::string outcome(result_name(rep.result));
    contexts_["steps"][step.id] =
        util::object({{"outputs", outputs}, {"outcome", outcome}, {"conclusion", keep_going ? "success" : outcome}});
  }
  if (rep.result == Result::failure && !keep_going) {
    failed_ = true;
    if (failure_.empty()) failure_ = fmt::format("step '{}' failed ({})", rep.name, rep.why);
  }
  return rep;
}

JobEnd JobRunner::run() {
  JobEnd end;
  JobReport& rep = end.report;
  rep.id = run_.id;
  rep.workflow = wf_.path;
  contexts_ = run_.contexts;
  contexts_["github"]["job"] = job_.id;
  contexts_["steps"] = json::object();
  contexts_["job"] = util::object({{"status", "success"}});
  if (!prepare_folders()) {
    rep.result = end.result = Result::failure;
    rep.why = "cannot create the job's folders under " + s_.run_dir.string();
    return end;
  }
  contexts_["runner"] = util::object({{"os", "Linux"},
                                      {"arch", "X64"},
                                      {"name", "forgeline-rehearse"},
                                      {"temp", inside_.temp},
                                      {"tool_cache", inside_.temp + "/_tool"}});
  if (!job_.name.is_null()) {
    auto name = evaluate_string(wf_, util::pointer_append(job_.pointer, "name"), job_.name, scope());
    rep.name = name ? *name : expr::to_string(job_.name);
  }
  // The env context: the workflow's, then the job's (which may read the workflow's).
  contexts_["env"] = json::object();
  for (const auto& [where, value] : {std::pair<std::string, const json*>{"/env", &wf_.env},
                                     {util::pointer_append(job_.pointer, "env"), &job_.env}}) {
    auto evaluated = evaluate_value(wf_, where, *value, scope());
    if (!evaluated) {
      rep.result = end.result = Result::failure;
      rep.why = util::format(evaluated.error());
      return end;
    }
    for (const auto& [k, v] : evaluated->items()) env_[k] = expr::to_string(v);
    contexts_["env"] = env_;
  }
  if (!job_.container.is_null()) {
    StepReport setup;
    const bool ok = start_container(setup);
    if (container_) {
      contexts_["runner"]["temp"] = inside_.temp;
      contexts_["job"]["container"] = util::object({{"id", container_->id}, {"network", "host"}});
    }
    rep.steps.push_back(setup);
    if (!ok) {
      rep.result = end.result = Result::failure;
      rep.why = fmt::format("step '{}' failed ({})", setup.name, setup.why);
      return end;
    }
  }
  for (std::size_t i = 0; i < job_.steps.size(); ++i) {
    contexts_["env"] = env_;
    contexts_["job"]["status"] = failed_ ? "failure" : "success";
    rep.steps.push_back(run_step(job_.steps[i], i));
  }
  stop_container();
  contexts_["env"] = env_;
  for (const auto& [name, value] : job_.outputs.items()) {
    auto v = evaluate_string(wf_, util::pointer_append(util::pointer_append(job_.pointer, "outputs"), name), value, scope());
    if (!v) {
      failed_ = true;
      if (failure_.empty()) failure_ = "output " + name + ": " + util::format(v.error());
      continue;
    }
    end.outputs.emplace_back(name, *v);
  }
  rep.outputs = end.outputs;
  rep.result = end.result = failed_ ? Result::failure : Result::success;
  rep.why = failure_;
  return end;
}

}  // namespace

JobEnd run_steps(Session& session, const JobRun& run) { return JobRunner(session, run).run(); }

}  // namespace forgeline::rehearse
