#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "matrix/load.hpp"
#include "model/build.hpp"
#include "plan/images.hpp"
#include "plan/openwrt.hpp"
#include "plan/plan.hpp"
#include "render/render.hpp"
#include "util/strings.hpp"

namespace {

forgeline::plan::Plan plan_of(const std::string& text, const forgeline::plan::Options& options = {}) {
  auto m = forgeline::matrix::load(text, "matrices/openwrt.yaml");
  REQUIRE_MESSAGE(m, forgeline::util::format(m.error().front()));
  auto p = forgeline::model::build(*m);
  REQUIRE_MESSAGE(p, forgeline::util::format(p.error().front()));
  auto plan = forgeline::plan::make_plan(*p, options);
  REQUIRE_MESSAGE(plan, forgeline::util::format(plan.error().front()));
  return *plan;
}

/// The first problem planning this matrix reports, as the command line prints it.
std::string plan_error(const std::string& text) {
  auto m = forgeline::matrix::load(text, "matrices/openwrt.yaml");
  REQUIRE(m);
  auto p = forgeline::model::build(*m);
  if (!p) return forgeline::util::format(p.error().front());
  auto plan = forgeline::plan::make_plan(*p);
  REQUIRE_FALSE(plan);
  return forgeline::util::format(plan.error().front());
}

const forgeline::plan::File& file(const forgeline::plan::Plan& plan, const std::string& path) {
  for (const auto& f : plan.files)
    if (f.path == path) return f;
  FAIL("no file " << path);
  throw;
}

/// The text a plan's file renders to with the built-in templates.
std::string rendered(const forgeline::plan::Plan& plan, const std::string& path) {
  forgeline::render::TemplateSource builtin;
  auto files = forgeline::render::render(plan, builtin);
  REQUIRE_MESSAGE(files, forgeline::util::format(files.error().front()));
  for (const auto& f : *files)
    if (f.path == path) return f.body;
  FAIL("no file " << path);
  throw;
}

constexpr const char* factory = ".github/workflows/publish-builder-image.yml";
constexpr const char* chain = ".github/workflows/builder-image.yml";
constexpr const char* assembly = ".github/workflows/build-package.yml";

constexpr const char* matrix = R"(forgeline: 1
family: openwrt-package
package: tollgate-wrt
image: ghcr.io/${owner}/${repo}/openwrt-rust-builder
openwrt: 24.10.8
architectures:
  - {arch: aarch64_cortex-a53, sdk: mediatek-filogic}
  - {arch: mips_24kc, sdk: ath79-generic}
)";

std::string with(const std::string& extra) { return std::string(matrix) + extra; }

std::vector<std::string> ids(const nlohmann::json& jobs) {
  std::vector<std::string> out;
  for (const auto& j : jobs) out.push_back(j["id"]);
  return out;
}

}  // namespace

TEST_SUITE("plan::openwrt") {
  TEST_CASE("files: the factory, its per-architecture chain, the assembly line, the Dockerfile and its ignore file") {
    auto plan = plan_of(matrix);
    std::vector<std::string> paths;
    for (const auto& f : plan.files) paths.push_back(f.path);
    CHECK(paths == std::vector<std::string>{factory, chain, assembly, ".docker/Dockerfile",
                                            ".docker/Dockerfile.dockerignore"});
  }

  TEST_CASE("a name prefixes every file, tag and cache, so two matrices can share a repository") {
    auto plan = plan_of(with("name: llvm\n"));
    std::vector<std::string> paths;
    for (const auto& f : plan.files) paths.push_back(f.path);
    CHECK(paths == std::vector<std::string>{".github/workflows/llvm-publish-builder-image.yml",
                                            ".github/workflows/llvm-builder-image.yml",
                                            ".github/workflows/llvm-build-package.yml", ".docker/llvm/Dockerfile",
                                            ".docker/llvm/Dockerfile.dockerignore"});
    const auto& v = file(plan, ".github/workflows/llvm-publish-builder-image.yml").values;
    CHECK(v["chain_file"] == "llvm-builder-image.yml");
    const auto& entry = v["shards"][0]["include"][0];
    CHECK(entry["tag"] == "llvm-aarch64_cortex-a53-24.10.8");
    CHECK(entry["cache_scope"] == "llvm-tollgate-wrt-builder-aarch64_cortex-a53");
    CHECK(entry["cache_tag"] == "buildcache-llvm-aarch64_cortex-a53");
    CHECK(file(plan, ".github/workflows/llvm-build-package.yml").values["factory_file"] ==
          "llvm-publish-builder-image.yml");
    CHECK(forgeline::plan::cache_conflicts({plan_of(matrix), plan}).empty());
  }

  TEST_CASE("factory: each architecture's SDK tag, image tag and caches, computed once") {
    auto plan = plan_of(matrix);
    const auto& include = file(plan, factory).values["shards"][0]["include"];
    REQUIRE(include.size() == 2);
    CHECK(include[0] == nlohmann::json::parse(R"({"arch":"aarch64_cortex-a53","sdk_tag":"mediatek-filogic-24.10.8",
      "tag":"aarch64_cortex-a53-24.10.8","cache_scope":"tollgate-wrt-builder-aarch64_cortex-a53",
      "cache_tag":"buildcache-aarch64_cortex-a53"})"));
    CHECK(include[1]["sdk_tag"] == "ath79-generic-24.10.8");
  }

  TEST_CASE("an architecture with '+' is pulled under the tag it is pushed as") {
    auto plan = plan_of(with("  - {arch: arm_cortex-a9+neon, sdk: mvebu-cortexa9, rust_target: armv7-unknown-linux-musleabihf}\n"));
    const auto& pushed = file(plan, factory).values["shards"][0]["include"][2];
    const auto pulled = nlohmann::json::parse(file(plan, assembly).values["shards"][0]["json"].get<std::string>());
    CHECK(pushed["tag"] == "arm_cortex-a9-neon-24.10.8");
    CHECK(pulled["include"][2] == nlohmann::json::parse(R"({"arch":"arm_cortex-a9+neon","tag":"arm_cortex-a9-neon-24.10.8"})"));
    // The workflows pass the tag through, never derive it from the architecture again.
    const std::string build = rendered(plan, assembly);
    CHECK(forgeline::util::contains(build, "image: ${{ needs.define-matrix.outputs.image }}:${{ matrix.tag }}-sha-${{ github.sha }}"));
    CHECK_FALSE(forgeline::util::contains(build, ":${{ matrix.arch }}"));
    const std::string publish = rendered(plan, factory);
    CHECK(forgeline::util::contains(publish, "      tag: ${{ matrix.tag }}\n"));
    CHECK(forgeline::util::contains(rendered(plan, chain), "echo \"sha_tag=$IMAGE:$TAG-sha-$GITHUB_SHA\""));
  }

  TEST_CASE("assembly line: knows only architectures and tags, calls the factory, survives a failed architecture") {
    auto plan = plan_of(matrix);
    const auto& v = file(plan, assembly).values;
    CHECK(v["shards"][0]["json"] == R"({"include":[{"arch":"aarch64_cortex-a53","tag":"aarch64_cortex-a53-24.10.8"},)"
                                    R"({"arch":"mips_24kc","tag":"mips_24kc-24.10.8"}]})");
    CHECK(v["factory_file"] == "publish-builder-image.yml");
    CHECK(v["commit_tag"] == "-sha-${{ github.sha }}");
    CHECK(v["artifact"] == "tollgate-wrt-${{ matrix.arch }}");
    CHECK(v["packages_path"] == "forgeline-out/packages/");
    CHECK(v["container_mode"] == true);
    const std::string text = rendered(plan, assembly);
    CHECK(forgeline::util::contains(text, "  builder-images:\n    name: Builder images\n"));
    CHECK(forgeline::util::contains(text, "    uses: ./.github/workflows/publish-builder-image.yml\n"));
    CHECK(forgeline::util::contains(text, "    needs: [define-matrix, builder-images]\n"
                                          "    # An architecture whose image failed fails alone: the others still build.\n"
                                          "    if: ${{ !cancelled() && needs.define-matrix.result == 'success' }}\n"));
    CHECK_FALSE(forgeline::util::contains(text, "sdk"));
    CHECK_FALSE(forgeline::util::contains(text, "rust_target"));
  }

  TEST_CASE("container mode copies the checkout into the SDK instead of symlinking it") {
    const std::string text = rendered(plan_of(matrix), assembly);
    CHECK(forgeline::util::contains(
        text, "          cp -a \"$GITHUB_WORKSPACE/tollgate-wrt\" /builder/forgeline-feed/tollgate-wrt\n"));
    CHECK_FALSE(forgeline::util::contains(text, "ln -s"));
  }

  TEST_CASE("factory: a matrix of per-architecture chains, so one architecture's failure stops only its own") {
    auto plan = plan_of(with("factory_stages:\n"
                             "  - {target: package/feeds/packages/rust/host/compile, estimate: 5h}\n"
                             "  - {target: package/feeds/packages/curl/compile, estimate: 1h}\n"));
    const auto& entry = file(plan, factory).values;
    REQUIRE(entry["shards"].size() == 1);
    CHECK(entry["shards"][0]["id"] == "builder");
    CHECK(entry["chain_file"] == "builder-image.yml");
    const std::string publish = rendered(plan, factory);
    CHECK(forgeline::util::contains(publish, "    strategy:\n      fail-fast: false\n"));
    CHECK(forgeline::util::contains(publish, "    uses: ./.github/workflows/builder-image.yml\n"));
    CHECK_FALSE(forgeline::util::contains(publish, "needs:"));
    // Inside one architecture's chain, part 2 needs only that architecture's part 1.
    const auto& jobs = file(plan, chain).values["jobs"];
    CHECK(ids(jobs) == std::vector<std::string>{"part-1", "part-2"});
    CHECK(jobs[1]["needs"] == "part-1");
    CHECK(jobs[1]["if"] == "needs.part-1.outputs.build == 'true'");
  }

  TEST_CASE("tags: content hash of the factory's inputs, branch and commit tags beside it, hashed part tags") {
    auto plan = plan_of(with("factory_stages:\n"
                             "  - {target: package/feeds/packages/rust/host/compile, estimate: 5h}\n"
                             "  - {target: package/feeds/packages/curl/compile, estimate: 1h}\n"));
    const auto& jobs = file(plan, chain).values["jobs"];
    const auto& script = jobs[0]["ref_step"]["script"];
    CHECK(script[1] == "hash=$( { sha256sum .docker/Dockerfile .docker/Dockerfile.dockerignore; printf '%s\\n' "
                       "\"SDK=$SDK_IMAGE:$SDK_TAG\"; } | sha256sum | cut -c1-16)");
    CHECK(script[3] == "  echo \"ref=$IMAGE:$TAG-$hash\"");
    CHECK(script[4] == "  echo \"branch_tag=$IMAGE:$TAG-$branch\"");
    CHECK(jobs[0]["tags"] == nlohmann::json::array({"${{ steps.ref.outputs.ref }}-part-1"}));
    CHECK(jobs[1]["build_context"] == "part-1=docker-image://${{ needs.part-1.outputs.ref }}-part-1");
    CHECK(jobs[1]["tags"] == nlohmann::json::array({"${{ needs.part-1.outputs.ref }}",
                                                    "${{ needs.part-1.outputs.branch_tag }}",
                                                    "${{ needs.part-1.outputs.sha_tag }}"}));
    CHECK(jobs[0]["retag"] == true);
    CHECK(jobs[0]["build_if"] == "steps.ref.outputs.build == 'true'");
  }

  TEST_CASE("docker-run mode: the Makefile is the only file of the repository in the image, after the expensive layers") {
    auto plan = plan_of(with("build: {mode: docker-run}\n"));
    CHECK(file(plan, ".docker/Dockerfile").values["makefile"]["package"] == "tollgate-wrt");
    CHECK(file(plan, assembly).values["docker_run_mode"] == true);
    CHECK(file(plan, chain).values["jobs"][0]["ref_step"]["script"][1] ==
          "hash=$( { sha256sum .docker/Dockerfile .docker/Dockerfile.dockerignore Makefile; printf '%s\\n' "
          "\"SDK=$SDK_IMAGE:$SDK_TAG\"; } | sha256sum | cut -c1-16)");
    const std::string docker = rendered(plan, ".docker/Dockerfile");
    const auto compile = docker.find("RUN make package/feeds/packages/rust/host/compile");
    const auto copy = docker.find("COPY --chown=buildbot:buildbot Makefile /builder/forgeline-feed/tollgate-wrt/Makefile\n");
    REQUIRE(compile != std::string::npos);
    REQUIRE(copy != std::string::npos);
    CHECK(compile < copy);
    CHECK(docker.find("COPY") == copy);
    CHECK(rendered(plan, ".docker/Dockerfile.dockerignore").ends_with("*\n!Makefile\n"));
    CHECK(rendered(plan_of(matrix), ".docker/Dockerfile.dockerignore").ends_with("\n*\n"));
    CHECK(rendered(plan_of(matrix), ".docker/Dockerfile").find("COPY") == std::string::npos);
  }

  TEST_CASE("the SDK comes from Docker Hub or the registry the matrix names") {
    CHECK(file(plan_of(matrix), ".docker/Dockerfile").values["sdk_image"] == "openwrt/sdk");
    auto plan = plan_of(with("sdk_image: ghcr.io/openwrt/sdk\n"));
    CHECK(file(plan, ".docker/Dockerfile").values["sdk_image"] == "ghcr.io/openwrt/sdk");
    CHECK(forgeline::util::contains(rendered(plan, ".docker/Dockerfile"),
                                    "ARG SDK_IMAGE=ghcr.io/openwrt/sdk\nARG SDK_TAG=mediatek-filogic-24.10.8\n"
                                    "FROM ${SDK_IMAGE}:${SDK_TAG}\n"));
    CHECK(forgeline::util::contains(rendered(plan, chain), "            SDK_IMAGE=ghcr.io/openwrt/sdk\n"));
  }

  TEST_CASE("OpenWrt defaults to the current release, whose SDK writes apk packages") {
    std::string text = matrix;
    const std::string release = "openwrt: 24.10.8\n";
    text.erase(text.find(release), release.size());
    auto plan = plan_of(text);
    CHECK(file(plan, factory).values["shards"][0]["include"][0]["sdk_tag"] == "mediatek-filogic-25.12.5");
    // An apk index is signed with the EC key in private-key.pem, not usign's key-build.
    const std::string signed_text = rendered(plan_of(text + "index: {signing_key_secret: APK_KEY}\n"), assembly);
    CHECK(forgeline::util::contains(signed_text, "> private-key.pem)\n"));
  }

  TEST_CASE("no rustup unless the matrix asks for host Rust tools; never a Tier 3 target") {
    auto plain = plan_of(matrix);
    CHECK(file(plain, ".docker/Dockerfile").values["rustup"].is_null());
    CHECK_FALSE(forgeline::util::contains(rendered(plain, ".docker/Dockerfile"), "rustup"));
    CHECK_FALSE(file(plain, factory).values["shards"][0]["include"][0].contains("rustup_target"));

    auto tools = plan_of(with("toolchain: {host_rust: 1.89.0}\n"));
    CHECK(file(tools, ".docker/Dockerfile").values["rustup"] ==
          nlohmann::json::parse(R"({"toolchain":"1.89.0","default_target":"aarch64-unknown-linux-musl"})"));
    const auto& include = file(tools, factory).values["shards"][0]["include"];
    CHECK(include[0]["rustup_target"] == "aarch64-unknown-linux-musl");
    CHECK(include[1]["rustup_target"] == "");  // mips-unknown-linux-musl is Tier 3
    const std::string docker = rendered(tools, ".docker/Dockerfile");
    CHECK(forgeline::util::contains(docker, "--default-toolchain 1.89.0"));
    CHECK(forgeline::util::contains(docker, "if [ -n \"${RUSTUP_TARGET}\" ]; then /builder/.cargo/bin/rustup target add"));
    CHECK(file(tools, chain).values["jobs"][0]["ref_step"]["script"][1] ==
          "hash=$( { sha256sum .docker/Dockerfile .docker/Dockerfile.dockerignore; printf '%s\\n' "
          "\"SDK=$SDK_IMAGE:$SDK_TAG\" \"RUSTUP_TARGET=$RUSTUP_TARGET\"; } | sha256sum | cut -c1-16)");

    std::string mips_first = with("toolchain: {host_rust: stable}\n");
    const std::string aarch64 = "  - {arch: aarch64_cortex-a53, sdk: mediatek-filogic}\n";
    mips_first.erase(mips_first.find(aarch64), aarch64.size());
    CHECK(file(plan_of(mips_first), ".docker/Dockerfile").values["rustup"]["default_target"] == "");
  }

  TEST_CASE("LLVM: the feed's option set to the matrix's choice, and a missing option fails the build") {
    CHECK(file(plan_of(matrix), ".docker/Dockerfile").values["llvm"]["to"] == "false");
    CHECK(file(plan_of(with("toolchain: {llvm: download}\n")), ".docker/Dockerfile").values["llvm"]["to"] == "true");
    CHECK(file(plan_of(with("toolchain: {rust: false}\n")), ".docker/Dockerfile").values["llvm"].is_null());
    const std::string docker = rendered(plan_of(matrix), ".docker/Dockerfile");
    CHECK(forgeline::util::contains(
        docker, "RUN grep -q -- '--set=llvm.download-ci-llvm=' feeds/packages/lang/rust/Makefile \\\n"
                " && sed -i 's/--set=llvm\\.download-ci-llvm=true/--set=llvm.download-ci-llvm=false/' "
                "feeds/packages/lang/rust/Makefile \\\n"
                " && grep -q -- '--set=llvm.download-ci-llvm=false' feeds/packages/lang/rust/Makefile\n"));
  }

  TEST_CASE("the build job's timeout comes from its estimate through the budget") {
    CHECK(file(plan_of(matrix), assembly).values["timeout"] == 90);  // default estimate 1h
    auto plan = plan_of(with("build: {mode: container, estimate: 20m}\n"));
    CHECK(file(plan, assembly).values["timeout"] == 50);
    CHECK(plan.jobs.back().estimate_minutes == 20);
    CHECK(plan_error(with("build: {estimate: 7h}\n")) ==
          "matrices/openwrt.yaml:9:19: error: /build/estimate: package build 'package/tollgate-wrt/compile' needs 7h "
          "but a job on ubuntu-24.04 may run 5h 30m (6h limit − 30m margin); pre-build its dependencies in "
          "factory_stages or use a self-hosted runner with a larger job_limit");
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

TEST_SUITE("plan::openwrt factory split") {
  TEST_CASE("without factory_stages: the Rust host toolchain in one job allowed the whole limit") {
    auto plan = plan_of(matrix);
    const auto& jobs = file(plan, chain).values["jobs"];
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0]["id"] == "build");
    CHECK(jobs[0]["timeout"] == 360);
    CHECK(jobs[0]["target"].is_null());
    CHECK(jobs[0]["tags"] == nlohmann::json::array({"${{ steps.ref.outputs.ref }}", "${{ steps.ref.outputs.branch_tag }}",
                                                    "${{ steps.ref.outputs.sha_tag }}"}));
    const auto& docker = file(plan, ".docker/Dockerfile").values;
    CHECK(docker["first_targets"] == nlohmann::json::array({"package/feeds/packages/rust/host/compile"}));
    CHECK(docker["first_part"].is_null());
    CHECK(docker["later_parts"].is_null());
    CHECK(file(plan_of(with("toolchain: {rust: false}\n")), ".docker/Dockerfile").values["first_targets"] ==
          nlohmann::json::array());
    const std::string text = rendered(plan, ".docker/Dockerfile");
    CHECK_FALSE(forgeline::util::contains(text, "tools/install"));
    CHECK_FALSE(forgeline::util::contains(text, "toolchain/install"));
    CHECK(forgeline::util::contains(text, "RUN ./scripts/feeds update -a \\\n && ./scripts/feeds install -a\n"));
    CHECK(forgeline::util::contains(text, "RUN make defconfig\nRUN make package/feeds/packages/rust/host/compile -j\"$(nproc)\"\n"));
    CHECK_FALSE(forgeline::util::contains(text, "USER root"));
  }

  TEST_CASE("factory_stages that fit: one job, the targets in order, timeout from the estimate") {
    auto plan = plan_of(with("factory_stages:\n"
                             "  - {target: package/feeds/packages/rust/host/compile, estimate: 3h}\n"
                             "  - {target: package/feeds/base/openssl/compile, estimate: 15m}\n"));
    const auto& jobs = file(plan, chain).values["jobs"];
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0]["timeout"] == 225);
    CHECK(plan.jobs[0].estimate_minutes == 195);
    CHECK(plan.jobs[0].contains ==
          std::vector<std::string>{"package/feeds/packages/rust/host/compile", "package/feeds/base/openssl/compile"});
    CHECK(plan.jobs[0].matrix_size == 2);
  }

  TEST_CASE("a factory past the budget: chained jobs, each a Dockerfile part built on the previous part's image") {
    auto plan = plan_of(with("factory_stages:\n"
                             "  - {target: package/feeds/packages/rust/host/compile, estimate: 4h40m}\n"
                             "  - {target: package/feeds/base/openssl/compile, estimate: 20m}\n"
                             "  - {target: package/feeds/packages/curl/compile, estimate: 45m}\n"));
    const auto& jobs = file(plan, chain).values["jobs"];
    CHECK(ids(jobs) == std::vector<std::string>{"part-1", "part-2"});
    CHECK(jobs[0]["target"] == "part-1");
    CHECK(jobs[0]["timeout"] == 330);
    CHECK(jobs[0]["cache_from"][0] == "type=gha,scope=${{ inputs.cache_scope }}-part-1-${{ github.ref_name }}");
    CHECK(jobs[1]["target"] == "part-2");
    CHECK(jobs[1]["timeout"] == 75);
    CHECK(jobs[1]["cache_to"][2] ==
          "type=registry,ref=${{ steps.image.outputs.name }}-cache:${{ inputs.cache_tag }}-part-2,mode=max");

    const auto& docker = file(plan, ".docker/Dockerfile").values;
    CHECK(docker["first_part"] == "part-1");
    CHECK(docker["first_targets"] ==
          nlohmann::json::array({"package/feeds/packages/rust/host/compile", "package/feeds/base/openssl/compile"}));
    CHECK(docker["later_parts"] == nlohmann::json::parse(R"([{"name":"part-2","from":"part-1","previous":1,"number":2,
      "count":2,"targets":["package/feeds/packages/curl/compile"]}])"));

    REQUIRE(plan.jobs.size() == 5);
    CHECK(plan.jobs[1].needs == std::vector<std::string>{"part-1"});
    CHECK(plan.jobs[1].note ==
          "new job: factory stage 'package/feeds/packages/curl/compile' (45m) would take the previous job from 5h "
          "past the 5h 30m budget");
    CHECK(plan.jobs[3].id == "init-scripts");
    CHECK(plan.jobs[4].needs == std::vector<std::string>{"define-matrix", "part-2"});
    CHECK(forgeline::plan::critical_path(plan).jobs == std::vector<std::string>{"part-1", "part-2", "build-package"});
  }

  TEST_CASE("a factory stage alone over the budget is an error at its entry") {
    CHECK(plan_error(with("factory_stages:\n"
                          "  - {target: package/feeds/packages/curl/compile, estimate: 45m}\n"
                          "  - {target: package/feeds/packages/rust/host/compile, estimate: 6h}\n")) ==
          "matrices/openwrt.yaml:11:5: error: /factory_stages/1: factory stage 'package/feeds/packages/rust/host/compile' "
          "needs 6h but a job on ubuntu-24.04 may run 5h 30m (6h limit − 30m margin); list finer make targets in "
          "factory_stages or use a self-hosted runner with a larger job_limit");
  }

  TEST_CASE("600 architectures: the factory's matrix of chains and the build matrix sharded under 256") {
    std::string text = "forgeline: 1\nfamily: openwrt-package\npackage: pkg\nimage: ghcr.io/acme/b\nopenwrt: 24.10.8\n"
                       "architectures:\n";
    for (int i = 0; i < 600; ++i) text += "  - {arch: aarch64_x" + std::to_string(i) + ", sdk: s}\n";
    auto plan = plan_of(text);
    const auto& shards = file(plan, factory).values["shards"];
    CHECK(ids(shards) == std::vector<std::string>{"builder-shard-1", "builder-shard-2", "builder-shard-3"});
    for (const auto& s : shards) CHECK(s["include"].size() == 200);
    CHECK(shards[1]["include"][0]["arch"] == "aarch64_x200");

    const auto& assembly_values = file(plan, assembly).values;
    CHECK(ids(assembly_values["shards"]) ==
          std::vector<std::string>{"build-package-shard-1", "build-package-shard-2", "build-package-shard-3"});
    CHECK(assembly_values["shards"][2]["output"] == "matrix_3");
    // A run for one architecture fills only its shard's matrix; the other shards skip.
    CHECK(assembly_values["shards"][2]["if"] ==
          "${{ !cancelled() && needs.define-matrix.result == 'success' && needs.define-matrix.outputs.matrix_3 != '' }}");
    const auto& script = assembly_values["matrix_script"];
    const auto at = std::find(script.begin(), script.end(), "  aarch64_x599)");
    REQUIRE(at != script.end());
    CHECK(*(at + 1) == R"(    echo 'matrix_3={"include":[{"arch":"aarch64_x599","tag":"aarch64_x599-24.10.8"}]}' >> "$GITHUB_OUTPUT")");
    CHECK(nlohmann::json::parse(assembly_values["shards"][2]["json"].get<std::string>())["include"].size() == 200);

    for (const auto& job : plan.jobs)
      if (job.workflow == "build-package.yml") CHECK(job.matrix_size <= 256);
    CHECK(plan.jobs[5].note == "shard 3 of 3: architectures 401-600 of 600 (a matrix runs at most 256 jobs)");
  }
}

namespace {

/// The build job's shell step of this name, as the plan hands it to the template.
nlohmann::json step(const forgeline::plan::Plan& plan, const std::string& name) {
  for (const auto& s : file(plan, assembly).values["steps"])
    if (s["name"] == name) return s;
  return nullptr;
}

std::vector<std::string> step_names(const forgeline::plan::Plan& plan) {
  std::vector<std::string> out;
  for (const auto& s : file(plan, assembly).values["steps"]) out.push_back(s["name"]);
  return out;
}

std::vector<std::string> lines(const nlohmann::json& step) { return step["lines"].get<std::vector<std::string>>(); }

constexpr const char* feed_matrix = R"(forgeline: 1
family: openwrt-package
feed:
  name: tollgate
  packages: [tollgate-wrt, luci-app-tollgate]
image: ghcr.io/${owner}/${repo}/openwrt-rust-builder
openwrt: 24.10.8
architectures:
  - {arch: aarch64_cortex-a53, sdk: mediatek-filogic}
  - {arch: mips_24kc, sdk: ath79-generic}
)";

}  // namespace

TEST_SUITE("plan::openwrt assembly line (gh-action-sdk's steps)") {
  TEST_CASE("the build job: the repository as a feed, checks, compile, collect; a failure uploads logs/") {
    auto plan = plan_of(matrix);
    CHECK(step_names(plan) == std::vector<std::string>{"Put the packages into the SDK",
                                                        "Download sources and check their hashes",
                                                        "Check that the patches need no refresh", "Compile",
                                                        "Collect packages"});
    CHECK(lines(step(plan, "Put the packages into the SDK")) ==
          std::vector<std::string>{
              "# A copy, not a symlink: make resolves a symlink to the checkout, where the package's",
              "# relative includes do not reach the SDK.",
              "rm -rf /builder/forgeline-feed",
              "mkdir -p /builder/forgeline-feed",
              "cp -a \"$GITHUB_WORKSPACE/tollgate-wrt\" /builder/forgeline-feed/tollgate-wrt",
              "# The sources belong to the runner's user; git run by package Makefiles runs as root.",
              "git config --global --add safe.directory '*'",
              "# The repository is the SDK's feed 'action', after the feeds of the image.",
              "[ -f feeds.conf ] || cp feeds.conf.default feeds.conf",
              "grep -qxF 'src-link action /builder/forgeline-feed' feeds.conf || echo 'src-link action "
              "/builder/forgeline-feed' >> feeds.conf",
              "./scripts/feeds update action",
              "./scripts/feeds install -p action -f tollgate-wrt",
              "printf '%s\\n' tollgate-wrt > forgeline-packages",
              "printf 'CONFIG_PACKAGE_%s=y\\n' tollgate-wrt >> .config",
              "make defconfig"});
    CHECK(lines(step(plan, "Collect packages")) ==
          std::vector<std::string>{"mkdir -p \"$GITHUB_WORKSPACE/forgeline-out\"/packages",
                                   "for dir in bin/packages/*/action; do",
                                   "  if [ -d \"$dir\" ]; then cp -a \"$dir/.\" \"$GITHUB_WORKSPACE/forgeline-out\"/packages/; fi",
                                   "done"});
    const auto& v = file(plan, assembly).values;
    CHECK(v["logs_step"]["if"] == "failure()");
    CHECK(lines(v["logs_step"]) ==
          std::vector<std::string>{"if [ -d logs ]; then mkdir -p \"$GITHUB_WORKSPACE/forgeline-out\" && cp -a logs "
                                   "\"$GITHUB_WORKSPACE/forgeline-out\"/logs; fi"});
    const std::string text = rendered(plan, assembly);
    CHECK(forgeline::util::contains(text, "    defaults:\n      run:\n        shell: bash\n        working-directory: /builder\n"));
    CHECK(forgeline::util::contains(text, "      - name: Upload build logs\n        if: failure()\n"));
    CHECK(forgeline::util::contains(text, "          name: tollgate-wrt-${{ matrix.arch }}-logs\n          path: forgeline-out/logs/\n"));
  }

  TEST_CASE("per package: download and check, failing on the three hash warnings the check prints") {
    const auto hashes = lines(step(plan_of(matrix), "Download sources and check their hashes"));
    CHECK(hashes[0] == "mapfile -t packages < forgeline-packages");
    CHECK(hashes[3] == "  make \"package/$pkg/download\" V=s BUILD_LOG=1");
    CHECK(hashes[4] == "  make \"package/$pkg/check\" V=s BUILD_LOG=1 2>&1 | tee forgeline-check.log");
    CHECK(hashes[6] ==
          "  if grep -qE 'HASH does not match |HASH uses deprecated hash,|HASH is missing,' forgeline-check.log; then");
    CHECK(hashes[8] == "    exit 1");
    CHECK(step(plan_of(with("checks: {hashes: false}\n")), "Download sources and check their hashes").is_null());
  }

  TEST_CASE("per package: refresh must leave the patches as they are, then the package is cleaned") {
    const auto refresh = lines(step(plan_of(matrix), "Check that the patches need no refresh"));
    CHECK(refresh[2] == "  patches=$(find -L /builder/forgeline-feed -type d -path \"*/$pkg/patches\" -print -quit)");
    CHECK(refresh[7] == "  make \"package/$pkg/refresh\" V=s BUILD_LOG=1");
    CHECK(refresh[9] == "  if ! diff -ru forgeline-patches \"$patches\"; then");
    CHECK(refresh[13] == "  # refresh leaves the sources unpacked and patched; the compile starts clean.");
    CHECK(refresh[14] == "  make \"package/$pkg/clean\" V=s");
    CHECK(step(plan_of(with("checks: {refresh: false}\n")), "Check that the patches need no refresh").is_null());
  }

  TEST_CASE("compile: a package the target does not enable is a warning; a failed compile runs again with V=s -j1") {
    auto plan = plan_of(matrix);
    const auto compile = step(plan, "Compile");
    CHECK(compile["exec_env"] == nlohmann::json::array({"ARCH"}));
    const auto l = lines(compile);
    CHECK(l[2] == "printf '%s\\n' '$(info $(sort $(package-y) $(package-m)))' 'print-enabled: ;@:' > "
                  "forgeline-enabled.mk");
    CHECK(l[3] == "make -s -f .config -f tmp/.packagedeps -f forgeline-enabled.mk print-enabled | tr ' ' '\\n' | "
                  "sed 's|.*/||' > forgeline-enabled");
    CHECK(l[5] == "  if ! grep -qxF \"$pkg\" forgeline-enabled; then");
    CHECK(l[6] == "    echo \"::warning title=$pkg not built for $ARCH::$pkg is not enabled for $ARCH (its DEPENDS or "
                  "@ conditions exclude this target), so it is not built\"");
    CHECK(l[7] == "    continue");
    CHECK(l[10] == "  if ! make \"package/$pkg/compile\" -j\"$(nproc)\" BUILD_LOG=1; then");
    CHECK(l[14] == "    make \"package/$pkg/compile\" V=s -j1 || true");
    CHECK(l[17] == "    exit 1");
    CHECK(forgeline::util::contains(rendered(plan, assembly), "    env:\n      ARCH: ${{ matrix.arch }}\n"));
  }

  TEST_CASE("init scripts: shfmt -sr -s once on the runner, not per architecture; switched off, no job") {
    auto plan = plan_of(matrix);
    const auto& job = file(plan, assembly).values["init_scripts"];
    CHECK(job["lines"][0] == "mapfile -t scripts < <(if [ -d files ]; then find files -name '*.init' -type f; fi | sort)");
    CHECK(job["lines"][9] == "if ! shfmt -d -sr -s \"${scripts[@]}\"; then");
    CHECK(plan.jobs[2].id == "init-scripts");
    CHECK(plan.jobs[2].needs.empty());
    const std::string text = rendered(plan, assembly);
    CHECK(forgeline::util::contains(text, "  init-scripts:\n    name: Init scripts (shfmt)\n"));
    CHECK(forgeline::util::contains(text, "          sudo apt-get install -y -qq shfmt\n"));

    auto off = plan_of(with("checks: {shfmt: false}\n"));
    CHECK(file(off, assembly).values["init_scripts"].is_null());
    CHECK_FALSE(forgeline::util::contains(rendered(off, assembly), "shfmt"));
    for (const auto& j : off.jobs) CHECK(j.id != "init-scripts");

    CHECK(file(plan_of(feed_matrix), assembly).values["init_scripts"]["lines"][0] ==
          "mapfile -t scripts < <(for pkg in tollgate-wrt luci-app-tollgate; do find . -path \"*/$pkg/files/*\" -name "
          "'*.init' -type f -not -path '*/.git/*'; done | sort)");
  }

  TEST_CASE("a feed of packages: listed, or every package of the feed found in its index") {
    auto plan = plan_of(feed_matrix);
    const auto prepare = lines(step(plan, "Put the packages into the SDK"));
    CHECK(prepare[0] == "rm -rf /builder/forgeline-feed");
    CHECK(prepare[1] == "ln -s \"$GITHUB_WORKSPACE/tollgate\" /builder/forgeline-feed");
    CHECK(prepare[6] == "grep -qxF 'src-link tollgate /builder/forgeline-feed' feeds.conf || echo 'src-link tollgate "
                        "/builder/forgeline-feed' >> feeds.conf");
    CHECK(prepare[8] == "./scripts/feeds install -p tollgate -f tollgate-wrt luci-app-tollgate");
    CHECK(prepare[9] == "printf '%s\\n' tollgate-wrt luci-app-tollgate > forgeline-packages");
    CHECK(file(plan, assembly).values["artifact"] == "tollgate-${{ matrix.arch }}");
    CHECK(plan.jobs.back().contains == std::vector<std::string>{"compile tollgate-wrt, luci-app-tollgate"});
    CHECK(file(plan, factory).values["shards"][0]["include"][0]["cache_scope"] == "tollgate-builder-aarch64_cortex-a53");

    std::string all = feed_matrix;
    all.replace(all.find("  packages: [tollgate-wrt, luci-app-tollgate]\n"),
                std::string("  packages: [tollgate-wrt, luci-app-tollgate]\n").size(), "  path: feeds/net\n");
    auto every = plan_of(all);
    const auto found = lines(step(every, "Put the packages into the SDK"));
    CHECK(found[1] == "ln -s \"$GITHUB_WORKSPACE/tollgate/feeds/net\" /builder/forgeline-feed");
    CHECK(found[8] == "./scripts/feeds install -p tollgate -f -a");
    CHECK(found[9] == "sed -n 's|^Source-Makefile: .*/\\([^/]*\\)/Makefile$|\\1|p' feeds/tollgate.index | sort -u > "
                      "forgeline-packages");
    CHECK(found[10] == "if [ ! -s forgeline-packages ]; then echo \"::error::feed tollgate has no packages\"; exit 1; fi");
    CHECK(found[11] == "make defconfig");
    CHECK(every.jobs.back().contains == std::vector<std::string>{"compile every package of feed tollgate"});
    CHECK(file(every, assembly).values["init_scripts"]["lines"][0] ==
          "mapfile -t scripts < <(find feeds/net -path '*/files/*' -name '*.init' -type f -not -path '*/.git/*' | sort)");
  }

  TEST_CASE("the package index: unsigned and said so, or signed with the key from the secret the matrix names") {
    auto unsigned_plan = plan_of(with("index: true\n"));
    CHECK(lines(step(unsigned_plan, "Build the package index")) ==
          std::vector<std::string>{
              "echo \"The package index is not signed: the matrix names no index.signing_key_secret\"",
              "make package/index V=s CONFIG_SIGNED_PACKAGES="});
    CHECK(step(plan_of(matrix), "Build the package index").is_null());

    auto signed_plan = plan_of(with("index: {signing_key_secret: USIGN_KEY}\n"));
    const auto index = step(signed_plan, "Build the package index");
    CHECK(index["env"]["list"] == nlohmann::json::parse(R"([{"name":"SIGNING_KEY","value":"${{ secrets.USIGN_KEY }}"}])"));
    CHECK(index["exec_env"] == nlohmann::json::array({"SIGNING_KEY"}));
    CHECK(lines(index) ==
          std::vector<std::string>{
              "if [ -n \"${SIGNING_KEY:-}\" ]; then",
              "  trap 'rm -f key-build' EXIT",
              "  (umask 077 && printf '%s\\n' \"$SIGNING_KEY\" > key-build)",
              "  signed=y",
              "  echo \"Signing the package index with the key in secret USIGN_KEY\"",
              "else",
              "  signed=",
              "  echo \"::warning title=Unsigned package index::secret USIGN_KEY is empty (pull requests from forks get "
              "no secrets), so the package index is not signed\"",
              "fi",
              "make package/index V=s CONFIG_SIGNED_PACKAGES=\"$signed\""});
    CHECK(step_names(signed_plan)[4] == "Build the package index");
    // The secret reaches the script through env: only.
    const std::string text = rendered(signed_plan, assembly);
    CHECK(forgeline::util::contains(text, "        env:\n          SIGNING_KEY: ${{ secrets.USIGN_KEY }}\n"));
    CHECK(plan_error(with("index: {signing_key_secret: GITHUB_KEY}\n")) ==
          "matrices/openwrt.yaml:9:29: error: /index/signing_key_secret: GitHub reserves secret names starting with "
          "GITHUB_; store the key under another name, such as PACKAGE_SIGNING_KEY");
  }

  TEST_CASE("workflow_dispatch: one architecture only, in the assembly line and the factory") {
    auto plan = plan_of(matrix);
    const auto& v = file(plan, assembly).values;
    CHECK(v["arch_options"] == nlohmann::json::array({"all", "aarch64_cortex-a53", "mips_24kc"}));
    CHECK(v["matrix_script"] ==
          nlohmann::json::array(
              {"case \"$ARCH\" in", "  all)",
               R"(    echo 'matrix={"include":[{"arch":"aarch64_cortex-a53","tag":"aarch64_cortex-a53-24.10.8"},{"arch":"mips_24kc","tag":"mips_24kc-24.10.8"}]}' >> "$GITHUB_OUTPUT")",
               "    ;;", "  aarch64_cortex-a53)",
               R"(    echo 'matrix={"include":[{"arch":"aarch64_cortex-a53","tag":"aarch64_cortex-a53-24.10.8"}]}' >> "$GITHUB_OUTPUT")",
               "    ;;", "  mips_24kc)",
               R"(    echo 'matrix={"include":[{"arch":"mips_24kc","tag":"mips_24kc-24.10.8"}]}' >> "$GITHUB_OUTPUT")",
               "    ;;", "  *)", "    echo \"::error::this pipeline builds no architecture '$ARCH'\"", "    exit 1",
               "    ;;", "esac"}));
    const std::string text = rendered(plan, assembly);
    CHECK(forgeline::util::contains(text, "      arch:\n        description: Build the image and packages of this "
                                          "architecture only\n        type: choice\n        options:\n          - all\n"
                                          "          - aarch64_cortex-a53\n          - mips_24kc\n        default: all\n"));
    CHECK(forgeline::util::contains(text, "    with:\n      arch: ${{ inputs.arch || 'all' }}\n"));
    CHECK(forgeline::util::contains(text, "        env:\n          ARCH: ${{ inputs.arch || 'all' }}\n"));
    // The factory passes the choice to each chain, whose first job runs for its own architecture only.
    CHECK(forgeline::util::contains(rendered(plan, factory), "      only: ${{ inputs.arch }}\n"));
    CHECK(file(plan, chain).values["jobs"][0]["if"] == "inputs.only == 'all' || inputs.only == inputs.arch");
  }

  TEST_CASE("snapshot: SNAPSHOT SDK images, apk packages, setup.sh, and a new image when a new SDK is published") {
    std::string text = matrix;
    text.replace(text.find("openwrt: 24.10.8"), 16, "openwrt: snapshot");
    auto plan = plan_of(text + "index: {signing_key_secret: APK_KEY}\n");
    const auto& entry = file(plan, factory).values["shards"][0]["include"][0];
    CHECK(entry["sdk_tag"] == "mediatek-filogic-SNAPSHOT");
    CHECK(entry["tag"] == "aarch64_cortex-a53-snapshot");
    CHECK(entry["sdk_checksums"] == "https://downloads.openwrt.org/snapshots/targets/mediatek/filogic/sha256sums");
    const auto& script = file(plan, chain).values["jobs"][0]["ref_step"]["script"];
    CHECK(script[0] ==
          "sdk_archive=$(curl -fsSL \"$SDK_CHECKSUMS\" | grep -E 'sdk-.*\\.Linux-x86_64\\.tar\\.(xz|zst)$')");
    CHECK(script[2] == "hash=$( { sha256sum .docker/Dockerfile .docker/Dockerfile.dockerignore; printf '%s\\n' "
                       "\"SDK=$SDK_IMAGE:$SDK_TAG\" \"SDK_ARCHIVE=$sdk_archive\"; } | sha256sum | cut -c1-16)");
    const std::string docker = rendered(plan, ".docker/Dockerfile");
    CHECK(forgeline::util::contains(docker, "ARG SDK_TAG=mediatek-filogic-SNAPSHOT\n"));
    CHECK(forgeline::util::contains(docker, "WORKDIR /builder\n# A snapshot image ships openwrt/docker's setup.sh"));
    CHECK(docker.find("RUN ./setup.sh\n") < docker.find("RUN ./scripts/feeds update -a"));
    CHECK(forgeline::util::contains(rendered(plan, assembly), "> private-key.pem)\n"));
    CHECK(forgeline::util::contains(rendered(plan, factory), "            sdk_checksums: https://downloads.openwrt.org/"
                                                             "snapshots/targets/mediatek/filogic/sha256sums\n"));
    // A release needs none of it.
    CHECK_FALSE(forgeline::util::contains(rendered(plan_of(matrix), ".docker/Dockerfile"), "setup.sh"));
    CHECK_FALSE(file(plan_of(matrix), factory).values["shards"][0]["include"][0].contains("sdk_checksums"));

    CHECK(plan_error(text + "  - {arch: x86_64, sdk: x86_64}\n") ==
          "matrices/openwrt.yaml:9:25: error: /architectures/2/sdk: a snapshot build needs the SDK as "
          "<target>-<subtarget> (such as mediatek-filogic), not 'x86_64': the factory rebuilds the image when "
          "downloads.openwrt.org publishes a new snapshot SDK of that target");
  }

  TEST_CASE("extra feeds: after the SDK's pinned ones, or instead of them; names may not collide") {
    auto plan = plan_of(with("feeds:\n"
                             "  - {name: extras, url: https://github.com/example/openwrt-extras.git, branch: main}\n"
                             "  - {name: pinned, url: https://github.com/example/pinned.git, commit: 0123abc}\n"));
    const std::string docker = rendered(plan, ".docker/Dockerfile");
    CHECK(forgeline::util::contains(
        docker, "# The SDK's feeds as its feeds.conf.default lists them (a release pins them to the commits it\n"
                "# was built from), then the matrix's.\n"
                "RUN cp feeds.conf.default feeds.conf \\\n"
                " && printf '%s\\n' \\\n"
                "    'src-git extras https://github.com/example/openwrt-extras.git;main' \\\n"
                "    'src-git pinned https://github.com/example/pinned.git^0123abc' \\\n"
                "    >> feeds.conf\n"
                "RUN ./scripts/feeds update -a \\\n"));
    // Without feeds the SDK's feeds.conf.default is used as it is, and the image stays as it was.
    CHECK_FALSE(forgeline::util::contains(rendered(plan_of(matrix), ".docker/Dockerfile"), "feeds.conf"));

    auto own = plan_of(with("default_feeds: false\ntoolchain: {rust: false}\nfeeds:\n"
                            "  - {name: packages, url: https://github.com/example/packages.git}\n"));
    CHECK(forgeline::util::contains(rendered(own, ".docker/Dockerfile"),
                                    "RUN : > feeds.conf \\\n && printf '%s\\n' \\\n"
                                    "    'src-git packages https://github.com/example/packages.git' \\\n"));

    CHECK(plan_error(with("feeds:\n  - {name: packages, url: https://github.com/example/packages.git}\n")) ==
          "matrices/openwrt.yaml:10:12: error: /feeds/0/name: the SDK's feeds.conf.default already has a feed "
          "'packages'; set default_feeds: false to replace the SDK's feeds");
    CHECK(plan_error(with("feeds:\n  - {name: action, url: https://github.com/example/a.git}\n")) ==
          "matrices/openwrt.yaml:10:12: error: /feeds/0/name: 'action' is the feed the repository becomes in the "
          "SDK; name this feed otherwise");
    CHECK(plan_error(with("feeds:\n  - {name: x, url: https://github.com/example/a.git}\n"
                          "  - {name: x, url: https://github.com/example/b.git}\n")) ==
          "matrices/openwrt.yaml:11:12: error: /feeds/1/name: feed 'x' is already named at /feeds/0");
    CHECK(plan_error(with("feeds:\n  - {name: x, url: https://github.com/example/a.git, branch: main, commit: 0123abc}\n")) ==
          "matrices/openwrt.yaml:10:76: error: /feeds/0/commit: a feed follows a branch or is pinned to a commit, not both");
    CHECK(plan_error(with("default_feeds: false\n")) ==
          "matrices/openwrt.yaml:9:16: error: /default_feeds: without the SDK's feeds there is no 'packages' feed, "
          "which holds the Rust toolchain (lang/rust); add a feed named 'packages' to feeds, or set toolchain.rust: false");
  }

  TEST_CASE("docker-run mode: one started container, each step through docker exec, removed at the end") {
    auto plan = plan_of(with("build: {mode: docker-run}\nindex: {signing_key_secret: USIGN_KEY}\n"));
    const auto& v = file(plan, assembly).values;
    CHECK(v["start"] == nlohmann::json::array({"mkdir -p \"$RUNNER_TEMP/forgeline-out\"",
                                                "builder=$(docker run -d --user root \\",
                                                "  -v \"$PWD:/builder/forgeline-feed/tollgate-wrt\" \\",
                                                "  -v \"$RUNNER_TEMP/forgeline-out:/forgeline-out\" \\",
                                                "  -w /builder \"$IMAGE\" sleep infinity)",
                                                "echo \"BUILDER=$builder\" >> \"$GITHUB_ENV\""}));
    CHECK(v["packages_path"] == "${{ runner.temp }}/forgeline-out/packages/");
    // The sources are mounted where the image's Makefile is: no copy.
    CHECK(lines(step(plan, "Put the packages into the SDK"))[0] ==
          "# The sources belong to the runner's user; git run by package Makefiles runs as root.");
    CHECK(lines(step(plan, "Collect packages"))[0] == "mkdir -p /forgeline-out/packages");
    const std::string text = rendered(plan, assembly);
    CHECK(forgeline::util::contains(
        text, "          docker exec -w /builder -e SIGNING_KEY \"$BUILDER\" bash -eo pipefail /tmp/forgeline-step\n"));
    CHECK(forgeline::util::contains(
        text, "          docker exec -w /builder -e ARCH \"$BUILDER\" bash -eo pipefail /tmp/forgeline-step\n"));
    CHECK(forgeline::util::contains(text, "      - name: Stop the builder image\n        if: always()\n"));
    // Logs are collected from the container only when it started.
    CHECK(v["logs_step"]["if"] == "failure() && env.BUILDER != ''");
    CHECK(forgeline::util::contains(text, "      - name: Collect build logs\n        if: failure() && env.BUILDER != ''\n"));
    CHECK(forgeline::util::contains(text, "          docker exec -i \"$BUILDER\" sh -c 'cat > /tmp/forgeline-step' <<'STEP'\n"
                                          "          # The sources belong"));

    // A feed has no one Makefile: its image holds nothing of the repository; the checkout is mounted whole.
    std::string feed = feed_matrix;
    auto feed_plan = plan_of(feed + "build: {mode: docker-run}\n");
    CHECK(file(feed_plan, ".docker/Dockerfile").values["makefile"].is_null());
    CHECK(rendered(feed_plan, ".docker/Dockerfile.dockerignore").ends_with("\n*\n"));
    CHECK(file(feed_plan, assembly).values["start"][2] == "  -v \"$PWD:/builder/forgeline-src\" \\");
    CHECK(lines(step(feed_plan, "Put the packages into the SDK"))[1] ==
          "ln -s \"/builder/forgeline-src\" /builder/forgeline-feed");
  }

  TEST_CASE("another registry: every workflow that logs in or passes secrets on names them, above its name") {
    std::string quay = matrix;
    quay.replace(quay.find("ghcr.io/${owner}/${repo}/openwrt-rust-builder"), 44, "quay.io/acme/openwrt-builder");
    const auto plan = plan_of(quay);
    for (const char* workflow : {factory, chain, assembly})
      CHECK_MESSAGE(forgeline::util::contains(
                        rendered(plan, workflow),
                        "# Logging in to quay.io needs the repository secrets REGISTRY_USERNAME and "
                        "REGISTRY_PASSWORD\n# (Settings → Secrets and variables → Actions): add them before the "
                        "first run.\nname: "),
                    workflow);
    for (const char* workflow : {factory, chain, assembly})
      CHECK_FALSE(forgeline::util::contains(rendered(plan_of(matrix), workflow), "REGISTRY_USERNAME"));
  }

  TEST_CASE("a self-hosted factory keeps its buildx builder, so BuildKit's cache mounts outlive the job") {
    const auto hosted = rendered(plan_of(matrix), chain);
    CHECK(forgeline::util::contains(hosted, "      - name: Set up Buildx\n        uses: docker/setup-buildx-action@v4\n      - name: Input hash"));
    const auto self_hosted = rendered(plan_of(with("runner: {labels: [self-hosted, linux, x64], job_limit: 24h}\n")), chain);
    CHECK(forgeline::util::contains(self_hosted, "uses: docker/setup-buildx-action@v4\n        with:\n"
                                                 "          # Kept after the job, so BuildKit's cache mounts are there for the next build here.\n"
                                                 "          name: forgeline\n          cleanup: false\n"));
  }
}
