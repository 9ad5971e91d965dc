#include "validate/lints.hpp"

#include "validate/lint_contexts.hpp"
#include "validate/lint_events.hpp"
#include "validate/lint_expressions.hpp"
#include "validate/lint_jobs.hpp"
#include "validate/lint_keys.hpp"
#include "validate/lint_matrix.hpp"
#include "validate/lint_runners.hpp"
#include "validate/lint_security.hpp"
#include "validate/lint_steps.hpp"

namespace forgeline::validate {

std::vector<Finding> lint_workflow(const util::YamlDocument& doc, std::string_view text, const LintOptions& options) {
  Linter linter(doc, text, options);
  lint_keys(linter);
  lint_events(linter);
  lint_jobs(linter);
  lint_matrix(linter);
  lint_runners(linter);
  lint_steps(linter);
  lint_contexts(linter);
  lint_expressions(linter);
  lint_security(linter);
  return linter.take();
}

}  // namespace forgeline::validate
