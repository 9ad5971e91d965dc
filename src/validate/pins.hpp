#pragma once

#include <string>
#include <string_view>

#include "util/diagnostic.hpp"

namespace forgeline::validate {

/// With a lock file, every `uses:` of an action must be pinned to a full commit SHA; each
/// one that is not is reported at its line, naming the lock file to add it to.
util::Diagnostics check_pinned(std::string_view workflow_text, const std::string& file, const std::string& lock_path);

}  // namespace forgeline::validate
