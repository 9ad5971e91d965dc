#include "cli/app.hpp"

#include <exception>
#include <functional>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/add_arch.hpp"
#include "cli/check.hpp"
#include "cli/generate.hpp"
#include "cli/init.hpp"
#include "cli/validate.hpp"
#include "cli/plan.hpp"
#include "cli/rehearse.hpp"
#include "cli/version.hpp"

namespace forgeline::cli {

int main(int argc, char** argv) {
  CLI::App app{"forgeline: generate GitHub Actions workflows and Dockerfiles from a build matrix"};
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("forgeline {} (commit {})", FORGELINE_VERSION, build_commit));

  GenerateOptions generate;
  CheckOptions check;
  AddArchOptions add_arch;
  InitOptions init;
  ValidateOptions validate;
  PlanOptions plan;
  RehearseOptions rehearse;
  RehearseShimOptions rehearse_shim;
  // One row per command: its subcommand (flags bound to its options) and what it runs.
  const std::vector<std::pair<CLI::App*, std::function<int()>>> commands = {
      {setup_generate(app, generate), [&] { return run_generate(generate); }},
      {setup_check(app, check), [&] { return run_check(check); }},
      {setup_add_arch(app, add_arch), [&] { return run_add_arch(add_arch); }},
      {setup_init(app, init), [&] { return run_init(init); }},
      {setup_validate(app, validate), [&] { return run_validate(validate); }},
      {setup_plan(app, plan), [&] { return run_plan(plan); }},
      {setup_rehearse(app, rehearse), [&] { return run_rehearse(rehearse); }},
      {setup_rehearse_shim(app, rehearse_shim), [&] { return run_rehearse_shim(rehearse_shim); }},
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "forgeline: error: " << e.what() << "\nRun 'forgeline --help' for usage.\n";
    return 2;
  }
  try {
    for (const auto& [command, run] : commands)
      if (command->parsed()) return run();
  } catch (const std::exception& e) {
    std::cerr << "forgeline: error: " << e.what() << '\n';
    return 2;
  }
  return 2;
}

}  // namespace forgeline::cli
