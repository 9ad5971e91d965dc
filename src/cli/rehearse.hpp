#pragma once

#include <string>
#include <vector>

#include "cli/command.hpp"

namespace forgeline::cli {

struct RehearseOptions {
  std::vector<std::string> matrices;   // rehearse the workflows generated from these
  std::vector<std::string> workflows;  // or these workflow files
  std::string out = ".";               // the work tree holding the generated files
  std::string event = "push";
  std::string ref;   // empty: the work tree's branch, else main
  std::string base;  // a pull request's base; empty: the default branch
  std::vector<std::string> inputs, secrets, vars;  // NAME=VALUE
  std::vector<std::string> changed;
  std::string registry;
  std::vector<std::string> image_maps;  // FROM=TO
  std::vector<std::string> add_hosts;
  std::string repository;
  std::string default_branch = "main";
  std::string work_dir;  // empty: $XDG_CACHE_HOME/forgeline/rehearse
  bool dry_run = false;
  bool verbose = false;
  std::string format = "text";
};

Command setup_rehearse(RehearseOptions& options);
/// Runs the generated pipeline on the local Docker engine (or, with --dry-run, without one)
/// and prints what happened. 0 when every job succeeded, 1 when one failed, 2 on bad input.
int run_rehearse(const RehearseOptions& options);

/// The hidden `rehearse-shim TOOL ARGS...` command: the `docker`/`skopeo` a rehearsal's
/// run: steps call.
struct RehearseShimOptions {
  std::string tool;
  std::vector<std::string> args;
};

Command setup_rehearse_shim(RehearseShimOptions& options);
int run_rehearse_shim(const RehearseShimOptions& options);

}  // namespace forgeline::cli
