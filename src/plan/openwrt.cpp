#include "plan/openwrt.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/architectures.hpp"
#include "model/sdk.hpp"
#include "plan/actions.hpp"
#include "plan/images.hpp"
#include "plan/split.hpp"
#include "util/json_object.hpp"
#include "util/json_text.hpp"
#include "util/strings.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::plan {

namespace {

using nlohmann::json;

constexpr int define_matrix_minutes = 5;
/// The init-script job: apt installs shfmt (half a minute on a hosted runner), shfmt reads a few files.
constexpr int init_scripts_minutes = 10;
/// A package compile in a pre-warmed SDK, dependencies the factory did not pre-build
/// included: the build job's estimate when the matrix gives none.
constexpr int package_build_minutes = 60;
/// What the factory appends to an architecture's tag for the commit it ran for, and the
/// assembly line of the same run pulls: one string for both sides.
constexpr const char* commit_tag_shell = "-sha-$GITHUB_SHA";
constexpr const char* commit_tag_expression = "-sha-${{ github.sha }}";

std::string prefixed(const model::OpenwrtPackage& pkg, const std::string& base) {
  return pkg.name.empty() ? base : fmt::format("{}-{}", pkg.name, base);
}

/// One job of an architecture's factory chain: consecutive make targets.
struct FactoryPart {
  std::vector<std::string> targets;
  int estimate_minutes = 0;
  int timeout_minutes = 0;
  std::string note;
};

/// The factory's make targets cut into parts that each fit a job. Without factory_stages the
/// target is the Rust host toolchain with no estimate: one part, allowed the whole job limit.
util::Result<std::vector<FactoryPart>> factory_parts(const model::OpenwrtPackage& pkg, const Budget& budget) {
  if (pkg.factory_stages.empty()) {
    std::vector<std::string> targets;
    if (pkg.rust) targets.emplace_back(model::rust_host_target);
    return std::vector<FactoryPart>{{targets, 0, budget.limit_minutes, ""}};
  }
  std::vector<Work> work;
  for (std::size_t i = 0; i < pkg.factory_stages.size(); ++i) {
    const auto& stage = pkg.factory_stages[i];
    Work w;
    w.kind = "factory stage";
    w.name = stage.target;
    w.estimate_minutes = stage.estimate_minutes;
    w.pointer = util::pointer_append("/factory_stages", i);
    w.where = stage.where;
    w.remedy = "list finer make targets in factory_stages";
    work.push_back(std::move(w));
  }
  auto jobs = split_work(work, budget);
  if (!jobs) return std::unexpected(std::move(jobs.error()));
  std::vector<FactoryPart> parts;
  for (const auto& job : *jobs) {
    FactoryPart part{{}, job.estimate_minutes, job.timeout_minutes, job.note};
    for (const auto& segment : job.segments) part.targets.push_back(segment.work);
    parts.push_back(std::move(part));
  }
  return parts;
}

/// The package build's estimate and timeout: the matrix's estimate must fit a job; the
/// default one is capped at the job limit instead.
util::Result<std::pair<int, int>> package_build_time(const model::OpenwrtPackage& pkg, const Budget& budget) {
  if (pkg.build.estimate_minutes == 0) return std::pair{package_build_minutes, timeout_for(package_build_minutes, budget)};
  Work w;
  w.kind = "package build";
  w.name = pkg.build.target;
  w.estimate_minutes = pkg.build.estimate_minutes;
  w.pointer = "/build/estimate";
  w.where = pkg.build.where;
  w.remedy = "pre-build its dependencies in factory_stages";
  auto jobs = split_work({w}, budget);
  if (!jobs) return std::unexpected(std::move(jobs.error()));
  return std::pair{jobs->front().estimate_minutes, jobs->front().timeout_minutes};
}

std::string shard_note(const Shard& s, std::size_t index, std::size_t count, std::size_t total) {
  return fmt::format("shard {} of {}: architectures {}-{} of {} (a matrix runs at most {} jobs)", index + 1, count,
                     s.begin + 1, s.end, total, max_matrix_jobs);
}

/// The shell that names an architecture's image by a hash of the factory's inputs (the
/// Dockerfile, its ignore file, what it copies, the build arguments) and decides whether to
/// build it. The files exist only at run time, so the hash is computed there.
std::vector<std::string> ref_script(const std::vector<std::string>& hashed_files, bool rustup, bool snapshot) {
  std::vector<std::string> args = {"\"SDK=$SDK_IMAGE:$SDK_TAG\""};
  if (rustup) args.push_back("\"RUSTUP_TARGET=$RUSTUP_TARGET\"");
  std::vector<std::string> lines;
  if (snapshot) {
    // A snapshot image downloads the newest SDK when it is built, under a tag that never
    // changes: the SDK archive's published checksum makes a new snapshot a new image.
    lines.push_back("sdk_archive=$(curl -fsSL \"$SDK_CHECKSUMS\" | grep -E 'sdk-.*\\.Linux-x86_64\\.tar\\.(xz|zst)$')");
    args.push_back("\"SDK_ARCHIVE=$sdk_archive\"");
  }
  std::vector<std::string> rest = {
      fmt::format("branch=\"${{GITHUB_REF_NAME//{}/-}}\"", not_tag_safe),
      fmt::format("hash=$( {{ sha256sum {}; printf '%s\\n' {}; }} | sha256sum | cut -c1-16)",
                  util::join(hashed_files, " "), util::join(args, " ")),
      "{",
      "  echo \"ref=$IMAGE:$TAG-$hash\"",
      "  echo \"branch_tag=$IMAGE:$TAG-$branch\"",
      fmt::format("  echo \"sha_tag=$IMAGE:$TAG{}\"", commit_tag_shell),
      "} >> \"$GITHUB_OUTPUT\"",
      "# Built only when no image with exactly these inputs is in the registry yet.",
      "if [ \"$FORCE\" = true ] || ! docker buildx imagetools inspect \"$IMAGE:$TAG-$hash\" >/dev/null 2>&1; then",
      "  echo \"build=true\" >> \"$GITHUB_OUTPUT\"",
      "else",
      "  echo \"build=false\" >> \"$GITHUB_OUTPUT\"",
      "fi",
  };
  lines.insert(lines.end(), rest.begin(), rest.end());
  return lines;
}

json input(const std::string& name, const std::string& description, const std::string& type, bool required,
           const std::string& default_yaml = {}) {
  return util::object({{"name", name},
                       {"description", description},
                       {"type", type},
                       {"required", required},
                       {"default", default_yaml.empty() ? json(nullptr) : json(default_yaml)}});
}

// ---- The assembly line's build job: the steps gh-action-sdk's entrypoint.sh runs, as steps
// of their own, each run in the job's container or, in docker-run mode, through docker exec.

/// Where the repository's packages sit in the SDK: the folder of a src-link feed, so they
/// build as package/<name>/… and land in bin/packages/<arch>/<feed>/, apart from the SDK's
/// own. Directly under /builder, so a package's `../../` still reaches the SDK's top as it
/// does from package/<name>.
constexpr const char* feed_dir = "/builder/forgeline-feed";
/// docker-run mode: where the checkout is mounted when the repository is a feed.
constexpr const char* source_mount = "/builder/forgeline-src";
/// The source packages to build, one a line, in the SDK's top folder: written by the first
/// step (a feed's packages are known only once it is in the SDK), read by the later ones.
constexpr const char* package_list = "forgeline-packages";
constexpr const char* read_packages = "mapfile -t packages < forgeline-packages";

/// One shell step of the build job. `exec_env` names the environment variables docker exec
/// passes into the builder container in docker-run mode.
json shell_step(const std::string& name, std::vector<std::string> lines, json env = nullptr,
                json condition = nullptr, std::vector<std::string> exec_env = {}) {
  return util::object({{"name", name},
                       {"if", std::move(condition)},
                       {"env", env.is_null() ? json(nullptr) : util::object({{"list", std::move(env)}})},
                       {"exec_env", std::move(exec_env)},
                       {"lines", std::move(lines)}});
}

/// The repository into the SDK as the feed `feed_name`, its packages listed and selected.
std::vector<std::string> prepare_lines(const model::OpenwrtPackage& pkg, bool hybrid, const std::string& checkout) {
  std::vector<std::string> lines;
  if (!pkg.feed_mode && !hybrid) {
    lines = {"# A copy, not a symlink: make resolves a symlink to the checkout, where the package's",
             "# relative includes do not reach the SDK.",
             fmt::format("rm -rf {}", feed_dir),
             fmt::format("mkdir -p {}", feed_dir),
             fmt::format("cp -a \"$GITHUB_WORKSPACE/{}\" {}/{}", checkout, feed_dir, pkg.package)};
  } else if (pkg.feed_mode) {
    const std::string root = hybrid ? std::string(source_mount) : "$GITHUB_WORKSPACE/" + checkout;
    lines = {fmt::format("rm -rf {}", feed_dir),
             fmt::format("ln -s \"{}\" {}", pkg.feed_path == "." ? root : root + "/" + pkg.feed_path, feed_dir)};
  }
  const std::string link = fmt::format("src-link {} {}", pkg.feed_name, feed_dir);
  for (const auto& line :
       {std::string("# The sources belong to the runner's user; git run by package Makefiles runs as root."),
        std::string("git config --global --add safe.directory '*'"),
        fmt::format("# The repository is the SDK's feed '{}', after the feeds of the image.", pkg.feed_name),
        std::string("[ -f feeds.conf ] || cp feeds.conf.default feeds.conf"),
        fmt::format("grep -qxF '{0}' feeds.conf || echo '{0}' >> feeds.conf", link),
        fmt::format("./scripts/feeds update {}", pkg.feed_name)})
    lines.push_back(line);
  if (pkg.packages.empty()) {
    lines.push_back(fmt::format("./scripts/feeds install -p {} -f -a", pkg.feed_name));
    // The feed's index names each source package's Makefile (scripts/feeds update_index).
    lines.push_back(fmt::format("sed -n 's|^Source-Makefile: .*/\\([^/]*\\)/Makefile$|\\1|p' feeds/{}.index | sort -u > {}",
                                pkg.feed_name, package_list));
    lines.push_back(fmt::format("if [ ! -s {} ]; then echo \"::error::feed {} has no packages\"; exit 1; fi",
                                package_list, pkg.feed_name));
  } else {
    lines.push_back(fmt::format("./scripts/feeds install -p {} -f {}", pkg.feed_name, util::join(pkg.packages, " ")));
    lines.push_back(fmt::format("printf '%s\\n' {} > {}", util::join(pkg.packages, " "), package_list));
    lines.push_back(fmt::format("printf 'CONFIG_PACKAGE_%s=y\\n' {} >> .config", util::join(pkg.packages, " ")));
  }
  lines.push_back("make defconfig");
  return lines;
}

/// gh-action-sdk's hash check: download, then `check`, which only warns about bad hashes.
std::vector<std::string> hash_lines() {
  return {read_packages,
          "for pkg in \"${packages[@]}\"; do",
          "  echo \"::group::make package/$pkg/download package/$pkg/check\"",
          "  make \"package/$pkg/download\" V=s BUILD_LOG=1",
          "  make \"package/$pkg/check\" V=s BUILD_LOG=1 2>&1 | tee forgeline-check.log",
          "  echo \"::endgroup::\"",
          fmt::format("  if grep -qE '{}' forgeline-check.log; then", model::hash_problem_pattern),
          "    echo \"::error title=$pkg: source hash::make package/$pkg/check found a hash that does not match, is "
          "deprecated or is missing (its output is above): set the hash it prints in the package's Makefile\"",
          "    exit 1",
          "  fi",
          "done"};
}

/// gh-action-sdk's refresh check: the patches before and after `refresh` must be the same.
std::vector<std::string> refresh_lines() {
  return {read_packages,
          "for pkg in \"${packages[@]}\"; do",
          fmt::format("  patches=$(find -L {} -type d -path \"*/$pkg/patches\" -print -quit)", feed_dir),
          "  if [ -z \"$patches\" ]; then continue; fi",
          "  rm -rf forgeline-patches",
          "  cp -a \"$patches\" forgeline-patches",
          "  echo \"::group::make package/$pkg/refresh\"",
          "  make \"package/$pkg/refresh\" V=s BUILD_LOG=1",
          "  echo \"::endgroup::\"",
          "  if ! diff -ru forgeline-patches \"$patches\"; then",
          "    echo \"::error title=$pkg: patches::make package/$pkg/refresh changes its patches (the diff is above): "
          "run it, review the result and commit it\"",
          "    exit 1",
          "  fi",
          "  # refresh leaves the sources unpacked and patched; the compile starts clean.",
          "  make \"package/$pkg/clean\" V=s",
          "done"};
}

/// Each package the target enables (gh-action-sdk's enabled-package-subdirs: package-y and
/// package-m after defconfig, from .config and tmp/.packagedeps), compiled; one it does not
/// enable is a warning; a failed compile runs again with V=s -j1 so the log shows the error.
std::vector<std::string> compile_lines(const std::string& label) {
  return {read_packages,
          "# The package folders the configuration enables, by their last path part.",
          "printf '%s\\n' '$(info $(sort $(package-y) $(package-m)))' 'print-enabled: ;@:' > forgeline-enabled.mk",
          "make -s -f .config -f tmp/.packagedeps -f forgeline-enabled.mk print-enabled | tr ' ' '\\n' | "
          "sed 's|.*/||' > forgeline-enabled",
          "for pkg in \"${packages[@]}\"; do",
          "  if ! grep -qxF \"$pkg\" forgeline-enabled; then",
          "    echo \"::warning title=$pkg not built for $ARCH::$pkg is not enabled for $ARCH (its DEPENDS or @ "
          "conditions exclude this target), so it is not built\"",
          "    continue",
          "  fi",
          "  echo \"::group::make package/$pkg/compile\"",
          "  if ! make \"package/$pkg/compile\" -j\"$(nproc)\" BUILD_LOG=1; then",
          "    echo \"::endgroup::\"",
          "    # Without BUILD_LOG, so logs/ keeps the first build's log.",
          "    echo \"::group::make package/$pkg/compile V=s -j1 (again, one job at a time, to show the error)\"",
          "    make \"package/$pkg/compile\" V=s -j1 || true",
          "    echo \"::endgroup::\"",
          fmt::format("    echo \"::error title=$pkg failed to compile::make package/$pkg/compile failed; the serial "
                      "build above shows the error, the artifact {}-$ARCH-logs holds logs/\"",
                      label),
          "    exit 1",
          "  fi",
          "  echo \"::endgroup::\"",
          "done"};
}

/// make package/index, signed with the key in the named secret when it has one.
std::vector<std::string> index_lines(const model::OpenwrtPackage& pkg, const std::string& ext) {
  if (pkg.index_signing_secret.empty())
    return {"echo \"The package index is not signed: the matrix names no index.signing_key_secret\"",
            "make package/index V=s CONFIG_SIGNED_PACKAGES="};
  const std::string key = model::signing_key_file(ext);
  return {"if [ -n \"${SIGNING_KEY:-}\" ]; then",
          fmt::format("  trap 'rm -f {}' EXIT", key),
          fmt::format("  (umask 077 && printf '%s\\n' \"$SIGNING_KEY\" > {})", key),
          "  signed=y",
          fmt::format("  echo \"Signing the package index with the key in secret {}\"", pkg.index_signing_secret),
          "else",
          "  signed=",
          fmt::format("  echo \"::warning title=Unsigned package index::secret {} is empty (pull requests from forks get "
                      "no secrets), so the package index is not signed\"",
                      pkg.index_signing_secret),
          "fi",
          "make package/index V=s CONFIG_SIGNED_PACKAGES=\"$signed\""};
}

/// The define-matrix script: every architecture, or the one the run was started for.
std::vector<std::string> matrix_script(const json& shards) {
  std::vector<std::string> lines = {"case \"$ARCH\" in", "  all)"};
  for (const auto& s : shards) lines.push_back(fmt::format("    echo '{}={}' >> \"$GITHUB_OUTPUT\"",
                                                        s["output"].get<std::string>(), s["json"].get<std::string>()));
  lines.push_back("    ;;");
  for (const auto& s : shards)
    for (const auto& entry : s["entries"]) {
      lines.push_back(fmt::format("  {})", entry["arch"].get<std::string>()));
      lines.push_back(fmt::format("    echo '{}={}' >> \"$GITHUB_OUTPUT\"", s["output"].get<std::string>(),
                                  util::dump(util::object({{"include", json::array({entry})}}))));
      lines.push_back("    ;;");
    }
  lines.insert(lines.end(), {"  *)",
                             "    echo \"::error::this pipeline builds no architecture '$ARCH'\"",
                             "    exit 1",
                             "    ;;",
                             "esac"});
  return lines;
}

}  // namespace

util::Result<Plan> plan_openwrt(const model::OpenwrtPackage& pkg, const std::string& matrix_path,
                                const Options& options) {
  const Budget budget = budget_for(pkg.runner, pkg.safety_margin_minutes);
  Plan plan = start_plan(matrix_path, "openwrt-package", budget);

  const json actions = action_values(options.pins);
  const bool hybrid = pkg.build_mode == model::BuildMode::docker_run;
  // docker-run mode bakes the package's Makefile into the image (seed 001); a feed has no one
  // Makefile, so a feed's image holds nothing of the repository.
  const bool makefile_snapshot = hybrid && !pkg.feed_mode;
  const bool rustup = !pkg.host_rust.empty();
  const bool snapshot = model::is_snapshot(pkg.openwrt_version);
  const std::string ext = model::package_extension(pkg.openwrt_version);
  // What names the artifacts, caches and checkout: the package, or the feed.
  const std::string label = pkg.feed_mode ? pkg.feed_name : pkg.package;
  const std::string image_key = prefixed(pkg, fmt::format("{}-builder", label));
  const std::string factory_file = prefixed(pkg, "publish-builder-image.yml");
  const std::string chain_file = prefixed(pkg, "builder-image.yml");
  const std::string assembly_file = prefixed(pkg, "build-package.yml");
  const std::string docker_dir = pkg.name.empty() ? ".docker" : fmt::format(".docker/{}", pkg.name);
  const std::string dockerfile = docker_dir + "/Dockerfile";
  // BuildKit reads the ignore file named after the Dockerfile before the context's own
  // .dockerignore (docker/cli docs/reference/commandline/build.md), so the repository's
  // .dockerignore stays the user's.
  const std::string ignore_file = dockerfile + ".dockerignore";
  std::vector<std::string> hashed_files = {dockerfile, ignore_file};
  if (makefile_snapshot) hashed_files.emplace_back("Makefile");

  auto parts = factory_parts(pkg, budget);
  if (!parts) return std::unexpected(std::move(parts.error()));
  auto build_time = package_build_time(pkg, budget);
  if (!build_time) return std::unexpected(std::move(build_time.error()));
  const std::vector<Shard> shards = shard(pkg.architectures.size());
  const std::size_t n = parts->size();
  auto part_suffix = [n](std::size_t k) { return n == 1 ? std::string() : fmt::format("-part-{}", k + 1); };
  auto job_id = [n](std::size_t k) { return n == 1 ? std::string("build") : fmt::format("part-{}", k + 1); };

  // Every tag is computed here, once: the factory pushes and the assembly line pulls it.
  json include = json::array(), assembly_include = json::array();
  for (const auto& a : pkg.architectures) {
    const std::string variant = prefixed(pkg, a.arch);
    const std::string tag = tag_safe(fmt::format("{}-{}", variant, pkg.openwrt_version));
    json entry = util::object({{"arch", a.arch},
                               {"sdk_tag", fmt::format("{}-{}", a.sdk, model::sdk_tag_version(pkg.openwrt_version))},
                               {"tag", tag},
                               {"cache_scope", cache_scope(image_key, a.arch)},
                               {"cache_tag", cache_tag(variant)}});
    // rustup ships no Tier 3 std (mips, mipsel): those images get the toolchain without it.
    if (rustup) entry["rustup_target"] = model::rustup_ships(a.rust_target) ? a.rust_target : "";
    if (snapshot) entry["sdk_checksums"] = model::snapshot_checksums_url(a.sdk);
    include.push_back(std::move(entry));
    assembly_include.push_back(util::object({{"arch", a.arch}, {"tag", tag}}));
    for (std::size_t k = 0; k < n; ++k)
      record_caches(plan, cache_layers(CacheSpec{cache_scope(image_key, a.arch) + part_suffix(k), matrix_name(pkg.image),
                                                 cache_tag(variant) + part_suffix(k), true}));
    plan.image_refs.push_back(fmt::format("{}:{}-${{{{ steps.ref.outputs.hash }}}}", matrix_name(pkg.image), tag));
  }

  const json common = util::object({{"source", matrix_path},
                                    {"actions", actions},
                                    {"package", label},
                                    {"runs_on", plan.runner},
                                    {"image_script", image_name_script(pkg.image)},
                                    {"login", registry_login(pkg.image)},
                                    {"buildx", buildx_builder(pkg.runner)},
                                    {"inherit_secrets", pkg.image.registry != "ghcr.io"}});

  // An architecture's factory chain: one job per part of a multi-stage Dockerfile. Each part
  // pushes an intermediate tag named by the input hash, and the next part's build uses that
  // image in place of the previous stage (a buildx named context), so nothing is rebuilt.
  json chain_jobs = json::array();
  for (std::size_t k = 0; k < n; ++k) {
    const FactoryPart& part = (*parts)[k];
    const bool first = k == 0, last = k + 1 == n;
    const std::string root = first ? "steps.ref.outputs" : fmt::format("needs.{}.outputs", job_id(0));
    auto value = [&](std::string_view name) { return fmt::format("${{{{ {}.{} }}}}", root, name); };
    const CacheLayers cache = cache_layers(CacheSpec{"${{ inputs.cache_scope }}" + part_suffix(k),
                                                     "${{ steps.image.outputs.name }}",
                                                     "${{ inputs.cache_tag }}" + part_suffix(k), true});
    json tags = last ? json{value("ref"), value("branch_tag"), value("sha_tag")} : json{value("ref") + part_suffix(k)};
    json needs = nullptr;
    if (k == 1) needs = job_id(0);
    if (k > 1) needs = fmt::format("[{}, {}]", job_id(0), job_id(k - 1));
    json env = nullptr;
    if (first) {
      env = json::array({util::object({{"name", "IMAGE"}, {"value", "${{ steps.image.outputs.name }}"}}),
                         util::object({{"name", "TAG"}, {"value", "${{ inputs.tag }}"}}),
                         util::object({{"name", "SDK_IMAGE"}, {"value", pkg.sdk_image}}),
                         util::object({{"name", "SDK_TAG"}, {"value", "${{ inputs.sdk_tag }}"}})});
      if (rustup) env.push_back(util::object({{"name", "RUSTUP_TARGET"}, {"value", "${{ inputs.rustup_target }}"}}));
      if (snapshot) env.push_back(util::object({{"name", "SDK_CHECKSUMS"}, {"value", "${{ inputs.sdk_checksums }}"}}));
      env.push_back(util::object({{"name", "FORCE"}, {"value", "${{ inputs.force }}"}}));
    }
    json outputs = nullptr;
    if (first)
      outputs =
          util::object({{"list", json::array({util::object({{"name", "ref"}, {"value", value("ref")}}),
                                              util::object({{"name", "build"}, {"value", value("build")}}),
                                              util::object({{"name", "branch_tag"}, {"value", value("branch_tag")}}),
                                              util::object({{"name", "sha_tag"}, {"value", value("sha_tag")}})})}});
    chain_jobs.push_back(util::object(
        {{"id", job_id(k)},
         {"first", first},
         {"name", n == 1 ? std::string("Builder image (${{ inputs.arch }})")
                         : fmt::format("Builder image (${{{{ inputs.arch }}}}) part {}/{}", k + 1, n)},
         {"needs", needs},
         // A run for one architecture (the arch input) skips the others' chains.
         {"if", first ? json("inputs.only == 'all' || inputs.only == inputs.arch")
                      : json(fmt::format("needs.{}.outputs.build == 'true'", job_id(0)))},
         {"timeout", part.timeout_minutes},
         {"outputs", outputs},
         {"ref_step",
          first ? util::object({{"env", env}, {"script", ref_script(hashed_files, rustup, snapshot)}}) : json(nullptr)},
         {"build_step", n == 1 ? "Build and push" : fmt::format("Build and push part {}/{}", k + 1, n)},
         {"build_if", first ? json("steps.ref.outputs.build == 'true'") : json(nullptr)},
         {"target", n == 1 ? json(nullptr) : json(fmt::format("part-{}", k + 1))},
         {"build_context",
          first ? json(nullptr) : json(fmt::format("part-{}=docker-image://{}-part-{}", k, value("ref"), k))},
         {"tags", tags},
         {"cache_from", cache.from},
         {"cache_to", cache.to},
         {"retag", first}}));
    // Each architecture runs its own chain: a part runs once per architecture.
    plan.jobs.push_back({chain_file, job_id(k), part.targets.empty() ? std::vector<std::string>{"feeds and defconfig"}
                                                                      : part.targets,
                         k > 0 ? std::vector<std::string>{job_id(k - 1)} : std::vector<std::string>{},
                         part.estimate_minutes, part.timeout_minutes, static_cast<int>(pkg.architectures.size()),
                         part.note, std::nullopt});
  }
  json chain_inputs = json::array({input("arch", "OpenWrt package architecture", "string", true),
                                    input("sdk_tag", "Tag of the SDK image to build on", "string", true)});
  if (rustup)
    chain_inputs.push_back(input("rustup_target", "Rust target rustup installs; empty for Tier 3 targets", "string", true));
  if (snapshot)
    chain_inputs.push_back(
        input("sdk_checksums", "The sha256sums of the snapshot SDK the image downloads", "string", true));
  for (const auto& extra :
       {input("tag", "Image tag of the architecture, without the hash or branch", "string", true),
        input("cache_scope", "gha cache scope of the architecture", "string", true),
        input("cache_tag", "Registry cache tag of the architecture", "string", true),
        input("force", "Build even when an image with the same inputs is already in the registry", "boolean", false,
              "false"),
        input("only", "The one architecture the run builds, or all", "string", false, "all")})
    chain_inputs.push_back(extra);
  json chain = common;
  util::set(chain, {{"inputs", chain_inputs},
                    {"first_job", job_id(0)},
                    {"dockerfile", dockerfile},
                    {"sdk_image", pkg.sdk_image},
                    {"rustup", rustup},
                    {"jobs", chain_jobs}});

  // The factory: one chain per architecture, called by a matrix so that a failing
  // architecture stops only its own chain. Only it knows SDK tags and Rust targets.
  json factory_shards = json::array();
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const bool sharded = shards.size() > 1;
    factory_shards.push_back(
        util::object({{"id", sharded ? fmt::format("builder-shard-{}", s + 1) : "builder"},
                      {"first", s == 0},
                      {"name_suffix", sharded ? fmt::format(" shard {}/{}", s + 1, shards.size()) : ""},
                      {"include", json(include.begin() + static_cast<long>(shards[s].begin),
                                       include.begin() + static_cast<long>(shards[s].end))}}));
  }
  // workflow_dispatch's choice of one architecture, all of them by default.
  json arch_options = json::array({"all"});
  for (const auto& a : pkg.architectures) arch_options.push_back(a.arch);
  json factory = common;
  util::set(factory, {{"chain_file", chain_file},
                      {"assembly_file", assembly_file},
                      {"rustup", rustup},
                      {"snapshot", snapshot},
                      {"arch_options", arch_options},
                      {"shards", std::move(factory_shards)}});
  plan.files.push_back({".github/workflows/" + factory_file, "openwrt/publish-builder-image.yml", std::move(factory),
                        FileKind::workflow});
  plan.files.push_back(
      {".github/workflows/" + chain_file, "openwrt/builder-image.yml", std::move(chain), FileKind::workflow});

  // Assembly line: knows only the architecture and its tag; it calls the factory first, so
  // the image of its own commit exists (built, or tagged when its inputs were built before).
  json assembly_shards = json::array();
  plan.jobs.push_back({assembly_file, "define-matrix", {"architecture list as JSON"}, {}, 1, define_matrix_minutes, 1,
                       "", std::nullopt});
  // shfmt is in neither the SDK image nor the runner image, and an init script's format is the
  // same on every architecture: one job on the runner checks it, installing Ubuntu's shfmt.
  json init_scripts = nullptr;
  if (pkg.checks.shfmt) {
    const std::string root = pkg.feed_mode ? pkg.feed_path : ".";
    std::string find;
    if (!pkg.feed_mode)
      find = "if [ -d files ]; then find files -name '*.init' -type f; fi";
    else if (pkg.packages.empty())
      find = fmt::format("find {} -path '*/files/*' -name '*.init' -type f -not -path '*/.git/*'", root);
    else
      find = fmt::format("for pkg in {}; do find {} -path \"*/$pkg/files/*\" -name '*.init' -type f -not -path "
                         "'*/.git/*'; done",
                         util::join(pkg.packages, " "), root);
    init_scripts = util::object(
        {{"timeout", init_scripts_minutes},
         {"lines",
          {fmt::format("mapfile -t scripts < <({} | sort)", find), "if [ \"${#scripts[@]}\" -eq 0 ]; then",
           "  echo \"No init scripts (files/*.init) to check\"", "  exit 0", "fi",
           "if ! command -v shfmt >/dev/null; then", "  sudo apt-get update -qq", "  sudo apt-get install -y -qq shfmt",
           "fi", "if ! shfmt -d -sr -s \"${scripts[@]}\"; then",
           "  echo \"::error title=Init scripts::shfmt -sr -s would change these init scripts (the diff is above): run "
           "shfmt -w -sr -s on them and commit the result\"",
           "  exit 1", "fi", "echo \"${#scripts[@]} init scripts are formatted as shfmt -sr -s writes them\""}}});
    plan.jobs.push_back({assembly_file, "init-scripts", {"shfmt -sr -s over files/*.init"}, {}, 2,
                         init_scripts_minutes, 1, "", std::nullopt});
  }

  const std::string compiles = pkg.packages.empty()
                                   ? fmt::format("compile every package of feed {}", pkg.feed_name)
                                   : fmt::format("compile {}", util::join(pkg.packages, ", "));
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const bool sharded = shards.size() > 1;
    const std::string id = sharded ? fmt::format("build-package-shard-{}", s + 1) : "build-package";
    const std::string output = sharded ? fmt::format("matrix_{}", s + 1) : "matrix";
    const json entries(assembly_include.begin() + static_cast<long>(shards[s].begin),
                       assembly_include.begin() + static_cast<long>(shards[s].end));
    // A run for one architecture leaves the other shards' matrices empty: those jobs skip.
    std::string condition = "${{ !cancelled() && needs.define-matrix.result == 'success' }}";
    if (sharded)
      condition = fmt::format("${{{{ !cancelled() && needs.define-matrix.result == 'success' && "
                              "needs.define-matrix.outputs.{} != '' }}}}",
                              output);
    assembly_shards.push_back(
        util::object({{"id", id},
                      {"first", s == 0},
                      {"output", output},
                      {"entries", entries},
                      {"json", util::dump(util::object({{"include", entries}}))},
                      {"if", condition},
                      {"name_suffix", sharded ? fmt::format(" shard {}/{}", s + 1, shards.size()) : ""}}));
    plan.jobs.push_back({assembly_file, id, {compiles}, {"define-matrix", job_id(n - 1)}, build_time->first,
                         build_time->second, static_cast<int>(entries.size()),
                         sharded ? shard_note(shards[s], s, shards.size(), pkg.architectures.size()) : "",
                         std::nullopt});
  }

  // The build job's steps: the same lines in the job's container or through docker exec.
  const std::string out = hybrid ? "/forgeline-out" : "\"$GITHUB_WORKSPACE/forgeline-out\"";
  const std::string mount =
      pkg.feed_mode ? std::string(source_mount) : fmt::format("{}/{}", feed_dir, pkg.package);
  json steps = json::array();
  steps.push_back(shell_step("Put the packages into the SDK", prepare_lines(pkg, hybrid, label)));
  if (pkg.checks.hashes) steps.push_back(shell_step("Download sources and check their hashes", hash_lines()));
  if (pkg.checks.refresh) steps.push_back(shell_step("Check that the patches need no refresh", refresh_lines()));
  steps.push_back(shell_step("Compile", compile_lines(label), nullptr, nullptr, {"ARCH"}));
  if (pkg.index) {
    json env = nullptr;
    std::vector<std::string> exec_env;
    if (!pkg.index_signing_secret.empty()) {
      env = json::array({util::object(
          {{"name", "SIGNING_KEY"}, {"value", fmt::format("${{{{ secrets.{} }}}}", pkg.index_signing_secret)}})});
      exec_env = {"SIGNING_KEY"};
    }
    steps.push_back(shell_step("Build the package index", index_lines(pkg, ext), env, nullptr, exec_env));
  }
  steps.push_back(shell_step(
      "Collect packages",
      {fmt::format("mkdir -p {}/packages", out), fmt::format("for dir in bin/packages/*/{}; do", pkg.feed_name),
       fmt::format("  if [ -d \"$dir\" ]; then cp -a \"$dir/.\" {}/packages/; fi", out), "done"}));
  // In docker-run mode the logs are in the builder container: when it never started (its
  // image is missing), there is nothing to collect, and docker exec would only add an error.
  const json logs_step = shell_step(
      "Collect build logs", {fmt::format("if [ -d logs ]; then mkdir -p {0} && cp -a logs {0}/logs; fi", out)}, nullptr,
      hybrid ? "failure() && env.BUILDER != ''" : "failure()");
  const std::string out_path = hybrid ? "${{ runner.temp }}/forgeline-out" : "forgeline-out";
  json start = nullptr, stop = nullptr;
  if (hybrid) {
    start = json::array({"mkdir -p \"$RUNNER_TEMP/forgeline-out\"",
                         "builder=$(docker run -d --user root \\",
                         fmt::format("  -v \"$PWD:{}\" \\", mount),
                         "  -v \"$RUNNER_TEMP/forgeline-out:/forgeline-out\" \\",
                         "  -w /builder \"$IMAGE\" sleep infinity)",
                         "echo \"BUILDER=$builder\" >> \"$GITHUB_ENV\""});
    stop = json::array({"if [ -n \"${BUILDER:-}\" ]; then",
                        "  # What root wrote into the mounts goes back to the runner's user.",
                        fmt::format("  docker exec \"$BUILDER\" chown -R \"$(id -u):$(id -g)\" /forgeline-out {} || true",
                                    mount),
                        "  docker rm -f \"$BUILDER\" >/dev/null",
                        "fi"});
  }

  json assembly = common;
  util::set(assembly, {{"factory_file", factory_file},
                       {"arch_options", std::move(arch_options)},
                       // Before "shards", which moves the list away.
                       {"matrix_script", matrix_script(assembly_shards)},
                       {"shards", std::move(assembly_shards)},
                       {"commit_tag", commit_tag_expression},
                       {"timeout", build_time->second},
                       {"define_timeout", define_matrix_minutes},
                       {"init_scripts", init_scripts},
                       {"container_mode", !hybrid},
                       {"docker_run_mode", hybrid},
                       {"start", start},
                       {"steps", steps},
                       {"logs_step", logs_step},
                       {"stop", stop},
                       {"artifact", fmt::format("{}-${{{{ matrix.arch }}}}", label)},
                       {"packages_path", out_path + "/packages/"},
                       {"logs_path", out_path + "/logs/"}});
  plan.files.push_back({".github/workflows/" + assembly_file, "openwrt/build-package.yml", std::move(assembly),
                        FileKind::workflow});

  // The Dockerfile: one stage per factory part when the factory is split, else a plain file.
  const auto& first = pkg.architectures.front();
  json later_parts = json::array();
  for (std::size_t k = 1; k < n; ++k)
    later_parts.push_back(util::object({{"name", fmt::format("part-{}", k + 1)},
                                        {"from", fmt::format("part-{}", k)},
                                        {"previous", k},
                                        {"number", k + 1},
                                        {"count", n},
                                        {"targets", (*parts)[k].targets}}));
  json rustup_values = nullptr;
  if (rustup)
    rustup_values = util::object({{"toolchain", pkg.host_rust},
                                  {"default_target", model::rustup_ships(first.rust_target) ? first.rust_target : ""}});
  // The feed's lang/rust/Makefile passes --set=llvm.download-ci-llvm=<bool> to the Rust build;
  // the step sets the matrix's choice and fails when the option is no longer there.
  const bool from_source = pkg.llvm == model::LlvmMode::source;
  json llvm = nullptr;
  if (pkg.rust)
    llvm = util::object(
        {{"from", from_source ? "true" : "false"},
         {"to", from_source ? "false" : "true"},
         {"why", from_source ? "Build LLVM from source: CI LLVM builds get deleted (openwrt/packages#27331, "
                               "#28680)."
                             : "Download CI LLVM: fails once its build is deleted (openwrt/packages#27331)."}});
  // feeds.conf replaces feeds.conf.default for scripts/feeds; it is written only when the
  // matrix changes the SDK's feeds, so a matrix that does not keeps its image as it was.
  json feeds_conf = nullptr;
  if (!pkg.feeds.empty() || !pkg.default_feeds) {
    std::vector<std::string> lines;
    for (const auto& f : pkg.feeds) {
      std::string source = f.url;
      if (!f.branch.empty()) source += ";" + f.branch;
      if (!f.commit.empty()) source += "^" + f.commit;
      lines.push_back(fmt::format("src-git {} {}", f.name, source));
    }
    // openwrt/maintainer-tools maketag.sh rewrites each src-git feed of a release's
    // feeds.conf.default to url^<commit> when it tags the release, and target/sdk/Makefile copies
    // that file into the SDK: a release SDK's feeds are pinned (gh-action-sdk starts from it too).
    feeds_conf = util::object(
        {{"comment", pkg.default_feeds
                         ? json::array({"The SDK's feeds as its feeds.conf.default lists them (a release "
                                        "pins them to the commits it",
                                        "was built from), then the matrix's."})
                         : json::array({"Only the matrix's feeds: default_feeds: false leaves out the SDK's "
                                        "feeds.conf.default."})},
         {"first", pkg.default_feeds ? "cp feeds.conf.default feeds.conf" : ": > feeds.conf"},
         {"lines", lines}});
  }
  json makefile = nullptr;
  if (makefile_snapshot)
    makefile = util::object({{"package", pkg.package},
                             {"feed", pkg.feed_name},
                             {"dir", feed_dir},
                             {"link", fmt::format("src-link {} {}", pkg.feed_name, feed_dir)}});
  json docker =
      util::object({{"source", matrix_path},
                    {"package", label},
                    {"sdk_image", pkg.sdk_image},
                    {"default_sdk_tag", fmt::format("{}-{}", first.sdk, model::sdk_tag_version(pkg.openwrt_version))},
                    {"sdk_setup", snapshot},
                    {"feeds_conf", feeds_conf},
                    {"rustup", rustup_values},
                    {"llvm", llvm},
                    {"makefile", makefile},
                    {"first_part", n == 1 ? json(nullptr) : json("part-1")},
                    {"first_targets", parts->front().targets},
                    {"later_parts", n == 1 ? json(nullptr) : later_parts}});
  plan.files.push_back({dockerfile, "openwrt/Dockerfile", docker, FileKind::dockerfile});
  plan.files.push_back({ignore_file, "openwrt/dockerignore",
                        util::object({{"source", matrix_path}, {"makefile", makefile_snapshot}}), FileKind::text});
  return plan;
}

}  // namespace forgeline::plan
