#include "rehearse/workflow.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/files.hpp"
#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace {

using nlohmann::json;

/// Collects shape errors while reading, each at the line of the value it is about.
class Reader {
 public:
  explicit Reader(const util::SourceMap& marks) : marks_(marks) {}

  void error(const std::string& pointer, std::string message) {
    problems_.push_back(util::error_at(marks_.value_at(pointer), std::move(message)));
  }

  /// An error about a whole mapping entry, shown at its key (`build:` rather than its body).
  void error_at_key(const std::string& pointer, std::string message) {
    problems_.push_back(util::error_at(marks_.key_at(pointer), std::move(message)));
  }

  /// A scalar as the text GitHub reads it (`if: false` and `if: 'false'` are the same).
  std::string scalar_text(const json& value, const std::string& pointer, std::string_view what) {
    if (value.is_null()) return "";
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number()) return util::dump(value);
    error(pointer, fmt::format("{} must be a string", what));
    return "";
  }

  json object_or_empty(const json& parent, const char* key, const std::string& pointer) {
    if (!parent.contains(key) || parent.at(key).is_null()) return json::object();
    const json& v = parent.at(key);
    if (!v.is_object()) {
      error(util::pointer_append(pointer, key), fmt::format("'{}' must be a mapping", key));
      return json::object();
    }
    return v;
  }

  util::Diagnostics& problems() { return problems_; }

 private:
  const util::SourceMap& marks_;
  util::Diagnostics problems_;
};

json triggers(const json& on, const std::string& pointer, Reader& reader) {
  json out = json::object();
  if (on.is_string()) {
    out[on.get<std::string>()] = nullptr;
  } else if (on.is_array()) {
    for (std::size_t i = 0; i < on.size(); ++i) {
      if (on[i].is_string()) out[on[i].get<std::string>()] = nullptr;
      else reader.error(util::pointer_append(pointer, i), "an event name must be a string");
    }
  } else if (on.is_object()) {
    out = on;
  } else {
    reader.error(pointer, "'on' must be an event name, a list of them or a mapping");
  }
  return out;
}

Step read_step(const json& value, const std::string& pointer, Reader& reader) {
  Step step;
  step.pointer = pointer;
  if (!value.is_object()) {
    reader.error(pointer, "a step must be a mapping");
    return step;
  }
  step.id = reader.scalar_text(value.value("id", json()), util::pointer_append(pointer, "id"), "'id'");
  step.name = value.value("name", json());
  step.uses = reader.scalar_text(value.value("uses", json()), util::pointer_append(pointer, "uses"), "'uses'");
  step.run = reader.scalar_text(value.value("run", json()), util::pointer_append(pointer, "run"), "'run'");
  step.with = reader.object_or_empty(value, "with", pointer);
  step.env = reader.object_or_empty(value, "env", pointer);
  step.condition = reader.scalar_text(value.value("if", json()), util::pointer_append(pointer, "if"), "'if'");
  step.shell = reader.scalar_text(value.value("shell", json()), util::pointer_append(pointer, "shell"), "'shell'");
  step.working_directory = value.value("working-directory", json());
  step.continue_on_error = value.value("continue-on-error", json(false));
  if (step.uses.empty() == step.run.empty())
    reader.error(pointer, step.uses.empty() ? "a step needs 'run' or 'uses'" : "a step has either 'run' or 'uses', not both");
  return step;
}

Job read_job(const std::string& id, const json& value, const std::string& pointer, Reader& reader) {
  Job job;
  job.id = id;
  job.pointer = pointer;
  if (!value.is_object()) {
    reader.error_at_key(pointer, fmt::format("job '{}' must be a mapping", id));
    return job;
  }
  job.name = value.value("name", json());
  const json needs = value.value("needs", json());
  const std::string needs_at = util::pointer_append(pointer, "needs");
  if (needs.is_string()) job.needs.push_back(needs.get<std::string>());
  else if (needs.is_array())
    for (std::size_t i = 0; i < needs.size(); ++i) {
      if (needs[i].is_string()) job.needs.push_back(needs[i].get<std::string>());
      else reader.error(util::pointer_append(needs_at, i), "a 'needs' entry must be a job id");
    }
  else if (!needs.is_null()) reader.error(needs_at, "'needs' must be a job id or a list of them");
  job.condition = reader.scalar_text(value.value("if", json()), util::pointer_append(pointer, "if"), "'if'");
  job.strategy = value.value("strategy", json());
  job.runs_on = value.value("runs-on", json());
  job.container = value.value("container", json());
  job.env = reader.object_or_empty(value, "env", pointer);
  job.outputs = reader.object_or_empty(value, "outputs", pointer);
  job.defaults = reader.object_or_empty(value, "defaults", pointer);
  job.continue_on_error = value.value("continue-on-error", json(false));
  job.uses = reader.scalar_text(value.value("uses", json()), util::pointer_append(pointer, "uses"), "'uses'");
  job.with = reader.object_or_empty(value, "with", pointer);
  job.secrets = value.value("secrets", json());
  const json steps = value.value("steps", json());
  const std::string steps_at = util::pointer_append(pointer, "steps");
  if (steps.is_array()) {
    for (std::size_t i = 0; i < steps.size(); ++i)
      job.steps.push_back(read_step(steps[i], util::pointer_append(steps_at, i), reader));
  } else if (!steps.is_null()) {
    reader.error(steps_at, "'steps' must be a list");
  }
  if (job.uses.empty() && !steps.is_array())
    reader.error_at_key(pointer, fmt::format("job '{}' has neither 'steps' nor 'uses'", id));
  if (value.contains("services"))
    reader.error_at_key(util::pointer_append(pointer, "services"), "service containers are not rehearsed");
  return job;
}

}  // namespace

util::Result<Workflow> parse_workflow(std::string_view text, const std::string& path) {
  auto doc = util::parse_yaml(text, path);
  if (!doc) return std::unexpected(std::move(doc.error()));
  Workflow wf;
  wf.path = path;
  wf.text = std::string(text);
  wf.marks = std::move(doc->marks);
  const json& root = doc->value;
  Reader reader(wf.marks);
  if (!root.is_object()) {
    reader.error("", "a workflow must be a mapping");
    return std::unexpected(std::move(reader.problems()));
  }
  wf.name = root.contains("name") && root["name"].is_string() ? root["name"].get<std::string>() : path;
  if (root.contains("on")) wf.on = triggers(root["on"], "/on", reader);
  else reader.error("", "a workflow needs 'on'");
  wf.env = reader.object_or_empty(root, "env", "");
  wf.defaults = reader.object_or_empty(root, "defaults", "");
  if (!root.contains("jobs") || !root["jobs"].is_object() || root["jobs"].empty()) {
    reader.error(root.contains("jobs") ? "/jobs" : "", "a workflow needs 'jobs', a mapping of job ids to jobs");
    return std::unexpected(std::move(reader.problems()));
  }
  // yaml-cpp keeps mapping order; the JSON object sorts keys, so order jobs by their lines.
  std::vector<std::pair<util::Location, std::string>> ids;
  for (const auto& [id, job] : root["jobs"].items()) ids.emplace_back(wf.marks.key_at(util::pointer_append("/jobs", id)), id);
  std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.line, a.first.column) < std::pair(b.first.line, b.first.column);
  });
  for (const auto& [where, id] : ids)
    wf.jobs.push_back(read_job(id, root["jobs"][id], util::pointer_append("/jobs", id), reader));
  for (const Job& job : wf.jobs)
    for (std::size_t i = 0; i < job.needs.size(); ++i)
      if (std::none_of(wf.jobs.begin(), wf.jobs.end(), [&](const Job& j) { return j.id == job.needs[i]; }))
        reader.error(job.needs.size() == 1 && !root["jobs"][job.id]["needs"].is_array()
                         ? util::pointer_append(job.pointer, "needs")
                         : util::pointer_append(util::pointer_append(job.pointer, "needs"), i),
                     fmt::format("job '{}' needs '{}', which is not a job of this workflow", job.id, job.needs[i]));
  if (!reader.problems().empty()) return std::unexpected(std::move(reader.problems()));
  wf.document = root;
  return wf;
}

util::Result<Workflow> read_workflow(const std::filesystem::path& root, const std::string& path) {
  auto text = util::read_file(root / path);
  if (!text) return std::unexpected(util::Diagnostics{util::error_at({path, 0, 0}, "cannot read: " + text.error())});
  return parse_workflow(*text, path);
}

util::Location locate(const Workflow& workflow, std::string_view pointer, std::string_view value, std::size_t offset) {
  util::Location mark = workflow.marks.value_at(pointer);
  if (mark.line <= 0) return mark;
  offset = std::min(offset, value.size());
  const std::size_t line_start = value.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t begin = offset == 0 || line_start == std::string_view::npos ? 0 : line_start + 1;
  std::size_t end = value.find('\n', begin);
  if (end == std::string_view::npos) end = value.size();
  const std::string_view line_text = value.substr(begin, end - begin);
  const auto lines = util::split_lines(workflow.text);
  // The value's line holding the offset is searched for from the mark on: a plain or
  // quoted scalar starts on the mark's line, a block scalar on the lines after it.
  const std::size_t skip = static_cast<std::size_t>(std::count(value.begin(), value.begin() + begin, '\n'));
  for (std::size_t l = static_cast<std::size_t>(mark.line - 1) + skip; l < lines.size() && !line_text.empty(); ++l) {
    const std::size_t from = l + 1 == static_cast<std::size_t>(mark.line) ? static_cast<std::size_t>(mark.column - 1) : 0;
    if (const std::size_t at = lines[l].find(line_text, std::min(from, lines[l].size())); at != std::string::npos)
      return util::Location{mark.file, static_cast<int>(l + 1), static_cast<int>(at + (offset - begin) + 1)};
    if (l > static_cast<std::size_t>(mark.line) + skip + 1) break;
  }
  return mark;
}

std::vector<std::string> events_of(const Workflow& workflow) {
  std::vector<std::string> out;
  for (const auto& [event, config] : workflow.on.items()) out.push_back(event);
  return out;
}

}  // namespace forgeline::rehearse
