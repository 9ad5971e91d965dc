#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rehearse/report.hpp"
#include "rehearse/session.hpp"
#include "rehearse/workflow.hpp"

namespace forgeline::rehearse {

/// One run of a job that has steps: one matrix combination, with the contexts its
/// expressions see before it starts (github, inputs, needs, matrix, strategy, secrets, vars).
struct JobRun {
  const Workflow* workflow = nullptr;
  const Job* job = nullptr;
  std::string id;  // as the report names it, e.g. "qt / build" or "build-package (x86_64)"
  nlohmann::json contexts = nlohmann::json::object();
};

/// How the run ended, its outputs, and what the report says about it.
struct JobEnd {
  Result result = Result::success;
  Pairs outputs;
  JobReport report;
};

/// Runs the job's steps in a fresh workspace (inside its `container:` when it has one):
/// `if:` with the implicit `success()`, `run:` scripts in the step's shell with the runner's
/// variables and file commands, actions through their local equivalents, then the job's
/// outputs. In a dry run, steps inside a container are listed, not run.
JobEnd run_steps(Session& session, const JobRun& run);

/// The command the runner starts for a `run:` step with this `shell:` (docs.github.com,
/// "Workflow syntax", jobs.<job_id>.steps[*].shell): none → `bash -e {0}`, bash →
/// `bash --noprofile --norc -eo pipefail {0}`, sh → `sh -e {0}`, python → `python {0}`,
/// anything else is a command template around {0}.
std::vector<std::string> shell_command(const std::string& shell, const std::string& script);

/// Splits `container.options` into arguments: whitespace-separated, quotes grouping.
std::vector<std::string> split_options(const std::string& options);

}  // namespace forgeline::rehearse
