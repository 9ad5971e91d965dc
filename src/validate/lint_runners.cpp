#include "validate/lint_runners.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

constexpr std::string_view kImagesReadme = "github.com/actions/runner-images (README, image retirements)";

// Retired images: a job that asks for one is not run. Announcements in actions/runner-images.
constexpr std::array kRetiredLabels{
    RetiredLabel{"ubuntu-16.04", "2021-09-20", kImagesReadme},
    RetiredLabel{"ubuntu-18.04", "2023-04-03", kImagesReadme},
    RetiredLabel{"ubuntu-20.04", "2025-04-15", "actions/runner-images#11101"},
    RetiredLabel{"windows-2016", "2022-03-15", kImagesReadme},
    RetiredLabel{"windows-2019", "2025-06-30", "actions/runner-images#12045"},
    RetiredLabel{"macos-10.15", "2022-12-01", kImagesReadme},
    RetiredLabel{"macos-11", "2024-06-28", kImagesReadme},
    RetiredLabel{"macos-12", "2024-12-03", "actions/runner-images#10721"},
    RetiredLabel{"macos-12-large", "2024-12-03", "actions/runner-images#10721"},
    RetiredLabel{"macos-13", "2025-12-08", "actions/runner-images#13046"},
    RetiredLabel{"macos-13-large", "2025-12-08", "actions/runner-images#13046"},
    RetiredLabel{"macos-13-xlarge", "2025-12-08", "actions/runner-images#13046"},
};

// The standard GitHub-hosted labels, late 2026: actions/runner-images (README, "Available
// Images") and docs.github.com, "Supported runners and hardware resources" (the macOS larger
// runners included). Other labels that look hosted may name an organisation's larger or
// self-hosted runners, so they only get a note.
constexpr std::array<std::string_view, 26> kCurrentLabels{
    "ubuntu-latest",      "ubuntu-26.04",       "ubuntu-24.04",     "ubuntu-22.04",      "ubuntu-26.04-arm",
    "ubuntu-24.04-arm",   "ubuntu-22.04-arm",   "ubuntu-slim",      "windows-latest",    "windows-2025",
    "windows-2022",       "windows-11-arm",     "macos-latest",     "macos-26",          "macos-15",
    "macos-14",           "macos-26-intel",     "macos-15-intel",   "macos-latest-large", "macos-26-large",
    "macos-15-large",     "macos-14-large",     "macos-latest-xlarge", "macos-26-xlarge", "macos-15-xlarge",
    "macos-14-xlarge",
};

// The operating system of GitHub-hosted image labels (docs.github.com, "GitHub-hosted runners
// reference", standard and larger runners): one runner has one, so a job cannot ask for two.
std::string_view hosted_os(std::string_view label) {
  for (std::string_view os : {"ubuntu", "windows", "macos"})
    if (label.starts_with(os) && label.size() > os.size() && label[os.size()] == '-') return os;
  return {};
}

// Where `timeout-minutes` may go on a job's runner; nullopt when the runner is unknown.
// Limits: docs.github.com, "Usage limits, billing, and administration" (6 hours per job on
// GitHub-hosted runners, 5 days on self-hosted) and "GitHub-hosted runners reference"
// (ubuntu-slim: 15 minutes).
struct RunnerLimit {
  double minutes;
  std::string_view what;
};

std::optional<RunnerLimit> runner_limit(const std::vector<std::string>& labels) {
  if (labels.empty()) return std::nullopt;  // a runner group alone: its runners are unknown
  for (const std::string& l : labels)
    if (util::contains(l, "${{")) return std::nullopt;
  if (std::find(labels.begin(), labels.end(), "self-hosted") != labels.end())
    return RunnerLimit{7200, "the 7200-minute (5-day) job limit of self-hosted runners"};
  if (std::find(labels.begin(), labels.end(), "ubuntu-slim") != labels.end())
    return RunnerLimit{15, "the 15-minute job limit of ubuntu-slim runners"};
  const bool hosted = std::all_of(labels.begin(), labels.end(), [](const std::string& l) { return !hosted_os(l).empty(); });
  if (hosted) return RunnerLimit{360, "the 360-minute job limit of GitHub-hosted runners"};
  return std::nullopt;
}

// The labels of `runs-on` with the pointer of each: a string, a list, or a group's `labels`.
std::vector<std::pair<std::string, std::string>> labels_of(const std::string& at, const json& runs_on) {
  std::vector<std::pair<std::string, std::string>> out;
  const json* list = &runs_on;
  std::string list_at = at;
  if (runs_on.is_object()) {
    list = member(runs_on, "labels");
    list_at = pointer_append(at, "labels");
  }
  if (const std::string* one = text_of(list)) out.emplace_back(*one, list_at);
  else if (list && list->is_array())
    for (std::size_t i = 0; i < list->size(); ++i)
      if ((*list)[i].is_string()) out.emplace_back((*list)[i].get<std::string>(), pointer_append(list_at, i));
  return out;
}

// A label written as `${{ matrix.KEY }}` takes each value of that matrix key in turn: a value
// of another system than a fixed hosted label makes that matrix job one no runner takes.
void check_matrix_labels(Linter& linter, const std::string& id, const json& job, const std::vector<std::string>& labels) {
  const json* matrix = member(member(job, "strategy"), "matrix");
  if (!matrix || !matrix->is_object()) return;
  for (const std::string& label : labels) {
    if (!label.starts_with("${{") || !label.ends_with("}}")) continue;
    std::string inner = label.substr(3, label.size() - 5);
    inner.erase(0, inner.find_first_not_of(' '));
    inner.erase(inner.find_last_not_of(' ') + 1);
    if (!inner.starts_with("matrix.")) continue;
    const std::string key = inner.substr(7);
    const json* values = nullptr;
    std::string key_name;
    for (const auto& [k, v] : matrix->items())
      if (util::to_lower(k) == key) {
        values = &v;
        key_name = k;
      }
    if (!values || !values->is_array()) continue;
    for (const std::string& fixed : labels) {
      const std::string_view fixed_os = hosted_os(fixed);
      if (fixed_os.empty()) continue;
      for (std::size_t i = 0; i < values->size(); ++i) {
        const std::string* value = text_of(&(*values)[i]);
        if (!value) continue;
        const std::string lowered_value = util::to_lower(*value);
        const std::string_view os = hosted_os(lowered_value);
        if (os.empty() || os == fixed_os) continue;
        linter.report("runner-label",
                      pointer_append(pointer_append(pointer_append(pointer_append("/jobs", id), "strategy"), "matrix"),
                                     key_name) +
                          "/" + std::to_string(i),
                      fmt::format("{} (runs-on of job '{}' through matrix.{}) and {} are images of different systems "
                                  "and no runner has both, so that matrix job never runs",
                                  *value, id, key_name, fixed));
      }
    }
  }
}

void check_job(Linter& linter, const std::string& id, const json& job) {
  const json* runs_on = member(job, "runs-on");
  if (!runs_on) return;
  const std::string at = pointer_append(pointer_append("/jobs", id), "runs-on");
  const auto labels = labels_of(at, *runs_on);
  std::vector<std::string> names;
  for (const auto& [label, pointer] : labels) {
    names.push_back(label);
    const std::string lower = util::to_lower(label);
    const auto retired = std::find_if(kRetiredLabels.begin(), kRetiredLabels.end(),
                                      [&](const RetiredLabel& r) { return r.label == lower; });
    if (retired != kRetiredLabels.end())
      linter.report("runner-label", pointer,
                    fmt::format("{} is a GitHub-hosted image retired on {} ({}); jobs asking for it do not run", label,
                                retired->since, retired->source));
  }
  // Self-hosted runners carry whatever labels their owners give them.
  const bool self_hosted = std::find(names.begin(), names.end(), "self-hosted") != names.end();
  std::vector<std::string> lowered;
  for (const std::string& n : names) lowered.push_back(util::to_lower(n));
  // Labels inside a runner group are the group's own.
  for (std::size_t i = 0; i < labels.size() && !self_hosted && !runs_on->is_object(); ++i) {
    const std::string& l = lowered[i];
    if (hosted_os(l).empty() || std::find(kCurrentLabels.begin(), kCurrentLabels.end(), l) != kCurrentLabels.end() ||
        std::any_of(kRetiredLabels.begin(), kRetiredLabels.end(), [&](const RetiredLabel& r) { return r.label == l; }))
      continue;
    linter.report("unknown-runner-label", labels[i].second,
                  fmt::format("{} is no standard GitHub-hosted label; if it names a larger or self-hosted runner of "
                              "yours, this is fine, if it is misspelt the job waits for a runner that never comes",
                              labels[i].first));
  }
  for (std::size_t i = 0; i < labels.size() && !self_hosted; ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const std::string_view a = hosted_os(lowered[j]), b = hosted_os(lowered[i]);
      if (a.empty() || b.empty() || a == b) continue;
      linter.report("runner-label", labels[i].second,
                    fmt::format("{} and {} are images of different systems and no runner has both, so the job never "
                                "runs; to run on each, use a matrix",
                                labels[j].first, labels[i].first));
    }
  if (!self_hosted) check_matrix_labels(linter, id, job, lowered);
  const json* minutes = member(job, "timeout-minutes");
  if (!minutes || !minutes->is_number()) return;
  const std::optional<RunnerLimit> limit = runner_limit(names);
  if (!limit || minutes->get<double>() <= limit->minutes) return;
  linter.report("timeout", pointer_append(pointer_append("/jobs", id), "timeout-minutes"),
                fmt::format("{} minutes is over {}", minutes->dump(), limit->what));
}

}  // namespace

std::span<const RetiredLabel> retired_labels() { return kRetiredLabels; }

std::span<const std::string_view> current_labels() { return kCurrentLabels; }

void lint_runners(Linter& linter) {
  for (const auto& [id, job] : linter.jobs().items())
    if (job.is_object()) check_job(linter, id, job);
}

}  // namespace forgeline::validate
