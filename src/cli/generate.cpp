#include "cli/generate.hpp"

#include <iostream>

#include <fmt/format.h>

#include "output/generated.hpp"
#include "util/files.hpp"

namespace forgeline::cli {

CLI::App* setup_generate(CLI::App& app, GenerateOptions& options) {
  auto* cmd = app.add_subcommand("generate", "Render workflows and Dockerfiles from matrices, validate, and write them");
  cmd->add_option("--matrix", options.sources.matrices, "Matrix file (repeatable; default: matrices/*.yaml)");
  cmd->add_option("--out", options.sources.out, "Directory the outputs go under (default: .)");
  cmd->add_option("--templates", options.sources.templates, "Directory whose templates override the built-in ones");
  cmd->add_flag("--force", options.force, "Overwrite files that were edited by hand or not written by forgeline");
  return cmd;
}

int run_generate(const GenerateOptions& options) {
  auto produced = produce(options.sources, "generate");
  if (!produced) {
    report(produced.error());
    return 2;
  }
  if (!produced->findings.empty()) {
    report(produced->findings);
    std::cerr << "forgeline: nothing written: the generated files did not pass validation\n";
    return 1;
  }

  std::vector<util::FileWrite> writes;
  util::Diagnostics refused;
  std::size_t unchanged = 0;
  for (const auto& f : produced->files) {
    auto current = util::read_file(f.path);
    // A script whose text is current but lost its exec bit is written again.
    if (current && *current == f.text && (!f.executable || util::is_executable(f.path))) {
      ++unchanged;
      continue;
    }
    if (current && !options.force) {
      const auto state = output::inspect(*current).state;
      if (state == output::State::edited)
        refused.push_back(util::error_at({f.path.generic_string(), 1, 1},
                                         "edited by hand since forgeline wrote it; move the change into the matrix or "
                                         "a template, or pass --force to overwrite it"));
      else if (state == output::State::foreign)
        refused.push_back(util::error_at({f.path.generic_string(), 1, 1},
                                         "not written by forgeline; pass --force to replace it"));
    }
    writes.push_back({f.path, f.text, f.executable});
  }
  if (!refused.empty()) {
    report(refused);
    std::cerr << "forgeline: nothing written\n";
    return 1;
  }
  if (auto written = util::write_all(writes); !written) {
    std::cerr << "forgeline: error: " << written.error() << "\n";
    return 2;
  }
  for (const auto& w : writes) std::cout << "wrote " << w.path.generic_string() << '\n';
  std::cout << fmt::format("{} files: {} written, {} unchanged\n", produced->files.size(), writes.size(), unchanged);
  return 0;
}

}  // namespace forgeline::cli
