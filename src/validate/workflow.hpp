#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "util/diagnostic.hpp"
#include "validate/rules.hpp"

namespace forgeline::validate {

struct CheckOptions {
  /// The folder the workflow file lives in, to resolve local reusable calls
  /// (`./.github/workflows/X.yml` is `folder/X.yml`). Without it they are not resolved.
  std::optional<std::filesystem::path> folder;
  /// Which rules run; the default is every rule that is on by default.
  RuleSettings rules;
};

/// Every check forgeline runs on a workflow file: YAML syntax, the bundled workflow schema,
/// then the lints, which also read whatever parts of a document the schema rejected are
/// well-formed. Each finding carries its rule and the rule's severity, and reads
/// `<json-pointer>: <message>`; `# forgeline-ignore:` comments in the text apply. `file`
/// names the file in findings. Sorted.
util::Diagnostics check_workflow(std::string_view text, const std::string& file, const CheckOptions& options = {});

}  // namespace forgeline::validate
