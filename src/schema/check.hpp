#pragma once

#include <string_view>

#include "schema/json_schema.hpp"
#include "util/diagnostic.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::schema {

/// A schema error and where it is in the YAML file: at the key for a key's own problems
/// (unknown, badly named) and for a value that is null, a mapping or a list, else at the value;
/// line 1 for the document as a whole.
struct LocatedError {
  SchemaError error;
  util::Location where;
};

/// Applies a schema to a converted YAML document, in the schema's deterministic order.
std::vector<LocatedError> locate_errors(const Schema& schema, const util::YamlDocument& doc);

/// The same as diagnostics `<pointer>: <message>` at each error's line and column, sorted.
util::Diagnostics check_against(const Schema& schema, const util::YamlDocument& doc);

/// A schema compiled from an embedded resource, once per process. A broken bundled schema
/// is a build defect, so it throws.
const Schema& bundled_schema(std::string_view resource_name);

}  // namespace forgeline::schema
