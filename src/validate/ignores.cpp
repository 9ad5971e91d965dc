#include "validate/ignores.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace forgeline::validate {

namespace {

constexpr std::string_view kMarker = "forgeline-ignore:";

// The byte offset of the line's comment '#', or npos.
std::size_t comment_start(std::string_view line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return i;
    // A quote opens a quoted scalar only where a value starts, not inside a word (don't).
    if ((c == '\'' || c == '"') && (i == 0 || std::string_view(" \t:[{,-").find(line[i - 1]) != std::string_view::npos))
      quote = c;
  }
  return std::string_view::npos;
}

std::vector<std::string> rule_names(std::string_view list) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : list) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\r') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

}  // namespace

std::vector<Suppression> find_suppressions(std::string_view text) {
  std::vector<Suppression> out;
  int number = 0;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    ++number;
    const std::size_t hash = comment_start(line);
    if (hash != std::string_view::npos) {
      std::string_view comment = line.substr(hash + 1);
      comment.remove_prefix(std::min(comment.find_first_not_of(" \t"), comment.size()));
      if (comment.starts_with(kMarker)) {
        const bool own_line = line.find_first_not_of(" \t") == hash;
        out.push_back(Suppression{number, static_cast<int>(hash) + 1, own_line,
                                  rule_names(comment.substr(kMarker.size()))});
      }
    }
    start = end + 1;
  }
  return out;
}

util::Diagnostics apply_suppressions(util::Diagnostics findings, std::string_view text, const std::string& file,
                                     const RuleSettings& settings) {
  const std::vector<Suppression> suppressions = find_suppressions(text);
  if (suppressions.empty()) return findings;
  // used[i][k]: suppression i's k-th rule suppressed something.
  std::vector<std::vector<bool>> used;
  for (const Suppression& s : suppressions) used.emplace_back(s.rules.size(), false);
  const auto covers = [&](std::size_t i, const util::Diagnostic& d) -> int {
    const Suppression& s = suppressions[i];
    if (d.where.file != file || d.rule.empty()) return -1;
    if (d.where.line != s.line && !(s.own_line && d.where.line == s.line + 1)) return -1;
    const auto it = std::find(s.rules.begin(), s.rules.end(), d.rule);
    return it == s.rules.end() ? -1 : static_cast<int>(it - s.rules.begin());
  };
  util::Diagnostics kept;
  for (util::Diagnostic& d : findings) {
    bool suppressed = false;
    for (std::size_t i = 0; i < suppressions.size(); ++i)
      if (const int k = covers(i, d); k >= 0) {
        used[i][static_cast<std::size_t>(k)] = true;
        suppressed = true;
      }
    if (!suppressed) kept.push_back(std::move(d));
  }
  if (!settings.runs("unused-ignore")) return kept;
  for (std::size_t i = 0; i < suppressions.size(); ++i) {
    const Suppression& s = suppressions[i];
    for (std::size_t k = 0; k < s.rules.size(); ++k) {
      if (used[i][k]) continue;
      const std::string& rule = s.rules[k];
      std::string message;
      if (!find_rule(rule))
        message = fmt::format("forgeline-ignore: '{}' is not a rule, so it suppresses nothing", rule);
      else if (!settings.runs(rule))
        continue;  // the rule is off: nothing to suppress, nothing to say
      else
        message = fmt::format("forgeline-ignore: {} suppresses nothing on {}", rule,
                              s.own_line ? fmt::format("lines {}-{}", s.line, s.line + 1) : fmt::format("line {}", s.line));
      kept.push_back(util::Diagnostic{{file, s.line, s.column}, std::move(message), util::Severity::note, "unused-ignore"});
    }
  }
  return kept;
}

}  // namespace forgeline::validate
