#pragma once

#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/entries.hpp"
#include "model/project.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::model {

/// A path a Dockerfile instruction reads from its build context, as the instruction wrote it.
struct ContextRead {
  std::string source;  // e.g. "src/", "*.sh", "${DIR}/x", "." (a bind mount of the whole context)
  util::Location where;
};

/// What forgeline needs of a Dockerfile it does not write: what it reads from the build
/// context (so a stage is rebuilt when those files change) and its named stages (the only
/// targets a split may use).
struct DockerfileFacts {
  std::vector<ContextRead> reads;
  std::vector<std::string> stages;  // FROM … AS <name>, lowercased, in order
};

/// Reads the sources of COPY and ADD (not those with --from, heredocs or URLs) and of
/// `RUN --mount=type=bind` without from=, and the stage names. Never fails: text that
/// Docker would reject yields fewer reads, and the build itself reports it.
DockerfileFacts scan_dockerfile(std::string_view text, const std::string& file);

/// A context read as a repository path the workflows can name: `source` resolved in
/// `context` and kept inside it, as Docker does, then widened to its folder where it holds
/// a glob, a variable or a character that a path filter or a shell word could misread.
/// Widening only ever covers more files, so a change is never missed. "." is the root.
std::string repository_path(const std::string& context, const std::string& source);

/// A repository file as forgeline read it.
struct SourceFile {
  std::string shown;  // the path as messages show it, e.g. "examples/arm64-qt/docker/Dockerfile"
  std::string text;
};

/// Reads a repository-relative path: the file, or a message saying why it cannot be read.
using FileReader = std::function<std::expected<SourceFile, std::string>(const std::string& path)>;

/// Fills in each stage's inputs and targets from its Dockerfile, read with `read`. An
/// unreadable Dockerfile, or a split target it does not define, is an error at the matrix.
/// Families other than stage chains read nothing.
util::Diagnostics read_dockerfiles(Project& project, const FileReader& read);

/// One "dockerfile" entry per stage Dockerfile, digesting what the generated files take from
/// it, so `check` can name the Dockerfile whose change made them stale.
std::vector<matrix::Entry> dockerfile_entries(const Project& project);

}  // namespace forgeline::model
