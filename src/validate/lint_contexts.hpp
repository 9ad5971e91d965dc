#pragma once

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules `matrix-context`, `needs-context` and `steps-context`: what `matrix.X`, `needs.J…`
/// and `steps.S…` read must exist where they are read (else GitHub reads an empty value).
void lint_contexts(Linter& linter);

}  // namespace forgeline::validate
