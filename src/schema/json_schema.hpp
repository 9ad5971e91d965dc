#pragma once

#include <expected>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace forgeline::schema {

namespace detail {
struct SchemaNode;
class Compiler;
}

/// One way an instance breaks a schema, phrased for the person who wrote the instance.
struct SchemaError {
  std::string pointer;  // JSON pointer into the instance ("" = root); for an unknown key, the key's own pointer
  std::string message;  // e.g. "unknown key (did you mean runs-on?)"
};

/// A draft-07 schema compiled once (refs resolved, patterns compiled) and applied to many documents.
///
/// Beyond draft-07, a string "errorMessage" keyword replaces every error of the (sub)schema that
/// carries it with that one text, so schema authors can phrase failures in domain terms.
class Schema {
public:
  /// Error text names the schema location ("#/definitions/x/pattern: ...").
  static std::expected<Schema, std::string> compile(nlohmann::json schema_document);
  /// For a schema known to compile (a bundled one, which its tests compile with compile()):
  /// each subschema is compiled when a document first reaches it, and reference cycles are
  /// not looked for. Much faster to start; validate() is then not thread-safe.
  static Schema compile_lazily(nlohmann::json schema_document);

  /// Empty when the instance is valid. The order is deterministic for a given instance.
  std::vector<SchemaError> validate(const nlohmann::json& instance) const;

private:
  explicit Schema(std::shared_ptr<detail::Compiler> nodes) : nodes_(std::move(nodes)) {}

  // Node 0 is the root; references between nodes are indices, so recursive schemas are plain data.
  std::shared_ptr<detail::Compiler> nodes_;
};

}  // namespace forgeline::schema
