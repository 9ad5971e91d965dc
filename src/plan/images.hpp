#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/project.hpp"

namespace forgeline::plan {

/// Shell lines that compute an image name in a step and write it to $GITHUB_OUTPUT as
/// `name`, lowercasing the ${owner}/${repo} parts (registries reject uppercase).
std::vector<std::string> image_name_script(const model::Image& image);

/// `username`/`password` expressions for docker/login-action: the workflow token for
/// ghcr.io, REGISTRY_USERNAME/REGISTRY_PASSWORD secrets elsewhere.
nlohmann::json registry_login(const model::Image& image);

/// The layered buildx caches of one image variant: a gha scope (per branch first when
/// asked, then the variant's shared one) and a registry cache ref that differs from the
/// image's own tags.
struct CacheLayers {
  std::vector<std::string> from;
  std::vector<std::string> to;
};

struct CacheSpec {
  std::string scope;          // unique per image variant, e.g. "tollgate-wrt-builder-mips_24kc"
  std::string image_expr;     // expression for the image name, e.g. "${{ steps.image.outputs.name }}"
  std::string cache_tag;      // registry tag holding the cache, e.g. "buildcache-mips_24kc"
  bool per_branch = false;    // add a ${{ github.ref_name }} scope in front of the shared one
};

CacheLayers cache_layers(const CacheSpec& spec);

/// Docker tags allow [A-Za-z0-9_.-]; anything else becomes '-'.
std::string tag_safe(std::string_view s);

}  // namespace forgeline::plan
