#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/project.hpp"
#include "plan/plan.hpp"

namespace forgeline::plan {

/// The image as a shell word that lowercases its ${owner}/${repo} parts, read from the shell
/// variables `owner` and `repo`: "ghcr.io/${owner,,}/${repo,,}/builder".
std::string image_path_shell(const model::Image& image);

/// Shell lines that compute an image name in a step and write it to $GITHUB_OUTPUT as
/// `name`, lowercasing the ${owner}/${repo} parts (registries reject uppercase).
std::vector<std::string> image_name_script(const model::Image& image);

/// `username`/`password` expressions for docker/login-action: the workflow token for
/// ghcr.io, REGISTRY_USERNAME/REGISTRY_PASSWORD secrets elsewhere, and `secrets_comment`, the
/// header line (partial registry-secrets) telling the maintainer to add those secrets.
nlohmann::json registry_login(const model::Image& image);

/// The gha cache scope of one image variant: "<image_key>-<variant>", or the key alone.
/// `image_key` names the image among all of a repository's (an OpenWrt package's builder,
/// a Rust builder), `variant` the architecture or axis value, so that no two images or
/// variants write the same scope.
std::string cache_scope(std::string_view image_key, std::string_view variant = {});

/// Registry tag that holds one variant's cache: "buildcache" or "buildcache-<variant>".
std::string cache_tag(std::string_view variant = {});

/// The sibling package that holds the registry cache of an image tagged per branch:
/// "<image>-cache" (a sibling, not "<image>/cache": Docker Hub allows only two levels).
std::string cache_package(std::string_view image);

/// The layered buildx caches of one image variant: a gha scope (per branch first when
/// asked, then the variant's shared one) and a registry cache ref that differs from the
/// image's own tags; every export is mode=max so intermediate stages are cached too.
struct CacheLayers {
  std::vector<std::string> from;
  std::vector<std::string> to;
  std::vector<std::string> scopes;  // the gha scopes, in `from` order
  std::string registry_ref;         // image:tag of the registry cache
};

struct CacheSpec {
  std::string scope;          // from cache_scope(), e.g. "tollgate-wrt-builder-mips_24kc"
  std::string image_expr;     // the image name, e.g. "${{ steps.image.outputs.name }}"
  std::string cache_tag;      // from cache_tag(), e.g. "buildcache-mips_24kc"
  /// The image is built and tagged per branch: a ${{ github.ref_name }} scope comes in
  /// front of the shared one, and the registry cache moves to cache_package(image_expr),
  /// because a branch-named tag (a branch called "buildcache") could equal the cache tag.
  bool per_branch = false;
  /// How the file names the branch in the per-branch scope: a workflow's GitHub expression,
  /// or a Docker Bake variable in the bake file written from the same plan.
  std::string ref_name = "${{ github.ref_name }}";
};

CacheLayers cache_layers(const CacheSpec& spec);

/// The image as the matrix names it, "ghcr.io/${owner}/${repo}/builder": how plans list
/// image and cache refs for checks (the workflows lowercase ${owner}/${repo} at run time).
std::string matrix_name(const model::Image& image);

/// Adds one variant's concrete caches (scopes and registry ref) to the plan's lists.
void record_caches(Plan& plan, const CacheLayers& concrete);

/// A way the caches of some plans could overwrite each other or an image, told against the
/// matrix that brings it in (the later of two, in plan order).
struct CacheConflict {
  std::string matrix_path;
  std::string message;
  bool image = false;  // the matrix's image repository is what clashes (else its names)
};

/// Every way the caches of these plans could overwrite each other or an image: a gha scope
/// or registry cache ref used twice, a cache ref that is also a pushed image, or a registry
/// cache in a repository that also gets tags from run-time values. Empty when there is none.
std::vector<CacheConflict> cache_conflicts(const std::vector<Plan>& plans);

/// Docker tags allow [A-Za-z0-9_.-]; anything else becomes '-'.
std::string tag_safe(std::string_view s);
/// tag_safe() for a run-time value: the bash pattern of the characters a Docker tag may not
/// hold, for ${VAR//pattern/-}.
inline constexpr std::string_view not_tag_safe = "[^A-Za-z0-9_.-]";

}  // namespace forgeline::plan
