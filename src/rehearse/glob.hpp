#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace forgeline::rehearse {

/// Whether a branch name or file path matches one pattern of a workflow's `branches:` or
/// `paths:` filter, in GitHub's filter syntax (docs.github.com, "Workflow syntax for GitHub
/// Actions", filter pattern cheat sheet): `*` any characters but `/`, `**` any characters,
/// `?` zero or one and `+` one or more of the preceding character, `[a-z0-9]` one listed
/// character. The whole name must match.
bool filter_match(std::string_view pattern, std::string_view name);

/// Whether a list of filter patterns selects the name: patterns apply in order, a leading
/// `!` removes what the patterns before it selected.
bool filter_selects(const std::vector<std::string>& patterns, std::string_view name);

/// Whether a relative path matches an @actions/glob pattern (upload-artifact's `path:`):
/// `*` and `?` within one path segment, `**` any number of segments, `[...]` a class.
bool glob_match(std::string_view pattern, std::string_view path);

/// The files upload-artifact's `path:` lines select: each line a pattern, a file or a folder
/// (all files under it), relative lines resolved against `base`, `!` lines excluding.
/// Absolute paths, sorted.
std::vector<std::filesystem::path> glob_files(const std::filesystem::path& base, const std::vector<std::string>& patterns);

/// The folder upload-artifact roots an artifact at, so that files keep their paths below it
/// (actions/upload-artifact src/shared/search.ts, findFilesToUpload): each include pattern's
/// search path (its literal folders before the first wildcard, or all of it), without
/// duplicates and paths below another; with several, their longest common ancestor; with one
/// that is the only file found, that file's folder; else that search path.
std::filesystem::path upload_root(const std::filesystem::path& base, const std::vector<std::string>& patterns,
                                  const std::vector<std::filesystem::path>& files);

}  // namespace forgeline::rehearse
