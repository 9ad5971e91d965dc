#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace forgeline::util {

/// Texts (matrices, generated workflows) this very forgeline binary has already found clean,
/// so `check` and `generate` need not validate unchanged input and output again. Like ccache, an entry is
/// keyed by the binary (path, size, modification time) and the text's SHA-256, so a rebuilt
/// forgeline or any changed byte validates afresh. Only clean results are kept, one empty
/// file per key under $XDG_CACHE_HOME/forgeline/clean.d (else ~/.cache/forgeline/clean.d),
/// in 256 folders by the key's first byte: a lookup is one stat whatever the cache holds, and
/// each folder keeps its `bucket_size` most recently used keys. FORGELINE_CACHE=off turns it
/// off, and a cache that cannot be read or written only means validating again.
class CleanCache {
 public:
  /// Keys each of the 256 folders keeps (16,384 in all, about 64 runs of every reference matrix).
  static constexpr std::size_t bucket_size = 64;

  /// The cache for the running binary, or a disabled one.
  static CleanCache for_this_binary();
  /// A cache in folder `dir` for a binary called `identity`, keeping `keep` keys per folder (tests).
  CleanCache(std::filesystem::path dir, std::string identity, std::size_t keep = bucket_size);
  CleanCache() = default;

  /// `kind` keeps a matrix and a workflow with the same bytes apart ("matrix", "workflow").
  /// A hit marks the key as recently used.
  bool contains(std::string_view kind, std::string_view text) const;
  void remember(std::string_view kind, std::string_view text);
  /// Writes what this run learnt, dropping the least recently used keys of a full folder;
  /// errors are ignored.
  void save() const;

 private:
  std::filesystem::path path_of(std::string_view kind, std::string_view text) const;
  std::filesystem::path dir_;
  std::string identity_;
  std::size_t keep_ = bucket_size;
  std::vector<std::filesystem::path> learnt_;
};

}  // namespace forgeline::util
