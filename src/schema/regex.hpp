#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace forgeline::schema {

/// A compiled pattern that matches in time linear in the input: no backtracking, so no stack
/// overflow or exponential blow-up on long strings.
///
/// Covers the ECMAScript subset that JSON Schema `pattern` needs, on UTF-8 code points, with
/// search semantics (unanchored unless the pattern says `^`/`$`). Capture groups only group:
/// nothing is extracted, which is what makes the simple NFA simulation sufficient.
class Regex {
public:
  /// Error text names what is unsupported or malformed and its byte offset in the pattern.
  static std::expected<Regex, std::string> compile(std::string_view pattern);

  /// True when some substring of the text matches. Invalid UTF-8 reads as U+FFFD.
  bool search(std::string_view utf8_text) const;

private:
  struct Program;
  explicit Regex(std::shared_ptr<const Program> program) : program_(std::move(program)) {}

  // Shared and immutable, so copies are cheap and concurrent searches are safe.
  std::shared_ptr<const Program> program_;
};

}  // namespace forgeline::schema
