#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace forgeline::validate {

/// The contexts and special functions an expression may use at one place of a workflow, as
/// GitHub's parser allows them (actions/languageservices, workflow-parser/src/workflow-v1.0.json:
/// the `context` list of each definition, inherited by everything below it).
struct Availability {
  std::vector<std::string_view> contexts;  // lowercase names: github, inputs, vars, ...
  bool status_functions = false;           // success(), failure(), cancelled(), always()
  bool status_arguments = false;           // success()/failure() take job names (a job's if)
  bool hash_files = false;                 // hashFiles(...)
};

/// What is available at the value `pointer` names; no contexts at all where GitHub evaluates
/// no expression (there the schema rejects `${{`).
Availability availability_at(std::string_view pointer);

/// Every context GitHub knows, lowercase, sorted.
const std::vector<std::string_view>& context_names();

}  // namespace forgeline::validate
