#include "cli/validate.hpp"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/report.hpp"
#include "util/files.hpp"
#include "util/json_text.hpp"
#include "validate/config.hpp"
#include "validate/workflow.hpp"

namespace forgeline::cli {

namespace fs = std::filesystem;

Command setup_validate(ValidateOptions& options) {
  Command cmd{"validate", "Check workflow files against the workflow schema and forgeline's lints"};
  cmd.option("files", options.files, "Workflow files (.yml)").required();
  cmd.option("--format", options.format, "text (diagnostics on stderr) or json (on stdout)").one_of({"text", "json"});
  cmd.flag("--strict", options.strict, "Exit 1 for warnings too, not only errors");
  cmd.option("--disable", options.disabled, "Turn a rule off (repeatable, or comma-separated)").delimiter(',');
  cmd.option("--enable", options.enabled, "Turn on a rule that is off by default (e.g. action-pin)").delimiter(',');
  cmd.option("--config", options.config, "Read settings from FILE instead of .forgeline.yaml");
  cmd.flag("--no-config", options.no_config, "Read no .forgeline.yaml").excludes("--config");
  return cmd;
}

namespace {

// The rule settings and strictness: the config file first, then the command line.
util::Result<validate::Config> settings(const ValidateOptions& options) {
  validate::Config config;
  std::optional<fs::path> path;
  if (!options.config.empty()) path = options.config;
  else if (!options.no_config)
    if (auto found = validate::find_config(fs::current_path())) path = fs::relative(*found);
  if (path) {
    auto loaded = validate::load_config(*path);
    if (!loaded) return loaded;
    config = std::move(*loaded);
  }
  util::Diagnostics problems;
  const auto add = [&](const std::vector<std::string>& names, const char* flag, auto& into) {
    for (const std::string& name : names) {
      if (auto known = validate::check_rule_name(name); !known)
        problems.push_back(util::error_at({"forgeline", 0, 0}, fmt::format("{} {}: {}", flag, name, known.error())));
      else
        into.insert(name);
    }
  };
  add(options.disabled, "--disable", config.rules.disabled);
  add(options.enabled, "--enable", config.rules.enabled);
  if (!problems.empty()) return std::unexpected(std::move(problems));
  config.strict = config.strict || options.strict;
  return config;
}

}  // namespace

int run_validate(const ValidateOptions& options) {
  auto config = settings(options);
  if (!config) {
    report(config.error());
    return 2;
  }
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
    auto found = validate::check_workflow(*text, file, {fs::path(file).parent_path(), config->rules});
    findings.insert(findings.end(), found.begin(), found.end());
  }
  const bool failed = std::any_of(findings.begin(), findings.end(), [&](const util::Diagnostic& d) {
    return d.severity == util::Severity::error || (config->strict && d.severity == util::Severity::warning);
  });
  if (options.format == "json")
    std::cout << util::dump(
                     nlohmann::json{{"clean", findings.empty()}, {"passed", !failed}, {"findings", to_json(findings)}},
                     2)
              << '\n';
  else
    report(findings);
  if (unreadable) return 2;
  return failed ? 1 : 0;
}

}  // namespace forgeline::cli
