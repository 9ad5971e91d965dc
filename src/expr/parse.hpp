#pragma once

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forgeline::expr {

/// What a node of an expression is. GitHub's grammar (docs.github.com, "Evaluate expressions
/// in workflows and actions"): literals, context names, property access `a.b`, index `a[b]`,
/// the filters `a.*`/`a[*]`, function calls, `!`, and the binary operators below.
enum class Kind {
  null_literal,
  boolean_literal,
  number_literal,
  string_literal,
  context,   // a root name: github, matrix, inputs, ...; `text` is as written
  property,  // children[0].text; `text` is the property name as written
  index,     // children[0][children[1]]
  filter,    // children[0].* or children[0][*]
  call,      // text(children...); `text` is the function name as written
  logical_not,
  binary,  // children[0] text children[1]; `text` is one of == != < <= > >= && ||
};

/// One node of a parsed expression, with its place in the expression text.
struct Node {
  Kind kind = Kind::null_literal;
  std::string text;      // name, operator, or a string literal's value (quotes removed)
  double number = 0;     // number_literal
  bool boolean = false;  // boolean_literal
  std::vector<Node> children;
  std::size_t offset = 0;  // of the node's first character in the expression
  std::size_t length = 0;
};

/// A syntax error at `offset` (in the text given to parse(), or to the value for templates).
struct Error {
  std::string message;
  std::size_t offset = 0;
};

/// Parses one expression (the text between `${{` and `}}`, or a bare `if:` condition).
std::expected<Node, Error> parse(std::string_view expression);

/// A piece of a string value: literal text, or the source of a `${{ }}` expression.
struct Part {
  bool expression = false;
  std::string text;        // literal text, or the expression between the braces
  std::size_t offset = 0;  // of the text in the value (after `${{` for an expression)
};

/// Splits a value into literal text and `${{ }}` expressions. A `}}` inside a string literal
/// does not close an expression; an unclosed `${{` is an error.
std::expected<std::vector<Part>, Error> split_template(std::string_view value);

/// JavaScript's Number(text), which GitHub applies to number literals and to strings compared
/// with numbers: decimals with exponents, 0x/0o/0b integers, Infinity, surrounding
/// whitespace, and '' as 0. Empty where Number() gives NaN.
std::optional<double> parse_number(std::string_view text);

/// The context path a node reads when it is a chain of property accesses and literal
/// indexes from a context: `needs.build.outputs['v']` is {"needs", "build", "outputs", "v"},
/// filters read as "*". Names are lowercased (GitHub matches them case-insensitively).
/// Empty when the node is not such a chain (a call, a computed index, an operator).
std::vector<std::string> context_path(const Node& node);

}  // namespace forgeline::expr
