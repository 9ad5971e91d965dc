#include "rehearse/report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace {

void add_once(std::vector<std::string>& list, std::string item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

std::string indent(const std::string& text, std::string_view prefix) {
  std::string out;
  for (const auto& line : util::split_lines(text)) out += fmt::format("{}{}\n", prefix, line);
  return out;
}

std::string pairs_text(const Pairs& pairs) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : pairs) parts.push_back(fmt::format("{}={}", k, util::replace_all(v, "\n", "\\n")));
  return util::join(parts, " ");
}

}  // namespace

std::string_view result_name(Result result) {
  switch (result) {
    case Result::success: return "success";
    case Result::failure: return "failure";
    case Result::skipped: return "skipped";
    case Result::cancelled: return "cancelled";
  }
  return "failure";
}

void Report::emulate(std::string what) { add_once(emulated, std::move(what)); }
void Report::skip(std::string what) { add_once(not_rehearsed, std::move(what)); }

std::string report_text(const Report& r) {
  std::string out;
  for (const auto& line : r.header) out += line + "\n";
  out += "\n";
  for (const auto& [file, why] : r.workflows) out += fmt::format("{}: {}\n", file, why);
  for (const auto& job : r.jobs) {
    out += fmt::format("\njob {}", job.id);
    if (!job.name.empty() && job.name != job.id) out += fmt::format(" \"{}\"", job.name);
    out += fmt::format(": {}{}\n", result_name(job.result), job.why.empty() ? "" : " (" + job.why + ")");
    for (const auto& step : job.steps) {
      out += fmt::format("  step {}: {}{}\n", step.name, result_name(step.result),
                         step.why.empty() ? "" : " (" + step.why + ")");
      for (const auto& line : step.script) out += fmt::format("    | {}\n", line);
      for (const auto& note : step.notes) out += indent(note, "    ");
      if (!step.outputs.empty()) out += fmt::format("    outputs: {}\n", pairs_text(step.outputs));
      if (!step.tail.empty()) out += "    last lines of its output:\n" + indent(step.tail, "      ");
    }
    if (!job.outputs.empty()) out += fmt::format("  outputs: {}\n", pairs_text(job.outputs));
  }
  out += "\nsummary:\n";
  std::size_t width = 0;
  for (const auto& job : r.jobs) width = std::max(width, job.id.size());
  for (const auto& job : r.jobs)
    out += fmt::format("  {}{}  {}\n", job.id, std::string(width - job.id.size(), ' '), result_name(job.result));
  if (r.jobs.empty()) out += "  no job ran\n";
  if (!r.pushed.empty()) {
    out += r.dry_run ? "would push:\n" : "pushed:\n";
    for (const auto& p : r.pushed) out += fmt::format("  {} ({}, {})\n", p.tag, p.how, p.job);
  }
  if (!r.emulated.empty()) {
    out += "emulated:\n";
    for (const auto& e : r.emulated) out += indent(e, "  ");
  }
  if (!r.not_rehearsed.empty()) {
    out += "not rehearsed:\n";
    for (const auto& e : r.not_rehearsed) out += indent(e, "  ");
  }
  out += fmt::format("result: {}{}\n", result_name(r.result), r.failure.empty() ? "" : ": " + r.failure);
  if (!r.failure_tail.empty()) out += "last lines of its output:\n" + indent(r.failure_tail, "  ");
  return out;
}

std::string report_json(const Report& r) {
  using ordered = nlohmann::ordered_json;
  auto pairs = [](const Pairs& p) {
    ordered o = ordered::object();
    for (const auto& [k, v] : p) o[k] = v;
    return o;
  };
  ordered jobs = ordered::array();
  for (const auto& job : r.jobs) {
    ordered steps = ordered::array();
    for (const auto& s : job.steps)
      steps.push_back({{"name", s.name},
                       {"result", result_name(s.result)},
                       {"why", s.why},
                       {"notes", s.notes},
                       {"script", s.script},
                       {"outputs", pairs(s.outputs)},
                       {"tail", s.tail},
                       {"log", s.log}});
    jobs.push_back({{"id", job.id},
                    {"name", job.name},
                    {"workflow", job.workflow},
                    {"result", result_name(job.result)},
                    {"why", job.why},
                    {"steps", steps},
                    {"outputs", pairs(job.outputs)}});
  }
  ordered workflows = ordered::array();
  for (const auto& [file, why] : r.workflows) workflows.push_back({{"file", file}, {"trigger", why}});
  ordered pushed = ordered::array();
  for (const auto& p : r.pushed) pushed.push_back({{"tag", p.tag}, {"how", p.how}, {"job", p.job}});
  ordered out = {{"dry_run", r.dry_run},
                 {"header", r.header},
                 {"workflows", workflows},
                 {"jobs", jobs},
                 {"pushed", pushed},
                 {"emulated", r.emulated},
                 {"not_rehearsed", r.not_rehearsed},
                 {"result", result_name(r.result)},
                 {"failure", r.failure},
                 {"failure_tail", r.failure_tail}};
  return out.dump(2) + "\n";
}

}  // namespace forgeline::rehearse
