#include "cli/generate.hpp"

namespace forgeline::cli {

Command setup_generate(GenerateOptions& options) {
  Command cmd{"generate", "Render workflows and Dockerfiles from matrices, validate, and write them"};
  source_flags(cmd, options.sources, "Directory the outputs go under (default: .)");
  cmd.flag("--force", options.force, "Overwrite files that were edited by hand or not written by forgeline");
  return cmd;
}

int run_generate(const GenerateOptions& options) {
  return generate_and_write(options.sources, "generate", options.force);
}

}  // namespace forgeline::cli
