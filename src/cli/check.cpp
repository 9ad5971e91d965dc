#include "cli/check.hpp"

#include <iostream>

#include <fmt/format.h>

#include "output/generated.hpp"
#include "util/files.hpp"

namespace forgeline::cli {

CLI::App* setup_check(CLI::App& app, CheckOptions& options) {
  auto* cmd = app.add_subcommand("check", "Exit 1 with a diff when a generated file is stale, missing or edited by hand");
  cmd->add_option("--matrix", options.sources.matrices, "Matrix file (repeatable; default: matrices/*.yaml)");
  cmd->add_option("--out", options.sources.out, "Directory the outputs are under (default: .)");
  cmd->add_option("--templates", options.sources.templates, "Directory whose templates override the built-in ones");
  return cmd;
}

int run_check(const CheckOptions& options) {
  auto produced = produce(options.sources, "check");
  if (!produced) {
    report(produced.error());
    return 2;
  }
  if (!produced->findings.empty()) {
    report(produced->findings);
    return 1;
  }
  int problems = 0;
  for (const auto& f : produced->files) {
    const std::string shown = f.path.generic_string();
    auto current = util::read_file(f.path);
    if (current && *current == f.text) continue;
    ++problems;
    if (!current) {
      std::cout << fmt::format("{}: missing: run forgeline generate (from {})\n", shown, f.matrix);
      std::cout << output::unified_diff("", f.text, shown);
      continue;
    }
    const auto state = output::inspect(*current).state;
    if (state == output::State::edited)
      std::cout << fmt::format("{}: edited by hand: move the change into {} or a template, then regenerate\n", shown, f.matrix);
    else if (state == output::State::foreign)
      std::cout << fmt::format("{}: not written by forgeline: generate would replace it\n", shown);
    else
      std::cout << fmt::format("{}: stale: {} changed since it was generated\n", shown, f.matrix);
    std::cout << output::unified_diff(*current, f.text, shown);
  }
  if (problems > 0) {
    std::cout << fmt::format("{} of {} generated files need forgeline generate\n", problems, produced->files.size());
    return 1;
  }
  return 0;
}

}  // namespace forgeline::cli
