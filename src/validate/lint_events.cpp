#include "validate/lint_events.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

// GitHub's limit on workflow_dispatch inputs (docs.github.com, "Events that trigger
// workflows", workflow_dispatch: "The workflow will also receive the inputs ... maximum of 25").
constexpr std::size_t kMaxDispatchInputs = 25;

// The shortest interval GitHub runs a schedule at (docs.github.com, "Events that trigger
// workflows", schedule: "The shortest interval you can run scheduled workflows is once every
// 5 minutes").
constexpr int kShortestCronMinutes = 5;

// Cron fields as GitHub's parser reads them (actions/languageservices,
// workflow-parser/src/model/converter/cron-constants.ts).
struct CronField {
  std::string_view name;
  int min;
  int max;
  std::array<std::string_view, 12> names;  // names[i] means min + i, when present
};
constexpr std::array<CronField, 5> kCronFields{
    CronField{"minute", 0, 59, {}},
    CronField{"hour", 0, 23, {}},
    CronField{"day of month", 1, 31, {}},
    CronField{"month", 1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
    CronField{"day of week", 0, 6, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
};

std::optional<int> cron_value(std::string_view text, const CronField& field) {
  const std::string lower = util::to_lower(text);
  for (std::size_t i = 0; i < field.names.size(); ++i)
    if (!field.names[i].empty() && lower == field.names[i]) return field.min + static_cast<int>(i);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < field.min || value > field.max)
    return std::nullopt;
  return value;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t at = s.find(separator, start);
    out.push_back(s.substr(start, at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// The values one field allows, or a problem. `*`, N, A-B, and either of those (or `*`) /STEP,
// joined by commas.
std::optional<std::set<int>> cron_values(std::string_view text, const CronField& field, std::string& problem) {
  std::set<int> out;
  for (std::string_view item : split(text, ',')) {
    int first = field.min, last = field.max, step = 1;
    std::string_view range = item;
    if (const std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      const std::string_view step_text = item.substr(slash + 1);
      const auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (ec != std::errc{} || end != step_text.data() + step_text.size() || step <= 0 || step > field.max) {
        problem = fmt::format("step '{}' of the {} field is not a number from 1 to {}", step_text, field.name, field.max);
        return std::nullopt;
      }
    }
    if (range != "*") {
      const std::vector<std::string_view> ends = split(range, '-');
      const std::optional<int> a = ends.size() <= 2 ? cron_value(ends.front(), field) : std::nullopt;
      const std::optional<int> b = ends.size() == 2 ? cron_value(ends.back(), field) : a;
      if (!a || !b) {
        problem = fmt::format("'{}' is not a value of the {} field ({}-{}{})", range, field.name, field.min, field.max,
                              field.names[0].empty() ? "" : " or a name");
        return std::nullopt;
      }
      if (*b < *a) {
        problem = fmt::format("range '{}' of the {} field ends before it starts", range, field.name);
        return std::nullopt;
      }
      first = *a;
      // A single value with a step (`5/15`) runs from it to the end of the field.
      last = ends.size() == 2 || item.find('/') == std::string_view::npos ? *b : field.max;
    }
    for (int v = first; v <= last; v += step) out.insert(v);
  }
  return out;
}

std::vector<std::string_view> cron_fields(std::string_view cron) {
  std::vector<std::string_view> out;
  for (std::string_view part : split(cron, ' '))
    if (!part.empty()) out.push_back(part);
  return out;
}

// `schedule` given as a bare event name (`on: schedule`, `on: [schedule]`, `schedule:` empty)
// has no cron entry, so it never runs.
void check_schedule_named(Linter& linter, const json& root) {
  const json* on = member(root, "on");
  if (!on) return;
  const std::string* name = text_of(on);
  if (name && *name == "schedule") return linter.report("cron", "/on", "schedule needs a list of cron entries; as a bare "
                                                                        "event name it never runs");
  if (on->is_array())
    for (std::size_t i = 0; i < on->size(); ++i)
      if ((*on)[i] == "schedule")
        linter.report("cron", pointer_append("/on", i), "schedule needs a list of cron entries; as a bare event name it "
                                                         "never runs");
  if (const json* schedule = member(on, "schedule"); schedule && schedule->is_null())
    linter.report("cron", "/on/schedule", "schedule needs a list of cron entries; empty, it never runs");
}

void check_schedule(Linter& linter, const json& on) {
  const json* schedule = member(on, "schedule");
  if (!schedule || !schedule->is_array()) return;
  for (std::size_t i = 0; i < schedule->size(); ++i) {
    const std::string* cron = text_of(member((*schedule)[i], "cron"));
    if (!cron) continue;
    const std::string at = pointer_append(pointer_append("/on/schedule", i), "cron");
    if (auto problem = cron_problem(*cron)) {
      linter.report("cron", at, fmt::format("'{}' is not a cron schedule GitHub accepts: {}", *cron, *problem));
      continue;
    }
    const int minutes = cron_interval(*cron);
    if (minutes < kShortestCronMinutes)
      linter.report("cron-interval", at,
                    fmt::format("'{}' asks for a run every {} minute{}, but GitHub runs schedules at most every {} "
                                "minutes",
                                *cron, minutes, minutes == 1 ? "" : "s", kShortestCronMinutes));
  }
}

// Events whose filters name refs (branches, tags) and paths.
void check_filters(Linter& linter, const std::string& event, const json& config) {
  const std::string at = pointer_append("/on", event);
  for (const char* filter : {"branches", "tags", "paths"}) {
    const std::string ignore = std::string(filter) + "-ignore";
    if (member(config, filter) && member(config, ignore))
      linter.report("filters", pointer_append(at, ignore),
                    fmt::format("{} and {} on one event: GitHub rejects the workflow; use {} with '!' patterns to "
                                "exclude",
                                filter, ignore, filter),
                    true);
  }
  for (const char* filter : {"branches", "branches-ignore", "tags", "tags-ignore", "paths", "paths-ignore"}) {
    const json* patterns = member(config, filter);
    if (!patterns) continue;
    const bool ref = !std::string_view(filter).starts_with("paths");
    const std::string filter_at = pointer_append(at, filter);
    const auto check = [&](const std::string& pointer, const json& pattern) {
      const std::string* text = text_of(&pattern);
      if (!text || text->empty()) return;
      if (auto problem = glob_problem(*text, ref))
        linter.report("glob", pointer, fmt::format("'{}' is not a valid {} filter: {}", *text, ref ? "ref" : "path", *problem));
    };
    if (patterns->is_array())
      for (std::size_t i = 0; i < patterns->size(); ++i) check(pointer_append(filter_at, i), (*patterns)[i]);
    else
      check(filter_at, *patterns);
  }
}

void check_dispatch(Linter& linter, const json& on) {
  const json* inputs = member(member(on, "workflow_dispatch"), "inputs");
  if (!inputs || !inputs->is_object()) return;
  if (inputs->size() > kMaxDispatchInputs)
    // At the event's key, where actionlint reports it too: the limit is on the event.
    linter.report("dispatch-inputs", "/on/workflow_dispatch",
                  fmt::format("{} inputs, but GitHub allows at most {} for workflow_dispatch", inputs->size(),
                              kMaxDispatchInputs),
                  true);
  for (const auto& [name, input] : inputs->items()) {
    const std::string* type = text_of(member(input, "type"));
    const json* options = member(input, "options");
    const json* chosen = member(input, "default");
    if (!type || *type != "choice" || !chosen || !options || !options->is_array()) continue;
    // GitHub passes every input as text, so `default: 1` matches the option '1'.
    std::vector<std::string> names;
    for (const json& o : *options) names.push_back(util::as_text(o));
    if (std::find(names.begin(), names.end(), util::as_text(*chosen)) != names.end()) continue;
    linter.report(
        "choice-default", pointer_append(pointer_append("/on/workflow_dispatch/inputs", name), "default"),
        fmt::format("default '{}' is not one of the options ({})", util::as_text(*chosen), util::join(names, ", ")));
  }
}

bool ref_forbidden(char c) {
  return c == ' ' || c == '~' || c == '^' || c == ':' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

}  // namespace

std::optional<std::string> cron_problem(std::string_view cron) {
  const std::vector<std::string_view> fields = cron_fields(cron);
  if (fields.size() != kCronFields.size())
    return fmt::format("it has {} field{}; a schedule has five: minute hour day-of-month month day-of-week",
                       fields.size(), fields.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string problem;
    if (!cron_values(fields[i], kCronFields[i], problem)) return problem;
  }
  return std::nullopt;
}

int cron_interval(std::string_view cron) {
  const std::vector<std::string_view> fields = cron_fields(cron);
  std::string problem;
  const std::optional<std::set<int>> minutes =
      fields.empty() ? std::nullopt : cron_values(fields[0], kCronFields[0], problem);
  if (!minutes || minutes->size() < 2) return 60;
  int shortest = *minutes->begin() + 60 - *minutes->rbegin();  // from the last run of an hour to the next hour's first
  for (auto it = std::next(minutes->begin()); it != minutes->end(); ++it) shortest = std::min(shortest, *it - *std::prev(it));
  return shortest;
}

std::optional<std::string> glob_problem(std::string_view pattern, bool ref) {
  std::string_view p = pattern;
  if (p.starts_with('!')) p.remove_prefix(1);
  if (p.empty()) return "nothing follows the '!'";
  if (ref && p.starts_with('/')) return "a ref name cannot start with '/'";
  if (ref && p.ends_with('/')) return "a ref name cannot end with '/'";
  if (ref && p.find("..") != std::string_view::npos) return "a ref name cannot contain '..'";
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 == p.size()) return "it ends with a lone '\\'";
      ++i;
      continue;
    }
    if (ref && ref_forbidden(c))
      return fmt::format("a ref name cannot contain {}", c == ' ' ? std::string("a space") : fmt::format("'{}'", c));
    if (c != '[') continue;
    const std::size_t close = p.find(']', i + 1);
    if (close == std::string_view::npos) return fmt::format("the '[' at character {} is never closed", i + 1);
    if (close == i + 1) return "'[]' matches nothing";
    const std::string_view set = p.substr(i + 1, close - i - 1);
    for (std::size_t k = 0; k + 2 < set.size(); ++k)
      if (set[k + 1] == '-' && set[k + 2] < set[k])
        return fmt::format("range '{}' in [] ends before it starts", set.substr(k, 3));
    i = close;
  }
  return std::nullopt;
}

// A workflow_call input that is required and has a default: callers must pass it, so the
// default is never used.
void check_call_inputs(Linter& linter, const json& on) {
  const json* inputs = member(member(on, "workflow_call"), "inputs");
  if (!inputs || !inputs->is_object()) return;
  for (const auto& [name, input] : inputs->items()) {
    const json* required = member(input, "required");
    if (!required || *required != true || !member(input, "default")) continue;
    linter.report("required-default", pointer_append(pointer_append("/on/workflow_call/inputs", name), "default"),
                  fmt::format("input '{}' is required, so callers always pass it and this default is never used", name));
  }
}

void lint_events(Linter& linter) {
  check_schedule_named(linter, linter.root());
  const json* on = member(linter.root(), "on");
  if (!on || !on->is_object()) return;
  check_call_inputs(linter, *on);
  check_schedule(linter, *on);
  check_dispatch(linter, *on);
  for (const auto& [event, config] : on->items())
    if (config.is_object()) check_filters(linter, event, config);
}

}  // namespace forgeline::validate
