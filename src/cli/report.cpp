#include "cli/report.hpp"

#include <cstdlib>
#include <iostream>
#include <string_view>

#include <fmt/format.h>

namespace forgeline::cli {

namespace {

std::string escape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

}  // namespace

bool github_annotations() {
  const char* value = std::getenv("GITHUB_ACTIONS");
  return value != nullptr && std::string_view(value) == "true";
}

std::string annotation(const util::Diagnostic& d) {
  std::string properties = "file=" + escape(d.where.file, true);
  if (d.where.line > 0) properties += fmt::format(",line={},col={}", d.where.line, std::max(d.where.column, 1));
  // GitHub's workflow commands name the levels error, warning and notice.
  const std::string_view level = d.severity == util::Severity::note ? "notice" : util::severity_name(d.severity);
  const std::string message = d.rule.empty() ? d.message : fmt::format("{} [{}]", d.message, d.rule);
  return fmt::format("::{} {}::{}", level, properties, escape(message, false));
}

nlohmann::json to_json(const util::Diagnostics& diagnostics) {
  util::Diagnostics sorted = diagnostics;
  util::sort(sorted);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : sorted)
    out.push_back({{"file", d.where.file},
                   {"line", d.where.line},
                   {"column", d.where.column},
                   {"severity", util::severity_name(d.severity)},
                   {"rule", d.rule.empty() ? nlohmann::json() : nlohmann::json(d.rule)},
                   {"message", d.message}});
  return out;
}

void report(const util::Diagnostics& diagnostics) {
  util::Diagnostics sorted = diagnostics;
  util::sort(sorted);
  for (const auto& d : sorted) std::cerr << util::format(d) << '\n';
  if (github_annotations())
    for (const auto& d : sorted) std::cout << annotation(d) << '\n';
}

}  // namespace forgeline::cli
