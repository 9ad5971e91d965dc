#pragma once

#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "expr/parse.hpp"

namespace forgeline::expr {

/// A value of the expression language: null, boolean, number, string, array or object.
using Value = nlohmann::json;

/// What an expression can see: the contexts by name (`github`, `inputs`, `needs`, `steps`,
/// `matrix`, `env`, `secrets`, `vars`, `job`, `runner`, `strategy`, ...), the job's status
/// for the status functions, and how `hashFiles` reads files.
struct Scope {
  Value contexts = Value::object();
  /// What success()/failure()/cancelled() see: whether an earlier step (or, in a job's `if:`,
  /// a job it needs, directly or not) failed or was skipped, and whether the run was
  /// cancelled. success() needs none of the three; failure() needs a failure, so a skipped
  /// ancestor makes both false (docs.github.com, "Evaluate expressions in workflows and
  /// actions", status check functions).
  bool failed = false;
  bool skipped = false;
  bool cancelled = false;
  /// hashFiles(patterns...): the hex digest, or an error message. Unset: hashFiles is an error.
  std::function<std::expected<std::string, std::string>(const std::vector<std::string>&)> hash_files;
};

/// Evaluates a parsed expression. Errors (unknown function, wrong argument count, bad JSON in
/// fromJSON, hashFiles without a reader) carry the offset of the node that failed.
std::expected<Value, Error> evaluate(const Node& node, const Scope& scope);

/// parse() then evaluate().
std::expected<Value, Error> evaluate(std::string_view expression, const Scope& scope);

/// A string value as a workflow key gives it: a value that is exactly one `${{ }}` keeps the
/// expression's type; otherwise the literal text and every expression (as to_string) are
/// joined into a string. Offsets of errors are in `value`.
std::expected<Value, Error> interpolate(std::string_view value, const Scope& scope);

/// An `if:` condition, as GitHub evaluates it: the text may be bare or one `${{ }}`; unless it
/// calls a status function (success, failure, always, cancelled) it means `success() && (...)`.
/// The result is the truthiness of the value.
std::expected<bool, Error> condition(std::string_view text, const Scope& scope);

/// GitHub's falsy values: false, 0, -0, NaN, '' and null; everything else is truthy.
bool truthy(const Value& v);

/// GitHub's string conversion: null → '', booleans → 'true'/'false', numbers in their
/// shortest form (1, 1.5), strings as they are, arrays → 'Array', objects → 'Object'.
std::string to_string(const Value& v);

/// The number GitHub coerces a value to for comparison: null → 0, booleans → 1/0, strings
/// parsed (empty → 0, not a number → NaN), arrays and objects → NaN.
double to_number(const Value& v);

/// Loose equality as in `==`: values of one type compare by value (strings ignoring case),
/// values of different types as numbers. GitHub compares arrays and objects by instance;
/// values here are copies, so an array or object equals nothing.
bool loosely_equal(const Value& a, const Value& b);

}  // namespace forgeline::expr
