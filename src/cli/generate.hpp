#pragma once

#include "cli/command.hpp"
#include "cli/pipeline.hpp"

namespace forgeline::cli {

struct GenerateOptions {
  Sources sources;
  bool force = false;
};

Command setup_generate(GenerateOptions& options);
int run_generate(const GenerateOptions& options);

}  // namespace forgeline::cli
