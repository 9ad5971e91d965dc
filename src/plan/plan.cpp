#include "plan/plan.hpp"

#include <map>
#include <type_traits>

#include "plan/openwrt.hpp"
#include "plan/rust.hpp"
#include "plan/split.hpp"
#include "plan/stages.hpp"

namespace forgeline::plan {

util::Result<Plan> make_plan(const model::Project& project, const Options& options) {
  return std::visit(
      [&](const auto& family) -> util::Result<Plan> {
        using T = std::decay_t<decltype(family)>;
        if constexpr (std::is_same_v<T, model::OpenwrtPackage>) return plan_openwrt(family, project.matrix_path, options);
        else if constexpr (std::is_same_v<T, model::RustBuilder>) return plan_rust_builder(family, project.matrix_path, options);
        else return plan_stage_chain(family, project.matrix_path, options);
      },
      project.family);
}

Plan start_plan(const std::string& matrix_path, const std::string& family, const Budget& budget) {
  Plan plan;
  plan.matrix_path = matrix_path;
  plan.family = family;
  plan.runner = budget.runner;
  plan.job_limit_minutes = budget.limit_minutes;
  plan.margin_minutes = budget.margin_minutes;
  plan.budget_minutes = budget.minutes();
  return plan;
}

CriticalPath critical_path(const Plan& plan) {
  // Jobs only need earlier jobs in plan order, so one pass finds each job's longest chain.
  std::map<std::string, CriticalPath> best;
  CriticalPath longest;
  for (const Job& job : plan.jobs) {
    // A need without an estimate still lies on the path, so the first need found is taken.
    const CriticalPath* longest_need = nullptr;
    for (const auto& need : job.needs)
      if (auto it = best.find(need); it != best.end() && (!longest_need || it->second.minutes > longest_need->minutes))
        longest_need = &it->second;
    CriticalPath before = longest_need ? *longest_need : CriticalPath{};
    before.jobs.push_back(job.id);
    before.minutes += job.estimate_minutes;
    if (before.minutes > longest.minutes || longest.jobs.empty()) longest = before;
    best[job.id] = std::move(before);
  }
  return longest;
}

}  // namespace forgeline::plan
