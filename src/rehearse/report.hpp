#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace forgeline::rehearse {

/// How a job or step ended, in GitHub's words.
enum class Result { success, failure, skipped, cancelled };

std::string_view result_name(Result result);

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// One step of a rehearsed job: how it ended, why, and what it did.
struct StepReport {
  std::string name;
  Result result = Result::success;
  std::string why;                 // skipped: the condition; failed: the exit status or error
  std::vector<std::string> notes;  // commands, tags pushed, what was emulated
  std::vector<std::string> script;  // dry run: the script it would run
  Pairs outputs;
  std::string tail;  // a failed step's last lines of output
  std::string log;   // the file holding its whole output; empty when it printed nothing
};

/// One run of a job (one matrix combination; a reusable workflow's jobs carry the calling
/// job's id in front: "qt / build").
struct JobReport {
  std::string id;
  std::string name;
  std::string workflow;
  Result result = Result::success;
  std::string why;
  std::vector<StepReport> steps;
  Pairs outputs;
};

/// An image tag the rehearsal pushed (or, dry, would push), by its name in the workflow.
struct Pushed {
  std::string tag;
  std::string how;  // "built", "tagged from <ref>"
  std::string job;
};

/// Everything a rehearsal found, in the order it happened.
struct Report {
  std::vector<std::string> header;  // the event, commit, repository, engine and registry
  Pairs workflows;                  // file → whether and why it was triggered
  std::vector<JobReport> jobs;
  std::vector<Pushed> pushed;
  std::vector<std::string> emulated;       // done differently from GitHub, and how
  std::vector<std::string> not_rehearsed;  // not done at all
  Result result = Result::success;
  std::string failure;  // which job failed at which step
  std::string failure_tail;
  bool dry_run = false;

  void emulate(std::string what);
  void skip(std::string what);
};

/// The report as people read it: the header, each job and step, then the summary, the tags
/// pushed, what was emulated, what was not rehearsed, and the result.
std::string report_text(const Report& report);

/// The same facts for tools; keys in a fixed order.
std::string report_json(const Report& report);

}  // namespace forgeline::rehearse
