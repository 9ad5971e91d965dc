#include "util/diagnostic.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace forgeline::util {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

std::string format(const Location& where) {
  if (where.line <= 0) return where.file;
  return fmt::format("{}:{}:{}", where.file, where.line, std::max(where.column, 1));
}

std::string format(const Diagnostic& d) {
  if (d.rule.empty()) return fmt::format("{}: {}: {}", format(d.where), severity_name(d.severity), d.message);
  return fmt::format("{}: {}: {} [{}]", format(d.where), severity_name(d.severity), d.message, d.rule);
}

Diagnostic error_at(Location where, std::string message) {
  return Diagnostic{std::move(where), std::move(message), Severity::error, {}};
}

void sort(Diagnostics& ds) {
  std::stable_sort(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.file, a.where.line, a.where.column, a.message) <
           std::tie(b.where.file, b.where.line, b.where.column, b.message);
  });
}

}  // namespace forgeline::util
