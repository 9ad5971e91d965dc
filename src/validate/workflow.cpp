#include "validate/workflow.hpp"

#include <optional>

#include "schema/check.hpp"
#include "util/yaml_json.hpp"
#include "validate/lints.hpp"

namespace forgeline::validate {

namespace {

util::Diagnostics check(std::string_view text, const std::string& file, std::optional<std::filesystem::path> folder) {
  auto doc = util::parse_yaml(text, file);
  if (!doc) return doc.error();
  util::Diagnostics problems = schema::check_against(schema::bundled_schema("schemas/workflow.schema.json"), *doc);
  if (!problems.empty()) return problems;
  return lint_workflow(*doc, LintOptions{std::move(folder)});
}

}  // namespace

util::Diagnostics check_workflow(std::string_view text, const std::string& file) {
  return check(text, file, std::nullopt);
}

util::Diagnostics check_workflow(std::string_view text, const std::string& file, const std::filesystem::path& folder) {
  return check(text, file, folder);
}

}  // namespace forgeline::validate
