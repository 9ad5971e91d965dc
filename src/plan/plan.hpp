#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/project.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::plan {

enum class FileKind { workflow, dockerfile, script, text };

/// One file the plan produces: the template that renders it and the plain values it gets.
struct File {
  std::string path;           // relative to the output directory, '/'-separated
  std::string template_name;  // e.g. "openwrt/build-package.yml" under templates/
  nlohmann::json values;
  FileKind kind = FileKind::text;
  bool executable = false;
  /// The matrix entries the file depends on, as matrix::Entry names them ("stage" and "qt",
  /// "qt" and "6.5.3", "settings" and ""), which its header lists so `check` can say what
  /// made it stale; nullopt: every entry. A stage chain's per-stage files name their own few,
  /// so headers grow with the chain, not with its square.
  std::optional<std::vector<std::pair<std::string, std::string>>> inputs = std::nullopt;
  /// When set, makes the values at render time and `values` stays null: a stage chain has a
  /// workflow per stage, and only the one being rendered then holds its values.
  std::function<nlohmann::json()> deferred_values = nullptr;

  /// The values, made now when they are deferred.
  nlohmann::json values_now() const { return deferred_values ? deferred_values() : values; }
};

/// A job as `forgeline plan` reports it: what it contains and why it is shaped so.
struct Job {
  std::string workflow;  // file name
  std::string id;        // unique within the plan; `needs` names these
  std::vector<std::string> contains;
  std::vector<std::string> needs;
  int estimate_minutes = 0;
  int timeout_minutes = 0;
  int matrix_size = 1;
  std::string note;  // why it was split or sharded, if it was
  std::optional<int> cached_minutes;  // when the matrix gives a warm-cache estimate
};

/// Everything decided about one matrix before any text is produced.
struct Plan {
  std::string matrix_path;
  std::string family;  // "openwrt-package", "stage-chain"
  std::string runner;  // `runs-on` of the jobs
  std::vector<File> files;
  std::vector<Job> jobs;
  int job_limit_minutes = 0;
  int margin_minutes = 0;
  int budget_minutes = 0;  // limit minus safety margin
  /// The buildx caches and images of every workflow, concrete: one entry per architecture
  /// or axis value, run-time parts such as ${{ github.ref_name }} kept. Every family fills
  /// them (plan::record_caches) so plan::cache_conflicts can check all matrices together.
  std::vector<std::string> cache_scopes;  // gha scopes
  std::vector<std::string> cache_refs;    // registry cache refs, image:tag
  std::vector<std::string> image_refs;    // pushed images, image:tag
};

/// The chain of jobs that decides how long a cold run takes: the longest path through
/// `needs` by estimate (the first listed need among equals).
struct CriticalPath {
  std::vector<std::string> jobs;
  int minutes = 0;
};

CriticalPath critical_path(const Plan& plan);

/// Choices that come from the user's repository rather than the matrix.
struct Options {
  /// "actions/checkout@v7" to a full commit SHA (from forgeline.lock); empty: tags only.
  std::map<std::string, std::string> pins;
};

util::Result<Plan> make_plan(const model::Project& project, const Options& options = {});

struct Budget;
/// A plan with no files or jobs yet: its matrix, family and the budget its jobs fit in.
Plan start_plan(const std::string& matrix_path, const std::string& family, const Budget& budget);

}  // namespace forgeline::plan
