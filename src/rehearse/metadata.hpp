#pragma once

#include <expected>
#include <string>
#include <vector>

namespace forgeline::rehearse {

/// The facts docker/metadata-action reads from the run.
struct MetadataContext {
  std::string event;           // push, pull_request, workflow_dispatch
  std::string branch;          // the pushed or dispatched branch; a pull request's head branch
  std::string sha;             // github.sha
  std::string default_branch;  // for {{is_default_branch}}
  std::string repository;      // owner/name
  std::string created;         // the created label's time
  int pull_request = 0;
};

/// Tags and labels as docker/metadata-action makes them.
struct Metadata {
  std::vector<std::string> tags;    // image:tag for every image, highest priority first
  std::vector<std::string> labels;  // org.opencontainers.image.*=…
  std::string version;              // the highest priority tag
};

/// docker/metadata-action's `tags:` rules for one run (github.com/docker/metadata-action,
/// README "tags input"): `type=ref,event=branch|pr`, `type=sha` (`sha-` and 7 digits),
/// `type=raw,value=…`, each with `enable=`, `prefix=`, `suffix=`, `priority=`; the
/// `{{branch}}`, `{{sha}}` and `{{is_default_branch}}` expressions. Tags are sorted by
/// priority (raw 200, sha 100, ref 600 unless given) and made safe for a registry
/// (characters other than letters, digits, `.`, `_` and `-` become `-`). An error names a
/// rule the rehearsal does not know (semver, pep440, match, schedule, edge).
std::expected<Metadata, std::string> docker_metadata(const std::vector<std::string>& images,
                                                     const std::vector<std::string>& rules,
                                                     const MetadataContext& context);

}  // namespace forgeline::rehearse
