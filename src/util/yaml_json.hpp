#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "util/diagnostic.hpp"

namespace forgeline::util {

/// Where each JSON-pointer location of a converted YAML document came from, so schema
/// errors and lints can point at the user's line and column.
class SourceMap {
 public:
  void set_value(std::string pointer, const Location& where);
  void set_key(std::string pointer, const Location& where);
  /// The value's position; falls back to the nearest ancestor that has one.
  Location value_at(std::string_view pointer) const;
  /// The key's position for a mapping entry, else the value's.
  Location key_at(std::string_view pointer) const;
  /// Gives everything recorded at or under `from` a second place at `to` (an alias's copy).
  void copy_subtree(const std::string& from, const std::string& to);
  const std::string& file() const { return file_; }
  void set_file(std::string file) { file_ = std::move(file); }

 private:
  // Line and column only: the file name is the same for every entry.
  using Marks = std::map<std::string, std::pair<int, int>, std::less<>>;
  static void copy_subtree(Marks& marks, const std::string& from, const std::string& to);
  std::string file_;
  Marks values_;
  Marks keys_;
};

/// A YAML document as JSON (YAML 1.2 core schema scalars) plus its source marks.
struct YamlDocument {
  nlohmann::json value;
  SourceMap marks;
};

/// What parse_yaml accepts at most, so hostile input (a bomb of aliases, a thousand levels
/// of nesting, a 10 MB line) ends in an error within milliseconds instead of exhausting the
/// stack, the memory or the user's patience. A 10,000-line workflow holds about 24,000
/// values, a dozen levels and strings of a few kilobytes, far below these.
struct YamlLimits {
  std::size_t max_bytes = 8 * 1024 * 1024;  // the whole text (8 MiB)
  int max_depth = 64;                       // collections inside collections
  std::size_t max_nodes = 100'000;          // keys, scalars and collections, aliases expanded
  /// One string, or one collection written in flow style ([...] or {...}), from its first
  /// byte to its last: yaml-cpp reads such a value whole before handing it over, holding
  /// about 100 bytes of memory per byte of it.
  std::size_t max_value_bytes = 256 * 1024;
  std::size_t max_key_bytes = 1024;  // one mapping key
};

/// Parses YAML text: one UTF-8 document within `limits`. Syntax errors, duplicate mapping
/// keys, a second document, NUL bytes, control characters, invalid UTF-8, self-referencing
/// aliases and every limit are diagnostics with the file's 1-based line and column; an
/// empty document is an object. Line breaks may be LF, CRLF or CR alone, as YAML allows.
Result<YamlDocument> parse_yaml(std::string_view text, const std::string& file, const YamlLimits& limits = {});

/// Appends a key to a JSON pointer, escaping `~` and `/`.
std::string pointer_append(std::string_view pointer, std::string_view key);
std::string pointer_append(std::string_view pointer, std::size_t index);

}  // namespace forgeline::util
