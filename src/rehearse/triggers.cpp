#include "rehearse/triggers.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "rehearse/glob.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace {

using nlohmann::json;

std::vector<std::string> patterns(const json& config, const char* key) {
  std::vector<std::string> out;
  if (!config.is_object() || !config.contains(key)) return out;
  const json& v = config[key];
  if (v.is_string()) out.push_back(v.get<std::string>());
  else if (v.is_array())
    for (const auto& p : v)
      if (p.is_string()) out.push_back(p.get<std::string>());
  return out;
}

}  // namespace

Trigger triggered_by(const Workflow& wf, const Event& event) {
  if (!wf.on.contains(event.name)) {
    std::vector<std::string> events = events_of(wf);
    return {false, fmt::format("not triggered: runs on {}, not {}", util::join(events, ", "), event.name)};
  }
  const json& config = wf.on[event.name];
  if (event.name == "workflow_dispatch") return {true, "triggered: workflow_dispatch"};

  // GitHub matches push filters against the pushed branch, pull_request filters against the
  // base branch ("Workflow syntax for GitHub Actions", on.<push|pull_request>.<branches>).
  const std::string branch = event.name == "pull_request" ? event.base : event.ref;
  const auto branches = patterns(config, "branches");
  const auto ignored = patterns(config, "branches-ignore");
  const bool only_tags = branches.empty() && ignored.empty() &&
                         (!patterns(config, "tags").empty() || !patterns(config, "tags-ignore").empty());
  if (only_tags) return {false, fmt::format("not triggered: {} filters tags only", event.name)};
  if (!branches.empty() && !filter_selects(branches, branch))
    return {false, fmt::format("not triggered: branch '{}' is not in branches ({})", branch, util::join(branches, ", "))};
  if (!ignored.empty() && filter_selects(ignored, branch))
    return {false, fmt::format("not triggered: branch '{}' is in branches-ignore", branch)};

  const auto paths = patterns(config, "paths");
  const auto paths_ignore = patterns(config, "paths-ignore");
  if (paths.empty() && paths_ignore.empty()) return {true, fmt::format("triggered: {} to {}", event.name, branch)};
  if (!event.changed)
    return {true, fmt::format("triggered: {} to {} (paths filter not evaluated: no --changed files given)", event.name,
                              branch)};
  const auto& changed = *event.changed;
  if (!paths.empty()) {
    const auto hit = std::find_if(changed.begin(), changed.end(), [&](const std::string& f) { return filter_selects(paths, f); });
    if (hit == changed.end())
      return {false, fmt::format("not triggered: no changed file matches paths ({})", util::join(paths, ", "))};
    return {true, fmt::format("triggered: {} to {}; {} matches paths", event.name, branch, *hit)};
  }
  const auto kept = std::find_if(changed.begin(), changed.end(), [&](const std::string& f) { return !filter_selects(paths_ignore, f); });
  if (kept == changed.end()) return {false, "not triggered: every changed file matches paths-ignore"};
  return {true, fmt::format("triggered: {} to {}; {} is not in paths-ignore", event.name, branch, *kept)};
}

}  // namespace forgeline::rehearse
