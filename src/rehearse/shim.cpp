#include "rehearse/shim.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

#include "rehearse/process.hpp"
#include "util/files.hpp"
#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace fs = std::filesystem;
using nlohmann::json;

json shim_config_json(const ShimConfig& c) {
  json rules = json::array();
  for (const auto& [from, to] : c.images.rules()) rules.push_back({from, to});
  return {{"dry_run", c.dry_run},         {"docker", c.docker},
          {"skopeo", c.skopeo},           {"docker_env", c.docker_env},
          {"registries_conf", c.registries_conf}, {"native_platform", c.native_platform},
          {"add_hosts", c.add_hosts},     {"images", rules},
          {"record", c.record}};
}

ShimConfig shim_config_from_json(const json& v) {
  ShimConfig c;
  c.dry_run = v.value("dry_run", false);
  c.docker = v.value("docker", "");
  c.skopeo = v.value("skopeo", "");
  c.docker_env = v.value("docker_env", std::map<std::string, std::string>{});
  c.registries_conf = v.value("registries_conf", "");
  c.native_platform = v.value("native_platform", "");
  c.add_hosts = v.value("add_hosts", std::vector<std::string>{});
  for (const auto& r : v.value("images", json::array())) c.images.add(r[0].get<std::string>(), r[1].get<std::string>());
  c.record = v.value("record", "");
  return c;
}

std::expected<std::pair<std::string, std::string>, std::string> install_shims(const fs::path& dir, const fs::path& self,
                                                                              const ShimConfig& config) {
  const fs::path conf = dir / "shim.json";
  std::vector<util::FileWrite> files = {{conf, util::dump(shim_config_json(config), 2) + "\n", false}};
  for (const char* tool : {"docker", "skopeo"})
    files.push_back({dir / tool,
                     fmt::format("#!/bin/sh\n# forgeline rehearse: {} as a run: step of the rehearsal sees it.\n"
                                 "exec '{}' rehearse-shim {} \"$@\"\n",
                                 tool, self.string(), tool),
                     true});
  if (auto written = util::write_all(files); !written) return std::unexpected(written.error());
  return std::pair<std::string, std::string>{"FORGELINE_REHEARSE_SHIM", conf.string()};
}

namespace {

bool is_flag(const std::string& a) { return a.starts_with("-"); }

/// The image an imagetools command reads: its last argument that is not a flag or a flag's value.
std::vector<std::string> operands(const std::vector<std::string>& args, std::size_t from,
                                  const std::vector<std::string>& flags_with_value, std::vector<std::string>* tags) {
  std::vector<std::string> out;
  for (std::size_t i = from; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!is_flag(a)) {
      out.push_back(a);
      continue;
    }
    const std::string name = a.substr(0, a.find('='));
    const bool inline_value = a.find('=') != std::string::npos;
    const bool takes_value = std::find(flags_with_value.begin(), flags_with_value.end(), name) != flags_with_value.end();
    if (takes_value && !inline_value && i + 1 < args.size()) {
      if (tags && (name == "-t" || name == "--tag")) tags->push_back(args[i + 1]);
      ++i;
    } else if (takes_value && inline_value && tags && (name == "-t" || name == "--tag")) {
      tags->push_back(a.substr(a.find('=') + 1));
    }
  }
  return out;
}

}  // namespace

ShimPlan plan_docker(const ShimConfig& config, const std::vector<std::string>& args) {
  ShimPlan plan;
  if (args.size() >= 2 && args[0] == "buildx") {
    if (args.size() >= 3 && args[1] == "imagetools" && args[2] == "inspect") {
      const auto refs = operands(args, 3, {"--format", "--builder"}, nullptr);
      if (refs.size() != 1) {
        plan.kind = ShimPlan::refuse;
        plan.refusal = "docker buildx imagetools inspect takes one image";
        return plan;
      }
      plan.kind = ShimPlan::imagetools_inspect;
      plan.source = config.images.map(refs[0]);
      plan.notes.push_back("emulated with skopeo inspect (no buildx plugin)");
      return plan;
    }
    if (args.size() >= 3 && args[1] == "imagetools" && args[2] == "create") {
      std::vector<std::string> tags;
      const auto sources = operands(args, 3, {"-t", "--tag", "-f", "--file", "--annotation", "--builder"}, &tags);
      if (sources.size() != 1 || tags.empty()) {
        plan.kind = ShimPlan::refuse;
        plan.refusal = "docker buildx imagetools create is rehearsed for one source image and --tag only";
        return plan;
      }
      plan.kind = ShimPlan::imagetools_create;
      plan.source = config.images.map(sources[0]);
      for (const auto& t : tags) plan.targets.push_back(config.images.map(t));
      plan.notes.push_back("emulated with skopeo copy --all (no buildx plugin)");
      return plan;
    }
    plan.kind = ShimPlan::refuse;
    plan.refusal = fmt::format("docker buildx {} is not available in a rehearsal (no buildx plugin; only imagetools "
                               "inspect and create are emulated)",
                               args[1]);
    return plan;
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string platform;
    bool separate = false;
    if (a == "--platform" && i + 1 < args.size()) platform = args[i + 1], separate = true;
    else if (a.starts_with("--platform=")) platform = a.substr(11);
    if (!platform.empty() && platform != config.native_platform) {
      plan.notes.push_back(fmt::format("--platform {} dropped: the local engine runs {} only", platform, config.native_platform));
      if (separate) ++i;
      continue;
    }
    plan.args.push_back(config.images.map(a));
  }
  // A container a step starts (docker run, docker create) is on the runner's default bridge
  // network there, with the internet; the rehearsal's dockerd runs without a bridge, so such a
  // container gets the host's network instead, and the hosts --add-host points elsewhere.
  const bool container_command = !plan.args.empty() && (plan.args[0] == "run" || plan.args[0] == "create");
  const bool has_network = std::any_of(plan.args.begin(), plan.args.end(), [](const std::string& a) {
    return a == "--network" || a.starts_with("--network=") || a == "--net" || a.starts_with("--net=");
  });
  if (container_command && !has_network) {
    std::vector<std::string> added = {"--network", "host"};
    for (const auto& h : config.add_hosts) added.insert(added.end(), {"--add-host", h});
    plan.args.insert(plan.args.begin() + 1, added.begin(), added.end());
    plan.notes.push_back(fmt::format("--network host added: the rehearsal's dockerd has no bridge network for docker {}",
                                     plan.args[0]));
  }
  return plan;
}

namespace {

void record(const ShimConfig& config, const std::string& tool, const std::vector<std::string>& args,
            const std::vector<std::string>& notes, int status) {
  if (config.record.empty()) return;
  if (FILE* f = std::fopen(config.record.c_str(), "a")) {
    const std::string line =
        util::dump(json{{"tool", tool}, {"args", args}, {"notes", notes}, {"status", status}}) + "\n";
    std::fputs(line.c_str(), f);
    std::fclose(f);
  }
}

std::map<std::string, std::string> skopeo_env() {
  std::map<std::string, std::string> env;
  for (const char* name : {"PATH", "HOME"})
    if (const char* v = std::getenv(name)) env[name] = v;
  return env;
}

/// skopeo and its global options: the registries configuration lets it speak plain HTTP to
/// the rehearsal's registry (skopeo 1.9 does not read CONTAINERS_REGISTRIES_CONF).
std::vector<std::string> skopeo_argv(const ShimConfig& config, std::vector<std::string> args) {
  if (!config.registries_conf.empty()) args.insert(args.begin(), {"--registries-conf", config.registries_conf});
  args.insert(args.begin(), config.skopeo);
  return args;
}

[[noreturn]] void exec(const std::string& program, const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> a, e;
  for (auto& s : argv) a.push_back(s.data());
  a.push_back(nullptr);
  for (auto& s : env_strings) e.push_back(s.data());
  e.push_back(nullptr);
  ::execve(program.c_str(), a.data(), e.data());
  std::perror(program.c_str());
  std::exit(127);
}

int dry_docker(const ShimConfig& config, const std::vector<std::string>& args) {
  std::vector<std::string> notes;
  int status = 0;
  const std::string sub = args.empty() ? "" : args[0];
  if (args.size() >= 3 && sub == "buildx" && args[1] == "imagetools" && args[2] == "inspect") {
    std::cerr << "ERROR: " << (args.empty() ? "" : args.back()) << ": not found\n";
    notes.push_back("answered: image not found (dry run)");
    status = 1;
  } else if (sub == "create") {
    std::cout << "dry-run-container\n";
  } else if ((sub == "image" && args.size() >= 2 && args[1] == "inspect") || sub == "inspect" || sub == "pull" ||
             (sub == "manifest" && args.size() >= 2 && args[1] == "inspect")) {
    std::cerr << "Error: No such image (dry run)\n";
    notes.push_back("answered: image not found (dry run)");
    status = 1;
  }
  record(config, "docker", args, notes, status);
  return status;
}

int real_docker(const ShimConfig& config, const std::vector<std::string>& args) {
  const ShimPlan plan = plan_docker(config, args);
  switch (plan.kind) {
    case ShimPlan::pass:
      record(config, "docker", args, plan.notes, 0);
      exec(config.docker, plan.args, config.docker_env);
    case ShimPlan::refuse:
      std::cerr << "forgeline rehearse: " << plan.refusal << "\n";
      record(config, "docker", args, {"refused: " + plan.refusal}, 1);
      return 1;
    case ShimPlan::imagetools_inspect: {
      if (config.skopeo.empty()) break;
      const Finished done =
          run_command({skopeo_argv(config, {"inspect", "--format", "{{.Digest}}", "docker://" + plan.source}), skopeo_env()});
      if (done.status == 0) {
        const auto lines = util::split_lines(done.output);
        std::cout << "Name:      " << args.back() << "\nDigest:    " << (lines.empty() ? "" : lines[0]) << "\n";
      } else {
        std::cerr << "ERROR: " << args.back() << ": not found\n" << done.output;
      }
      record(config, "docker", args, plan.notes, done.status);
      return done.status == 0 ? 0 : 1;
    }
    case ShimPlan::imagetools_create: {
      if (config.skopeo.empty()) break;
      for (const auto& target : plan.targets) {
        const Finished done = run_command(
            {skopeo_argv(config, {"copy", "--all", "--quiet", "docker://" + plan.source, "docker://" + target}), skopeo_env()});
        if (done.status != 0) {
          std::cerr << done.output;
          record(config, "docker", args, plan.notes, done.status);
          return 1;
        }
      }
      record(config, "docker", args, plan.notes, 0);
      return 0;
    }
  }
  std::cerr << "forgeline rehearse: docker buildx imagetools needs skopeo here (apt-get install skopeo)\n";
  record(config, "docker", args, {"refused: skopeo is not installed"}, 1);
  return 1;
}

int skopeo(const ShimConfig& config, const std::vector<std::string>& args) {
  if (config.dry_run) {
    const bool inspect = !args.empty() && args[0] == "inspect";
    if (inspect) std::cerr << "FATA[0000] Error parsing image name: manifest unknown (dry run)\n";
    record(config, "skopeo", args, inspect ? std::vector<std::string>{"answered: image not found (dry run)"}
                                           : std::vector<std::string>{},
           inspect ? 1 : 0);
    return inspect ? 1 : 0;
  }
  if (config.skopeo.empty()) {
    std::cerr << "forgeline rehearse: skopeo is not installed (apt-get install skopeo)\n";
    return 127;
  }
  std::vector<std::string> mapped;
  for (const auto& a : args)
    mapped.push_back(a.starts_with("docker://") ? "docker://" + config.images.map(a.substr(9)) : a);
  record(config, "skopeo", args, {}, 0);
  auto argv = skopeo_argv(config, mapped);
  exec(config.skopeo, std::vector<std::string>(argv.begin() + 1, argv.end()), skopeo_env());
}

}  // namespace

int run_shim(const std::string& tool, const std::vector<std::string>& args) {
  const char* path = std::getenv("FORGELINE_REHEARSE_SHIM");
  if (!path) {
    std::cerr << "forgeline rehearse-shim: only run by forgeline rehearse (FORGELINE_REHEARSE_SHIM is not set)\n";
    return 2;
  }
  auto text = util::read_file(path);
  if (!text) {
    std::cerr << "forgeline rehearse-shim: cannot read " << path << ": " << text.error() << "\n";
    return 2;
  }
  const ShimConfig config = shim_config_from_json(util::parse(*text));
  if (tool == "skopeo") return skopeo(config, args);
  return config.dry_run ? dry_docker(config, args) : real_docker(config, args);
}

std::vector<ShimRecord> take_records(const fs::path& path) {
  std::vector<ShimRecord> out;
  auto text = util::read_file(path);
  if (!text) return out;
  for (const auto& line : util::split_lines(*text)) {
    if (line.empty()) continue;
    const json v = util::parse_or_discarded(line);
    if (v.is_discarded()) continue;
    out.push_back({v.value("tool", ""), v.value("args", std::vector<std::string>{}),
                   v.value("notes", std::vector<std::string>{}), v.value("status", 0)});
  }
  std::ofstream(path, std::ios::trunc);
  return out;
}

}  // namespace forgeline::rehearse
