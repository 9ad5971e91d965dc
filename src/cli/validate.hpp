#pragma once

#include <string>
#include <vector>

#include "cli/command.hpp"

namespace forgeline::cli {

struct ValidateOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool strict = false;                // warnings fail too
  std::vector<std::string> disabled;  // rule ids
  std::vector<std::string> enabled;   // rule ids that are off by default
  std::string config;                 // a config file; empty: find .forgeline.yaml
  bool no_config = false;
};

Command setup_validate(ValidateOptions& options);
/// Checks each workflow file (YAML, schema, lints) and prints every finding to stderr, sorted,
/// or as JSON on stdout. 0 when no finding is an error (with --strict: nor a warning), 1 when
/// one is, 2 when a file or the config cannot be read or a rule name is unknown.
int run_validate(const ValidateOptions& options);

}  // namespace forgeline::cli
