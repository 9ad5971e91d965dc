#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

namespace forgeline::rehearse {

/// The repository being rehearsed, read from git once at the start: what a checkout gives
/// every job (the work tree at HEAD plus uncommitted changes) and what `github` says.
struct Source {
  std::filesystem::path root;
  std::string sha;          // HEAD
  std::string branch;       // the checked-out branch; empty when detached
  std::string commit_time;  // HEAD's committer date, ISO 8601
  std::string remote;       // owner/name from a github.com `origin`; empty otherwise
  bool dirty = false;       // uncommitted changes or untracked files
  std::vector<std::string> files;  // tracked and untracked, not ignored; relative, sorted
};

/// Reads the work tree at `root` with git. An error names what is wrong, e.g. that `root`
/// is not a git work tree.
std::expected<Source, std::string> read_source(const std::filesystem::path& root);

/// Copies the source's files (as they are in the work tree now) into `to`; files that git
/// lists but that were deleted are left out. Returns how many were copied.
std::expected<std::size_t, std::string> copy_source(const Source& source, const std::filesystem::path& to);

}  // namespace forgeline::rehearse
