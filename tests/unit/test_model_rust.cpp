#include <doctest/doctest.h>

#include <string>

#include "matrix/load.hpp"
#include "model/build.hpp"

namespace {

using forgeline::model::RustBuilder;
using forgeline::model::RustTool;

constexpr const char* head = R"(forgeline: 1
family: rust-builder
image: ghcr.io/${owner}/${repo}/Rust-Builder
)";

/// The first problem loading or modelling the matrix, as printed; "ok" when there is none.
std::string first_error(const std::string& text) {
  auto m = forgeline::matrix::load(text, "m.yaml");
  if (!m) return forgeline::util::format(m.error().front());
  auto p = forgeline::model::build(*m);
  if (!p) return forgeline::util::format(p.error().front());
  return "ok";
}

RustBuilder builder_of(const std::string& text) {
  auto m = forgeline::matrix::load(text, "m.yaml");
  REQUIRE(m);
  auto p = forgeline::model::build(*m);
  REQUIRE(p);
  return std::get<RustBuilder>(p->family);
}

}  // namespace

TEST_SUITE("model::rust") {
  TEST_CASE("defaults: stable with clippy and rustfmt, amd64, hosted runner, 7-day retention") {
    auto b = builder_of(head);
    CHECK(b.image.path == "${owner}/${repo}/rust-builder");
    CHECK(b.toolchain == "stable");
    CHECK(b.components == std::vector<std::string>{"clippy", "rustfmt"});
    CHECK(b.platform == "linux/amd64");
    CHECK(b.runner.labels == std::vector<std::string>{"ubuntu-24.04"});
    CHECK_FALSE(b.runner.self_hosted);
    CHECK(b.retention_days == 7);
    CHECK(b.mold.empty());
    CHECK(b.sccache.empty());
    CHECK(b.tools.empty());
  }

  TEST_CASE("an arm64 image is built on a hosted arm64 runner unless the matrix names one") {
    CHECK(builder_of(std::string(head) + "platform: linux/arm64\n").runner.labels ==
          std::vector<std::string>{"ubuntu-24.04-arm"});
    CHECK(builder_of(std::string(head) + "platform: linux/arm64\nrunner: {labels: [self-hosted, arm64]}\n").runner.labels ==
          std::vector<std::string>{"self-hosted", "arm64"});
  }

  TEST_CASE("install method: url downloads, binstall when asked, cargo install otherwise") {
    auto b = builder_of(std::string(head) + R"(tools:
  - name: cargo-binstall
    version: 1.10.17
    url: https://example.com/v${version}/cargo-binstall-${arch}-unknown-linux-musl.tgz
  - {name: cargo-nextest, version: 0.9.100}
  - {name: sqlx-cli, version: 0.8.6, install: binstall, bin: sqlx}
)");
    REQUIRE(b.tools.size() == 3);
    CHECK(b.tools[0].install == RustTool::Install::prebuilt);
    CHECK(b.tools[0].bin == "cargo-binstall");
    CHECK(b.tools[1].install == RustTool::Install::cargo);
    CHECK(b.tools[1].url.empty());
    CHECK(b.tools[2].install == RustTool::Install::binstall);
    CHECK(b.tools[2].bin == "sqlx");
    CHECK(b.tools[2].where.line == 9);
  }

  TEST_CASE("self-hosted runner with persistent volumes, sccache and mold") {
    auto b = builder_of(std::string(head) + R"(rust: 1.95.0
mold: 2.4.0
sccache: 0.10.0
prewarm:
  - {crate: tokio, version: "1", features: [full]}
runner:
  labels: [self-hosted, linux]
  volumes: {cargo: /cache/cargo, sccache: /cache/sccache}
cleanup: {retention_days: 3}
)");
    CHECK(b.toolchain == "1.95.0");
    CHECK(b.mold == "2.4.0");
    CHECK(b.sccache == "0.10.0");
    CHECK(b.runner.self_hosted);
    CHECK(b.volumes.cargo == "/cache/cargo");
    CHECK(b.volumes.sccache == "/cache/sccache");
    CHECK(b.retention_days == 3);
    REQUIRE(b.prewarm.size() == 1);
    CHECK(b.prewarm[0].features == std::vector<std::string>{"full"});
  }

  TEST_CASE("a download must pin its version and cannot also name an install method") {
    CHECK(first_error(std::string(head) + R"(tools:
  - name: cargo-chef
    version: 0.1.68
    url: https://example.com/latest/cargo-chef-${target}.tar.gz
)") == "m.yaml:7:10: error: /tools/0/url: must contain ${version}, so that the version pins what is downloaded");
    CHECK(first_error(std::string(head) + R"(tools:
  - name: cargo-chef
    version: 0.1.68
    url: https://example.com/v${version}/cargo-chef-${target}.tar.gz
    install: cargo
)") == "m.yaml:8:14: error: /tools/0/install: a tool with a url is downloaded from it; remove install or url");
  }

  TEST_CASE("tool URLs know three placeholders and archives only") {
    CHECK(first_error(std::string(head) + R"(tools:
  - name: cargo-chef
    version: 0.1.68
    url: https://example.com/v${version}/cargo-chef-${HOME}.tar.gz
)") == "m.yaml:7:10: error: /tools/0/url: must be an https URL of a .tar.gz or .tgz archive; its only placeholders "
       "are ${version}, ${target} and ${arch}");
    CHECK(first_error(std::string(head) + R"(tools:
  - {name: cargo-chef, version: 0.1.68, url: http://example.com/cargo-chef.zip}
)") == "m.yaml:5:46: error: /tools/0/url: must be an https URL of a .tar.gz or .tgz archive; its only "
       "placeholders are ${version}, ${target} and ${arch}");
  }

  TEST_CASE("binstall needs cargo-binstall; mold and sccache have their own keys") {
    CHECK(first_error(std::string(head) + "tools:\n  - {name: sqlx-cli, version: 0.8.6, install: binstall}\n") ==
          "m.yaml:5:47: error: /tools/0/install: binstall needs cargo-binstall in tools");
    CHECK(first_error(std::string(head) + "tools:\n  - {name: sccache, version: 0.10.0}\n") ==
          "m.yaml:5:12: error: /tools/0/name: sccache has its own key (sccache: <version>), which also configures "
          "cargo for it; remove this entry");
  }

  TEST_CASE("volumes need a self-hosted runner, and the sccache volume needs sccache") {
    CHECK(first_error(std::string(head) + "runner: {labels: [ubuntu-24.04], volumes: {cargo: /cache/cargo}}\n") ==
          "m.yaml:4:43: error: /runner/volumes: persistent volumes need a self-hosted runner; add self-hosted to "
          "/runner/labels");
    CHECK(first_error(std::string(head) + "runner: {labels: [self-hosted], volumes: {sccache: /cache/sccache}}\n") ==
          "m.yaml:4:52: error: /runner/volumes/sccache: needs sccache: <version>, which installs and configures "
          "sccache");
    CHECK(first_error(std::string(head) + "runner: {labels: [self-hosted], volumes: {cargo: cache}}\n") ==
          "m.yaml:4:50: error: /runner/volumes/cargo: must be an absolute path of letters, digits, '.', '_', '/', '+' "
          "and '-'");
  }

  TEST_CASE("versions YAML reads as numbers get a hint; duplicates are named") {
    CHECK(first_error(std::string(head) + "rust: 1.95\n") ==
          "m.yaml:4:7: error: /rust: must be stable, beta, nightly or a release such as \"1.95.0\" (quote it, or "
          "YAML reads 1.95 as a number)");
    CHECK(first_error(std::string(head) + "prewarm:\n  - {crate: axum, version: 0.8}\n") ==
          "m.yaml:5:28: error: /prewarm/0/version: must be a Cargo version requirement such as \"1\", \"0.8\" or "
          "\"=1.47.1\" (quote it, or YAML reads it as a number)");
    CHECK(first_error(std::string(head) +
                      "tools:\n  - {name: cargo-nextest, version: 0.9.100}\n  - {name: cargo-nextest, version: 0.9.101}\n") ==
          "m.yaml:6:12: error: /tools/1/name: duplicate tool 'cargo-nextest' (first listed at line 5)");
    CHECK(first_error(std::string(head) +
                      "prewarm:\n  - {crate: serde, version: \"1\"}\n  - {crate: serde, version: \"1\"}\n") ==
          "m.yaml:6:13: error: /prewarm/1/crate: duplicate crate 'serde' (first listed at line 5)");
  }
}
