#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::cli {

/// What generate and check share: which matrices, where outputs go, which templates.
struct Sources {
  std::vector<std::string> matrices;  // empty: matrices/*.yaml under the current directory
  std::string out = ".";
  std::optional<std::string> templates;
};

/// One file as it should be on disk.
struct Expected {
  std::filesystem::path path;  // out / relative path
  std::string relative;        // path inside the output directory
  std::string text;
  std::string matrix;
  bool executable = false;
};

/// The result of running every stage up to (and including) validation.
struct Produced {
  std::vector<Expected> files;
  std::vector<plan::Plan> plans;
  util::Diagnostics findings;  // validation problems in the rendered files (exit 1)
};

/// load → model → plan → render → validate for every matrix. An input error (unreadable
/// or invalid matrix, template error) is the unexpected value (exit 2).
util::Result<Produced> produce(const Sources& sources, const std::string& command);

/// The matrices a command uses when none is named: matrices/*.yaml, sorted.
std::vector<std::string> default_matrices();

/// Prints diagnostics to stderr, sorted, one per line.
void report(const util::Diagnostics& diagnostics);

}  // namespace forgeline::cli
