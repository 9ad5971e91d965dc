#pragma once

#include <span>
#include <string_view>

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules `permissions`, `untrusted-input` and `credentials`.
void lint_security(Linter& linter);

/// A context path whose text an attacker can choose (by opening an issue, naming a branch,
/// writing a commit message, ...), with where GitHub says so.
struct UntrustedContext {
  std::string_view path;  // `*` matches any one property or index
  std::string_view source;
};

/// The one table of untrusted contexts.
std::span<const UntrustedContext> untrusted_contexts();

}  // namespace forgeline::validate
