#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rehearse/report.hpp"
#include "rehearse/session.hpp"

namespace forgeline::rehearse {

/// An action the rehearsal has a local equivalent for, and where its behaviour is documented.
struct KnownAction {
  std::string_view repo;    // owner/name, any version
  std::string_view does;    // what the rehearsal does instead, for --help and the README
  std::string_view source;  // the action's documentation
};

/// Every action a rehearsal knows; a step using any other stops the rehearsal.
const std::vector<KnownAction>& known_actions();

/// The entry for `uses:` (owner/name@ref), or null.
const KnownAction* known_action(std::string_view uses);

/// An action step as its job runs it.
struct ActionStep {
  std::string uses;
  std::map<std::string, std::string> with;  // evaluated inputs
  std::string job;                          // the job's id in the report
  std::filesystem::path workspace;          // $GITHUB_WORKSPACE on this machine
  /// A path as the job's steps see it ($RUNNER_TEMP/x inside a container) → on this machine.
  std::function<std::filesystem::path(const std::string&)> host_path;
  std::filesystem::path log;  // where commands it runs write their output
};

/// What an action step did.
struct ActionOutcome {
  bool ok = true;
  std::string error;               // why it failed
  std::vector<std::string> notes;  // for the report
  Pairs outputs;
  std::string output;  // what the commands it ran printed
};

/// Runs the local equivalent of a known action.
ActionOutcome run_action(Session& session, const ActionStep& step);

/// One input of an action given as a list: lines, and with `commas` also comma-separated
/// items, trimmed, empty ones and `#` comments dropped (docker/actions-toolkit getInputList).
std::vector<std::string> input_list(std::string_view value, bool commas);

/// An action input, or `fallback` when it is missing or empty (an action reads an empty input
/// as one not given).
std::string input_or(const std::map<std::string, std::string>& with, const std::string& name, std::string fallback = "");

/// Whether an action input reads as true (GitHub's `core.getBooleanInput`: true/True/TRUE).
bool input_true(const std::map<std::string, std::string>& with, const std::string& name, bool fallback);

}  // namespace forgeline::rehearse
