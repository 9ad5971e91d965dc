#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/diagnostic.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::rehearse {

/// One step of a job as written. Values that may hold `${{ }}` stay unevaluated JSON.
struct Step {
  std::string pointer;  // JSON pointer of the step, e.g. /jobs/build/steps/2
  std::string id;
  nlohmann::json name;  // null when the step has none
  std::string uses;     // an action reference, e.g. docker/build-push-action@v7
  std::string run;
  nlohmann::json with = nlohmann::json::object();
  nlohmann::json env = nlohmann::json::object();
  std::string condition;  // `if:`; empty when absent
  std::string shell;
  nlohmann::json working_directory;  // null when absent
  nlohmann::json continue_on_error = false;
};

/// One job as written: steps to run, or a call of a reusable workflow (`uses:`).
struct Job {
  std::string id;
  std::string pointer;  // /jobs/<id>
  nlohmann::json name;  // null when the job has none
  std::vector<std::string> needs;
  std::string condition;
  nlohmann::json strategy;  // null when absent
  nlohmann::json runs_on;
  nlohmann::json container;  // null, an image string or an object
  nlohmann::json env = nlohmann::json::object();
  nlohmann::json outputs = nlohmann::json::object();
  nlohmann::json defaults = nlohmann::json::object();
  nlohmann::json continue_on_error = false;
  std::vector<Step> steps;
  std::string uses;  // ./.github/workflows/x.yml for a reusable call
  nlohmann::json with = nlohmann::json::object();
  nlohmann::json secrets;  // null, "inherit" or an object
};

/// A workflow file as the rehearsal reads it, with the marks to point at its lines.
struct Workflow {
  std::string path;  // relative to the repository root, e.g. .github/workflows/build.yml
  std::string name;  // its `name:`, else its path
  nlohmann::json on = nlohmann::json::object();  // event name → its configuration (null when bare)
  nlohmann::json env = nlohmann::json::object();
  nlohmann::json defaults = nlohmann::json::object();
  std::vector<Job> jobs;  // in file order
  nlohmann::json document;  // the whole file, for what the fields above leave out
  util::SourceMap marks;
  std::string text;
};

/// Reads the workflow's structure: triggers (string, list or mapping forms), jobs, steps.
/// Shapes the rehearsal cannot read (a job without steps or `uses:`, a step with both `run:`
/// and `uses:`, an unknown `needs`) are errors at their line.
util::Result<Workflow> parse_workflow(std::string_view text, const std::string& path);

/// parse_workflow() of `root / path`; a file it cannot read is an error naming it.
util::Result<Workflow> read_workflow(const std::filesystem::path& root, const std::string& path);

/// Where a character of a value lies in the file: `offset` counts in the value as parsed.
/// Found by looking for the value's text from its mark on; the mark itself when the value
/// is not written literally (escapes, folded lines).
util::Location locate(const Workflow& workflow, std::string_view pointer, std::string_view value,
                      std::size_t offset);

/// The event names a workflow runs on.
std::vector<std::string> events_of(const Workflow& workflow);

}  // namespace forgeline::rehearse
