#include "plan/actions.hpp"

#include <fmt/format.h>

namespace forgeline::plan {

const std::vector<Action>& action_table() {
  static const std::vector<Action> table = {
      {"checkout", "actions/checkout", "v7"},
      {"cache", "actions/cache", "v5"},
      {"upload_artifact", "actions/upload-artifact", "v7"},
      {"download_artifact", "actions/download-artifact", "v8"},
      {"login", "docker/login-action", "v4"},
      {"setup_buildx", "docker/setup-buildx-action", "v4"},
      {"setup_qemu", "docker/setup-qemu-action", "v4"},
      {"build_push", "docker/build-push-action", "v7"},
      {"metadata", "docker/metadata-action", "v6"},
  };
  return table;
}

nlohmann::json action_values(const std::map<std::string, std::string>& pins) {
  auto out = nlohmann::json::object();
  for (const Action& a : action_table()) {
    auto pin = pins.find(fmt::format("{}@{}", a.repo, a.major));
    out[std::string(a.key)] = pin == pins.end() ? fmt::format("{}@{}", a.repo, a.major)
                                                : fmt::format("{}@{} # {}", a.repo, pin->second, a.major);
  }
  return out;
}

// BuildKit keeps cache mounts in its builder's own storage; cache-to never exports them
// (https://docs.docker.com/build/ci/github-actions/cache/#cache-mounts). setup-buildx-action
// creates a docker-container builder and, with its default `cleanup: true`, removes it with
// its state at the end of the job (action.yml; `cleanup` since docker/setup-buildx-action#213).
// With `name`, an existing builder of that name is used instead of a new one (action.yml,
// src/main.ts), so `cleanup: false` keeps one builder per runner host across jobs. Chosen
// over `keep-state: true` (#427), which still removes and recreates the builder every job
// and so breaks a concurrent job on the same host using it.
constexpr const char* kept_builder = "forgeline";

nlohmann::json buildx_builder(const model::Runner& runner) {
  if (!runner.self_hosted) return nullptr;
  return {{"name", kept_builder}, {"cleanup", "false"}};  // text: the template places it as it is
}

}  // namespace forgeline::plan
