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
    CHECK(pkg.llvm == forgeline::model::LlvmMode::download);
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
}
