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
    const auto& include = file(plan, ".github/workflows/publish-builder-image.yml").values["include"];
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
    CHECK(v["matrix_json"] == R"({"arch":["aarch64_cortex-a53","mips_24kc"]})");
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
