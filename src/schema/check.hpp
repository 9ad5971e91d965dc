#pragma once

#include <string_view>

#include "schema/json_schema.hpp"
#include "util/diagnostic.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::schema {

/// Applies a schema to a converted YAML document: each error points at the line and
/// column of the offending key or value and names its JSON pointer.
util::Diagnostics check_against(const Schema& schema, const util::YamlDocument& doc);

/// A schema compiled from an embedded resource, once per process. A broken bundled schema
/// is a build defect, so it throws.
const Schema& bundled_schema(std::string_view resource_name);

}  // namespace forgeline::schema
