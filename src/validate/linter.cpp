#include "validate/linter.hpp"

#include <algorithm>

#include "util/files.hpp"
#include "util/strings.hpp"

namespace forgeline::validate {

using nlohmann::json;
using util::pointer_append;

const json* member(const json* value, std::string_view key) {
  if (!value || !value->is_object()) return nullptr;
  const auto it = value->find(key);
  return it == value->end() ? nullptr : &*it;
}

const json* member(const json& value, std::string_view key) { return member(&value, key); }

const std::string* text_of(const json* value) {
  return value && value->is_string() ? &value->get_ref<const std::string&>() : nullptr;
}

std::vector<std::string> strings_of(const json* value) {
  std::vector<std::string> out;
  if (const std::string* s = text_of(value)) out.push_back(*s);
  else if (value && value->is_array())
    for (const json& item : *value)
      if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

bool is_github_script(const json& step) {
  const std::string* uses = text_of(member(step, "uses"));
  return uses && uses->starts_with("actions/github-script@");
}

std::string list_or_none(const std::vector<std::string>& names) {
  return names.empty() ? "none" : util::join(names, ", ");
}

const json* workflow_call_of(const json& workflow) {
  static const json empty = json::object();
  const json* on = member(workflow, "on");
  if (!on) return nullptr;
  if (const std::string* name = text_of(on)) return *name == "workflow_call" ? &empty : nullptr;
  if (on->is_array()) return std::find(on->begin(), on->end(), "workflow_call") != on->end() ? &empty : nullptr;
  const json* call = member(on, "workflow_call");
  if (!call) return nullptr;
  return call->is_object() ? call : &empty;
}

Linter::Linter(const util::YamlDocument& doc, std::string_view text, const LintOptions& options)
    : doc_(doc), text_(text), options_(options) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

const json& Linter::jobs() const {
  static const json empty = json::object();
  const json* jobs = member(doc_.value, "jobs");
  return jobs && jobs->is_object() ? *jobs : empty;
}

void Linter::report(std::string_view rule, std::string_view pointer, std::string message, bool at_key) {
  // An empty value has no place of its own (YAML gives it the next token's): use its key's.
  if (!at_key) {
    try {
      at_key = doc_.value.at(json::json_pointer(std::string(pointer))).is_null();
    } catch (const json::exception&) {
    }
  }
  util::Location where = at_key ? doc_.marks.key_at(pointer) : doc_.marks.value_at(pointer);
  if (where.line <= 0) where = util::Location{doc_.marks.file(), 1, 1};
  findings_.push_back(Finding{std::string(rule), std::string(pointer), std::move(where), std::move(message)});
}

void Linter::report_at(std::string_view rule, std::string_view pointer, std::size_t offset, std::string message,
                       bool in_key) {
  util::Location where = inside(pointer, offset);
  if (in_key) {
    // Keys holding expressions are plain one-line scalars: count columns from the key's start.
    where = doc_.marks.key_at(pointer);
    where.column += static_cast<int>(offset);
  }
  findings_.push_back(Finding{std::string(rule), std::string(pointer), std::move(where), std::move(message)});
}

std::size_t Linter::byte_offset(const util::Location& where) const {
  if (where.line <= 0 || static_cast<std::size_t>(where.line) > line_starts_.size()) return text_.size();
  return std::min(text_.size(), line_starts_[static_cast<std::size_t>(where.line) - 1] +
                                    static_cast<std::size_t>(std::max(where.column, 1) - 1));
}

util::Location Linter::location_of(std::size_t byte) const {
  const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte);
  const std::size_t line = static_cast<std::size_t>(next - line_starts_.begin());
  return util::Location{doc_.marks.file(), static_cast<int>(line), static_cast<int>(byte - line_starts_[line - 1] + 1)};
}

// The value's text as written may differ from its value (quotes, escapes, folded lines, block
// indentation), so the place is found by matching: the text from `offset` to the end of its
// line is searched in the source after the value's start, skipping as many earlier copies as
// the value has before `offset`.
util::Location Linter::inside(std::string_view pointer, std::size_t offset) const {
  const util::Location start = doc_.marks.value_at(pointer);
  const json* value = nullptr;
  try {
    value = &doc_.value.at(json::json_pointer(std::string(pointer)));
  } catch (const json::exception&) {
    return start;
  }
  const std::string* s = text_of(value);
  if (!s || offset >= s->size()) return start;
  const std::size_t end = std::min({s->find('\n', offset), s->size(), offset + 24});
  const std::string_view needle = std::string_view(*s).substr(offset, end - offset);
  if (needle.empty()) return start;
  std::size_t copies = 0;
  for (std::size_t at = s->find(needle); at < offset; at = s->find(needle, at + 1)) ++copies;
  std::size_t found = byte_offset(start);
  for (std::size_t i = 0;; ++i) {
    found = text_.find(needle, found);
    if (found == std::string_view::npos) return start;
    if (i == copies) return location_of(found);
    ++found;
  }
}

const CalledWorkflow* Linter::called_workflow(const std::string& uses) {
  // `./` and `$/` both name a workflow of the same repository at the same commit.
  constexpr std::string_view prefix = "./.github/workflows/";
  constexpr std::string_view self_prefix = "$/.github/workflows/";
  if ((!uses.starts_with(prefix) && !uses.starts_with(self_prefix)) || !options_.folder) return nullptr;
  auto [it, fresh] = called_.try_emplace(uses);
  CalledWorkflow& c = it->second;
  if (!fresh) return &c;
  c.name = uses.substr(prefix.size());
  const std::filesystem::path path = *options_.folder / c.name;
  c.shown = path.generic_string();
  auto text = util::read_file(path);
  if (!text) {
    c.state = CalledWorkflow::State::missing;
    return &c;
  }
  auto parsed = util::parse_yaml(*text, c.shown);
  if (!parsed) {
    c.state = CalledWorkflow::State::unparsable;
    return &c;
  }
  c.workflow = std::move(parsed->value);
  c.call = workflow_call_of(c.workflow);
  if (!c.call) c.state = CalledWorkflow::State::not_callable;
  return &c;
}

namespace {

// Where a value sits, for the expressions in it.
struct Place {
  std::string job;
  Sink sink = Sink::other;
  std::size_t steps_run = 0;
  bool condition = false;
};

void collect(const std::string& pointer, const json& value, const Place& place, std::vector<Site>& out) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (!place.condition && s.find("${{") == std::string::npos) return;
    Site site{pointer, place.job, place.sink, place.steps_run, false, false, expressions_of(s, place.condition)};
    if (s.find("${{") != std::string::npos) {
      auto parts = expr::split_template(s);
      site.literal_text = parts && (parts->size() > 1 || (parts->size() == 1 && !(*parts)[0].expression));
    }
    out.push_back(std::move(site));
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) collect(pointer_append(pointer, i), value[i], place, out);
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      const std::string p = pointer_append(pointer, key);
      // GitHub evaluates expressions in the names of a mapping it reads loosely (env names).
      if (key.find("${{") != std::string::npos) {
        Site site{p, place.job, Sink::other, place.steps_run, false, true, expressions_of(key, false)};
        auto parts = expr::split_template(key);
        site.literal_text = parts && (parts->size() > 1 || (parts->size() == 1 && !(*parts)[0].expression));
        out.push_back(std::move(site));
      }
      collect(p, item, place, out);
    }
  }
}

void collect_job(const std::string& id, const json& job, std::vector<Site>& out) {
  const std::string at = pointer_append("/jobs", id);
  const json* steps = member(job, "steps");
  const std::size_t step_count = steps && steps->is_array() ? steps->size() : 0;
  for (const auto& [key, value] : job.items()) {
    const std::string p = pointer_append(at, key);
    if (key == "steps" && value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_object()) {
          collect(pointer_append(p, i), value[i], Place{id, Sink::other, i, false}, out);
          continue;
        }
        const bool script_action = is_github_script(value[i]);
        for (const auto& [step_key, step_value] : value[i].items()) {
          const std::string sp = pointer_append(pointer_append(p, i), step_key);
          if (step_key == "with" && step_value.is_object()) {
            for (const auto& [input, input_value] : step_value.items()) {
              const Sink sink = script_action && input == "script" ? Sink::script : Sink::other;
              collect(pointer_append(sp, input), input_value, Place{id, sink, i, false}, out);
            }
            continue;
          }
          const bool condition = step_key == "if";
          const Sink sink = condition ? Sink::condition : step_key == "run" ? Sink::script : Sink::other;
          collect(sp, step_value, Place{id, sink, i, condition}, out);
        }
      }
    } else if (key == "snapshot" && value.is_object()) {
      for (const auto& [snapshot_key, snapshot_value] : value.items()) {
        const bool condition = snapshot_key == "if";
        collect(pointer_append(p, snapshot_key), snapshot_value,
                Place{id, condition ? Sink::condition : Sink::other, 0, condition}, out);
      }
    } else {
      // Only the job's outputs and environment URL are evaluated after its steps.
      const std::size_t steps_run = key == "outputs" || key == "environment" ? step_count : 0;
      const bool condition = key == "if";
      collect(p, value, Place{id, condition ? Sink::condition : Sink::other, steps_run, condition}, out);
    }
  }
}

}  // namespace

const std::vector<Site>& Linter::sites() {
  if (sites_) return *sites_;
  sites_.emplace();
  for (const auto& [key, value] : doc_.value.items()) {
    if (key == "jobs" && value.is_object()) {
      for (const auto& [id, job] : value.items())
        if (job.is_object()) collect_job(id, job, *sites_);
        else collect(pointer_append("/jobs", id), job, Place{id}, *sites_);
      continue;
    }
    collect(pointer_append("", key), value, Place{}, *sites_);
  }
  return *sites_;
}

const std::vector<Read>& Linter::reads_of(const std::string& job_id) {
  // Every job's reads at once, in one pass over the sites: a pass per job is quadratic.
  if (!reads_ready_) {
    reads_ready_ = true;
    for (const Site& site : sites()) {
      if (site.job.empty()) continue;
      std::vector<Read>& out = reads_[site.job];
      for (const Expression& e : site.expressions)
        for (ContextPath& path : context_paths(e))
          out.push_back(Read{site.pointer, path.offset, std::move(path), site.sink, site.steps_run, site.key});
    }
  }
  static const std::vector<Read> none;
  auto it = reads_.find(job_id);
  return it == reads_.end() ? none : it->second;
}

}  // namespace forgeline::validate
