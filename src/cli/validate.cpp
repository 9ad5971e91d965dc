#include "cli/validate.hpp"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/pipeline.hpp"
#include "util/files.hpp"
#include "validate/workflow.hpp"

namespace forgeline::cli {

CLI::App* setup_validate(CLI::App& app, ValidateOptions& options) {
  auto* cmd = app.add_subcommand("validate", "Check workflow files against the workflow schema and forgeline's lints");
  cmd->add_option("files", options.files, "Workflow files (.yml)")->required();
  cmd->add_option("--format", options.format, "text (diagnostics on stderr) or json (on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  return cmd;
}

int run_validate(const ValidateOptions& options) {
  util::Diagnostics findings;
  bool unreadable = false;
  for (const std::string& file : options.files) {
    auto text = util::read_file(file);
    if (!text) {
      unreadable = true;
      findings.push_back(util::error_at({file, 0, 0}, fmt::format("cannot read workflow: {}", text.error())));
      continue;
    }
    // Local reusable calls name files in the same workflows folder as the caller.
    auto found = validate::check_workflow(*text, file, std::filesystem::path(file).parent_path());
    findings.insert(findings.end(), found.begin(), found.end());
  }
  if (options.format == "json")
    std::cout << nlohmann::json{{"clean", findings.empty()}, {"findings", to_json(findings)}}.dump(2) << '\n';
  else
    report(findings);
  if (unreadable) return 2;
  return findings.empty() ? 0 : 1;
}

}  // namespace forgeline::cli
