#include "cli/rehearse.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/report.hpp"
#include "output/generated.hpp"
#include "rehearse/process.hpp"
#include "rehearse/rehearse.hpp"
#include "rehearse/shim.hpp"
#include "rehearse/source.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

extern char** environ;

namespace forgeline::cli {

namespace fs = std::filesystem;

namespace {

util::Diagnostic usage(std::string message) { return util::error_at({"forgeline rehearse", 0, 0}, std::move(message)); }

std::expected<std::map<std::string, std::string>, util::Diagnostic> pairs(const std::vector<std::string>& items,
                                                                          const char* flag) {
  std::map<std::string, std::string> out;
  for (const auto& item : items) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) return std::unexpected(usage(fmt::format("{} expects NAME=VALUE, got '{}'", flag, item)));
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

std::vector<std::string> workflow_files(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root / ".github" / "workflows", ec)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".yml" || ext == ".yaml"))
      out.push_back(entry.path().lexically_relative(root).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The workflow files to rehearse: those named, else those generated from the matrices
/// named (by their headers), else every workflow of the work tree.
std::expected<std::vector<std::string>, util::Diagnostic> select(const RehearseOptions& o, const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& w : o.workflows) {
    std::string path = fs::path(w).lexically_normal().generic_string();
    if (!fs::exists(root / path) && fs::exists(root / ".github" / "workflows" / path))
      path = (fs::path(".github") / "workflows" / path).generic_string();
    if (!fs::exists(root / path))
      return std::unexpected(usage(fmt::format("no workflow {} in {}", w, root.string())));
    out.push_back(path);
  }
  if (!out.empty()) return out;
  const auto all = workflow_files(root);
  if (all.empty()) return std::unexpected(usage(fmt::format("no workflows in {}/.github/workflows", root.string())));
  if (o.matrices.empty()) return all;
  for (const auto& m : o.matrices) {
    const std::string matrix = fs::path(m).lexically_normal().generic_string();
    // Headers name the matrix as generate was given it, usually relative to the work tree.
    std::error_code ec;
    const std::string inside = fs::relative(fs::absolute(m, ec), fs::absolute(root, ec), ec).generic_string();
    std::size_t found = 0;
    for (const auto& w : all) {
      const auto text = util::read_file(root / w);
      const std::string named = text ? output::inspect(*text).matrix_path : "";
      if ((named == matrix || named == inside) && std::find(out.begin(), out.end(), w) == out.end()) {
        out.push_back(w);
        ++found;
      }
    }
    if (!found)
      return std::unexpected(usage(fmt::format("no workflow in {}/.github/workflows was generated from {}", root.string(), matrix)));
  }
  return out;
}

std::string default_work_dir() {
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache && *cache) return std::string(cache) + "/forgeline/rehearse";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/forgeline/rehearse";
  return ".forgeline-rehearse";
}

}  // namespace

Command setup_rehearse(RehearseOptions& o) {
  Command cmd{"rehearse", "Run the generated pipeline locally on Docker and a local registry"};
  cmd.option("--matrix", o.matrices, "Rehearse the workflows generated from this matrix (repeatable)");
  cmd.option("--workflow", o.workflows, "Rehearse this workflow file (repeatable; default: all triggered ones)");
  cmd.option("--out", o.out, "The work tree holding .github/workflows (default: .)");
  cmd.option("--event", o.event, "push (default), pull_request or workflow_dispatch")
      .one_of({"push", "pull_request", "workflow_dispatch"});
  cmd.option("--ref", o.ref, "The branch pushed or dispatched, or a pull request's head (default: the work tree's)");
  cmd.option("--base", o.base, "A pull request's base branch (default: --default-branch)");
  cmd.option("--input", o.inputs, "NAME=VALUE for a workflow_dispatch input (repeatable)");
  cmd.option("--secret", o.secrets, "NAME=VALUE for secrets.NAME (repeatable; GITHUB_TOKEN is set)");
  cmd.option("--var", o.vars, "NAME=VALUE for vars.NAME (repeatable)");
  cmd.option("--changed", o.changed, "A file the event changes, for paths filters (repeatable)");
  cmd.option("--registry", o.registry, "HOST:PORT of the registry standing in for ghcr.io (needed unless --dry-run)");
  cmd.option("--image-map", o.image_maps, "FROM=TO: use image TO wherever the workflows name FROM (repeatable)");
  cmd.option("--add-host", o.add_hosts, "HOST:IP added to builds and job containers (repeatable)");
  cmd.option("--repository", o.repository, "OWNER/NAME as github.repository (default: from origin)");
  cmd.option("--default-branch", o.default_branch, "The repository's default branch (default: main)");
  cmd.option("--work-dir", o.work_dir, "Where runs, artifacts and volumes go (default: ~/.cache/forgeline/rehearse)");
  cmd.flag("--dry-run", o.dry_run, "Use no Docker: show job order, if: results, outputs, tags and commands");
  cmd.flag("--verbose", o.verbose, "Stream every step's output to stderr");
  cmd.option("--format", o.format, "text (default) or json").one_of({"text", "json"});
  return cmd;
}

int run_rehearse(const RehearseOptions& o) {
  rehearse::Options options;
  const fs::path root = o.out;
  options.repository = root;
  auto fail = [](const util::Diagnostic& d) {
    report({d});
    return 2;
  };
  auto inputs = pairs(o.inputs, "--input");
  if (!inputs) return fail(inputs.error());
  auto secrets = pairs(o.secrets, "--secret");
  if (!secrets) return fail(secrets.error());
  auto vars = pairs(o.vars, "--var");
  if (!vars) return fail(vars.error());
  options.inputs = *inputs;
  options.secrets = *secrets;
  options.vars = *vars;
  for (const auto& rule : o.image_maps)
    if (auto added = options.images.add(rule); !added)
      return fail(usage(fmt::format("--image-map '{}': {}", rule, added.error())));
  for (const auto& h : o.add_hosts)
    if (h.find(':') == std::string::npos) return fail(usage(fmt::format("--add-host expects HOST:IP, got '{}'", h)));
  if (!o.dry_run && o.registry.empty())
    return fail(usage("--registry HOST:PORT is needed to rehearse with Docker (or pass --dry-run)"));
  auto selected = select(o, root);
  if (!selected) return fail(selected.error());
  options.workflows = *selected;

  options.event.name = o.event;
  options.default_branch = o.default_branch;
  options.event.ref = o.ref;
  if (options.event.ref.empty()) {
    auto source = rehearse::read_source(root);
    options.event.ref = source && !source->branch.empty() ? source->branch : o.default_branch;
  }
  options.event.base = o.base.empty() ? o.default_branch : o.base;
  if (!o.changed.empty()) options.event.changed = o.changed;
  options.registry = o.registry;
  options.add_hosts = o.add_hosts;
  options.repository_name = o.repository;
  if (!o.repository.empty() && std::count(o.repository.begin(), o.repository.end(), '/') != 1)
    return fail(usage(fmt::format("--repository expects OWNER/NAME, got '{}'", o.repository)));
  options.dry_run = o.dry_run;
  options.verbose = o.verbose;
  options.work_dir = o.work_dir.empty() ? default_work_dir() : o.work_dir;
  std::error_code ec;
  options.self = fs::read_symlink("/proc/self/exe", ec);
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const std::size_t eq = entry.find('=');
    if (eq != std::string::npos) options.environment[entry.substr(0, eq)] = entry.substr(eq + 1);
  }

  auto result = rehearse::rehearse(options);
  if (!result) {
    report(result.error());
    return 2;
  }
  std::cout << (o.format == "json" ? rehearse::report_json(*result) : rehearse::report_text(*result));
  return result->result == rehearse::Result::success ? 0 : 1;
}

Command setup_rehearse_shim(RehearseShimOptions& o) {
  Command cmd{"rehearse-shim", "docker/skopeo as forgeline rehearse's run: steps see them"};
  cmd.hidden = true;  // not for people: `forgeline --help` does not list it
  cmd.rest = &o.args;
  cmd.option("tool", o.tool, "docker or skopeo").required().one_of({"docker", "skopeo"});
  return cmd;
}

int run_rehearse_shim(const RehearseShimOptions& o) { return rehearse::run_shim(o.tool, o.args); }

}  // namespace forgeline::cli
