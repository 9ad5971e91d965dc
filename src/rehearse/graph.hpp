#pragma once

#include <set>
#include <string>
#include <vector>

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

}  // namespace forgeline::rehearse
