#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/diagnostic.hpp"
#include "util/yaml_limits.hpp"

namespace forgeline::util {

/// Where each JSON-pointer location of a converted YAML document came from, so schema
/// errors and lints can point at the user's line and column. Marks are logged as the reader
/// sets them and indexed on the first lookup: most documents (every clean one) are never asked.
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
  /// The same file and the same marks, in whatever order they were set.
  friend bool operator==(const SourceMap& a, const SourceMap& b);

 private:
  // Line and column only: the file name is the same for every entry.
  using Marks = std::map<std::string, std::pair<int, int>, std::less<>>;
  struct Logged {
    enum class Kind { value, key, copy } kind;
    std::string pointer;  // copy: from
    std::string to;       // copy only
    std::pair<int, int> mark;
  };
  static void copy_subtree(Marks& marks, const std::string& from, const std::string& to);
  /// Replays the log into the two indexes.
  void index() const;
  std::string file_;
  mutable std::vector<Logged> log_;
  mutable Marks values_;
  mutable Marks keys_;
};

/// A YAML document as JSON (YAML 1.2 core schema scalars) plus its source marks.
struct YamlDocument {
  nlohmann::json value;
  SourceMap marks;
};

/// Parses YAML text: one UTF-8 document within `limits`. Syntax errors, duplicate mapping
/// keys, a second document, NUL bytes, control characters, invalid UTF-8, self-referencing
/// aliases and every limit are diagnostics with the file's 1-based line and column; an
/// empty document is an object. Line breaks may be LF, CRLF or CR alone, as YAML allows.
Result<YamlDocument> parse_yaml(std::string_view text, const std::string& file, const YamlLimits& limits = {});

/// parse_yaml with yaml-cpp for every text: what read_simple_yaml (util/yaml_quick.hpp), which
/// parse_yaml tries first, is compared with.
Result<YamlDocument> parse_yaml_with_yaml_cpp(std::string_view text, const std::string& file,
                                              const YamlLimits& limits = {});

/// A plain (unquoted) scalar typed by YAML 1.2's core schema: null, boolean, integer, float or
/// string; nullopt for a number no double can hold.
std::optional<nlohmann::json> core_scalar(const std::string& plain);

/// Appends a key to a JSON pointer, escaping `~` and `/`.
std::string pointer_append(std::string_view pointer, std::string_view key);
std::string pointer_append(std::string_view pointer, std::size_t index);

}  // namespace forgeline::util
