#pragma once

#include <map>
#include <optional>
#include <string>

#include "util/diagnostic.hpp"

namespace forgeline::matrix {

/// The user's forgeline.lock: actions at a major version pinned to full commit SHAs,
/// e.g. `actions/checkout@v7: 11bd71901bbe5b1630ceea73d27597364c9af683`.
struct Lock {
  std::string path;
  std::map<std::string, std::string> pins;  // "actions/checkout@v7" -> sha
};

/// Reads a lock file; keys must be `owner/repo@vN` and values 40 hex digits.
util::Result<Lock> load_lock(const std::string& path);

}  // namespace forgeline::matrix
