#pragma once

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules on the `${{ }}` expressions of a workflow, read with expr::parse:
/// - `expression`: GitHub cannot parse it, or it calls a function GitHub does not have (or
///   with the wrong number of arguments);
/// - `context-availability`: a context or function GitHub does not provide in that key;
/// - `fromjson`: fromJSON of a constant that is not JSON;
/// - `expression-type`: comparisons that are always false because a side is an object or
///   array, an object or array written into a string, a property of a string or number;
/// - `if-always-true`: an `if:` whose `${{ }}` has text around it, a non-empty string.
void lint_expressions(Linter& linter);

}  // namespace forgeline::validate
