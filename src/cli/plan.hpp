#pragma once

#include <string>
#include <vector>

#include "cli/command.hpp"
#include "plan/plan.hpp"

namespace forgeline::cli {

struct PlanOptions {
  std::vector<std::string> matrices;  // empty: matrices/*.yaml
  std::string format = "text";        // text, json or mermaid
};

Command setup_plan(PlanOptions& options);
/// Prints the jobs each matrix plans, their estimates and timeouts, the critical path and
/// where and why work was split or sharded. 0 on success, 2 on an input error.
int run_plan(const PlanOptions& options);

/// A table of the jobs, the critical path and the reasons for every split, for people.
std::string plan_text(const plan::Plan& plan);
/// The same facts for tools: an object with a fixed key order.
std::string plan_json(const std::vector<plan::Plan>& plans);
/// A mermaid `graph LR`: one subgraph per workflow, `needs` as edges, the critical path bold.
std::string plan_mermaid(const plan::Plan& plan);

}  // namespace forgeline::cli
