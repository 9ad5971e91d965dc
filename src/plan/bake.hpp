#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace forgeline::plan {

/// A Docker Bake variable: a value the workflows know only when they run, which
/// `docker buildx bake` takes from the environment variable of the same name, else the default
/// (docker/buildx docs/bake-reference.md, "Use environment variable as default").
struct BakeVariable {
  std::string name;
  std::string default_value;
  std::string about;  // the comment above it
};

/// One axis of a bake target's matrix. Each value becomes an object with the value itself
/// (`value`), its form in image tags and cache names (`tag`, as plan::tag_safe makes it) and in
/// target names (`id`), so the bake file spells every name with plain interpolation.
struct BakeAxis {
  std::string key;  // the matrix key, the axis name
  std::vector<std::string> values;
};

/// One target of a bake file. Strings are HCL string contents: `${NAME}` interpolates a
/// variable or matrix value (the schema keeps quotes, backslashes and `$` out of every literal).
struct BakeTarget {
  std::string block;               // the target block's label
  std::string name;                // with axes: the name of each matrix target, e.g. "qt-${qt.id}"
  std::vector<std::string> about;  // comment lines above the block
  std::vector<BakeAxis> axes;
  std::vector<std::string> inherits;
  std::string context;     // empty: none (an inherited-only target)
  std::string dockerfile;  // relative to the context, as bake reads it (bake_dockerfile)
  std::string target;      // the Dockerfile stage to stop at; empty: its last
  std::string platform;
  std::vector<std::pair<std::string, std::string>> args;
  std::vector<std::pair<std::string, std::string>> contexts;
  std::vector<std::string> tags;
  std::vector<std::string> cache_from;
  std::vector<std::string> cache_to;
};

/// A target name made of `s`: every character a bake target name may not hold becomes '_'
/// (docker/buildx bake/bake.go: target names match [a-zA-Z0-9_-]+).
std::string bake_name_safe(std::string_view s);

/// The `dockerfile` of a bake target whose repository-relative Dockerfile is `dockerfile` and
/// context `context`: bake joins a relative Dockerfile path to the context (docker/buildx
/// bake/bake.go, toBuildOpt), while docker/build-push-action's `file` is relative to the checkout.
std::string bake_dockerfile(const std::string& dockerfile, const std::string& context);

/// The values of templates/partials/docker-bake.mustache: comment lines, the variables, the
/// targets of the `default` group (what `docker buildx bake` builds without a target), the targets.
nlohmann::json bake_values(const std::vector<std::string>& about, const std::vector<BakeVariable>& variables,
                           const std::vector<std::string>& group, const std::vector<BakeTarget>& targets);

}  // namespace forgeline::plan
