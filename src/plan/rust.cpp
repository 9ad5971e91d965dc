#include "plan/rust.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plan/actions.hpp"
#include "plan/bake.hpp"
#include "plan/images.hpp"
#include "plan/runner.hpp"
#include "plan/split.hpp"
#include "util/json_object.hpp"
#include "util/strings.hpp"

namespace forgeline::plan {

namespace {

using nlohmann::json;
using model::RustTool;

constexpr const char* image_file = ".github/workflows/build-rust-image.yml";
constexpr const char* cleanup_file = ".github/workflows/cleanup-cache.yml";
constexpr const char* ci_file = ".github/workflows/rust-ci.yml";
// One folder per image: it is the build context, so the context holds only what the image needs.
constexpr const char* docker_dir = ".docker/rust-builder";
constexpr const char* dockerfile = ".docker/rust-builder/Dockerfile";
constexpr const char* cargo_config_file = ".docker/rust-builder/config.toml";
constexpr const char* rust_bake_file = ".docker/rust-builder/docker-bake.hcl";
// docker/metadata-action's bake-file output defines a target of this name with the tags and
// labels its rules give; a target that inherits it gets them when that file is passed after
// this one (https://github.com/docker/metadata-action#bake-definition).
constexpr const char* metadata_target = "docker-metadata-action";

// Debian's current stable: GCC 14 understands -fuse-ld=mold.
constexpr const char* base_image = "debian:trixie-slim";
constexpr const char* base_packages[] = {"build-essential", "ca-certificates", "curl", "git", "libssl-dev",
                                         "pkg-config"};
// Where the official rust images keep them. CI never moves RUSTUP_HOME, so it runs the
// toolchain the image installed; CARGO_HOME and SCCACHE_DIR may move to a runner's volumes,
// which are then seeded from these.
constexpr const char* cargo_home = "/usr/local/cargo";
constexpr const char* rustup_home = "/usr/local/rustup";
constexpr const char* sccache_dir = "/var/cache/sccache";
// Names what the pre-warm put into the image (its lock file and the compiler): a volume
// holding the same stamp already has that content.
constexpr const char* prewarm_stamp = "/usr/local/cargo/prewarm.stamp";
// cargo install builds here, under a cache mount, so a version bump recompiles only what changed.
constexpr const char* install_target_dir = "/var/cache/cargo-install/target";
constexpr const char* prewarm_dir = "/tmp/prewarm";

constexpr const char* mold_url =
    "https://github.com/rui314/mold/releases/download/v${version}/mold-${version}-${arch}-linux.tar.gz";
constexpr const char* sccache_url =
    "https://github.com/mozilla/sccache/releases/download/v${version}/sccache-v${version}-${arch}-unknown-linux-musl.tar.gz";

// Cold: tools compiled by cargo install and the pre-warm build; warm builds take minutes.
constexpr int image_build_minutes = 90;
constexpr int ci_minutes = 60;
constexpr int cleanup_minutes = 15;
constexpr int small_job_minutes = 5;

/// An image tag the build pushes: the docker/metadata-action rule, and the tag it gives,
/// run-time parts kept, for the plan's image_refs.
struct TagRule {
  const char* metadata;
  const char* tag;
};
constexpr TagRule tag_rules[] = {
    {"type=ref,event=branch", "${{ github.ref_name }}"},
    {"type=sha", "sha-${{ github.sha }}"},
    {"type=raw,value=latest,enable={{is_default_branch}}", "latest"},
};
// CI uses the image of the default branch: feature branches may not have built their own.
constexpr const char* ci_tag = "latest";

std::string arch_of(const std::string& platform) { return platform == "linux/arm64" ? "aarch64" : "x86_64"; }

int clamp_to_runner(int minutes, const model::Runner& runner) { return std::min(minutes, runner.job_limit_minutes); }

json tool_values(const RustTool& tool, const std::string& platform) {
  const std::string arg = version_arg(tool.name);
  json values = util::object({{"name", tool.name},
                              {"bin", tool.bin},
                              {"arg", arg},
                              {"version", tool.version},
                              {"spec", fmt::format("{}@${{{}}}", tool.name, arg)}});
  if (tool.install == RustTool::Install::prebuilt) values["url"] = download_url(tool, platform);
  return values;
}

/// The tools of one install method, in matrix order, as the Dockerfile lists them.
json tools_installed_by(const model::RustBuilder& b, RustTool::Install method) {
  json out = json::array();
  if (method == RustTool::Install::prebuilt && !b.sccache.empty())
    out.push_back(tool_values({"sccache", b.sccache, method, sccache_url, "sccache", {}}, b.platform));
  for (const auto& t : b.tools)
    if (t.install == method) out.push_back(tool_values(t, b.platform));
  return out;
}

std::string component_args(const model::RustBuilder& b) {
  return b.components.empty() ? "" : fmt::format(" --component {}", util::join(b.components, ","));
}

/// `cargo add` arguments for the pre-warm crate: every crate with its requirement, then the
/// features as crate/feature.
std::string prewarm_add_args(const model::RustBuilder& b) {
  std::vector<std::string> crates, features;
  for (const auto& c : b.prewarm) {
    crates.push_back(fmt::format("{}@{}", c.name, c.version));
    for (const auto& f : c.features) features.push_back(fmt::format("{}/{}", c.name, f));
  }
  std::string args = util::join(crates, " ");
  if (!features.empty()) args += " --features " + util::join(features, ",");
  return args;
}

/// What the pre-warm runs after creating its crate. Without sccache nothing outside the
/// throwaway target/ would keep compiled objects, so it only downloads the sources; with
/// it, stopping the server makes sure every object is written before the layer is. Last,
/// the stamp CI compares to know whether a volume already has this pre-warm.
std::vector<std::string> prewarm_commands(const model::RustBuilder& b) {
  const std::string manifest = fmt::format("--manifest-path {}/Cargo.toml", prewarm_dir);
  std::vector<std::string> out = {fmt::format("cargo add {} {}", manifest, prewarm_add_args(b))};
  if (b.sccache.empty()) {
    out.push_back(fmt::format("cargo fetch {}", manifest));
  } else {
    out.push_back(fmt::format("cargo build {}", manifest));
    out.push_back("sccache --stop-server");
  }
  out.push_back(fmt::format("{{ rustc -vV && cat {}/Cargo.lock; }} > {}", prewarm_dir, prewarm_stamp));
  return out;
}

bool has_cargo_config(const model::RustBuilder& b) { return !b.mold.empty() || !b.sccache.empty(); }

json dockerfile_values(const model::RustBuilder& b, const std::string& matrix_path) {
  std::vector<std::string> packages(std::begin(base_packages), std::end(base_packages));
  for (const auto& p : b.packages)
    if (std::find(packages.begin(), packages.end(), p) == packages.end()) packages.push_back(p);
  const bool sccache = !b.sccache.empty();
  return util::object(
      {{"source", matrix_path},
       {"base_image", base_image},
       {"packages", util::join(packages, " ")},
       {"cargo_home", cargo_home},
       {"rustup_home", rustup_home},
       {"toolchain", b.toolchain},
       {"rustup_args",
        fmt::format("-y --no-modify-path --profile minimal --default-toolchain \"${{RUST_TOOLCHAIN}}\"{}",
                    component_args(b))},
       {"mold", !b.mold.empty()},
       {"mold_version", b.mold},
       {"mold_url", util::replace_all(util::replace_all(mold_url, "${version}", "${MOLD_VERSION}"), "${arch}",
                                      arch_of(b.platform))},
       {"sccache", sccache},
       {"sccache_dir", sccache_dir},
       // Downloads first (seconds each), then cargo install, then cargo binstall, which
       // needs cargo-binstall from either; sccache is a download with its known URL.
       {"downloads", tools_installed_by(b, RustTool::Install::prebuilt)},
       {"cargo_installs", tools_installed_by(b, RustTool::Install::cargo)},
       {"binstalls", tools_installed_by(b, RustTool::Install::binstall)},
       {"install_target_dir", install_target_dir},
       {"cargo_config", has_cargo_config(b)},
       {"prewarm", !b.prewarm.empty()},
       {"prewarm_dir", prewarm_dir},
       {"prewarm_build", sccache},
       {"prewarm_commands", prewarm_commands(b)}});
}

/// Environment, volumes and steps of the CI job. Without volumes the job uses the image's
/// directories as they are. A self-hosted runner's volumes become CARGO_HOME and
/// SCCACHE_DIR so downloads and compiled objects persist between jobs; each is seeded with
/// the image's pre-warmed registry or compiler cache once per image (files already in the
/// volume are kept: crate sources and cache objects are named by their content). The
/// toolchain is never moved: RUSTUP_HOME stays the image's, so CI runs what `rust` pinned.
json ci_values(const model::RustBuilder& b) {
  json env = json::array(), volumes = json::array(), seeds = json::array();
  // `image_dir` is what the image pre-warmed, copied into `in_volume` when `prewarmed`.
  auto add = [&](const std::string& path, const char* variable, const std::string& image_dir,
                 const std::string& in_volume, bool prewarmed) {
    if (path.empty()) return;
    env.push_back(util::object({{"name", variable}, {"value", path}}));
    volumes.push_back(fmt::format("{}:{}", path, path));
    if (prewarmed)
      seeds.push_back(util::object({{"stamp", prewarm_stamp},
                                    {"volume_stamp", fmt::format("${}/prewarm.stamp", variable)},
                                    {"from", image_dir},
                                    {"to", in_volume}}));
  };
  add(b.volumes.cargo, "CARGO_HOME", fmt::format("{}/registry", cargo_home), "$CARGO_HOME/registry",
      !b.prewarm.empty());
  // Only a pre-warm built through sccache leaves compiled objects in the image.
  add(b.volumes.sccache, "SCCACHE_DIR", sccache_dir, "$SCCACHE_DIR", !b.prewarm.empty() && !b.sccache.empty());
  // Also set where the image's config.toml is not read (CARGO_HOME moved to a volume).
  if (!b.sccache.empty()) env.push_back(util::object({{"name", "RUSTC_WRAPPER"}, {"value", "sccache"}}));
  const bool nextest = std::any_of(b.tools.begin(), b.tools.end(), [](const RustTool& t) { return t.name == "cargo-nextest"; });
  return util::object({{"env", env},
                       {"has_env", !env.empty()},
                       {"volumes", volumes},
                       {"has_volumes", !volumes.empty()},
                       {"seeds", seeds},
                       {"has_seeds", !seeds.empty()},
                       // cargo reads $CARGO_HOME/config.toml: a moved CARGO_HOME needs the image's copy.
                       {"copy_cargo_config", !b.volumes.cargo.empty() && has_cargo_config(b)},
                       {"image_cargo_config", fmt::format("{}/config.toml", cargo_home)},
                       {"test_command", nextest ? "cargo nextest run --locked" : "cargo test --locked"},
                       {"sccache", !b.sccache.empty()}});
}

// How BuildKit's gha cache names its entries (moby/buildkit cache/remotecache/gha/gha.go):
// layer blobs "buildkit-blob-1-<digest>", shared by every scope and image of a repository,
// and one index per scope and ref, "index-<scope>-1-<ref hash>", which the exporter saves
// through go-actions-cache's SaveMutable as "<key>#1", "<key>#2", …: a restore by the
// prefix "<key>#" finds only the newest, so the older ones are dead. The exporter skips a
// blob that is already listed without reading or touching it (Finalize and the keyMap
// from AllKeys), so a blob a live index names may look unused for any length of time.
constexpr const char* gha_index_prefix = "index-";
constexpr const char* gha_blob_prefix = "buildkit-blob-";

/// The jq program (for `gh cache list --json id,key,ref,createdAt,lastAccessedAt,sizeInBytes
/// --jq`) that picks which buildx cache entries to delete. First line "listed <n>", then
/// "<id> <bytes> <key>" per entry, the indexes before the blobs. It reads env.PREFIX (this
/// image's index keys), env.BEFORE (the cutoff) and env.DEFAULT_REF.
///
/// Indexes of this image go when unused since the cutoff or superseded. A blob goes only
/// when it is also unused since the cutoff (so a build still writing its index keeps it)
/// and no index that could name it is left, of any image: an index names blobs of its own
/// ref and of the refs it may restore from, which GitHub limits to the default branch and,
/// for pull requests, their base branch ("Restrictions for accessing a cache",
/// https://docs.github.com/en/actions/reference/workflows-and-actions/dependency-caching).
/// The listing does not say which base a run had, so a blob of any other branch stays while
/// any index outside the default branch remains; one of the default branch while any index
/// remains at all.
std::vector<std::string> gha_selection_program() {
  return {
      "\"listed \\(length)\",",
      fmt::format("(map(select(.key | startswith(\"{}\"))) as $indexes", gha_index_prefix),
      fmt::format(" | map(select(.key | startswith(\"{}\"))) as $blobs", gha_blob_prefix),
      " | [$indexes[] | . as $i | select(.key | startswith(env.PREFIX))",
      "    | select(.lastAccessedAt < env.BEFORE",
      "             or any($indexes[]; .ref == $i.ref and (.key | split(\"#\")[0]) == ($i.key | split(\"#\")[0])",
      "                                and .createdAt > $i.createdAt))] as $stale",
      " | [$indexes[] | . as $i | select(any($stale[]; .id == $i.id) | not)] as $live",
      " | [$blobs[] | . as $b | select(.lastAccessedAt < env.BEFORE)",
      "    | select(any($live[]; .ref == $b.ref or $b.ref == env.DEFAULT_REF",
      "                          or (($b.ref | startswith(\"refs/heads/\")) and .ref != env.DEFAULT_REF)) | not)]",
      "   as $unreferenced",
      " | ($stale + $unreferenced)[] | \"\\(.id) \\(.sizeInBytes) \\(.key)\")",
  };
}

}  // namespace

std::string version_arg(std::string_view tool) {
  std::string out;
  for (char c : tool) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out + "_VERSION";
}

std::string host_triple(const std::string& platform) { return arch_of(platform) + "-unknown-linux-gnu"; }

std::string download_url(const RustTool& tool, const std::string& platform) {
  std::string url = util::replace_all(tool.url, "${version}", fmt::format("${{{}}}", version_arg(tool.name)));
  url = util::replace_all(url, "${target}", host_triple(platform));
  return util::replace_all(url, "${arch}", arch_of(platform));
}

/// The image as a Docker Bake file: one target with the context, Dockerfile and cache layers of
/// build-rust-image.yml (the same CacheSpec, its names spelled with bake variables), its tags
/// and labels from the workflow's docker/metadata-action rules through the metadata target.
json bake_file_values(const model::RustBuilder& b, const std::string& image_key, const CacheSpec& spec) {
  const CacheLayers cache = cache_layers(CacheSpec{spec.scope, "${IMAGE}", spec.cache_tag, true, "${REF_NAME}"});
  std::vector<std::string> rules;
  for (const auto& rule : tag_rules) rules.push_back(rule.metadata);
  BakeTarget metadata;
  metadata.block = metadata_target;
  metadata.about = {"Tags and labels: docker/metadata-action's bake-file output, passed after this file, redefines",
                    "this target with the tags of build-rust-image.yml's rules:",
                    "  " + util::join(rules, "; "),
                    "(https://github.com/docker/metadata-action#bake-definition). On its own it tags the image :local."};
  metadata.tags = {"${IMAGE}:local"};
  BakeTarget image;
  image.block = bake_name_safe(image_key);
  image.about = {fmt::format("The image, as {} builds it.", image_file)};
  image.inherits = {metadata_target};
  image.context = docker_dir;
  image.dockerfile = bake_dockerfile(dockerfile, docker_dir);
  image.platform = b.platform;
  image.cache_from = cache.from;
  image.cache_to = cache.to;
  const std::vector<BakeVariable> variables = {
      {"IMAGE", "localhost/" + image_key, fmt::format("The image, lowercase: {} in the workflow.", matrix_name(b.image))},
      {"REF_NAME", "dev", "The branch as GitHub names it (github.ref_name), in the gha cache scope."}};
  const std::vector<std::string> about = {
      fmt::format("The Rust builder image for Docker Bake, with the cache layers of {}.", image_file),
      "Build it on this machine from the repository root, reading the registry cache and writing none:",
      fmt::format("  docker buildx bake -f {} --load --set '*.cache-to='", rust_bake_file)};
  return bake_values(about, variables, {image.block}, {metadata, image});
}

util::Result<Plan> plan_rust_builder(const model::RustBuilder& b, const std::string& matrix_path,
                                     const Options& options) {
  // No work is split here, so every job may use the whole limit: no safety margin.
  Plan plan = start_plan(matrix_path, "rust-builder",
                         Budget{b.runner.job_limit_minutes, 0, runs_on(b.runner), b.runner.self_hosted});

  const json actions = action_values(options.pins);
  const std::string runner = runs_on(b.runner);
  const std::string image_expr = "${{ steps.image.outputs.name }}";
  // The image's own name keys its caches; an image named only by ${owner}/${repo} gets
  // the family's name, as a placeholder would not survive the shell of the cleanup job.
  std::string image_key = b.image.path.substr(b.image.path.rfind('/') + 1);
  if (util::contains(image_key, "$")) image_key = "rust-builder";

  // The image is built and tagged per branch: seed 002's branch scope, shared scope and
  // registry cache, the latter in the sibling cache package.
  const CacheSpec spec{cache_scope(image_key), image_expr, cache_tag(), true};
  const CacheLayers cache = cache_layers(spec);
  record_caches(plan, cache_layers(CacheSpec{spec.scope, matrix_name(b.image), spec.cache_tag, true}));
  json tag_rule_values = json::array();
  for (const auto& rule : tag_rules) {
    tag_rule_values.push_back(rule.metadata);
    plan.image_refs.push_back(fmt::format("{}:{}", matrix_name(b.image), rule.tag));
  }

  const json common = util::object({{"source", matrix_path},
                                    {"actions", actions},
                                    {"runs_on", runner},
                                    {"image_script", image_name_script(b.image)},
                                    {"login", registry_login(b.image)},
                                    {"buildx", buildx_builder(b.runner)}});

  std::vector<std::string> trigger_paths = {dockerfile};
  if (has_cargo_config(b)) trigger_paths.push_back(cargo_config_file);
  trigger_paths.push_back(matrix_path);
  const int image_timeout = clamp_to_runner(image_build_minutes, b.runner);
  json image = common;
  util::set(image, {{"trigger_paths", trigger_paths},
                    {"context", docker_dir},
                    {"dockerfile", dockerfile},
                    {"platform", b.platform},
                    {"timeout", image_timeout},
                    {"tag_rules", tag_rule_values},
                    {"cache_from", cache.from},
                    {"cache_to", cache.to}});
  plan.files.push_back({image_file, "rust/build-rust-image.yml", image, FileKind::workflow});
  plan.jobs.push_back({"build-rust-image.yml", "build-image", {"builder image, branch/sha/latest tags"}, {},
                       image_build_minutes, image_timeout, 1, ""});

  plan.files.push_back({dockerfile, "rust/Dockerfile", dockerfile_values(b, matrix_path), FileKind::dockerfile});
  plan.files.push_back({rust_bake_file, "rust/docker-bake.hcl", bake_file_values(b, image_key, spec), FileKind::text});
  if (has_cargo_config(b))
    plan.files.push_back({cargo_config_file, "rust/config.toml",
                          util::object({{"source", matrix_path},
                                        {"sccache", !b.sccache.empty()},
                                        {"mold", !b.mold.empty()},
                                        {"host_triple", host_triple(b.platform)}}),
                          FileKind::text});

  // Cleanup: gha index entries of this image's scopes (the per-branch ones share the shared
  // scope's prefix) and the layer blobs no index left could name; untagged versions of the
  // registry cache package, which the GitHub packages API can delete only on ghcr.io.
  const int cleanup_timeout = clamp_to_runner(cleanup_minutes, b.runner);
  const bool ghcr = b.image.registry == "ghcr.io";
  json cleanup = common;
  util::set(cleanup, {{"retention_days", b.retention_days},
                      {"timeout", cleanup_timeout},
                      {"small_timeout", clamp_to_runner(small_job_minutes, b.runner)},
                      {"gha_index_prefix", fmt::format("{}{}", gha_index_prefix, spec.scope)},
                      {"gha_selection", gha_selection_program()},
                      {"registry_cleanup", ghcr},
                      {"cache_image_expr", cache_package(image_expr)}});
  plan.files.push_back({cleanup_file, "rust/cleanup-cache.yml", cleanup, FileKind::workflow});
  plan.jobs.push_back({"cleanup-cache.yml", "cutoff", {"check retention_days, compute the cutoff date"}, {}, 1,
                       clamp_to_runner(small_job_minutes, b.runner), 1, ""});
  plan.jobs.push_back({"cleanup-cache.yml", "gha-cache", {"delete gha cache entries last used before the cutoff"},
                       {"cutoff"}, 5, cleanup_timeout, 1, ""});
  if (ghcr)
    plan.jobs.push_back({"cleanup-cache.yml", "registry-cache",
                         {"delete untagged registry cache versions updated before the cutoff"}, {"cutoff"}, 5,
                         cleanup_timeout, 1, ""});

  const int ci_timeout = clamp_to_runner(ci_minutes, b.runner);
  json ci = common;
  ci.update(ci_values(b));
  util::set(
      ci,
      {{"timeout", ci_timeout}, {"name_timeout", clamp_to_runner(small_job_minutes, b.runner)}, {"image_tag", ci_tag}});
  plan.files.push_back({ci_file, "rust/rust-ci.yml", ci, FileKind::workflow});
  plan.jobs.push_back({"rust-ci.yml", "image", {"lowercase image name"}, {}, 1,
                       clamp_to_runner(small_job_minutes, b.runner), 1, ""});
  plan.jobs.push_back({"rust-ci.yml", "build", {"cargo build and test inside the image"}, {"image"}, 20, ci_timeout,
                       1, ""});
  return plan;
}

}  // namespace forgeline::plan
