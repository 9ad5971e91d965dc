#include "validate/lint_expressions.hpp"

#include <fmt/format.h>

#include "util/yaml_json.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

// GitHub turns a value with text around its `${{ }}` into format('text{0}text', ...), a
// string, and a non-empty string is true (actions/languageservices,
// workflow-parser/src/templates/template-reader.ts, parseScalar; model/converter/if-condition.ts).
void check_condition(Linter& linter, const std::string& pointer, const json* condition) {
  const std::string* text = text_of(condition);
  if (!text) return;
  const std::size_t open = text->find("${{");
  if (open == std::string::npos) return;
  const std::size_t close = text->rfind("}}");
  const bool whole = open == 0 && close != std::string::npos && close + 2 == text->size() &&
                     text->find("${{", open + 3) == std::string::npos;
  if (whole) return;
  std::string shown = *text;
  for (std::size_t at = shown.find('\n'); at != std::string::npos; at = shown.find('\n', at)) shown.replace(at, 1, "\\n");
  linter.report("if-always-true", pointer,
                fmt::format("'{}' has text around its ${{{{ }}}}, which makes it a non-empty string: the condition is "
                            "always true; write the whole condition inside one ${{{{ }}}}, or leave ${{{{ }}}} out",
                            shown));
}

}  // namespace

void lint_expressions(Linter& linter) {
  for (const auto& [id, job] : linter.jobs().items()) {
    const std::string at = pointer_append("/jobs", id);
    check_condition(linter, pointer_append(at, "if"), member(job, "if"));
    const json* steps = member(job, "steps");
    if (!steps || !steps->is_array()) continue;
    for (std::size_t i = 0; i < steps->size(); ++i)
      check_condition(linter, pointer_append(pointer_append(pointer_append(at, "steps"), i), "if"),
                      member((*steps)[i], "if"));
  }
}

}  // namespace forgeline::validate
