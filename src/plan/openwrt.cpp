#include "plan/openwrt.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "plan/actions.hpp"
#include "plan/images.hpp"
#include "plan/runner.hpp"

namespace forgeline::plan {

namespace {

using nlohmann::json;

constexpr const char* factory_file = ".github/workflows/publish-builder-image.yml";
constexpr const char* assembly_file = ".github/workflows/build-package.yml";
constexpr const char* dockerfile = ".docker/Dockerfile";
constexpr int define_matrix_minutes = 5;
constexpr int package_build_minutes = 60;

std::string image_tag(const model::OpenwrtPackage& pkg, const std::string& arch) {
  return tag_safe(fmt::format("{}-{}", arch, pkg.openwrt_version));
}

json arch_list_json(const model::OpenwrtPackage& pkg) {
  json archs = json::array();
  for (const auto& a : pkg.architectures) archs.push_back(a.arch);
  return json{{"arch", archs}};
}

}  // namespace

std::string package_extension(const std::string& openwrt_version) {
  const int major = std::atoi(openwrt_version.c_str());
  return major >= 25 ? "apk" : "ipk";
}

util::Result<Plan> plan_openwrt(const model::OpenwrtPackage& pkg, const std::string& matrix_path,
                                const Options& options) {
  Plan plan;
  plan.matrix_path = matrix_path;
  plan.family = "openwrt-package";
  plan.runner = runs_on(pkg.runner);
  plan.margin_minutes = pkg.safety_margin_minutes;
  plan.job_limit_minutes = pkg.runner.job_limit_minutes;
  plan.budget_minutes = pkg.runner.job_limit_minutes - pkg.safety_margin_minutes;

  const json actions = action_values(options.pins);
  const std::string runner = runs_on(pkg.runner);
  const bool hybrid = pkg.build_mode == model::BuildMode::docker_run;
  const std::string ext = package_extension(pkg.openwrt_version);
  const std::string scope_prefix = fmt::format("{}-builder", pkg.package);

  // Factory: one image per architecture; only it knows SDK tags and Rust targets.
  json include = json::array();
  for (const auto& a : pkg.architectures) {
    include.push_back({{"arch", a.arch},
                       {"sdk_tag", fmt::format("{}-{}", a.sdk, pkg.openwrt_version)},
                       {"rust_target", a.rust_target.empty() ? "none" : a.rust_target},
                       {"tag", image_tag(pkg, a.arch)},
                       {"cache_scope", fmt::format("{}-{}", scope_prefix, a.arch)},
                       {"cache_tag", tag_safe(fmt::format("buildcache-{}", a.arch))}});
  }
  const CacheLayers cache = cache_layers(CacheSpec{"${{ matrix.cache_scope }}", "${{ steps.image.outputs.name }}",
                                                   "${{ matrix.cache_tag }}", false});
  const int factory_estimate = std::accumulate(pkg.factory_stages.begin(), pkg.factory_stages.end(), 0,
                                               [](int sum, const model::SplitPoint& s) { return sum + s.estimate_minutes; });
  const int factory_timeout = factory_estimate > 0
                                  ? std::min(plan.job_limit_minutes, factory_estimate + pkg.safety_margin_minutes)
                                  : plan.job_limit_minutes;

  std::vector<std::string> trigger_paths = {dockerfile, ".dockerignore", matrix_path};
  if (hybrid) trigger_paths.push_back("Makefile");

  const json common = {{"source", matrix_path},
                       {"actions", actions},
                       {"package", pkg.package},
                       {"runs_on", runner},
                       {"image_script", image_name_script(pkg.image)},
                       {"login", registry_login(pkg.image)}};

  json factory = common;
  factory.update({{"trigger_paths", trigger_paths},
                  {"branches", json::array({"main"})},
                  {"dockerfile", dockerfile},
                  {"timeout", factory_timeout},
                  {"include", include},
                  {"cache_from", cache.from},
                  {"cache_to", cache.to}});
  plan.files.push_back({factory_file, "openwrt/publish-builder-image.yml", factory, FileKind::workflow});
  plan.jobs.push_back({"publish-builder-image.yml", "build-and-publish",
                       {"builder image per architecture"}, {}, factory_estimate, factory_timeout,
                       static_cast<int>(pkg.architectures.size()), "", std::nullopt});

  // Assembly line: knows only the architecture, which picks the image and names the artifact.
  const int build_timeout = std::min(plan.job_limit_minutes, package_build_minutes + pkg.safety_margin_minutes);
  json assembly = common;
  assembly.update({{"matrix_json", arch_list_json(pkg).dump()},
                   {"image_tag_suffix", tag_safe("-" + pkg.openwrt_version)},
                   {"timeout", build_timeout},
                   {"define_timeout", define_matrix_minutes},
                   {"container_mode", !hybrid},
                   {"docker_run_mode", hybrid},
                   {"package_glob", fmt::format("{}*.{}", pkg.package, ext)},
                   {"ext", ext}});
  plan.files.push_back({assembly_file, "openwrt/build-package.yml", assembly, FileKind::workflow});
  plan.jobs.push_back({"build-package.yml", "define-matrix", {"architecture list as JSON"}, {}, 1,
                       define_matrix_minutes, 1, "", std::nullopt});
  plan.jobs.push_back({"build-package.yml", "build-package", {fmt::format("compile {}", pkg.package)},
                       {"define-matrix"}, package_build_minutes, build_timeout,
                       static_cast<int>(pkg.architectures.size()), "", std::nullopt});

  const auto& first = pkg.architectures.front();
  json docker = {{"source", matrix_path},
                 {"package", pkg.package},
                 {"default_sdk_tag", fmt::format("{}-{}", first.sdk, pkg.openwrt_version)},
                 {"default_rust_target", first.rust_target.empty() ? "none" : first.rust_target},
                 {"rust", pkg.rust},
                 {"llvm_from_source", pkg.llvm == model::LlvmMode::source},
                 {"copy_sources", hybrid}};
  plan.files.push_back({dockerfile, "openwrt/Dockerfile", docker, FileKind::dockerfile});
  plan.files.push_back({".dockerignore", "openwrt/dockerignore", json{{"source", matrix_path}}, FileKind::text});
  return plan;
}

}  // namespace forgeline::plan
