#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/project.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::plan {

/// Serial work as the splitter sees it: an image stage or a make target, its cold estimate
/// and the points (Docker or make targets) at which it may be cut.
struct Work {
  std::string kind = "stage";  // how messages call it: "stage", "factory stage"
  std::string name;
  int estimate_minutes = 0;
  std::vector<model::SplitPoint> split;  // in build order; each estimate covers its own segment
  std::string pointer;                   // JSON pointer for messages, e.g. "/stages/1"
  util::Location where;
  std::string remedy = "declare split points";  // what the user can do when it is too long
};

/// How long one job may take: the runner's limit less the safety margin.
struct Budget {
  int limit_minutes = 360;
  int margin_minutes = 30;
  std::string runner;  // as `runs-on` names it, for messages
  bool self_hosted = false;
  int minutes() const { return limit_minutes - margin_minutes; }
};

/// The budget of jobs on this runner with this safety margin.
Budget budget_for(const model::Runner& runner, int margin_minutes);

/// A consecutive slice of one Work inside a job: from the previous cut to `target`.
struct Segment {
  std::string work;
  std::string target;  // split target the slice ends at; empty: the end of the work
  int estimate_minutes = 0;
  bool ends_work = false;  // the slice finishes its work (the work's final image is produced)
};

/// One job of the split: consecutive segments that fit the budget together.
struct SplitJob {
  std::vector<Segment> segments;
  int estimate_minutes = 0;
  int timeout_minutes = 0;
  std::string note;  // why the job starts where it does; empty for the first job of unsplit work
};

/// Packs consecutive work into as few jobs as the budget allows (next-fit, which is optimal
/// when the order is fixed). Work over the budget is first cut at its split points; work
/// that cannot be cut, or a segment still over the budget, is an error at its place.
util::Result<std::vector<SplitJob>> split_work(const std::vector<Work>& work, const Budget& budget);

/// `timeout-minutes` for a job: its estimate plus the margin, never past the limit.
int timeout_for(int estimate_minutes, const Budget& budget);

/// A half-open range [begin, end) of matrix combinations run by one job.
struct Shard {
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// GitHub runs at most this many jobs from one matrix.
constexpr std::size_t max_matrix_jobs = 256;

/// Cuts `combinations` into the fewest shards of at most `max` each, sizes differing by at
/// most one (earlier shards take the remainder), so the cut is the same on every run.
std::vector<Shard> shard(std::size_t combinations, std::size_t max = max_matrix_jobs);

}  // namespace forgeline::plan
