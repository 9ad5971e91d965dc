#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rehearse/images.hpp"

namespace forgeline::rehearse {

/// A Dockerfile as the local engine builds it, and each change made to get there.
struct LocalDockerfile {
  std::string text;
  std::vector<std::string> changes;  // e.g. "dropped `# syntax=docker/dockerfile:1`"
};

/// Rewrites a Dockerfile for the local engine:
/// - a leading `# syntax=` parser directive is dropped: BuildKit would pull that frontend
///   from Docker Hub, and the daemon's built-in frontend builds the same instructions;
/// - every use of a named build context given as an image (`FROM name`, `COPY --from=name`,
///   `RUN --mount=…,from=name`) names that image instead, since Docker 20.10's built-in
///   frontend has no named contexts (BuildKit resolves a context name before a stage name);
/// - image names in `FROM`, `COPY --from=` and `ARG` defaults are mapped by `images`.
LocalDockerfile localize_dockerfile(std::string_view text,
                                    const std::vector<std::pair<std::string, std::string>>& image_contexts,
                                    const ImageMap& images);

/// The stage names (`FROM … AS name`) of a Dockerfile, in order.
std::vector<std::string> dockerfile_stages(std::string_view text);

}  // namespace forgeline::rehearse
