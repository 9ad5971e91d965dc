#pragma once

#include <CLI/CLI.hpp>

#include "cli/pipeline.hpp"

namespace forgeline::cli {

struct GenerateOptions {
  Sources sources;
  bool force = false;
};

CLI::App* setup_generate(CLI::App& app, GenerateOptions& options);
int run_generate(const GenerateOptions& options);

}  // namespace forgeline::cli
