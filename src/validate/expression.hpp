#pragma once

#include <cstddef>
#include <expected>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "expr/parse.hpp"

namespace forgeline::validate {

/// A context property an expression reads, as its path: `needs.build.outputs['v']` is
/// {"needs", "build", "outputs", "v"} (lowercased, as GitHub matches names ignoring case);
/// filters and number indexes read as "*". The path stops where it can no longer be known
/// without evaluating (`matrix[x]` is {"matrix"}).
struct ContextPath {
  std::vector<std::string> segments;
  std::size_t offset = 0;  // of the path's first character in the text it was read from
  std::string written;     // the path as written, for messages

  std::string text() const;  // segments joined with '.'
  bool starts_with(std::initializer_list<std::string_view> prefix) const;
};

/// One expression of a string value, parsed by expr::parse: where its source starts in the
/// value, and its tree, or its syntax error (the error's offset counted in the value).
struct Expression {
  std::size_t offset = 0;
  std::string source;
  std::expected<expr::Node, expr::Error> tree;
};

/// The expressions of a string value as GitHub reads it: each `${{ }}`; for a condition
/// (`if:`) without `${{`, the whole text. An unclosed `${{` is one Expression holding the error.
std::vector<Expression> expressions_of(std::string_view value, bool condition);

/// Every context path a parsed expression reads: each chain from a context name as far as
/// it can be known (call arguments and computed indexes are searched too; string literals and
/// function names read nothing). Offsets are in the value.
std::vector<ContextPath> context_paths(const Expression& expression);

/// The paths of every expression of a value (of a condition: `if:` text without `${{` too).
std::vector<ContextPath> template_paths(std::string_view text);
std::vector<ContextPath> condition_paths(std::string_view text);

}  // namespace forgeline::validate
