#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/diagnostic.hpp"

namespace forgeline::util {

/// Where each JSON-pointer location of a converted YAML document came from, so schema
/// errors and lints can point at the user's line and column.
class SourceMap {
 public:
  void set_value(std::string pointer, Location where);
  void set_key(std::string pointer, Location where);
  /// The value's position; falls back to the nearest ancestor that has one.
  Location value_at(std::string_view pointer) const;
  /// The key's position for a mapping entry, else the value's.
  Location key_at(std::string_view pointer) const;
  const std::string& file() const { return file_; }
  void set_file(std::string file) { file_ = std::move(file); }

 private:
  std::string file_;
  std::map<std::string, Location, std::less<>> values_;
  std::map<std::string, Location, std::less<>> keys_;
};

/// A YAML document as JSON (YAML 1.2 core schema scalars) plus its source marks.
struct YamlDocument {
  nlohmann::json value;
  SourceMap marks;
};

/// Parses YAML text. Syntax errors and duplicate mapping keys are diagnostics with the
/// file's 1-based line and column; an empty document is an object.
Result<YamlDocument> parse_yaml(std::string_view text, const std::string& file);

/// Appends a key to a JSON pointer, escaping `~` and `/`.
std::string pointer_append(std::string_view pointer, std::string_view key);
std::string pointer_append(std::string_view pointer, std::size_t index);

}  // namespace forgeline::util
