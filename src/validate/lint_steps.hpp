#pragma once

#include <string_view>

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules `step-id`, `action-ref`, `action-pin`, `outdated-action`, `shell`,
/// `disabled-command` and `deprecated-command`: what each step names and runs.
void lint_steps(Linter& linter);

/// Whether GitHub's runner knows `shell` (a built-in name in any case, or a custom command
/// with a `{0}` placeholder for the script file).
bool known_shell(std::string_view shell);

}  // namespace forgeline::validate
