#include <doctest/doctest.h>

#include <string>

#include "matrix/load.hpp"
#include "model/build.hpp"
#include "plan/images.hpp"
#include "plan/openwrt.hpp"
#include "plan/plan.hpp"

namespace {

forgeline::plan::Plan plan_of(const std::string& text, const forgeline::plan::Options& options = {}) {
  auto m = forgeline::matrix::load(text, "matrices/openwrt.yaml");
  REQUIRE(m);
  auto p = forgeline::model::build(*m);
  REQUIRE(p);
  auto plan = forgeline::plan::make_plan(*p, options);
  REQUIRE(plan);
  return *plan;
}

const forgeline::plan::File& file(const forgeline::plan::Plan& plan, const std::string& path) {
  for (const auto& f : plan.files)
    if (f.path == path) return f;
  FAIL("no file " << path);
  throw;
}

constexpr const char* matrix = R"(forgeline: 1
family: openwrt-package
package: tollgate-wrt
image: ghcr.io/${owner}/${repo}/openwrt-rust-builder
openwrt: 24.10.1
architectures:
  - {arch: aarch64_cortex-a53, sdk: mediatek-filogic}
  - {arch: mips_24kc, sdk: ath79-generic}
)";

}  // namespace

TEST_SUITE("plan::openwrt") {
  TEST_CASE("files: factory, assembly line, Dockerfile, .dockerignore") {
    auto plan = plan_of(matrix);
    REQUIRE(plan.files.size() == 4);
    CHECK(plan.files[0].path == ".github/workflows/publish-builder-image.yml");
    CHECK(plan.files[1].path == ".github/workflows/build-package.yml");
    CHECK(plan.files[2].path == ".docker/Dockerfile");
    CHECK(plan.files[3].path == ".dockerignore");
  }

  TEST_CASE("factory: one image tag and one cache scope per architecture") {
    auto plan = plan_of(matrix);
    const auto& include = file(plan, ".github/workflows/publish-builder-image.yml").values["jobs"][0]["include"];
    REQUIRE(include.size() == 2);
    CHECK(include[0]["tag"] == "aarch64_cortex-a53-24.10.1");
    CHECK(include[0]["sdk_tag"] == "mediatek-filogic-24.10.1");
    CHECK(include[0]["rust_target"] == "aarch64-unknown-linux-musl");
    CHECK(include[0]["cache_scope"] == "tollgate-wrt-builder-aarch64_cortex-a53");
    CHECK(include[1]["cache_scope"] == "tollgate-wrt-builder-mips_24kc");
    CHECK(include[0]["cache_tag"] != include[0]["tag"]);
  }

  TEST_CASE("assembly line knows only the architectures") {
    auto plan = plan_of(matrix);
    const auto& v = file(plan, ".github/workflows/build-package.yml").values;
    CHECK(v["shards"][0]["json"] == R"({"arch":["aarch64_cortex-a53","mips_24kc"]})");
    CHECK(v["shards"][0]["output"] == "matrix");
    CHECK(v["single_matrix"]["id"] == "build-package");
    CHECK(v["image_tag_suffix"] == "-24.10.1");
    CHECK(v["package_glob"] == "tollgate-wrt*.ipk");
    CHECK(v["container_mode"] == true);
    CHECK_FALSE(v.contains("include"));
  }

  TEST_CASE("docker-run mode copies the sources into the image and retriggers on the Makefile") {
    std::string text = matrix;
    text += "build: {mode: docker-run}\n";
    auto plan = plan_of(text);
    CHECK(file(plan, ".docker/Dockerfile").values["copy_sources"] == true);
    CHECK(file(plan, ".github/workflows/build-package.yml").values["docker_run_mode"] == true);
    const auto& paths = file(plan, ".github/workflows/publish-builder-image.yml").values["trigger_paths"];
    CHECK(paths.back() == "Makefile");
  }

  TEST_CASE("OpenWrt 25 builds apk packages") {
    CHECK(forgeline::plan::package_extension("24.10.1") == "ipk");
    CHECK(forgeline::plan::package_extension("25.12.0") == "apk");
  }

  TEST_CASE("image names are lowercased at run time; login follows the registry") {
    using forgeline::plan::image_name_script;
    auto lines = image_name_script({"ghcr.io", "${owner}/${repo}/builder"});
    REQUIRE(lines.size() == 3);
    CHECK(lines[2] == R"(echo "name=ghcr.io/${owner,,}/${repo,,}/builder" >> "$GITHUB_OUTPUT")");
    CHECK(image_name_script({"docker.io", "acme/builder"}) ==
          std::vector<std::string>{R"(echo "name=docker.io/acme/builder" >> "$GITHUB_OUTPUT")"});
    CHECK(forgeline::plan::registry_login({"ghcr.io", "x"})["password"] == "${{ secrets.GITHUB_TOKEN }}");
    CHECK(forgeline::plan::registry_login({"quay.io", "x"})["password"] == "${{ secrets.REGISTRY_PASSWORD }}");
  }

  TEST_CASE("pinned actions render as sha with the major as a comment") {
    forgeline::plan::Options options;
    options.pins["actions/checkout@v7"] = std::string(40, 'a');
    options.pins["docker/login-action@v3"] = std::string(40, 'b');  // another major: not used
    auto plan = plan_of(matrix, options);
    const auto& actions = plan.files[0].values["actions"];
    CHECK(actions["checkout"] == "actions/checkout@" + std::string(40, 'a') + " # v7");
    CHECK(actions["login"] == "docker/login-action@v4");
  }

  TEST_CASE("cache layers: registry ref differs from the image, branch scope comes first") {
    auto c = forgeline::plan::cache_layers({"img-x", "IMG", "buildcache-x", true});
    REQUIRE(c.from.size() == 3);
    CHECK(c.from[0] == "type=gha,scope=img-x-${{ github.ref_name }}");
    CHECK(c.from[1] == "type=gha,scope=img-x");
    CHECK(c.from[2] == "type=registry,ref=IMG-cache:buildcache-x");
    CHECK(c.to[2] == "type=registry,ref=IMG-cache:buildcache-x,mode=max");
  }
}

namespace {

std::string with_factory_stages(const std::string& stages) { return std::string(matrix) + "factory_stages:\n" + stages; }

std::vector<std::string> ids(const nlohmann::json& jobs) {
  std::vector<std::string> out;
  for (const auto& j : jobs) out.push_back(j["id"]);
  return out;
}

}  // namespace

TEST_SUITE("plan::openwrt factory split") {
  TEST_CASE("without factory_stages: the default targets in one job allowed the whole limit") {
    auto plan = plan_of(matrix);
    const auto& jobs = file(plan, ".github/workflows/publish-builder-image.yml").values["jobs"];
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0]["id"] == "build-and-publish");
    CHECK(jobs[0]["timeout"] == 360);
    CHECK(jobs[0]["target"].is_null());
    CHECK(jobs[0]["tag_suffix"] == "");
    const auto& docker = file(plan, ".docker/Dockerfile").values;
    CHECK(docker["first_targets"] ==
          nlohmann::json::array({"toolchain/install", "package/feeds/packages/rust/host/compile"}));
    CHECK(docker["first_part"].is_null());
    CHECK(docker["later_parts"].is_null());
    std::string no_rust = matrix;
    no_rust += "toolchain: {rust: false}\n";
    CHECK(file(plan_of(no_rust), ".docker/Dockerfile").values["first_targets"] ==
          nlohmann::json::array({"toolchain/install"}));
  }

  TEST_CASE("factory_stages that fit: one job, the targets in order, timeout from the estimate") {
    auto plan = plan_of(with_factory_stages("  - {target: tools/install, estimate: 45m}\n"
                                            "  - {target: toolchain/install, estimate: 90m}\n"));
    const auto& jobs = file(plan, ".github/workflows/publish-builder-image.yml").values["jobs"];
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0]["id"] == "build-and-publish");
    CHECK(jobs[0]["timeout"] == 165);
    CHECK(file(plan, ".docker/Dockerfile").values["first_targets"] ==
          nlohmann::json::array({"tools/install", "toolchain/install"}));
    CHECK(plan.jobs[0].estimate_minutes == 135);
    // One item per make target, so plan --format json lists them apart.
    CHECK(plan.jobs[0].contains == std::vector<std::string>{"tools/install", "toolchain/install"});
  }

  TEST_CASE("a factory past the budget: chained jobs, each a Dockerfile part built on the previous part's image") {
    auto plan = plan_of(with_factory_stages("  - {target: tools/install, estimate: 45m}\n"
                                            "  - {target: toolchain/install, estimate: 90m}\n"
                                            "  - {target: package/feeds/packages/rust/host/compile, estimate: 4h}\n"));
    const auto& jobs = file(plan, ".github/workflows/publish-builder-image.yml").values["jobs"];
    CHECK(ids(jobs) == std::vector<std::string>{"build-and-publish-part-1", "build-and-publish-part-2"});
    CHECK(jobs[0]["target"] == "part-1");
    CHECK(jobs[0]["needs"].is_null());
    CHECK(jobs[0]["build_context"].is_null());
    CHECK(jobs[0]["tag_suffix"] == "-part-1");
    CHECK(jobs[0]["timeout"] == 165);
    CHECK(jobs[0]["cache_from"][0] == "type=gha,scope=${{ matrix.cache_scope }}-part-1-${{ github.ref_name }}");
    CHECK(jobs[0]["cache_from"][1] == "type=gha,scope=${{ matrix.cache_scope }}-part-1");
    CHECK(jobs[1]["target"] == "part-2");
    CHECK(jobs[1]["needs"] == "build-and-publish-part-1");
    CHECK(jobs[1]["build_context"] ==
          "part-1=docker-image://${{ steps.image.outputs.name }}:${{ matrix.tag }}-part-1");
    CHECK(jobs[1]["tag_suffix"] == "");
    CHECK(jobs[1]["timeout"] == 270);
    CHECK(jobs[1]["cache_to"][2] ==
          "type=registry,ref=${{ steps.image.outputs.name }}-cache:${{ matrix.cache_tag }}-part-2,mode=max");

    const auto& docker = file(plan, ".docker/Dockerfile").values;
    CHECK(docker["first_part"] == "part-1");
    CHECK(docker["first_targets"] == nlohmann::json::array({"tools/install", "toolchain/install"}));
    CHECK(docker["later_parts"] == nlohmann::json::parse(R"([{"name":"part-2","from":"part-1","previous":1,"number":2,
      "count":2,"targets":["package/feeds/packages/rust/host/compile"]}])"));

    REQUIRE(plan.jobs.size() == 4);
    CHECK(plan.jobs[1].needs == std::vector<std::string>{"build-and-publish-part-1"});
    CHECK(plan.jobs[1].note ==
          "new job: factory stage 'package/feeds/packages/rust/host/compile' (4h) would take the previous job from "
          "2h 15m past the 5h 30m budget");
  }

  TEST_CASE("a factory stage alone over the budget is an error at its entry") {
    auto m = forgeline::matrix::load(with_factory_stages("  - {target: tools/install, estimate: 45m}\n"
                                                         "  - {target: toolchain/install, estimate: 6h}\n"),
                                     "matrices/openwrt.yaml");
    REQUIRE(m);
    auto p = forgeline::model::build(*m);
    REQUIRE(p);
    auto plan = forgeline::plan::make_plan(*p);
    REQUIRE_FALSE(plan);
    REQUIRE(plan.error().size() == 1);
    CHECK(forgeline::util::format(plan.error()[0]) ==
          "matrices/openwrt.yaml:11:5: error: /factory_stages/1: factory stage 'toolchain/install' needs 6h but a job "
          "on ubuntu-24.04 may run 5h 30m (6h limit − 30m margin); list finer make targets in factory_stages or use a "
          "self-hosted runner with a larger job_limit");
  }

  TEST_CASE("600 architectures: every matrix sharded under 256, parts chained shard by shard") {
    std::string text = "forgeline: 1\nfamily: openwrt-package\npackage: pkg\nimage: ghcr.io/acme/b\nopenwrt: 24.10.1\n"
                       "architectures:\n";
    for (int i = 0; i < 600; ++i) text += "  - {arch: aarch64_x" + std::to_string(i) + ", sdk: s}\n";
    text += "factory_stages:\n  - {target: tools/install, estimate: 3h}\n  - {target: toolchain/install, estimate: 3h}\n";
    auto plan = plan_of(text);
    const auto& factory = file(plan, ".github/workflows/publish-builder-image.yml").values["jobs"];
    CHECK(ids(factory) == std::vector<std::string>{"build-and-publish-part-1-shard-1", "build-and-publish-part-1-shard-2",
                                                   "build-and-publish-part-1-shard-3", "build-and-publish-part-2-shard-1",
                                                   "build-and-publish-part-2-shard-2",
                                                   "build-and-publish-part-2-shard-3"});
    for (const auto& job : factory) CHECK(job["include"].size() == 200);
    CHECK(factory[1]["include"][0]["arch"] == "aarch64_x200");
    CHECK(factory[4]["needs"] == "build-and-publish-part-1-shard-2");

    const auto& assembly = file(plan, ".github/workflows/build-package.yml").values;
    CHECK(ids(assembly["shards"]) ==
          std::vector<std::string>{"build-package-shard-1", "build-package-shard-2", "build-package-shard-3"});
    CHECK(assembly["shards"][2]["output"] == "matrix_3");
    CHECK(assembly["single_matrix"].is_null());
    CHECK(nlohmann::json::parse(assembly["shards"][2]["json"].get<std::string>())["arch"].size() == 200);

    for (const auto& job : plan.jobs) CHECK(job.matrix_size <= 256);
    CHECK(plan.jobs[2].note == "shard 3 of 3: architectures 401-600 of 600 (a matrix runs at most 256 jobs)");
  }
}
