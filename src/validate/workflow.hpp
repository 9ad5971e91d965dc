#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "util/diagnostic.hpp"
#include "util/yaml_limits.hpp"
#include "validate/rules.hpp"

namespace forgeline::validate {

struct CheckOptions {
  /// The folder the workflow file lives in, to resolve local reusable calls
  /// (`./.github/workflows/X.yml` is `folder/X.yml`). Without it they are not resolved.
  std::optional<std::filesystem::path> folder;
  /// Which rules run; the default is every rule that is on by default.
  RuleSettings rules;
  /// What the YAML reader accepts: the hostile-input limits for files from anyone; forgeline's
  /// own output, rendered from a matrix that passed them, may be larger (`own_output`).
  util::YamlLimits yaml;
};

/// Limits for checking what forgeline just rendered: a matrix within the input limits can
/// produce more (10,000 architectures make a `run:` script over 256 KiB), and the text is
/// forgeline's, so only the memory bounds remain.
util::YamlLimits own_output_limits();

/// Every check forgeline runs on a workflow file: YAML syntax, the bundled workflow schema,
/// then the lints, which also read whatever parts of a document the schema rejected are
/// well-formed. Each finding carries its rule and the rule's severity, and reads
/// `<json-pointer>: <message>`; `# forgeline-ignore:` comments in the text apply. `file`
/// names the file in findings. Sorted.
util::Diagnostics check_workflow(std::string_view text, const std::string& file, const CheckOptions& options = {});

}  // namespace forgeline::validate
