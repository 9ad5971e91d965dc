#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rehearse/engine.hpp"
#include "rehearse/images.hpp"
#include "rehearse/report.hpp"
#include "rehearse/source.hpp"
#include "rehearse/triggers.hpp"

namespace forgeline::rehearse {

/// What to rehearse and against what.
struct Options {
  std::filesystem::path repository = ".";  // the work tree holding .github/workflows
  std::vector<std::string> workflows;      // files to rehearse, relative to the repository
  Event event;
  std::map<std::string, std::string> inputs;   // workflow_dispatch inputs
  std::map<std::string, std::string> secrets;  // besides GITHUB_TOKEN
  std::map<std::string, std::string> vars;
  std::string repository_name;  // owner/name for github.repository; empty: from origin, else local/<folder>
  std::string actor = "forgeline";
  std::string default_branch = "main";
  std::string registry;  // host:port standing in for ghcr.io; empty in a dry run: names stay
  ImageMap images;       // --image-map rules (ghcr.io → registry is added)
  std::vector<std::string> add_hosts;  // host:ip for builds and containers
  bool dry_run = false;
  std::filesystem::path work_dir;  // runs, artifacts, volumes
  bool verbose = false;
  std::filesystem::path self;  // this binary, for the shims
  std::map<std::string, std::string> environment;  // forgeline's own (PATH, HOME, DOCKER_HOST)
};

/// The state one rehearsal shares between its jobs and steps.
struct Session {
  Options options;
  Source source;
  std::optional<Engine> engine;  // unset in a dry run
  std::filesystem::path run_dir;
  std::filesystem::path artifacts;  // one folder per uploaded artifact
  std::filesystem::path volumes;    // host folders standing in for a runner's volumes; kept between runs
  std::filesystem::path shims;      // the `docker`/`skopeo` shims run: steps find first on PATH
  std::filesystem::path record;     // what the shims saw
  std::pair<std::string, std::string> shim_env;
  nlohmann::json github = nlohmann::json::object();  // the github context
  Report report;
  int jobs_started = 0;  // names each job's folder
  int builds = 0;        // names each rewritten Dockerfile
};

}  // namespace forgeline::rehearse
