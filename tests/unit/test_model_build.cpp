#include <doctest/doctest.h>

#include <string>

#include "matrix/load.hpp"
#include "model/build.hpp"

namespace {

forgeline::util::Result<forgeline::model::Project> project_of(const std::string& text) {
  auto m = forgeline::matrix::load(text, "m.yaml");
  REQUIRE(m);
  return forgeline::model::build(*m);
}

constexpr const char* head = R"(forgeline: 1
family: openwrt-package
package: pkg
image: GHCR.io/Acme/${repo}/Builder
openwrt: 24.10.1
)";

}  // namespace

TEST_SUITE("model::build") {
  TEST_CASE("defaults: Rust target from the known table, hosted runner limit, lowercase image") {
    auto p = project_of(std::string(head) + "architectures:\n  - {arch: mips_24kc, sdk: ath79-generic}\n  - {arch: x86_64, sdk: x86-64, rust_target: custom-target}\n");
    REQUIRE(p);
    const auto& pkg = std::get<forgeline::model::OpenwrtPackage>(p->family);
    CHECK(pkg.architectures[0].rust_target == "mips-unknown-linux-musl");
    CHECK(pkg.architectures[1].rust_target == "custom-target");
    CHECK(pkg.runner.labels == std::vector<std::string>{"ubuntu-24.04"});
    CHECK(pkg.runner.job_limit_minutes == 360);
    CHECK(pkg.image.registry == "ghcr.io");
    CHECK(pkg.image.path == "acme/${repo}/builder");
    CHECK(pkg.build_mode == forgeline::model::BuildMode::container);
    CHECK(pkg.llvm == forgeline::model::LlvmMode::source);
    CHECK(pkg.sdk_image == "openwrt/sdk");
    CHECK(pkg.host_rust.empty());
    CHECK(pkg.name.empty());
    CHECK(pkg.build.target == "package/pkg/compile");
    CHECK(pkg.build.estimate_minutes == 0);
  }

  TEST_CASE("an OpenWrt release, SDK registry, host Rust tools, name and build estimate from the matrix") {
    auto p = project_of(R"(forgeline: 1
family: openwrt-package
name: ghcr
package: pkg
image: ghcr.io/acme/builder
sdk_image: ghcr.io/openwrt/sdk
toolchain: {llvm: download, host_rust: stable}
build: {mode: docker-run, estimate: 25m}
architectures:
  - {arch: x86_64, sdk: x86-64}
)");
    REQUIRE(p);
    const auto& pkg = std::get<forgeline::model::OpenwrtPackage>(p->family);
    CHECK(pkg.openwrt_version == "25.12.5");
    CHECK(pkg.sdk_image == "ghcr.io/openwrt/sdk");
    CHECK(pkg.llvm == forgeline::model::LlvmMode::download);
    CHECK(pkg.host_rust == "stable");
    CHECK(pkg.name == "ghcr");
    CHECK(pkg.build_mode == forgeline::model::BuildMode::docker_run);
    CHECK(pkg.build.estimate_minutes == 25);
  }

  TEST_CASE("the repository as one package or a feed; feeds, checks and index default as gh-action-sdk's do") {
    auto p = project_of(std::string(head) + "architectures:\n  - {arch: x86_64, sdk: x86-64}\n");
    REQUIRE(p);
    const auto& pkg = std::get<forgeline::model::OpenwrtPackage>(p->family);
    CHECK_FALSE(pkg.feed_mode);
    CHECK(pkg.feed_name == "action");
    CHECK(pkg.packages == std::vector<std::string>{"pkg"});
    CHECK(pkg.feeds.empty());
    CHECK(pkg.default_feeds);
    CHECK(pkg.checks.hashes);
    CHECK(pkg.checks.refresh);
    CHECK(pkg.checks.shfmt);
    CHECK_FALSE(pkg.index);

    auto f = project_of(R"(forgeline: 1
family: openwrt-package
feed: {name: myfeed, path: feeds/net/, packages: [a, b]}
image: ghcr.io/acme/builder
feeds:
  - {name: extra, url: https://github.com/acme/extra.git, commit: 0123abc}
checks: {hashes: false, shfmt: false}
index: {signing_key_secret: KEY}
architectures:
  - {arch: x86_64, sdk: x86-64}
)");
    REQUIRE(f);
    const auto& feed = std::get<forgeline::model::OpenwrtPackage>(f->family);
    CHECK(feed.feed_mode);
    CHECK(feed.package.empty());
    CHECK(feed.feed_name == "myfeed");
    CHECK(feed.feed_path == "feeds/net");
    CHECK(feed.packages == std::vector<std::string>{"a", "b"});
    REQUIRE(feed.feeds.size() == 1);
    CHECK(feed.feeds[0].commit == "0123abc");
    CHECK(feed.feeds[0].branch.empty());
    CHECK_FALSE(feed.checks.hashes);
    CHECK(feed.checks.refresh);
    CHECK_FALSE(feed.checks.shfmt);
    CHECK(feed.index);
    CHECK(feed.index_signing_secret == "KEY");
    CHECK(feed.build.target == "the packages of feed 'myfeed'");
  }

  TEST_CASE("a factory stage the SDK has no make target for is an error at the target") {
    auto p = project_of(std::string(head) + R"(architectures:
  - {arch: x86_64, sdk: x86-64}
factory_stages:
  - {target: package/feeds/packages/rust/host/compile, estimate: 4h}
  - {target: tools/install, estimate: 45m}
  - {target: toolchain/install, estimate: 90m}
)");
    REQUIRE_FALSE(p);
    REQUIRE(p.error().size() == 2);
    CHECK(forgeline::util::format(p.error()[0]) ==
          "m.yaml:10:14: error: /factory_stages/1/target: an OpenWrt SDK has no make target 'tools/install': its "
          "toolchain comes prebuilt and its Makefile builds packages only; use package/<dir>/compile, "
          "package/<dir>/host/compile (the Rust toolchain: package/feeds/packages/rust/host/compile), defconfig or "
          "download");
    CHECK(forgeline::util::format(p.error()[1]).starts_with(
        "m.yaml:11:14: error: /factory_stages/2/target: an OpenWrt SDK has no make target 'toolchain/install': "));
  }

  TEST_CASE("an unknown architecture without rust_target is an error listing the known ones") {
    auto p = project_of(std::string(head) + "architectures:\n  - {arch: sparc_v8, sdk: sparc}\n");
    REQUIRE_FALSE(p);
    CHECK(forgeline::util::format(p.error().front()) ==
          "m.yaml:7:12: error: /architectures/0/arch: no known Rust target for 'sparc_v8'; add rust_target (known "
          "architectures: aarch64_cortex-a53, aarch64_cortex-a72, aarch64_generic, arm_cortex-a15_neon-vfpv4, "
          "arm_cortex-a7_neon-vfpv4, arm_cortex-a9_vfpv3-d16, i386_pentium4, mips_24kc, mipsel_24kc, "
          "riscv64_riscv64, x86_64)");
  }

  TEST_CASE("every architecture in DESIGN.md maps to its Rust target") {
    using forgeline::model::rust_target_for;
    CHECK(rust_target_for("aarch64_cortex-a53") == "aarch64-unknown-linux-musl");
    CHECK(rust_target_for("aarch64_anything") == "aarch64-unknown-linux-musl");
    CHECK(rust_target_for("arm_cortex-a7_neon-vfpv4") == "armv7-unknown-linux-musleabihf");
    CHECK(rust_target_for("arm_cortex-a15_neon-vfpv4") == "armv7-unknown-linux-musleabihf");
    CHECK(rust_target_for("arm_cortex-a9_vfpv3-d16") == "armv7-unknown-linux-musleabihf");
    CHECK(rust_target_for("mips_24kc") == "mips-unknown-linux-musl");
    CHECK(rust_target_for("mipsel_24kc") == "mipsel-unknown-linux-musl");
    CHECK(rust_target_for("x86_64") == "x86_64-unknown-linux-musl");
    CHECK(rust_target_for("i386_pentium4") == "i586-unknown-linux-musl");
    CHECK(rust_target_for("riscv64_riscv64") == "riscv64gc-unknown-linux-musl");
    CHECK_FALSE(rust_target_for("sparc_v8"));
  }

  TEST_CASE("durations and runner limits") {
    using forgeline::model::default_job_limit;
    using forgeline::model::parse_minutes;
    CHECK(parse_minutes("45m") == 45);
    CHECK(parse_minutes("1h30m") == 90);
    CHECK(parse_minutes("5d") == 7200);
    CHECK(default_job_limit({"ubuntu-24.04"}) == 360);
    CHECK(default_job_limit({"ubuntu-slim"}) == 15);
    CHECK(default_job_limit({"self-hosted", "linux"}) == 7200);
  }

  TEST_CASE("self-hosted runner with its own limit") {
    auto p = project_of(std::string(head) +
                        "runner: {labels: [self-hosted, linux, x64], job_limit: 12h}\narchitectures:\n  - {arch: x86_64, sdk: x86-64}\n");
    REQUIRE(p);
    const auto& pkg = std::get<forgeline::model::OpenwrtPackage>(p->family);
    CHECK(pkg.runner.self_hosted);
    CHECK(pkg.runner.job_limit_minutes == 720);
  }

  TEST_CASE("durations read as people write them") {
    CHECK(forgeline::model::format_minutes(0) == "0m");
    CHECK(forgeline::model::format_minutes(45) == "45m");
    CHECK(forgeline::model::format_minutes(360) == "6h");
    CHECK(forgeline::model::format_minutes(450) == "7h 30m");
    CHECK(forgeline::model::format_minutes(7200) == "5d");
    CHECK(forgeline::model::format_minutes(1561) == "1d 2h 1m");
  }
}

namespace {

constexpr const char* chain_head = R"(forgeline: 1
family: stage-chain
name: arm64
platform: linux/arm64
runner: ubuntu-24.04-arm
stages:
)";

/// Every diagnostic, one a line, so a failing check shows the whole text.
std::string errors_of(const std::string& stages) {
  auto p = project_of(std::string(chain_head) + stages);
  REQUIRE_FALSE(p);
  std::string out;
  for (const auto& d : p.error()) out += forgeline::util::format(d) + "\n";
  return out;
}

}  // namespace

TEST_SUITE("model::build stage chains") {
  TEST_CASE("defaults: context is the repository, cached is the cold estimate, branch main, image under ghcr.io") {
    auto p = project_of(std::string(chain_head) +
                        "  - {name: base, dockerfile: docker/Dockerfile.base, estimate: 30m}\n"
                        "  - {name: qt, from: base, dockerfile: docker/Dockerfile.qt, axes: {qt: [\"6.5.3\", \"6.8.4\"]}, "
                        "estimate: 1h30m, cached: 5m}\n");
    REQUIRE(p);
    const auto& c = std::get<forgeline::model::StageChain>(p->family);
    CHECK(c.image.registry == "ghcr.io");
    CHECK(c.image.path == "${owner}/${repo}");
    CHECK(c.branches == std::vector<std::string>{"main"});
    CHECK(c.runner.job_limit_minutes == 360);
    REQUIRE(c.stages.size() == 2);
    CHECK(c.stages[0].context == ".");
    CHECK_FALSE(c.stages[0].from);
    CHECK(c.stages[0].cached_minutes == 30);
    CHECK(c.stages[1].from == "base");
    CHECK(c.stages[1].axis_name == "qt");
    CHECK(c.stages[1].axis_values == std::vector<std::string>{"6.5.3", "6.8.4"});
    CHECK(c.stages[1].estimate_minutes == 90);
    CHECK(c.stages[1].cached_minutes == 5);
    CHECK(c.stages[1].where.line == 8);
    CHECK(c.stages[1].where.column == 5);
  }

  TEST_CASE("from naming no stage lists the stages") {
    CHECK(errors_of("  - {name: base, dockerfile: a, estimate: 30m}\n"
                    "  - {name: qt, from: bsae, dockerfile: b, estimate: 30m}\n") ==
          "m.yaml:8:22: error: /stages/1/from: no stage named 'bsae' (stages: base, qt)\n");
  }

  TEST_CASE("a stage cannot build on itself") {
    CHECK(errors_of("  - {name: qt, from: qt, dockerfile: b, estimate: 30m}\n") ==
          "m.yaml:7:22: error: /stages/0/from: stage 'qt' cannot build on itself\n");
  }

  TEST_CASE("from naming a later stage asks for the order to be fixed") {
    CHECK(errors_of("  - {name: qt, from: base, dockerfile: b, estimate: 30m}\n"
                    "  - {name: base, dockerfile: a, estimate: 30m}\n") ==
          "m.yaml:7:22: error: /stages/0/from: stage 'qt' builds on 'base', which is listed after it; list every "
          "stage after the one it builds on\n");
  }

  TEST_CASE("stages that build on each other are a cycle, shown whole") {
    CHECK(errors_of("  - {name: base, from: app, dockerfile: a, estimate: 30m}\n"
                    "  - {name: qt, from: base, dockerfile: b, estimate: 30m}\n"
                    "  - {name: app, from: qt, dockerfile: c, estimate: 30m}\n") ==
          "m.yaml:7:24: error: /stages/0/from: stages build on each other in a cycle: base → app → qt → base\n");
  }

  TEST_CASE("axis names are unique along the chain and clear of the workflows' own inputs") {
    CHECK(errors_of("  - {name: base, dockerfile: a, estimate: 30m, axes: {force: [x]}}\n"
                    "  - {name: qt, from: base, dockerfile: b, estimate: 30m, axes: {qt: [a]}}\n"
                    "  - {name: app, from: qt, dockerfile: c, estimate: 30m, axes: {qt: [b]}}\n") ==
          "m.yaml:7:55: error: /stages/0/axes/force: axis name 'force' is reserved for the stage workflows' own "
          "inputs (force, rebuild_<stage>, <stage>_image)\n"
          "m.yaml:9:64: error: /stages/2/axes/qt: axis 'qt' is already declared by stage 'qt'\n");
  }

  TEST_CASE("estimates that contradict each other") {
    CHECK(errors_of("  - {name: base, dockerfile: a, estimate: 30m, cached: 1h}\n"
                    "  - name: qt\n"
                    "    dockerfile: b\n"
                    "    estimate: 2h\n"
                    "    split: [{target: one, estimate: 90m}, {target: two, estimate: 45m}]\n") ==
          "m.yaml:7:56: error: /stages/0/cached: 1h is more than the cold estimate 30m; cached is the time when "
          "the layers are already built\n"
          "m.yaml:11:12: error: /stages/1/split: the split points add up to 2h 15m, more than the stage's estimate "
          "of 2h\n");
  }

  TEST_CASE("a safety margin as long as the job limit leaves no time and is an error") {
    auto p = project_of(std::string(head) + "safety_margin: 7h\narchitectures:\n  - {arch: x86_64, sdk: x86-64}\n");
    REQUIRE_FALSE(p);
    CHECK(forgeline::util::format(p.error().front()) ==
          "m.yaml:6:16: error: /safety_margin: 7h leaves no time for work: a job on ubuntu-24.04 may run 6h; make it "
          "shorter than that");
    auto slim = project_of(std::string(head) + "runner: ubuntu-slim\narchitectures:\n  - {arch: x86_64, sdk: x86-64}\n");
    REQUIRE_FALSE(slim);
    CHECK(forgeline::util::format(slim.error().front()) ==
          "m.yaml:6:9: error: /runner: the default safety margin of 30m leaves no time for work: a job on ubuntu-slim "
          "may run 15m; set a shorter safety_margin");
    CHECK(project_of(std::string(head) + "safety_margin: 5h59m\narchitectures:\n  - {arch: x86_64, sdk: x86-64}\n"));
  }
}
