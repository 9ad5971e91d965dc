#pragma once

#include <string>
#include <string_view>

#include "util/diagnostic.hpp"

namespace forgeline::validate {

/// Every check forgeline runs on a workflow file: YAML syntax, the bundled workflow
/// schema, then the lints. `file` names the file in diagnostics.
util::Diagnostics check_workflow(std::string_view text, const std::string& file);

}  // namespace forgeline::validate
