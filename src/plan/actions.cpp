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

}  // namespace forgeline::plan
