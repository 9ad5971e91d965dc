#pragma once

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules `matrix-context`, `needs-context`, `steps-context`, `inputs-context` and
/// `jobs-context`: what `matrix.X`, `needs.J…`, `steps.S…`, `inputs.I` and (in a reusable
/// workflow's outputs) `jobs.J…` read must exist where they are read, names compared ignoring
/// case as GitHub does (else GitHub reads an empty value).
void lint_contexts(Linter& linter);

}  // namespace forgeline::validate
