#pragma once

#include "cli/pipeline.hpp"

// Only the command's own .cpp binds flags, so CLI11 (large and header-only) is compiled there alone.
namespace CLI {
class App;
}

namespace forgeline::cli {

struct GenerateOptions {
  Sources sources;
  bool force = false;
};

CLI::App* setup_generate(CLI::App& app, GenerateOptions& options);
int run_generate(const GenerateOptions& options);

}  // namespace forgeline::cli
