#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>

namespace forgeline::util {

/// Texts (matrices, generated workflows) this very forgeline binary has already found clean,
/// so `check` and `generate` need not validate unchanged input and output again. Like ccache, an entry is
/// keyed by the binary (path, size, modification time) and the text's SHA-256, so a rebuilt
/// forgeline or any changed byte validates afresh. Only clean results are kept. It lives in
/// $XDG_CACHE_HOME/forgeline (else ~/.cache/forgeline); FORGELINE_CACHE=off turns it off,
/// and a cache that cannot be read or written only means validating again.
class CleanCache {
 public:
  /// The cache for the running binary, or a disabled one.
  static CleanCache for_this_binary();
  /// A cache in `file` for a binary called `identity` (tests).
  CleanCache(std::filesystem::path file, std::string identity);
  CleanCache() = default;

  /// `kind` keeps a matrix and a workflow with the same bytes apart ("matrix", "workflow").
  bool contains(std::string_view kind, std::string_view text) const;
  void remember(std::string_view kind, std::string_view text);
  /// Appends what this run learnt; errors are ignored.
  void save() const;

 private:
  std::string key(std::string_view kind, std::string_view text) const;
  std::filesystem::path file_;
  std::string identity_;
  std::set<std::string> known_, learnt_;
};

}  // namespace forgeline::util
