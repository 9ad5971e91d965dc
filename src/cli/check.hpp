#pragma once

#include <CLI/CLI.hpp>

#include "cli/pipeline.hpp"

namespace forgeline::cli {

struct CheckOptions {
  Sources sources;
};

CLI::App* setup_check(CLI::App& app, CheckOptions& options);
/// 0 when every generated file is current, 1 with a diff when one is stale, missing or
/// edited by hand, 2 on an input error. Writes nothing.
int run_check(const CheckOptions& options);

}  // namespace forgeline::cli
