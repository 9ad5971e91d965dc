#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/project.hpp"

namespace forgeline::plan {

/// An action every generated workflow may use, at the major version forgeline targets.
struct Action {
  std::string_view key;   // name templates use: actions.checkout
  std::string_view repo;  // "actions/checkout"
  std::string_view major; // "v7"
};

/// The one table of action versions: editing a major here updates every template.
const std::vector<Action>& action_table();

/// `uses:` values for templates, keyed by Action::key: "actions/checkout@v7", or
/// "actions/checkout@<sha> # v7" when the pins (keyed "actions/checkout@v7") have a SHA.
nlohmann::json action_values(const std::map<std::string, std::string>& pins);

/// The `with:` of docker/setup-buildx-action for jobs on this runner, as the partial
/// setup-buildx places it: on a self-hosted runner a named builder that outlives the job, so
/// BuildKit's cache mounts (RUN --mount=type=cache) are there for the next build; null on a
/// hosted runner, whose machine is new every job anyway.
nlohmann::json buildx_builder(const model::Runner& runner);

}  // namespace forgeline::plan
