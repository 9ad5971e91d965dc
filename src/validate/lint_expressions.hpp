#pragma once

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rule `if-always-true`: an `if:` whose `${{ }}` has text around it is a string that is
/// never empty, so the condition always holds.
void lint_expressions(Linter& linter);

}  // namespace forgeline::validate
