#include "plan/openwrt.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/architectures.hpp"
#include "model/sdk.hpp"
#include "plan/actions.hpp"
#include "plan/images.hpp"
#include "plan/split.hpp"
#include "util/strings.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::plan {

namespace {

using nlohmann::json;

constexpr int define_matrix_minutes = 5;
/// A package compile in a pre-warmed SDK, dependencies the factory did not pre-build
/// included: the build job's estimate when the matrix gives none.
constexpr int package_build_minutes = 60;
/// Bash pattern of the characters a Docker tag may not hold; they become '-' at run time.
constexpr const char* not_tag_safe = "[^A-Za-z0-9_.-]";
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
std::vector<std::string> ref_script(const std::vector<std::string>& hashed_files, bool rustup) {
  std::vector<std::string> args = {"\"SDK=$SDK_IMAGE:$SDK_TAG\""};
  if (rustup) args.push_back("\"RUSTUP_TARGET=$RUSTUP_TARGET\"");
  return {
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
}

json input(const std::string& name, const std::string& description, const std::string& type, bool required,
           const std::string& default_yaml = {}) {
  return {{"name", name},
          {"description", description},
          {"type", type},
          {"required", required},
          {"default", default_yaml.empty() ? json(nullptr) : json(default_yaml)}};
}

}  // namespace

util::Result<Plan> plan_openwrt(const model::OpenwrtPackage& pkg, const std::string& matrix_path,
                                const Options& options) {
  const Budget budget = budget_for(pkg.runner, pkg.safety_margin_minutes);
  Plan plan = start_plan(matrix_path, "openwrt-package", budget);

  const json actions = action_values(options.pins);
  const bool hybrid = pkg.build_mode == model::BuildMode::docker_run;
  const bool rustup = !pkg.host_rust.empty();
  const std::string ext = model::package_extension(pkg.openwrt_version);
  const std::string image_key = prefixed(pkg, fmt::format("{}-builder", pkg.package));
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
  if (hybrid) hashed_files.emplace_back("Makefile");

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
    json entry = {{"arch", a.arch},
                  {"sdk_tag", fmt::format("{}-{}", a.sdk, pkg.openwrt_version)},
                  {"tag", tag},
                  {"cache_scope", cache_scope(image_key, a.arch)},
                  {"cache_tag", cache_tag(variant)}};
    // rustup ships no Tier 3 std (mips, mipsel): those images get the toolchain without it.
    if (rustup) entry["rustup_target"] = model::rustup_ships(a.rust_target) ? a.rust_target : "";
    include.push_back(std::move(entry));
    assembly_include.push_back({{"arch", a.arch}, {"tag", tag}});
    for (std::size_t k = 0; k < n; ++k)
      record_caches(plan, cache_layers(CacheSpec{cache_scope(image_key, a.arch) + part_suffix(k), matrix_name(pkg.image),
                                                 cache_tag(variant) + part_suffix(k), true}));
    plan.image_refs.push_back(fmt::format("{}:{}-${{{{ steps.ref.outputs.hash }}}}", matrix_name(pkg.image), tag));
  }

  const json common = {{"source", matrix_path},
                       {"actions", actions},
                       {"package", pkg.package},
                       {"runs_on", plan.runner},
                       {"image_script", image_name_script(pkg.image)},
                       {"login", registry_login(pkg.image)},
                       {"inherit_secrets", pkg.image.registry != "ghcr.io"}};

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
      env = json::array({json{{"name", "IMAGE"}, {"value", "${{ steps.image.outputs.name }}"}},
                         json{{"name", "TAG"}, {"value", "${{ inputs.tag }}"}},
                         json{{"name", "SDK_IMAGE"}, {"value", pkg.sdk_image}},
                         json{{"name", "SDK_TAG"}, {"value", "${{ inputs.sdk_tag }}"}}});
      if (rustup) env.push_back({{"name", "RUSTUP_TARGET"}, {"value", "${{ inputs.rustup_target }}"}});
      env.push_back({{"name", "FORCE"}, {"value", "${{ inputs.force }}"}});
    }
    json outputs = nullptr;
    if (first)
      outputs = {{"list", json::array({json{{"name", "ref"}, {"value", value("ref")}},
                                       json{{"name", "build"}, {"value", value("build")}},
                                       json{{"name", "branch_tag"}, {"value", value("branch_tag")}},
                                       json{{"name", "sha_tag"}, {"value", value("sha_tag")}}})}};
    chain_jobs.push_back(
        {{"id", job_id(k)},
         {"first", first},
         {"name", n == 1 ? std::string("Builder image (${{ inputs.arch }})")
                         : fmt::format("Builder image (${{{{ inputs.arch }}}}) part {}/{}", k + 1, n)},
         {"needs", needs},
         {"if", first ? json(nullptr) : json(fmt::format("needs.{}.outputs.build == 'true'", job_id(0)))},
         {"timeout", part.timeout_minutes},
         {"outputs", outputs},
         {"ref_step", first ? json{{"env", env}, {"script", ref_script(hashed_files, rustup)}} : json(nullptr)},
         {"build_step", n == 1 ? "Build and push" : fmt::format("Build and push part {}/{}", k + 1, n)},
         {"build_if", first ? json("steps.ref.outputs.build == 'true'") : json(nullptr)},
         {"target", n == 1 ? json(nullptr) : json(fmt::format("part-{}", k + 1))},
         {"build_context", first ? json(nullptr)
                                 : json(fmt::format("part-{}=docker-image://{}-part-{}", k, value("ref"), k))},
         {"tags", tags},
         {"cache_from", cache.from},
         {"cache_to", cache.to},
         {"retag", first}});
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
  for (const auto& extra :
       {input("tag", "Image tag of the architecture, without the hash or branch", "string", true),
        input("cache_scope", "gha cache scope of the architecture", "string", true),
        input("cache_tag", "Registry cache tag of the architecture", "string", true),
        input("force", "Build even when an image with the same inputs is already in the registry", "boolean", false,
              "false")})
    chain_inputs.push_back(extra);
  json chain = common;
  chain.update({{"inputs", chain_inputs},
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
    factory_shards.push_back({{"id", sharded ? fmt::format("builder-shard-{}", s + 1) : "builder"},
                              {"first", s == 0},
                              {"name_suffix", sharded ? fmt::format(" shard {}/{}", s + 1, shards.size()) : ""},
                              {"include", json(include.begin() + static_cast<long>(shards[s].begin),
                                               include.begin() + static_cast<long>(shards[s].end))}});
  }
  json factory = common;
  factory.update(
      {{"chain_file", chain_file}, {"assembly_file", assembly_file}, {"rustup", rustup}, {"shards", factory_shards}});
  plan.files.push_back({".github/workflows/" + factory_file, "openwrt/publish-builder-image.yml", factory,
                        FileKind::workflow});
  plan.files.push_back({".github/workflows/" + chain_file, "openwrt/builder-image.yml", chain, FileKind::workflow});

  // Assembly line: knows only the architecture and its tag; it calls the factory first, so
  // the image of its own commit exists (built, or tagged when its inputs were built before).
  json assembly_shards = json::array();
  plan.jobs.push_back({assembly_file, "define-matrix", {"architecture list as JSON"}, {}, 1, define_matrix_minutes, 1,
                       "", std::nullopt});
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const bool sharded = shards.size() > 1;
    const std::string id = sharded ? fmt::format("build-package-shard-{}", s + 1) : "build-package";
    const std::string output = sharded ? fmt::format("matrix_{}", s + 1) : "matrix";
    const json entries(assembly_include.begin() + static_cast<long>(shards[s].begin),
                       assembly_include.begin() + static_cast<long>(shards[s].end));
    assembly_shards.push_back({{"id", id},
                               {"first", s == 0},
                               {"output", output},
                               {"json", json{{"include", entries}}.dump()},
                               {"name_suffix", sharded ? fmt::format(" shard {}/{}", s + 1, shards.size()) : ""}});
    plan.jobs.push_back({assembly_file, id, {fmt::format("compile {}", pkg.package)},
                         {"define-matrix", job_id(n - 1)}, build_time->first, build_time->second,
                         static_cast<int>(entries.size()),
                         sharded ? shard_note(shards[s], s, shards.size(), pkg.architectures.size()) : "",
                         std::nullopt});
  }
  json assembly = common;
  assembly.update({{"factory_file", factory_file},
                   {"shards", assembly_shards},
                   {"single_matrix", shards.size() == 1 ? assembly_shards[0] : json(nullptr)},
                   {"sharded_matrix", shards.size() > 1},
                   {"commit_tag", commit_tag_expression},
                   {"timeout", build_time->second},
                   {"define_timeout", define_matrix_minutes},
                   {"container_mode", !hybrid},
                   {"docker_run_mode", hybrid},
                   {"package_glob", fmt::format("{}*.{}", pkg.package, ext)},
                   {"ext", ext}});
  plan.files.push_back({".github/workflows/" + assembly_file, "openwrt/build-package.yml", assembly,
                        FileKind::workflow});

  // The Dockerfile: one stage per factory part when the factory is split, else a plain file.
  const auto& first = pkg.architectures.front();
  json later_parts = json::array();
  for (std::size_t k = 1; k < n; ++k)
    later_parts.push_back({{"name", fmt::format("part-{}", k + 1)},
                           {"from", fmt::format("part-{}", k)},
                           {"previous", k},
                           {"number", k + 1},
                           {"count", n},
                           {"targets", (*parts)[k].targets}});
  json rustup_values = nullptr;
  if (rustup)
    rustup_values = {{"toolchain", pkg.host_rust},
                     {"default_target", model::rustup_ships(first.rust_target) ? first.rust_target : ""}};
  // The feed's lang/rust/Makefile passes --set=llvm.download-ci-llvm=<bool> to the Rust build;
  // the step sets the matrix's choice and fails when the option is no longer there.
  const bool from_source = pkg.llvm == model::LlvmMode::source;
  json llvm = nullptr;
  if (pkg.rust)
    llvm = {{"from", from_source ? "true" : "false"},
            {"to", from_source ? "false" : "true"},
            {"why", from_source ? "Build LLVM from source: CI LLVM builds get deleted (openwrt/packages#27331, "
                                  "#28680)."
                                : "Download CI LLVM: fails once its build is deleted (openwrt/packages#27331)."}};
  json docker = {{"source", matrix_path},
                 {"package", pkg.package},
                 {"sdk_image", pkg.sdk_image},
                 {"default_sdk_tag", fmt::format("{}-{}", first.sdk, pkg.openwrt_version)},
                 {"rustup", rustup_values},
                 {"llvm", llvm},
                 {"snapshot", hybrid},
                 {"first_part", n == 1 ? json(nullptr) : json("part-1")},
                 {"first_targets", parts->front().targets},
                 {"later_parts", n == 1 ? json(nullptr) : later_parts}};
  plan.files.push_back({dockerfile, "openwrt/Dockerfile", docker, FileKind::dockerfile});
  plan.files.push_back({ignore_file, "openwrt/dockerignore",
                        json{{"source", matrix_path}, {"snapshot", hybrid}}, FileKind::text});
  return plan;
}

}  // namespace forgeline::plan
