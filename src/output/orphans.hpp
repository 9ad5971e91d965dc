#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "output/generated.hpp"

namespace forgeline::output {

/// A file forgeline wrote earlier that no current plan produces.
struct Orphan {
  std::filesystem::path path;
  std::string matrix_path;
  State state = State::generated;  // edited when its body no longer matches its digest
};

/// Looks in the folders the current outputs live in for files whose header names one of
/// `matrices` (or a matrix file that no longer exists) but which are not in `produced`.
/// Only files with forgeline's header are candidates, so the user's own files never are;
/// nor are forgeline's own temporary files, which killed runs may leave (util::files).
std::vector<Orphan> find_orphans(const std::set<std::filesystem::path>& produced,
                                 const std::set<std::string>& matrices);

}  // namespace forgeline::output
