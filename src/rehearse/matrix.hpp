#pragma once

#include <expected>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace forgeline::rehearse {

/// The combinations an evaluated `strategy.matrix` makes ("Running variations of jobs in a
/// workflow", docs.github.com): the product of the axes (taken by name, the first varying
/// slowest, since mappings are read sorted by key), minus every combination an `exclude`
/// entry matches, then each `include` entry added to every combination of the axes whose values
/// it does not change (values added by an earlier include may be overwritten), or appended
/// as a new combination when it extends none. An error names what is malformed.
std::expected<std::vector<nlohmann::json>, std::string> expand_matrix(const nlohmann::json& matrix);

/// A short label for a combination, as GitHub shows matrix jobs: its values joined by ", ".
std::string matrix_label(const nlohmann::json& combination);

}  // namespace forgeline::rehearse
