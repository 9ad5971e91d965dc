#pragma once

#include <optional>
#include <string>

#include "cli/command.hpp"

namespace forgeline::cli {

struct InitOptions {
  std::string family;
  std::optional<std::string> matrix;  // default: matrices/<family>.yaml
};

Command setup_init(InitOptions& options);
/// Writes a commented starting matrix for a family; never overwrites a file.
int run_init(const InitOptions& options);

}  // namespace forgeline::cli
