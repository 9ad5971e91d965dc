#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/diagnostic.hpp"

namespace forgeline::validate {

/// Every check forgeline runs on a workflow file: YAML syntax, the bundled workflow
/// schema, then the lints (only once the schema passed, so they can trust shapes). `file`
/// names the file in diagnostics. Local reusable calls are not resolved.
util::Diagnostics check_workflow(std::string_view text, const std::string& file);

/// The same, resolving local reusable calls (`./.github/workflows/X.yml`) to `folder/X.yml`,
/// the folder the workflow file itself lives in.
util::Diagnostics check_workflow(std::string_view text, const std::string& file, const std::filesystem::path& folder);

}  // namespace forgeline::validate
