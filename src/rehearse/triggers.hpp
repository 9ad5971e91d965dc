#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rehearse/workflow.hpp"

namespace forgeline::rehearse {

/// The event a rehearsal plays: what was pushed, opened or dispatched, and where.
struct Event {
  std::string name = "push";  // push, pull_request or workflow_dispatch
  std::string ref = "main";   // the pushed or dispatched branch; a pull request's head branch
  std::string base = "main";  // a pull request's base branch
  /// Files the event changes, for `paths:` filters; unset: filters are not evaluated.
  std::optional<std::vector<std::string>> changed;
};

/// Whether a workflow runs for the event, and in words why or why not.
struct Trigger {
  bool runs = false;
  std::string reason;
};

/// GitHub's rules for `on:`: the event must be listed; `branches`/`branches-ignore` match
/// the pushed branch (a pull request's base branch); `paths`/`paths-ignore` match the
/// changed files when they are known. A workflow with only `workflow_call` never runs on
/// its own.
Trigger triggered_by(const Workflow& workflow, const Event& event);

}  // namespace forgeline::rehearse
