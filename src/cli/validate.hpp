#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace forgeline::cli {

struct ValidateOptions {
  std::vector<std::string> files;
  std::string format = "text";
};

CLI::App* setup_validate(CLI::App& app, ValidateOptions& options);
/// Checks each workflow file (schema, then lints) and prints the findings to stderr,
/// sorted. 0 when all are clean, 1 with findings, 2 when a file cannot be read.
int run_validate(const ValidateOptions& options);

}  // namespace forgeline::cli
