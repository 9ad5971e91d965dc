#include "cli/generate.hpp"

#include <CLI/CLI.hpp>

namespace forgeline::cli {

CLI::App* setup_generate(CLI::App& app, GenerateOptions& options) {
  auto* cmd = app.add_subcommand("generate", "Render workflows and Dockerfiles from matrices, validate, and write them");
  cmd->add_option("--matrix", options.sources.matrices, "Matrix file (repeatable; default: matrices/*.yaml)");
  cmd->add_option("--out", options.sources.out, "Directory the outputs go under (default: .)");
  cmd->add_option("--templates", options.sources.templates, "Directory whose templates override the built-in ones");
  cmd->add_option("--lock", options.sources.lock, "Action pins (default: ./forgeline.lock when it exists)");
  cmd->add_flag("--force", options.force, "Overwrite files that were edited by hand or not written by forgeline");
  return cmd;
}

int run_generate(const GenerateOptions& options) {
  return generate_and_write(options.sources, "generate", options.force);
}

}  // namespace forgeline::cli
