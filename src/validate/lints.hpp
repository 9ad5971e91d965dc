#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "util/diagnostic.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::validate {

struct LintOptions {
  /// The folder the workflow lives in: a local reusable call `./.github/workflows/X.yml`
  /// is read from `folder/X.yml`. Without it such calls are not checked (nor their outputs).
  std::optional<std::filesystem::path> folder;
};

/// The semantic checks the schema cannot express, on a document that already passed the
/// workflow schema (so shapes are trusted). Each message is `<json-pointer>: <what is
/// wrong> [<lint-id>]`, located at the offending key or value.
///
/// Lint ids: needs, needs-context, matrix-context, steps-context, step-id, reusable-call,
/// timeout, matrix-size, untrusted-input, permissions, action-ref, choice-default.
util::Diagnostics lint_workflow(const util::YamlDocument& doc, const LintOptions& options = {});

/// How many jobs a static `strategy.matrix` mapping makes, as GitHub documents it: the
/// product of the axes, minus the combinations an `exclude` entry matches, plus each
/// `include` entry that extends no remaining combination. nullopt when an axis, `include`
/// or `exclude` is an expression. Saturates at UINT64_MAX.
std::optional<std::uint64_t> matrix_job_count(const nlohmann::json& matrix);

}  // namespace forgeline::validate
