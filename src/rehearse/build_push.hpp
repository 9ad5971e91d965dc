#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rehearse/actions.hpp"
#include "rehearse/images.hpp"

namespace forgeline::rehearse {

/// The `docker build` a docker/build-push-action step stands for.
struct BuildPlan {
  std::string context = ".";
  std::string file;  // relative to the workspace, as the action reads it
  std::string target;
  std::vector<std::string> build_args;  // NAME=VALUE as written
  std::vector<std::pair<std::string, std::string>> image_contexts;  // name → image, from build-contexts
  std::vector<std::string> tags;
  std::vector<std::string> labels;
  std::string platform;  // the one platform built; empty: the engine's own
  bool push = false;
  bool no_cache = false;
  std::vector<std::string> not_rehearsed;  // inputs and platforms that have no local equivalent
  std::string error;                       // an input the rehearsal cannot build with
};

/// Reads the action's inputs (github.com/docker/build-push-action, README "inputs"): the
/// context defaults to the workspace, `file` to `{context}/Dockerfile`; build-args, labels
/// and build-contexts are one per line, tags and platforms may also be comma-separated.
/// Only `docker-image://` build contexts can be emulated. A platform other than the
/// engine's `native` one is noted and not built.
BuildPlan plan_build(const std::map<std::string, std::string>& with, const std::string& native);

/// The client's arguments for the plan: BuildKit with host networking, plain progress, the
/// Dockerfile at `dockerfile` (possibly a rewritten copy), image names mapped.
std::vector<std::string> build_args(const BuildPlan& plan, const std::string& dockerfile, const std::string& context,
                                    const ImageMap& images, const std::vector<std::string>& add_hosts,
                                    const std::string& iidfile);

/// The command as the report shows it: names as the workflow writes them.
std::string shown_command(const BuildPlan& plan);

/// The build-push step: plan, rewrite the Dockerfile where the engine needs it, build, push.
ActionOutcome build_push(Session& session, const ActionStep& step);

}  // namespace forgeline::rehearse
