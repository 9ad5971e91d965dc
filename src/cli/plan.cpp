#include "cli/plan.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "cli/pipeline.hpp"
#include "matrix/load.hpp"
#include "model/build.hpp"
#include "util/strings.hpp"

namespace forgeline::cli {

namespace {

using model::format_minutes;

std::string estimate_text(const plan::Job& job) {
  if (job.estimate_minutes == 0) return "unknown";  // the matrix gives no estimate
  std::string out = format_minutes(job.estimate_minutes);
  if (job.cached_minutes) out += fmt::format(" ({} cached)", format_minutes(*job.cached_minutes));
  return out;
}

/// Rows padded to the widest cell of each column, two spaces apart, no trailing spaces.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c)
      line += c + 1 == row.size() ? row[c] : row[c] + std::string(width[c] - row[c].size() + 2, ' ');
    out += line + "\n";
  }
  return out;
}

util::Result<plan::Plan> plan_matrix(const std::string& path) {
  auto loaded = matrix::load_file(path);
  if (!loaded) return std::unexpected(std::move(loaded.error()));
  auto project = model::build(*loaded);
  if (!project) return std::unexpected(std::move(project.error()));
  return plan::make_plan(*project);
}

}  // namespace

std::string plan_text(const plan::Plan& plan) {
  std::string out = fmt::format("{} ({}): jobs on {} may run {}; with a {} safety margin each job is planned "
                                "within {}\n\n",
                                plan.matrix_path, plan.family, plan.runner, format_minutes(plan.job_limit_minutes),
                                format_minutes(plan.margin_minutes), format_minutes(plan.budget_minutes));
  std::vector<std::vector<std::string>> rows = {{"JOB", "WORKFLOW", "RUNS", "ESTIMATE", "TIMEOUT", "NEEDS", "CONTAINS"}};
  for (const auto& job : plan.jobs)
    rows.push_back({job.id, job.workflow, fmt::format("{}", job.matrix_size), estimate_text(job),
                    format_minutes(job.timeout_minutes), job.needs.empty() ? "-" : util::join(job.needs, ", "),
                    util::join(job.contains, "; ")});
  out += table(rows);
  const auto path = plan::critical_path(plan);
  out += fmt::format("\ncritical path: {} ({} cold)\n", util::join(path.jobs, " → "), format_minutes(path.minutes));
  std::vector<std::string> notes, unknown;
  for (const auto& job : plan.jobs) {
    if (!job.note.empty()) notes.push_back(fmt::format("  {}: {}\n", job.id, job.note));
    if (job.estimate_minutes == 0) unknown.push_back(job.id);
  }
  if (!unknown.empty())
    out += fmt::format("no estimate for {}: not split, and allowed the whole {} limit\n", util::join(unknown, ", "),
                       format_minutes(plan.job_limit_minutes));
  if (notes.empty()) out += fmt::format("splits: none; every estimated job fits within {}\n", format_minutes(plan.budget_minutes));
  else out += "splits:\n" + util::join(notes, "");
  return out;
}

std::string plan_json(const std::vector<plan::Plan>& plans) {
  using ordered = nlohmann::ordered_json;
  ordered out = ordered::array();
  for (const auto& plan : plans) {
    ordered jobs = ordered::array();
    for (const auto& job : plan.jobs)
      jobs.push_back({{"id", job.id},
                      {"workflow", job.workflow},
                      {"contains", job.contains},
                      {"needs", job.needs},
                      {"matrix_size", job.matrix_size},
                      {"estimate_minutes", job.estimate_minutes},
                      {"cached_minutes", job.cached_minutes ? ordered(*job.cached_minutes) : ordered(nullptr)},
                      {"timeout_minutes", job.timeout_minutes},
                      {"note", job.note}});
    const auto path = plan::critical_path(plan);
    ordered files = ordered::array();
    for (const auto& f : plan.files) files.push_back(f.path);
    out.push_back({{"matrix", plan.matrix_path},
                   {"family", plan.family},
                   {"runner", plan.runner},
                   {"job_limit_minutes", plan.job_limit_minutes},
                   {"safety_margin_minutes", plan.margin_minutes},
                   {"budget_minutes", plan.budget_minutes},
                   {"jobs", jobs},
                   {"critical_path", {{"jobs", path.jobs}, {"minutes", path.minutes}}},
                   {"files", files}});
  }
  return out.dump(2) + "\n";
}

std::string plan_mermaid(const plan::Plan& plan) {
  // Mermaid ids are plain: jobs become j1, j2, ... and workflows w1, w2, ... in plan order.
  std::map<std::string, std::string> node;
  std::vector<std::string> workflows;
  for (const auto& job : plan.jobs) {
    node[job.id] = fmt::format("j{}", node.size() + 1);
    if (std::find(workflows.begin(), workflows.end(), job.workflow) == workflows.end())
      workflows.push_back(job.workflow);
  }
  std::string out = fmt::format("graph LR\n");
  for (std::size_t w = 0; w < workflows.size(); ++w) {
    out += fmt::format("  subgraph w{}[\"{}\"]\n", w + 1, workflows[w]);
    for (const auto& job : plan.jobs) {
      if (job.workflow != workflows[w]) continue;
      std::string label = job.id;
      if (job.matrix_size > 1) label += fmt::format(" ×{}", job.matrix_size);
      label += "<br/>" + util::join(job.contains, "; ");
      label += fmt::format("<br/>{}, timeout {}", estimate_text(job), format_minutes(job.timeout_minutes));
      out += fmt::format("    {}[\"{}\"]\n", node[job.id], label);
    }
    out += "  end\n";
  }
  for (const auto& job : plan.jobs)
    for (const auto& need : job.needs) out += fmt::format("  {} --> {}\n", node[need], node[job.id]);
  std::vector<std::string> critical;
  for (const auto& id : plan::critical_path(plan).jobs) critical.push_back(node[id]);
  out += "  classDef critical stroke-width:3px\n";
  out += fmt::format("  class {} critical\n", util::join(critical, ","));
  return out;
}

Command setup_plan(PlanOptions& options) {
  Command cmd{"plan", "Show the jobs a matrix plans: estimates, timeouts, critical path and splits"};
  cmd.option("--matrix", options.matrices, "Matrix file (repeatable; default: matrices/*.yaml)");
  cmd.option("--format", options.format, "text (default), json or mermaid").one_of({"text", "json", "mermaid"});
  return cmd;
}

int run_plan(const PlanOptions& options) {
  const std::vector<std::string> matrices = options.matrices.empty() ? default_matrices() : options.matrices;
  if (matrices.empty()) {
    report({util::error_at({"matrices", 0, 0}, "no matrix files; pass --matrix FILE or add matrices/*.yaml (plan)")});
    return 2;
  }
  std::vector<plan::Plan> plans;
  util::Diagnostics problems;
  for (const auto& path : matrices) {
    auto planned = plan_matrix(std::filesystem::path(path).lexically_normal().generic_string());
    if (!planned) problems.insert(problems.end(), planned.error().begin(), planned.error().end());
    else plans.push_back(std::move(*planned));
  }
  if (!problems.empty()) {
    report(problems);
    return 2;
  }
  if (options.format == "json") {
    std::cout << plan_json(plans);
    return 0;
  }
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (i > 0) std::cout << '\n';
    if (options.format == "text") {
      std::cout << plan_text(plans[i]);
      continue;
    }
    // Several diagrams say which matrix each one is for, in a mermaid comment.
    if (plans.size() > 1) std::cout << "%% " << plans[i].matrix_path << '\n';
    std::cout << plan_mermaid(plans[i]);
  }
  return 0;
}

}  // namespace forgeline::cli
