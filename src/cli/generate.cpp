#include "cli/generate.hpp"


namespace forgeline::cli {

Command setup_generate(GenerateOptions& options) {
  Command cmd{"generate", "Render workflows and Dockerfiles from matrices, validate, and write them"};
  cmd.option("--matrix", options.sources.matrices, "Matrix file (repeatable; default: matrices/*.yaml)");
  cmd.option("--out", options.sources.out, "Directory the outputs go under (default: .)");
  cmd.option("--templates", options.sources.templates, "Directory whose templates override the built-in ones");
  cmd.option("--lock", options.sources.lock, "Action pins (default: ./forgeline.lock when it exists)");
  cmd.flag("--force", options.force, "Overwrite files that were edited by hand or not written by forgeline");
  return cmd;
}

int run_generate(const GenerateOptions& options) {
  return generate_and_write(options.sources, "generate", options.force);
}

}  // namespace forgeline::cli
