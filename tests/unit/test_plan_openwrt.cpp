#include <doctest/doctest.h>

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
    CHECK_FALSE(forgeline::util::contains(build, "${{ matrix.arch }}-"));
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
    CHECK(v["package_glob"] == "tollgate-wrt*.ipk");
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
    CHECK(forgeline::util::contains(text, "cp -a \"$GITHUB_WORKSPACE/tollgate-wrt\" /builder/package/tollgate-wrt\n"));
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
    CHECK(file(plan, ".docker/Dockerfile").values["snapshot"] == true);
    CHECK(file(plan, assembly).values["docker_run_mode"] == true);
    CHECK(file(plan, chain).values["jobs"][0]["ref_step"]["script"][1] ==
          "hash=$( { sha256sum .docker/Dockerfile .docker/Dockerfile.dockerignore Makefile; printf '%s\\n' "
          "\"SDK=$SDK_IMAGE:$SDK_TAG\"; } | sha256sum | cut -c1-16)");
    const std::string docker = rendered(plan, ".docker/Dockerfile");
    const auto compile = docker.find("RUN make package/feeds/packages/rust/host/compile");
    const auto copy = docker.find("COPY --chown=buildbot:buildbot Makefile package/tollgate-wrt/Makefile\n");
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
    CHECK(file(plan, assembly).values["package_glob"] == "tollgate-wrt*.apk");
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

    REQUIRE(plan.jobs.size() == 4);
    CHECK(plan.jobs[1].needs == std::vector<std::string>{"part-1"});
    CHECK(plan.jobs[1].note ==
          "new job: factory stage 'package/feeds/packages/curl/compile' (45m) would take the previous job from 5h "
          "past the 5h 30m budget");
    CHECK(plan.jobs[3].needs == std::vector<std::string>{"define-matrix", "part-2"});
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
    CHECK(assembly_values["single_matrix"].is_null());
    CHECK(nlohmann::json::parse(assembly_values["shards"][2]["json"].get<std::string>())["include"].size() == 200);

    for (const auto& job : plan.jobs)
      if (job.workflow == "build-package.yml") CHECK(job.matrix_size <= 256);
    CHECK(plan.jobs[4].note == "shard 3 of 3: architectures 401-600 of 600 (a matrix runs at most 256 jobs)");
  }
}
