#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/clean_cache.hpp"
#include "util/diagnostic.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::matrix {

/// A matrix file as loaded: its document, checked against the bundled matrix schema and
/// for cross-entry mistakes, with the source marks every later error points at.
struct Matrix {
  std::string path;    // as the user named it; printed in errors and file headers
  std::string family;  // "openwrt-package", "stage-chain", ...
  util::YamlDocument doc;
};

/// Loads matrix text; `path` is only used for messages. With a cache, text this binary has
/// already found clean skips the checks (they depend on nothing but the text).
util::Result<Matrix> load(std::string_view text, const std::string& path, util::CleanCache* clean = nullptr);

/// Reads and loads a matrix file; an unreadable file is a diagnostic too.
util::Result<Matrix> load_file(const std::string& path, util::CleanCache* clean = nullptr);

}  // namespace forgeline::matrix
