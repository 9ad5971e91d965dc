#pragma once

#include <string_view>
#include <vector>

#include "util/yaml_json.hpp"
#include "validate/linter.hpp"

namespace forgeline::validate {

/// The semantic checks the schema cannot express, one family per file (`lint_jobs`,
/// `lint_contexts`, `lint_steps`, `lint_matrix`, `lint_events`, `lint_runners`,
/// `lint_security`, `lint_keys`, `lint_expressions`). They also run on a document the schema
/// rejected, reading only the parts that have the shape they need. `text` is the document's
/// source, to place findings inside multi-line values.
std::vector<Finding> lint_workflow(const util::YamlDocument& doc, std::string_view text, const LintOptions& options = {});

}  // namespace forgeline::validate
