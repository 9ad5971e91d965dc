#include "validate/workflow.hpp"

#include "util/schema_check.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::validate {

util::Diagnostics check_workflow(std::string_view text, const std::string& file) {
  auto doc = util::parse_yaml(text, file);
  if (!doc) return doc.error();
  return util::check_against(util::bundled_schema("schemas/workflow.schema.json"), *doc);
}

}  // namespace forgeline::validate
