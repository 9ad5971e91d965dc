#include "plan/openwrt.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plan/actions.hpp"
#include "plan/images.hpp"
#include "plan/split.hpp"
#include "util/strings.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::plan {

namespace {

using nlohmann::json;

constexpr const char* factory_file = ".github/workflows/publish-builder-image.yml";
constexpr const char* assembly_file = ".github/workflows/build-package.yml";
constexpr const char* dockerfile = ".docker/Dockerfile";
constexpr int define_matrix_minutes = 5;
constexpr int package_build_minutes = 60;
/// OpenWrt's make target that builds the Rust host toolchain (and LLVM, when from source).
constexpr const char* rust_host_target = "package/feeds/packages/rust/host/compile";

std::string image_tag(const model::OpenwrtPackage& pkg, const std::string& arch) {
  return tag_safe(fmt::format("{}-{}", arch, pkg.openwrt_version));
}

/// One job of the factory: a part of the image build (consecutive make targets) for a shard
/// of the architectures.
struct FactoryPart {
  std::vector<std::string> targets;
  int estimate_minutes = 0;
  int timeout_minutes = 0;
  std::string note;
};

/// The factory's make targets cut into parts that each fit a job. Without factory_stages the
/// targets are the defaults with no estimate: one part, allowed the whole job limit.
util::Result<std::vector<FactoryPart>> factory_parts(const model::OpenwrtPackage& pkg, const Budget& budget) {
  if (pkg.factory_stages.empty()) {
    std::vector<std::string> targets = {"toolchain/install"};
    if (pkg.rust) targets.push_back(rust_host_target);
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

/// Job id of a factory part and shard; the unsplit, unsharded factory keeps its plain name.
std::string factory_job_id(std::size_t part, std::size_t parts, std::size_t shard, std::size_t shards) {
  std::string id = "build-and-publish";
  if (parts > 1) id += fmt::format("-part-{}", part + 1);
  if (shards > 1) id += fmt::format("-shard-{}", shard + 1);
  return id;
}

std::string shard_note(const Shard& s, std::size_t index, std::size_t count, std::size_t total) {
  return fmt::format("shard {} of {}: architectures {}-{} of {} (a matrix runs at most {} jobs)", index + 1, count,
                     s.begin + 1, s.end, total, max_matrix_jobs);
}

}  // namespace

std::string package_extension(const std::string& openwrt_version) {
  const int major = std::atoi(openwrt_version.c_str());
  return major >= 25 ? "apk" : "ipk";
}

util::Result<Plan> plan_openwrt(const model::OpenwrtPackage& pkg, const std::string& matrix_path,
                                const Options& options) {
  const Budget budget = budget_for(pkg.runner, pkg.safety_margin_minutes);
  Plan plan = start_plan(matrix_path, "openwrt-package", budget);

  const json actions = action_values(options.pins);
  const bool hybrid = pkg.build_mode == model::BuildMode::docker_run;
  const std::string ext = package_extension(pkg.openwrt_version);
  const std::string image_key = fmt::format("{}-builder", pkg.package);

  auto parts = factory_parts(pkg, budget);
  if (!parts) return std::unexpected(std::move(parts.error()));
  const std::vector<Shard> shards = shard(pkg.architectures.size());

  // Factory: one image per architecture; only it knows SDK tags and Rust targets. Its caches
  // are the same three layers as every family's (branch scope, shared scope, registry).
  const std::size_t n = parts->size();
  auto part_suffix = [n](std::size_t k) { return n == 1 ? std::string() : fmt::format("-part-{}", k + 1); };
  json include = json::array();
  for (const auto& a : pkg.architectures) {
    include.push_back({{"arch", a.arch},
                       {"sdk_tag", fmt::format("{}-{}", a.sdk, pkg.openwrt_version)},
                       {"rust_target", a.rust_target.empty() ? "none" : a.rust_target},
                       {"tag", image_tag(pkg, a.arch)},
                       {"cache_scope", cache_scope(image_key, a.arch)},
                       {"cache_tag", cache_tag(a.arch)}});
    for (std::size_t k = 0; k < n; ++k)
      record_caches(plan, cache_layers(CacheSpec{cache_scope(image_key, a.arch) + part_suffix(k), matrix_name(pkg.image),
                                                 cache_tag(a.arch) + part_suffix(k), true}));
    plan.image_refs.push_back(fmt::format("{}:{}", matrix_name(pkg.image), image_tag(pkg, a.arch)));
  }

  // A factory too long for one job becomes chained jobs, one per part of a multi-stage
  // Dockerfile: each part pushes an intermediate tag, and the next part's build uses that
  // image in place of the previous stage (a buildx named context), so nothing is rebuilt.
  json factory_jobs = json::array();
  for (std::size_t k = 0; k < n; ++k) {
    const FactoryPart& part = (*parts)[k];
    const CacheLayers cache =
        cache_layers(CacheSpec{"${{ matrix.cache_scope }}" + part_suffix(k), "${{ steps.image.outputs.name }}",
                               "${{ matrix.cache_tag }}" + part_suffix(k), true});
    for (std::size_t s = 0; s < shards.size(); ++s) {
      const std::string id = factory_job_id(k, n, s, shards.size());
      std::string name_suffix;
      if (n > 1) name_suffix += fmt::format(" part {}/{}", k + 1, n);
      if (shards.size() > 1) name_suffix += fmt::format(" shard {}/{}", s + 1, shards.size());
      json needs = nullptr;
      if (k > 0) needs = factory_job_id(k - 1, n, s, shards.size());
      json build_context = nullptr;
      if (k > 0)
        build_context = fmt::format("part-{}=docker-image://${{{{ steps.image.outputs.name }}}}:${{{{ matrix.tag }}}}-part-{}", k, k);
      factory_jobs.push_back(
          {{"id", id},
           {"first", k == 0 && s == 0},
           {"name_suffix", name_suffix},
           {"needs", needs},
           {"timeout", part.timeout_minutes},
           {"include", json(include.begin() + static_cast<long>(shards[s].begin),
                            include.begin() + static_cast<long>(shards[s].end))},
           {"target", n == 1 ? json(nullptr) : json(fmt::format("part-{}", k + 1))},
           {"build_context", build_context},
           {"tag_suffix", k + 1 == n ? "" : part_suffix(k)},
           {"cache_from", cache.from},
           {"cache_to", cache.to}});
      std::vector<std::string> notes;
      if (!part.note.empty()) notes.push_back(part.note);
      if (shards.size() > 1) notes.push_back(shard_note(shards[s], s, shards.size(), pkg.architectures.size()));
      plan.jobs.push_back({"publish-builder-image.yml", id, part.targets,
                           k > 0 ? std::vector<std::string>{needs.get<std::string>()} : std::vector<std::string>{},
                           part.estimate_minutes, part.timeout_minutes,
                           static_cast<int>(shards[s].end - shards[s].begin), util::join(notes, "; "), std::nullopt});
    }
  }

  std::vector<std::string> trigger_paths = {dockerfile, ".dockerignore", matrix_path};
  if (hybrid) trigger_paths.push_back("Makefile");

  const json common = {{"source", matrix_path},
                       {"actions", actions},
                       {"package", pkg.package},
                       {"runs_on", plan.runner},
                       {"image_script", image_name_script(pkg.image)},
                       {"login", registry_login(pkg.image)}};

  json factory = common;
  factory.update({{"trigger_paths", trigger_paths},
                  {"branches", json::array({"main"})},
                  {"dockerfile", dockerfile},
                  {"jobs", factory_jobs}});
  plan.files.push_back({factory_file, "openwrt/publish-builder-image.yml", factory, FileKind::workflow});

  // Assembly line: knows only the architecture, which picks the image and names the artifact.
  const int build_timeout = timeout_for(package_build_minutes, budget);
  json assembly_shards = json::array();
  plan.jobs.push_back({"build-package.yml", "define-matrix", {"architecture list as JSON"}, {}, 1,
                       define_matrix_minutes, 1, "", std::nullopt});
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const bool sharded = shards.size() > 1;
    json archs = json::array();
    for (std::size_t i = shards[s].begin; i < shards[s].end; ++i) archs.push_back(pkg.architectures[i].arch);
    const std::string id = sharded ? fmt::format("build-package-shard-{}", s + 1) : "build-package";
    const std::string output = sharded ? fmt::format("matrix_{}", s + 1) : "matrix";
    assembly_shards.push_back({{"id", id},
                               {"first", s == 0},
                               {"output", output},
                               {"json", json{{"arch", archs}}.dump()},
                               {"name_suffix", sharded ? fmt::format(" shard {}/{}", s + 1, shards.size()) : ""}});
    plan.jobs.push_back({"build-package.yml", id, {fmt::format("compile {}", pkg.package)}, {"define-matrix"},
                         package_build_minutes, build_timeout, static_cast<int>(archs.size()),
                         sharded ? shard_note(shards[s], s, shards.size(), pkg.architectures.size()) : "",
                         std::nullopt});
  }
  json assembly = common;
  assembly.update({{"shards", assembly_shards},
                   {"single_matrix", shards.size() == 1 ? assembly_shards[0] : json(nullptr)},
                   {"sharded_matrix", shards.size() > 1},
                   {"image_tag_suffix", tag_safe("-" + pkg.openwrt_version)},
                   {"timeout", build_timeout},
                   {"define_timeout", define_matrix_minutes},
                   {"container_mode", !hybrid},
                   {"docker_run_mode", hybrid},
                   {"package_glob", fmt::format("{}*.{}", pkg.package, ext)},
                   {"ext", ext}});
  plan.files.push_back({assembly_file, "openwrt/build-package.yml", assembly, FileKind::workflow});

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
  json docker = {{"source", matrix_path},
                 {"package", pkg.package},
                 {"default_sdk_tag", fmt::format("{}-{}", first.sdk, pkg.openwrt_version)},
                 {"default_rust_target", first.rust_target.empty() ? "none" : first.rust_target},
                 {"rust", pkg.rust},
                 {"llvm_from_source", pkg.llvm == model::LlvmMode::source},
                 {"copy_sources", hybrid},
                 {"first_part", n == 1 ? json(nullptr) : json("part-1")},
                 {"first_targets", parts->front().targets},
                 {"later_parts", n == 1 ? json(nullptr) : later_parts}};
  plan.files.push_back({dockerfile, "openwrt/Dockerfile", docker, FileKind::dockerfile});
  plan.files.push_back({".dockerignore", "openwrt/dockerignore", json{{"source", matrix_path}}, FileKind::text});
  return plan;
}

}  // namespace forgeline::plan
