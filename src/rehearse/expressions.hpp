#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "expr/evaluate.hpp"
#include "rehearse/workflow.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::rehearse {

/// A workflow value with every `${{ }}` evaluated (mappings and lists value by value), or
/// the first error, at its line and column in the workflow file.
std::expected<nlohmann::json, util::Diagnostic> evaluate_value(const Workflow& workflow, const std::string& pointer,
                                                               const nlohmann::json& value, const expr::Scope& scope);

/// A value evaluated and then read as a string, as GitHub passes action inputs and `env:`.
std::expected<std::string, util::Diagnostic> evaluate_string(const Workflow& workflow, const std::string& pointer,
                                                             const nlohmann::json& value, const expr::Scope& scope);

/// An `if:` condition (empty: true, i.e. `success()`), with GitHub's implicit `success()`.
std::expected<bool, util::Diagnostic> evaluate_condition(const Workflow& workflow, const std::string& pointer,
                                                         std::string_view condition, const expr::Scope& scope);

/// Every syntax error in the `${{ }}` of a value and its nested values, and in `if:`
/// conditions (pointers ending in /if): checked before anything runs.
util::Diagnostics check_expressions(const Workflow& workflow, const std::string& pointer, const nlohmann::json& value);

}  // namespace forgeline::rehearse
