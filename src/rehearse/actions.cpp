#include "rehearse/actions.hpp"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "expr/evaluate.hpp"
#include "rehearse/build_push.hpp"
#include "rehearse/glob.hpp"
#include "rehearse/metadata.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace fs = std::filesystem;

const std::vector<KnownAction>& known_actions() {
  static const std::vector<KnownAction> table = {
      {"actions/checkout", "copies the work tree (HEAD plus uncommitted changes) into the job's workspace",
       "https://github.com/actions/checkout"},
      {"docker/login-action", "checks that a username and password are given, as the action does; logs in nowhere",
       "https://github.com/docker/login-action"},
      {"docker/setup-buildx-action", "nothing: builds use the daemon's built-in BuildKit",
       "https://github.com/docker/setup-buildx-action"},
      {"docker/setup-qemu-action", "nothing: foreign platforms are not emulated", "https://github.com/docker/setup-qemu-action"},
      {"docker/metadata-action", "computes tags and labels for branch, pull request, sha and raw rules",
       "https://github.com/docker/metadata-action"},
      {"docker/build-push-action", "docker build with the same file, context, target, build args and build contexts, "
                                   "then docker push of every tag",
       "https://github.com/docker/build-push-action"},
      {"actions/upload-artifact", "copies the files into a folder per artifact of the run",
       "https://github.com/actions/upload-artifact"},
      {"actions/download-artifact", "copies an artifact's folder into the workspace",
       "https://github.com/actions/download-artifact"},
  };
  return table;
}

const KnownAction* known_action(std::string_view uses) {
  const std::string_view repo = uses.substr(0, uses.find('@'));
  for (const auto& a : known_actions())
    if (util::to_lower(repo) == a.repo) return &a;
  return nullptr;
}

std::vector<std::string> input_list(std::string_view value, bool commas) {
  std::vector<std::string> out;
  std::string text(value);
  if (commas) text = util::replace_all(text, ",", "\n");
  for (auto line : util::split_lines(text)) {
    const auto b = line.find_first_not_of(" \t\r");
    const auto e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos) continue;
    line = line.substr(b, e - b + 1);
    if (line.starts_with("#")) continue;
    out.push_back(line);
  }
  return out;
}

bool input_true(const std::map<std::string, std::string>& with, const std::string& name, bool fallback) {
  auto it = with.find(name);
  if (it == with.end() || it->second.empty()) return fallback;
  return it->second == "true" || it->second == "True" || it->second == "TRUE";
}

std::string input_or(const std::map<std::string, std::string>& with, const std::string& name, std::string fallback) {
  auto it = with.find(name);
  return it == with.end() || it->second.empty() ? fallback : it->second;
}

namespace {

ActionOutcome failed(std::string why) {
  ActionOutcome o;
  o.ok = false;
  o.error = std::move(why);
  return o;
}

ActionOutcome checkout(Session& s, const ActionStep& step) {
  ActionOutcome o;
  const std::string repository = input_or(step.with, "repository");
  const std::string own = s.github.value("repository", "");
  if (!repository.empty() && util::to_lower(repository) != util::to_lower(own))
    return failed(fmt::format("actions/checkout of another repository ({}) is not rehearsed", repository));
  const fs::path into = (step.workspace / input_or(step.with, "path")).lexically_normal();
  if (!into.string().starts_with(step.workspace.string()))
    return failed(fmt::format("actions/checkout path '{}' leaves the workspace", input_or(step.with, "path")));
  std::error_code ec;
  // The action empties its target before checking out (`clean: true`).
  if (fs::exists(into, ec))
    for (const auto& entry : fs::directory_iterator(into, ec)) fs::remove_all(entry.path(), ec);
  auto copied = copy_source(s.source, into);
  if (!copied) return failed(copied.error());
  o.notes.push_back(fmt::format("checked out the work tree at {}{} ({} files){}", s.source.sha.substr(0, 12),
                                s.source.dirty ? " plus uncommitted changes" : "", *copied,
                                input_or(step.with, "path").empty() ? "" : " into " + input_or(step.with, "path")));
  if (!input_or(step.with, "ref").empty())
    s.report.skip(fmt::format("actions/checkout ref '{}': the work tree was checked out instead", input_or(step.with, "ref")));
  s.report.emulate("actions/checkout: a copy of the work tree (HEAD plus uncommitted changes), without .git");
  return o;
}

ActionOutcome login(Session& s, const ActionStep& step) {
  // docker/login-action refuses to run without both (src/context.ts, "Username and password required").
  const std::string registry = input_or(step.with, "registry", "docker.io");
  if (input_or(step.with, "username").empty() || input_or(step.with, "password").empty())
    return failed(fmt::format("docker/login-action: Username and password required (registry {})", registry));
  ActionOutcome o;
  o.notes.push_back(fmt::format("no login to {}: the rehearsal's registry needs none", registry));
  s.report.skip(fmt::format("docker/login-action: login to {} (credentials were given; not checked)", registry));
  return o;
}

ActionOutcome setup_buildx(Session& s, const ActionStep&) {
  ActionOutcome o;
  o.notes.push_back("no builder created: builds use the daemon's built-in BuildKit");
  s.report.skip("docker/setup-buildx-action: builds ran on the daemon's built-in BuildKit, whose cache mounts persist "
                "between builds; a fresh buildx builder on a hosted runner starts without them");
  o.outputs = {{"name", "default"}, {"driver", "docker"}};
  return o;
}

ActionOutcome setup_qemu(Session& s, const ActionStep& step) {
  ActionOutcome o;
  o.notes.push_back("no QEMU installed: images are built for this machine's platform");
  s.report.skip(fmt::format("docker/setup-qemu-action: QEMU for {}", input_or(step.with, "platforms", "all platforms")));
  return o;
}

ActionOutcome metadata(Session& s, const ActionStep& step) {
  MetadataContext c;
  c.event = s.options.event.name;
  c.branch = s.options.event.ref;
  c.sha = s.source.sha;
  c.default_branch = s.options.default_branch;
  c.repository = s.github.value("repository", "");
  c.created = s.source.commit_time;
  c.pull_request = 1;
  auto m = docker_metadata(input_list(input_or(step.with, "images"), true), input_list(input_or(step.with, "tags"), false), c);
  if (!m) return failed(m.error());
  ActionOutcome o;
  o.outputs = {{"tags", util::join(m->tags, "\n")}, {"labels", util::join(m->labels, "\n")}, {"version", m->version}};
  o.notes.push_back("tags: " + util::join(m->tags, ", "));
  s.report.emulate("docker/metadata-action: tags and labels computed by forgeline; the created label is HEAD's commit time");
  return o;
}

bool hidden(const fs::path& relative) {
  return std::any_of(relative.begin(), relative.end(), [](const fs::path& p) { return p.string().starts_with("."); });
}

ActionOutcome upload(Session& s, const ActionStep& step) {
  const std::string name = input_or(step.with, "name", "artifact");
  std::vector<std::string> patterns;
  for (const auto& line : input_list(input_or(step.with, "path"), false)) {
    const bool negate = line.starts_with("!");
    const std::string body = negate ? line.substr(1) : line;
    patterns.push_back((negate ? "!" : "") + step.host_path(body).string());
  }
  if (patterns.empty()) return failed("actions/upload-artifact: Input required and not supplied: path");
  auto files = glob_files(step.workspace, patterns);
  const std::string if_none = input_or(step.with, "if-no-files-found", "warn");
  ActionOutcome o;
  if (files.empty() && s.options.dry_run) {
    o.notes.push_back(fmt::format("would upload artifact {} from {} (no files here: the dry run did not build them)", name,
                                  util::join(input_list(input_or(step.with, "path"), false), ", ")));
    return o;
  }
  if (files.empty()) {
    const std::string message = fmt::format("No files were found with the provided path: {}. No artifacts will be uploaded.",
                                            input_or(step.with, "path"));
    if (if_none == "error") return failed("actions/upload-artifact: " + message);
    o.notes.push_back(message);
    return o;
  }
  const fs::path root = upload_root(step.workspace, patterns, files);
  // Since upload-artifact 4.4, files and folders starting with '.' are left out unless asked for.
  if (!input_true(step.with, "include-hidden-files", false))
    std::erase_if(files, [&](const fs::path& f) { return hidden(f.lexically_relative(root)); });
  const fs::path dest = s.artifacts / name;
  std::error_code ec;
  if (fs::exists(dest, ec)) {
    if (!input_true(step.with, "overwrite", false))
      return failed(fmt::format("actions/upload-artifact: an artifact named '{}' already exists in this run", name));
    fs::remove_all(dest, ec);
  }
  for (const auto& f : files) {
    const fs::path to = dest / f.lexically_relative(root);
    fs::create_directories(to.parent_path(), ec);
    fs::copy_file(f, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return failed(fmt::format("actions/upload-artifact: cannot copy {}: {}", f.string(), ec.message()));
  }
  std::vector<std::string> listed;
  for (const auto& f : files) listed.push_back(f.lexically_relative(root).generic_string());
  o.notes.push_back(fmt::format("artifact {}: {}", name, util::join(listed, ", ")));
  o.outputs = {{"artifact-id", name}, {"artifact-url", dest.string()}};
  s.report.emulate(fmt::format("actions/upload-artifact: artifacts are folders in {}", s.artifacts.string()));
  return o;
}

ActionOutcome download(Session& s, const ActionStep& step) {
  const std::string name = input_or(step.with, "name");
  const fs::path into = step.host_path(input_or(step.with, "path", step.workspace.string()));
  std::vector<std::string> names;
  std::error_code ec;
  if (!name.empty()) {
    if (!fs::is_directory(s.artifacts / name, ec))
      return failed(fmt::format("actions/download-artifact: Artifact not found for name: {}", name));
    names.push_back(name);
  } else {
    for (const auto& entry : fs::directory_iterator(s.artifacts, ec))
      if (glob_match(input_or(step.with, "pattern", "*"), entry.path().filename().string()))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
  }
  const bool merge = !name.empty() || input_true(step.with, "merge-multiple", false);
  for (const auto& n : names) {
    const fs::path to = merge ? into : into / n;
    fs::create_directories(to, ec);
    fs::copy(s.artifacts / n, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
    if (ec) return failed(fmt::format("actions/download-artifact: cannot copy {}: {}", n, ec.message()));
  }
  ActionOutcome o;
  o.notes.push_back(fmt::format("downloaded {} into {}", names.empty() ? "no artifact" : util::join(names, ", "),
                                input_or(step.with, "path", "the workspace")));
  o.outputs = {{"download-path", into.string()}};
  return o;
}

}  // namespace

ActionOutcome run_action(Session& s, const ActionStep& step) {
  const KnownAction* known = known_action(step.uses);
  if (!known) return failed(fmt::format("no local equivalent for the action {}", step.uses));
  const std::string_view repo = known->repo;
  if (repo == "actions/checkout") return checkout(s, step);
  if (repo == "docker/login-action") return login(s, step);
  if (repo == "docker/setup-buildx-action") return setup_buildx(s, step);
  if (repo == "docker/setup-qemu-action") return setup_qemu(s, step);
  if (repo == "docker/metadata-action") return metadata(s, step);
  if (repo == "docker/build-push-action") return build_push(s, step);
  if (repo == "actions/upload-artifact") return upload(s, step);
  return download(s, step);
}

}  // namespace forgeline::rehearse
