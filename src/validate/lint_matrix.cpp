#include "validate/lint_matrix.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

// GitHub's limit on the jobs one matrix may make in a workflow run (docs.github.com, "Running
// variations of jobs in a workflow": "A matrix will generate a maximum of 256 jobs per
// workflow run").
constexpr std::uint64_t kMaxMatrixJobs = 256;

// Recursion steps one count may take before it settles for a lower bound. Real matrices need
// a few hundred; the bound keeps hostile ones (many axes, crossing excludes) from running away.
constexpr std::size_t kCountBudget = 200000;

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t add_saturating(std::uint64_t a, std::uint64_t b) { return a > kSaturated - b ? kSaturated : a + b; }

std::uint64_t mul_saturating(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > kSaturated / a) return kSaturated;
  return a * b;
}

// A matrix reduced to what counting needs: axes by index, excludes and includes as
// (axis, value) constraints.
class MatrixCounter {
 public:
  static std::optional<MatrixCounter> of(const json& matrix) {
    if (!matrix.is_object()) return std::nullopt;
    MatrixCounter c;
    std::map<std::string, std::size_t> index;
    for (const auto& [key, value] : matrix.items()) {
      if (key == "include" || key == "exclude") continue;
      if (!value.is_array()) return std::nullopt;
      index.emplace(key, c.axes_.size());
      c.axes_.push_back(&value);
    }
    for (const char* list : {"include", "exclude"}) {
      const json* entries = member(matrix, list);
      if (entries && !entries->is_array()) return std::nullopt;
      if (entries)
        for (const json& entry : *entries)
          if (!entry.is_object()) return std::nullopt;
    }
    if (const json* excludes = member(matrix, "exclude"))
      for (const json& entry : *excludes) {
        Constraints constraints;
        bool matchable = true;
        for (const auto& [key, value] : entry.items()) {
          auto it = index.find(key);
          // GitHub rejects an exclude key that is no axis (rule matrix-exclude); it excludes nothing here.
          if (it == index.end()) matchable = false;
          else constraints.emplace_back(it->second, &value);
        }
        if (matchable && !constraints.empty()) c.excludes_.push_back(sorted(std::move(constraints)));
      }
    if (const json* includes = member(matrix, "include"))
      for (const json& entry : *includes) {
        Constraints constraints;
        for (const auto& [key, value] : entry.items())
          if (auto it = index.find(key); it != index.end()) constraints.emplace_back(it->second, &value);
        c.includes_.push_back(sorted(std::move(constraints)));
      }
    return c;
  }

  MatrixJobs jobs() {
    // Without axes there is no original combination: every include entry is a job of its own.
    if (axes_.empty()) return MatrixJobs{includes_.size(), true};
    std::vector<std::size_t> all(excludes_.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::optional<std::uint64_t> total = count(all, {});
    if (!total) return MatrixJobs{lower_bound(), false};
    for (const Constraints& include : includes_) {
      // An include that names no axis extends every remaining combination, if there is one.
      if (include.empty()) {
        if (*total == 0) total = add_saturating(*total, 1);
        continue;
      }
      const std::optional<std::uint64_t> extended = count(all, include);
      if (!extended) return MatrixJobs{lower_bound(), false};
      if (*extended == 0) total = add_saturating(*total, 1);
    }
    return MatrixJobs{*total, true};
  }

 private:
  using Constraints = std::vector<std::pair<std::size_t, const json*>>;  // sorted by axis

  static Constraints sorted(Constraints cs) {
    std::stable_sort(cs.begin(), cs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return cs;
  }

  static const json* constraint_on(const Constraints& cs, std::size_t axis) {
    for (const auto& [a, value] : cs)
      if (a == axis) return value;
    return nullptr;
  }

  // Combinations that agree with `fixed` and that no exclude matches; nullopt past the budget.
  std::optional<std::uint64_t> count(const std::vector<std::size_t>& alive, const Constraints& fixed) {
    memo_.clear();
    fixed_ = &fixed;
    return remaining(0, alive);
  }

  // Combinations of axes k.. that agree with `fixed_` and that no exclude in `alive` (those
  // matching every axis before k) matches. Values no alive exclude names share one subtree,
  // and results are remembered by (k, alive), so crossing excludes on many axes cost each
  // distinct state once instead of doubling per axis.
  std::optional<std::uint64_t> remaining(std::size_t k, const std::vector<std::size_t>& alive) {
    if (++steps_ > kCountBudget) return std::nullopt;
    for (std::size_t e : alive)
      if (excludes_[e].back().first < k) return 0;  // matched on every axis it names
    if (k == axes_.size()) return 1;
    const auto key = std::make_pair(k, alive);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    const json* pinned = constraint_on(*fixed_, k);
    std::vector<std::size_t> unnamed_alive;
    for (std::size_t e : alive)
      if (!constraint_on(excludes_[e], k)) unnamed_alive.push_back(e);
    std::uint64_t unnamed_values = 0;
    std::uint64_t total = 0;
    for (const json& value : *axes_[k]) {
      if (pinned && *pinned != value) continue;
      std::vector<std::size_t> next = unnamed_alive;
      for (std::size_t e : alive)
        if (const json* v = constraint_on(excludes_[e], k); v && *v == value) next.push_back(e);
      if (next.size() == unnamed_alive.size()) {
        ++unnamed_values;
        continue;
      }
      std::sort(next.begin(), next.end());
      const std::optional<std::uint64_t> below = remaining(k + 1, next);
      if (!below) return std::nullopt;
      total = add_saturating(total, *below);
    }
    if (unnamed_values > 0) {
      const std::optional<std::uint64_t> below = remaining(k + 1, unnamed_alive);
      if (!below) return std::nullopt;
      total = add_saturating(total, mul_saturating(unnamed_values, *below));
    }
    memo_.emplace(key, total);
    return total;
  }

  // The product less every combination some exclude matches, counted once per exclude: no
  // more than the true number of jobs, which only adds includes to it.
  std::uint64_t lower_bound() const {
    std::uint64_t product = 1;
    for (const json* axis : axes_) product = mul_saturating(product, axis->size());
    std::uint64_t excluded = 0;
    for (const Constraints& e : excludes_) {
      std::uint64_t matches = 1;
      for (std::size_t k = 0; k < axes_.size(); ++k) {
        const json* v = constraint_on(e, k);
        const auto n = v ? static_cast<std::uint64_t>(std::count(axes_[k]->begin(), axes_[k]->end(), *v))
                         : static_cast<std::uint64_t>(axes_[k]->size());
        matches = mul_saturating(matches, n);
      }
      excluded = add_saturating(excluded, matches);
    }
    return excluded >= product ? 0 : product - excluded;
  }

  std::vector<const json*> axes_;  // in key order
  std::vector<Constraints> excludes_;
  std::vector<Constraints> includes_;  // only the keys that are axes
  const Constraints* fixed_ = nullptr;
  std::map<std::pair<std::size_t, std::vector<std::size_t>>, std::uint64_t> memo_;
  std::size_t steps_ = 0;
};

void check_size(Linter& linter, const std::string& at, const json& matrix) {
  const std::optional<MatrixJobs> jobs = matrix_job_count(matrix);
  if (!jobs || jobs->count <= kMaxMatrixJobs) return;
  std::vector<std::string> sizes;
  for (const auto& [key, value] : matrix.items())
    if (key != "include" && key != "exclude") sizes.push_back(fmt::format("{} {}", key, value.size()));
  const bool filtered = member(matrix, "include") || member(matrix, "exclude");
  linter.report("matrix-size", at,
                fmt::format("expands to {}{} jobs ({}{}), over GitHub's limit of {} per matrix; split the job or "
                            "shard the matrix",
                            jobs->exact ? "" : "at least ", jobs->count, util::join(sizes, " × "),
                            filtered ? " with include/exclude" : "", kMaxMatrixJobs));
}

// Whether a value holds a `${{ }}` anywhere: GitHub fills it in at run time.
bool has_expression(const json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().find("${{") != std::string::npos;
  if (value.is_array() || value.is_object())
    return std::any_of(value.begin(), value.end(), [](const json& v) { return has_expression(v); });
  return false;
}

// Whether an exclude value names an axis value: scalars by their text, mappings by the keys the
// exclude gives (each of which must match), lists exactly.
bool names_value(const json& excluded, const json& value) {
  if (excluded.is_object()) {
    if (!value.is_object()) return false;
    for (const auto& [key, part] : excluded.items()) {
      const json* other = member(value, key);
      if (!other || !names_value(part, *other)) return false;
    }
    return true;
  }
  if (excluded.is_array() || value.is_array() || value.is_object()) return excluded == value;
  return util::as_text(excluded) == util::as_text(value);
}

// An exclude key must be an axis (GitHub: "Matrix exclude key 'x' does not match any key
// within the matrix"); an entry whose value names none of its axis' values excludes nothing.
void check_excludes(Linter& linter, const std::string& at, const json& matrix) {
  const json* excludes = member(matrix, "exclude");
  if (!excludes || !excludes->is_array()) return;
  std::vector<std::string> axes;
  for (const auto& [key, value] : matrix.items())
    if (key != "include" && key != "exclude") axes.push_back(key);
  const std::string list_at = pointer_append(at, "exclude");
  for (std::size_t i = 0; i < excludes->size(); ++i) {
    const json& entry = (*excludes)[i];
    if (!entry.is_object()) continue;
    const std::string entry_at = pointer_append(list_at, i);
    for (const auto& [key, value] : entry.items()) {
      const json* axis = member(matrix, key);
      if (!axis || key == "include" || key == "exclude") {
        linter.report("matrix-exclude", pointer_append(entry_at, key),
                      fmt::format("'{}' is not a key of the matrix, so GitHub rejects the workflow (keys: {})", key,
                                  axes.empty() ? "none" : util::join(axes, ", ")),
                      true);
        continue;
      }
      if (!axis->is_array() || has_expression(value) || has_expression(*axis)) continue;
      if (std::any_of(axis->begin(), axis->end(), [&](const json& v) { return names_value(value, v); })) continue;
      std::vector<std::string> values;
      for (const json& v : *axis) values.push_back(util::as_text(v));
      linter.report("exclude-matches-nothing", pointer_append(entry_at, key),
                    fmt::format("{} {} is not a value of the matrix, so this entry excludes nothing ({}: {})", key,
                                value.is_primitive() ? "'" + util::as_text(value) + "'" : util::dump(value), key,
                                util::join(values, ", ")));
    }
  }
}

}  // namespace

std::optional<MatrixJobs> matrix_job_count(const json& matrix) {
  std::optional<MatrixCounter> counter = MatrixCounter::of(matrix);
  if (!counter) return std::nullopt;
  return counter->jobs();
}

void lint_matrix(Linter& linter) {
  for (const auto& [id, job] : linter.jobs().items()) {
    const json* matrix = member(member(job, "strategy"), "matrix");
    if (!matrix || !matrix->is_object()) continue;
    const std::string at = pointer_append(pointer_append(pointer_append("/jobs", id), "strategy"), "matrix");
    check_excludes(linter, at, *matrix);
    check_size(linter, at, *matrix);
  }
}

}  // namespace forgeline::validate
