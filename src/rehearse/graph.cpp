#include "rehearse/graph.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::rehearse {

util::Result<std::vector<std::size_t>> job_order(const Workflow& wf) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < wf.jobs.size(); ++i) index[wf.jobs[i].id] = i;
  std::vector<bool> done(wf.jobs.size(), false);
  std::vector<std::size_t> order;
  while (order.size() < wf.jobs.size()) {
    bool progressed = false;
    for (std::size_t i = 0; i < wf.jobs.size(); ++i) {
      if (done[i]) continue;
      const auto& needs = wf.jobs[i].needs;
      if (std::all_of(needs.begin(), needs.end(), [&](const std::string& n) { return done[index.at(n)]; })) {
        done[i] = true;
        order.push_back(i);
        progressed = true;
        break;  // restart: the first ready job in file order goes next
      }
    }
    if (!progressed) {
      // Every job left waits on another one left: walk the needs until a job repeats.
      std::size_t at = 0;
      while (done[at]) ++at;
      std::vector<std::string> path;
      while (std::find(path.begin(), path.end(), wf.jobs[at].id) == path.end()) {
        path.push_back(wf.jobs[at].id);
        for (const auto& n : wf.jobs[at].needs)
          if (!done[index.at(n)]) {
            at = index.at(n);
            break;
          }
      }
      const auto first = std::find(path.begin(), path.end(), wf.jobs[at].id);
      std::vector<std::string> cycle(first, path.end());
      cycle.push_back(wf.jobs[at].id);
      return std::unexpected(util::Diagnostics{util::error_at(
          wf.marks.value_at(util::pointer_append(wf.jobs[index.at(cycle.front())].pointer, "needs")),
          fmt::format("the jobs' needs form a cycle: {}", util::join(cycle, " → ")))});
    }
  }
  return order;
}

std::set<std::string> ancestors(const Workflow& wf, const std::string& job) {
  std::set<std::string> out;
  std::vector<std::string> todo = {job};
  while (!todo.empty()) {
    const std::string id = todo.back();
    todo.pop_back();
    for (const Job& j : wf.jobs)
      if (j.id == id)
        for (const auto& n : j.needs)
          if (out.insert(n).second) todo.push_back(n);
  }
  return out;
}

AncestorStatus ancestor_status(const Workflow& workflow, const std::string& job,
                               const std::map<std::string, Result>& results) {
  AncestorStatus out;
  for (const auto& a : ancestors(workflow, job)) {
    const auto it = results.find(a);
    if (it == results.end() || it->second == Result::success) continue;
    if (it->second == Result::skipped) out.skipped = true;
    else out.failed = true;
    if (out.first.empty())
      out.first = it->second == Result::skipped ? a + " was skipped" : fmt::format("{} ended in {}", a, result_name(it->second));
  }
  return out;
}

}  // namespace forgeline::rehearse
