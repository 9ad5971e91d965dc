#pragma once

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules `duplicate-key` (keys of one mapping that differ only in case, which GitHub's reader
/// rejects as defined twice) and `env-name` (environment variable names no process can have).
void lint_keys(Linter& linter);

}  // namespace forgeline::validate
