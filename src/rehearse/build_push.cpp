#include "rehearse/build_push.hpp"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "rehearse/actions.hpp"
#include "rehearse/dockerfile.hpp"
#include "rehearse/process.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace fs = std::filesystem;

namespace {

/// Inputs of docker/build-push-action that change what is built or where it goes, which
/// the rehearsal does not reproduce.
constexpr std::string_view unrehearsed_inputs[] = {"secrets", "secret-files", "secret-envs", "ssh", "outputs",
                                                   "provenance", "sbom", "attests", "annotations", "shm-size",
                                                   "ulimit", "cgroup-parent", "allow", "network", "builder", "call",
                                                   "add-hosts", "cache-from", "cache-to"};

std::string quoted(const std::string& s) {
  if (!s.empty() && s.find_first_of(" \t\n'\"$`\\*?[]{}()<>|&;#~") == std::string::npos) return s;
  return "'" + util::replace_all(s, "'", "'\\''") + "'";
}

}  // namespace

BuildPlan plan_build(const std::map<std::string, std::string>& with, const std::string& native) {
  BuildPlan p;
  p.context = input_or(with, "context", ".");
  p.file = input_or(with, "file", (fs::path(p.context) / "Dockerfile").lexically_normal().generic_string());
  p.target = input_or(with, "target");
  p.build_args = input_list(input_or(with, "build-args"), false);
  p.labels = input_list(input_or(with, "labels"), false);
  p.tags = input_list(input_or(with, "tags"), true);
  p.push = input_true(with, "push", false);
  p.no_cache = input_true(with, "no-cache", false);
  for (const auto& line : input_list(input_or(with, "build-contexts"), false)) {
    const std::size_t eq = line.find('=');
    const std::string name = line.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : line.substr(eq + 1);
    if (!value.starts_with("docker-image://")) {
      p.error = fmt::format("build context '{}' is not rehearsed: only docker-image:// contexts are emulated", line);
      return p;
    }
    p.image_contexts.emplace_back(name, value.substr(15));
  }
  const auto platforms = input_list(input_or(with, "platforms"), true);
  for (const auto& platform : platforms) {
    if (platform == native) p.platform = platform;
    else p.not_rehearsed.push_back(fmt::format("platform {}: built for {} only", platform, native));
  }
  for (const auto input : unrehearsed_inputs)
    if (!input_or(with, std::string(input)).empty())
      p.not_rehearsed.push_back(
          input == "cache-from" || input == "cache-to"
              ? fmt::format("{} ({} entries): the local daemon's own build cache was used", input,
                            input_list(input_or(with, std::string(input)), false).size())
              : fmt::format("input {} of docker/build-push-action", input));
  return p;
}

std::vector<std::string> build_args(const BuildPlan& plan, const std::string& dockerfile, const std::string& context,
                                    const ImageMap& images, const std::vector<std::string>& add_hosts,
                                    const std::string& iidfile) {
  std::vector<std::string> a = {"build", "--progress", "plain", "--network", "host", "--file", dockerfile};
  for (const auto& h : add_hosts) a.insert(a.end(), {"--add-host", h});
  if (!plan.target.empty()) a.insert(a.end(), {"--target", plan.target});
  if (!plan.platform.empty()) a.insert(a.end(), {"--platform", plan.platform});
  for (const auto& arg : plan.build_args) {
    const std::size_t eq = arg.find('=');
    a.insert(a.end(), {"--build-arg", eq == std::string::npos ? arg : arg.substr(0, eq + 1) + images.map(arg.substr(eq + 1))});
  }
  for (const auto& l : plan.labels) a.insert(a.end(), {"--label", l});
  for (const auto& t : plan.tags) a.insert(a.end(), {"--tag", images.map(t)});
  if (plan.no_cache) a.push_back("--no-cache");
  if (!iidfile.empty()) a.insert(a.end(), {"--iidfile", iidfile});
  a.push_back(context);
  return a;
}

std::string shown_command(const BuildPlan& plan) {
  std::vector<std::string> a = {"docker", "build", "--file", plan.file};
  if (!plan.target.empty()) a.insert(a.end(), {"--target", plan.target});
  if (!plan.platform.empty()) a.insert(a.end(), {"--platform", plan.platform});
  for (const auto& [name, image] : plan.image_contexts) a.insert(a.end(), {"--build-context", name + "=docker-image://" + image});
  for (const auto& arg : plan.build_args) a.insert(a.end(), {"--build-arg", arg});
  for (const auto& t : plan.tags) a.insert(a.end(), {"--tag", t});
  if (plan.no_cache) a.push_back("--no-cache");
  a.push_back(plan.context);
  std::vector<std::string> q;
  for (const auto& s : a) q.push_back(quoted(s));
  return util::join(q, " ");
}

ActionOutcome build_push(Session& s, const ActionStep& step) {
  ActionOutcome o;
  const std::string native = s.engine ? s.engine->native_platform : "linux/amd64";
  BuildPlan plan = plan_build(step.with, native);
  if (!plan.error.empty()) {
    o.ok = false;
    o.error = "docker/build-push-action: " + plan.error;
    return o;
  }
  for (const auto& n : plan.not_rehearsed) s.report.skip("docker/build-push-action " + n);
  o.notes.push_back((s.options.dry_run ? "would run: " : "ran: ") + shown_command(plan));

  const fs::path dockerfile = step.workspace / plan.file;
  auto text = util::read_file(dockerfile);
  if (!text) {
    o.ok = false;
    o.error = fmt::format("docker/build-push-action: cannot read the Dockerfile {}: {}", plan.file, text.error());
    return o;
  }
  ImageMap images = s.options.images;
  const LocalDockerfile local = localize_dockerfile(*text, plan.image_contexts, images);
  for (const auto& change : local.changes) s.report.emulate(fmt::format("{}: {}", plan.file, change));
  if (!plan.image_contexts.empty())
    s.report.emulate("named build contexts (docker-image://): the Dockerfile is rewritten to name the images, since the "
                     "daemon's built-in frontend has no --build-context");

  std::string file_used = dockerfile.string();
  const int n = ++s.builds;
  if (local.text != *text) {
    const fs::path copy = s.run_dir / "dockerfiles" / fmt::format("{}-{}", n, fs::path(plan.file).filename().string());
    std::vector<util::FileWrite> files = {{copy, local.text, false}};
    // BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile before the context's own.
    if (auto ignore = util::read_file(dockerfile.string() + ".dockerignore"))
      files.push_back({copy.string() + ".dockerignore", *ignore, false});
    if (auto written = util::write_all(files); !written) {
      o.ok = false;
      o.error = "cannot write the rewritten Dockerfile: " + written.error();
      return o;
    }
    file_used = copy.string();
  }
  if (s.options.dry_run) {
    for (const auto& t : plan.tags)
      if (plan.push) s.report.pushed.push_back({t, "built", step.job});
    o.outputs = {{"imageid", ""}, {"digest", ""}};
    return o;
  }
  const fs::path iid = s.run_dir / "dockerfiles" / fmt::format("{}.iid", n);
  std::error_code ec;
  fs::create_directories(iid.parent_path(), ec);
  const auto args = build_args(plan, file_used, (step.workspace / plan.context).lexically_normal().string(), images,
                               s.options.add_hosts, iid.string());
  const Finished built = s.engine->docker(args, step.log, s.options.verbose);
  o.output += built.output;
  if (built.status != 0) {
    o.ok = false;
    o.error = fmt::format("docker build failed (exit {})", built.status);
    return o;
  }
  const std::string image_id = util::split_lines(util::read_file(iid).value_or("")).empty()
                                   ? ""
                                   : util::split_lines(util::read_file(iid).value_or(""))[0];
  o.outputs = {{"imageid", image_id}, {"digest", ""}};
  if (!plan.push) {
    o.notes.push_back("not pushed (push is not true)");
    return o;
  }
  for (const auto& tag : plan.tags) {
    const Finished pushed = s.engine->docker({"push", images.map(tag)}, step.log, s.options.verbose);
    o.output += pushed.output;
    if (pushed.status != 0) {
      o.ok = false;
      o.error = fmt::format("docker push {} failed (exit {})", images.map(tag), pushed.status);
      return o;
    }
    s.report.pushed.push_back({tag, "built", step.job});
    // The digest line of `docker push`: "<tag>: digest: sha256:… size: N".
    for (const auto& line : util::split_lines(pushed.output))
      if (auto at = line.find("digest: "); at != std::string::npos)
        o.outputs[1].second = line.substr(at + 8, line.find(' ', at + 8) - at - 8);
  }
  o.notes.push_back("pushed " + util::join(plan.tags, ", "));
  return o;
}

}  // namespace forgeline::rehearse
