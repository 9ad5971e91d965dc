#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "util/diagnostic.hpp"
#include "validate/rules.hpp"

namespace forgeline::validate {

/// The file name forgeline looks for at the repository root.
inline constexpr std::string_view kConfigName = ".forgeline.yaml";

/// What `.forgeline.yaml` says about validation.
struct Config {
  RuleSettings rules;
  bool strict = false;
};

/// Reads a config file: YAML checked against the bundled `schemas/config.schema.json`, and
/// every rule it names must exist. Problems are `file:line:col` errors.
util::Result<Config> load_config(const std::filesystem::path& path);

/// `.forgeline.yaml` in `start` or the nearest folder above it, looking no further up than
/// the repository root (the first folder with a `.git`); nullopt when there is none.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& start);

}  // namespace forgeline::validate
