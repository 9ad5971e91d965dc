#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.hpp"
#include "validate/rules.hpp"

namespace forgeline::validate {

/// One `# forgeline-ignore: RULE[, RULE]...` comment.
struct Suppression {
  int line = 0;    // 1-based
  int column = 0;  // of the '#'
  bool own_line = false;  // nothing but the comment on its line: it also covers the next line
  std::vector<std::string> rules;
};

/// Every suppression comment in a YAML text. A `#` starts a comment at the start of a line or
/// after a blank, outside quotes; comment lines inside block scalars (a `run:` script) count too.
std::vector<Suppression> find_suppressions(std::string_view text);

/// Drops the findings of `file` a suppression covers (one on the finding's line, or alone on
/// the line above), then adds an `unused-ignore` note for each named rule that ran and
/// suppressed nothing, or that is no rule at all.
util::Diagnostics apply_suppressions(util::Diagnostics findings, std::string_view text, const std::string& file,
                                     const RuleSettings& settings);

}  // namespace forgeline::validate
