#include "cli/app.hpp"

#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <type_traits>
#include <variant>

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

namespace {

/// Adds `command` to `app` as a subcommand, each flag bound to its options field, and
/// returns it. The only place CLI11 is called.
CLI::App* bind(CLI::App& app, const Command& command) {
  auto* cmd = app.add_subcommand(command.name, command.description);
  if (command.hidden) cmd->group("");
  if (command.rest) cmd->prefix_command();
  std::map<std::string, CLI::Option*> added;
  for (const Flag& flag : command.flags) {
    CLI::Option* option = std::visit(
        [&](auto* into) {
          if constexpr (std::is_same_v<decltype(into), bool*>) return cmd->add_flag(flag.name, *into, flag.help);
          else return cmd->add_option(flag.name, *into, flag.help);
        },
        flag.into);
    if (flag.needed) option->required();
    if (!flag.choices.empty()) option->check(CLI::IsMember(flag.choices));
    if (flag.separator != '\0') option->delimiter(flag.separator);
    if (!flag.excluded.empty()) option->excludes(added.at(flag.excluded));
    added[flag.name] = option;
  }
  if (command.rest) cmd->final_callback([rest = command.rest, cmd] { *rest = cmd->remaining(); });
  return cmd;
}

}  // namespace

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
      {bind(app, setup_generate(generate)), [&] { return run_generate(generate); }},
      {bind(app, setup_check(check)), [&] { return run_check(check); }},
      {bind(app, setup_add_arch(add_arch)), [&] { return run_add_arch(add_arch); }},
      {bind(app, setup_init(init)), [&] { return run_init(init); }},
      {bind(app, setup_validate(validate)), [&] { return run_validate(validate); }},
      {bind(app, setup_plan(plan)), [&] { return run_plan(plan); }},
      {bind(app, setup_rehearse(rehearse)), [&] { return run_rehearse(rehearse); }},
      {bind(app, setup_rehearse_shim(rehearse_shim)), [&] { return run_rehearse_shim(rehearse_shim); }},
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
