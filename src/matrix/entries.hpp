#pragma once

#include <string>
#include <vector>

#include "matrix/load.hpp"

namespace forgeline::matrix {

/// A named entry of a matrix (an architecture, a stage, a Qt version, a tool) with a short
/// digest of its content, so `check` can say which entry a stale file comes from.
struct Entry {
  std::string kind;    // "architecture", "stage", "qt", "tool", "crate", or "settings" for everything else
  std::string name;
  std::string digest;  // first 8 hex digits of the entry's canonical JSON
  util::Location where;
};

/// Every entry of a matrix, in document order, followed by one "settings" entry that covers
/// all keys outside the entry lists.
std::vector<Entry> entries(const Matrix& m);

/// Compact form for a file header: "architecture/mips_24kc@1a2b3c4d settings@…".
std::string encode(const std::vector<Entry>& entries);
std::vector<Entry> decode(const std::string& text);

/// What changed between the entries a file was generated from and the current ones, in
/// the maintainer's terms: "architecture 'x' added (matrices/m.yaml:9:5)", "stage 'qt'
/// changed", "settings changed". Empty when they are the same.
std::vector<std::string> describe_changes(const std::vector<Entry>& before, const std::vector<Entry>& now);

}  // namespace forgeline::matrix
