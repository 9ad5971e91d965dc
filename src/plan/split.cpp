#include "plan/split.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/build.hpp"
#include "plan/runner.hpp"
#include "util/strings.hpp"

namespace forgeline::plan {

using model::format_minutes;

namespace {

/// A segment with what the notes need to say where it came from.
struct Piece {
  Segment segment;
  const Work* work = nullptr;
  std::string after;  // split target the segment starts after; empty at the start of its work
};

std::string over_budget(const std::string& what, int minutes, const Budget& budget, const std::string& remedy) {
  const std::string alternative = budget.self_hosted ? "raise the runner's job_limit"
                                                     : "use a self-hosted runner with a larger job_limit";
  return fmt::format("{} needs {} but a job on {} may run {} ({} limit − {} margin); {} or {}", what,
                     format_minutes(minutes), budget.runner, format_minutes(budget.minutes()),
                     format_minutes(budget.limit_minutes), format_minutes(budget.margin_minutes), remedy, alternative);
}

/// The work as segments: whole when it fits, else cut at its split points, the rest of its
/// estimate after the last point forming a final segment.
util::Result<std::vector<Piece>> cut(const Work& w, const Budget& budget) {
  if (w.estimate_minutes <= budget.minutes()) return std::vector<Piece>{{{w.name, "", w.estimate_minutes, true}, &w, ""}};
  if (w.split.empty())
    return std::unexpected(util::Diagnostics{util::error_at(
        w.where, fmt::format("{}: {}", w.pointer,
                             over_budget(fmt::format("{} '{}'", w.kind, w.name), w.estimate_minutes, budget, w.remedy)))});
  std::vector<Piece> out;
  util::Diagnostics problems;
  int covered = 0;
  std::string after;
  for (std::size_t i = 0; i < w.split.size(); ++i) {
    const auto& point = w.split[i];
    if (point.estimate_minutes > budget.minutes())
      problems.push_back(util::error_at(
          point.where, fmt::format("{}/split/{}: {}", w.pointer, i,
                                   over_budget(fmt::format("split point '{}' of {} '{}'", point.target, w.kind, w.name),
                                               point.estimate_minutes, budget, "add split points inside it"))));
    covered += point.estimate_minutes;
    out.push_back({{w.name, point.target, point.estimate_minutes, false}, &w, after});
    after = point.target;
  }
  const int rest = std::max(0, w.estimate_minutes - covered);
  if (rest > budget.minutes())
    problems.push_back(util::error_at(
        w.where, fmt::format("{}: {}", w.pointer,
                             over_budget(fmt::format("{} '{}' after its last split point '{}'", w.kind, w.name, after),
                                         rest, budget, "declare split points closer to its end"))));
  if (!problems.empty()) return std::unexpected(std::move(problems));
  if (rest > 0) {
    out.push_back({{w.name, "", rest, true}, &w, after});
  } else {
    // The last split target is the end of the work: building it produces the final image.
    out.back().segment.ends_work = true;
  }
  return out;
}

/// What this job builds of a work that had to be cut (never all of it: it is over budget).
std::string range_of(const Piece& first, const Piece& last) {
  const std::string from = first.after.empty() ? "" : fmt::format(" from target '{}'", first.after);
  const std::string to = last.segment.ends_work ? " to its end" : fmt::format(" up to target '{}'", last.segment.target);
  return from + to;
}

std::string note_for(const std::vector<Piece>& pieces, std::size_t begin, std::size_t end, int previous_minutes,
                     const Budget& budget) {
  std::vector<std::string> parts;
  const Piece& first = pieces[begin];
  if (begin > 0 && first.after.empty())
    parts.push_back(fmt::format("new job: {} '{}' ({}) would take the previous job from {} past the {} budget",
                                first.work->kind, first.work->name, format_minutes(first.segment.estimate_minutes),
                                format_minutes(previous_minutes), format_minutes(budget.minutes())));
  for (std::size_t i = begin; i < end;) {
    std::size_t j = i;
    while (j + 1 < end && pieces[j + 1].work == pieces[i].work) ++j;
    const Work& w = *pieces[i].work;
    if (w.estimate_minutes > budget.minutes())
      parts.push_back(fmt::format("{} '{}' needs {}, over the {} budget: this job builds it{}", w.kind, w.name,
                                  format_minutes(w.estimate_minutes), format_minutes(budget.minutes()),
                                  range_of(pieces[i], pieces[j])));
    i = j + 1;
  }
  return util::join(parts, "; ");
}

}  // namespace

util::Result<std::vector<SplitJob>> split_work(const std::vector<Work>& work, const Budget& budget) {
  std::vector<Piece> pieces;
  util::Diagnostics problems;
  for (const Work& w : work) {
    auto cut_up = cut(w, budget);
    if (!cut_up) problems.insert(problems.end(), cut_up.error().begin(), cut_up.error().end());
    else pieces.insert(pieces.end(), cut_up->begin(), cut_up->end());
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));

  std::vector<SplitJob> jobs;
  std::size_t begin = 0;
  int previous_minutes = 0;
  while (begin < pieces.size()) {
    std::size_t end = begin;
    int minutes = 0;
    while (end < pieces.size() && minutes + pieces[end].segment.estimate_minutes <= budget.minutes())
      minutes += pieces[end++].segment.estimate_minutes;
    SplitJob job;
    for (std::size_t i = begin; i < end; ++i) job.segments.push_back(pieces[i].segment);
    job.estimate_minutes = minutes;
    job.timeout_minutes = timeout_for(minutes, budget);
    job.note = note_for(pieces, begin, end, previous_minutes, budget);
    jobs.push_back(std::move(job));
    previous_minutes = minutes;
    begin = end;
  }
  return jobs;
}

Budget budget_for(const model::Runner& runner, int margin_minutes) {
  return {runner.job_limit_minutes, margin_minutes, runs_on(runner), runner.self_hosted};
}

int timeout_for(int estimate_minutes, const Budget& budget) {
  return std::min(budget.limit_minutes, estimate_minutes + budget.margin_minutes);
}

std::vector<Shard> shard(std::size_t combinations, std::size_t max) {
  if (combinations == 0) return {};
  const std::size_t count = (combinations + max - 1) / max;
  const std::size_t size = combinations / count, extra = combinations % count;
  std::vector<Shard> out;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t end = begin + size + (i < extra ? 1 : 0);
    out.push_back({begin, end});
    begin = end;
  }
  return out;
}

}  // namespace forgeline::plan
