#pragma once

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules `needs` (unknown jobs; cycles, found in one pass over the graph) and `reusable-call`
/// (local reusable workflows: present, callable, given the inputs and secrets they declare).
void lint_jobs(Linter& linter);

/// The job ids a job's `needs` names (a string or a list; numbers and booleans read as their
/// text, as GitHub reads them; mappings name none).
std::vector<std::string> needs_of(const nlohmann::json& job);

/// The outputs a job declares; for a local reusable call, its workflow's. nullopt when unknown.
std::optional<std::vector<std::string>> outputs_of(Linter& linter, const nlohmann::json& job);

}  // namespace forgeline::validate
