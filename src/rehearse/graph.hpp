#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "rehearse/report.hpp"
#include "rehearse/workflow.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::rehearse {

/// The order the rehearsal runs a workflow's jobs in, one after another: a job comes after
/// every job it needs; among jobs that are ready, the one written first. (GitHub starts ready
/// jobs in parallel; the order among them decides nothing there.) A cycle is an error at
/// the `needs` of a job on it.
util::Result<std::vector<std::size_t>> job_order(const Workflow& workflow);

/// The jobs a job depends on directly or through others: whose failure or skip makes the
/// implicit `success()` of its `if:` false.
std::set<std::string> ancestors(const Workflow& workflow, const std::string& job);

/// What the status functions in a job's `if:` see of the jobs it depends on, directly or not
/// (docs.github.com, "Evaluate expressions", status check functions; actions/runner#491):
/// success() needs every one to have succeeded; failure() needs one to have failed (or been
/// cancelled); one that was skipped, with none failed, makes both false.
struct AncestorStatus {
  bool failed = false;
  bool skipped = false;
  std::string first;  // the first (by name) that did not succeed, and how: "lint was skipped"
};

AncestorStatus ancestor_status(const Workflow& workflow, const std::string& job,
                               const std::map<std::string, Result>& results);

}  // namespace forgeline::rehearse
