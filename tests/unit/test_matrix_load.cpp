#include <doctest/doctest.h>

#include <string>

#include "matrix/load.hpp"

namespace {

constexpr const char* valid = R"(forgeline: 1
family: openwrt-package
package: tollgate-wrt
image: ghcr.io/${owner}/${repo}/openwrt-rust-builder
openwrt: 24.10.1
architectures:
  - {arch: aarch64_cortex-a53, sdk: mediatek-filogic}
  - {arch: mips_24kc, sdk: ath79-generic}
)";

std::string first_error(const std::string& text) {
  auto m = forgeline::matrix::load(text, "m.yaml");
  if (m) return "loaded";
  return forgeline::util::format(m.error().front());
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

}  // namespace

TEST_SUITE("matrix::load") {
  TEST_CASE("a valid matrix loads with its family") {
    auto m = forgeline::matrix::load(valid, "m.yaml");
    REQUIRE(m);
    CHECK(m->family == "openwrt-package");
    CHECK(m->doc.value["architectures"].size() == 2);
  }

  TEST_CASE("unknown key, with a suggestion") {
    CHECK(first_error(replace(valid, "openwrt: 24.10.1", "openwrt: 24.10.1\ntoolchian: {rust: true}")) ==
          "m.yaml:6:1: error: /toolchian: unknown key (did you mean toolchain?)");
  }

  TEST_CASE("duplicate key") {
    CHECK(first_error(replace(valid, "openwrt: 24.10.1", "openwrt: 24.10.1\npackage: other")) ==
          "m.yaml:6:1: error: duplicate key 'package' (first defined at line 3)");
  }

  TEST_CASE("duplicate architecture") {
    CHECK(first_error(replace(valid, "arch: mips_24kc", "arch: aarch64_cortex-a53")) ==
          "m.yaml:8:12: error: /architectures/1/arch: duplicate architecture 'aarch64_cortex-a53' (first listed at line 7)");
  }

  TEST_CASE("missing required key") {
    CHECK(first_error(replace(valid, "package: tollgate-wrt\n", "")) ==
          "m.yaml:1:1: error: /: needs package (the repository is one OpenWrt package, its Makefile at the root) or "
          "feed (the repository is a feed of packages), not both");
  }

  TEST_CASE("unsafe values") {
    CHECK(first_error(replace(valid, "package: tollgate-wrt", "package: ${{ github.token }}")) ==
          "m.yaml:3:10: error: /package: contains '${{', which GitHub would evaluate as an expression");
    CHECK(first_error(replace(valid, "package: tollgate-wrt", "package: \"a\\nb\"")) ==
          "m.yaml:3:10: error: /package: contains a line break");
    CHECK(first_error(replace(valid, "package: tollgate-wrt", "package: tollgate\"wrt")) ==
          "m.yaml:3:10: error: /package: contains a quote");
    CHECK(first_error(replace(valid, "sdk: ath79-generic", "sdk: ath79 generic")) ==
          "m.yaml:8:28: error: /architectures/1/sdk: must be a name: letters, digits, '.', '_', '+' and '-', starting with a letter or digit");
  }

  TEST_CASE("a version YAML reads as a number gets a hint") {
    CHECK(first_error(replace(valid, "openwrt: 24.10.1", "openwrt: 24.10")) ==
          "m.yaml:5:10: error: /openwrt: must be an OpenWrt release such as \"24.10.1\" (quote it, or YAML reads 24.10 as a number), or snapshot");
  }

  TEST_CASE("unreadable file") {
    auto m = forgeline::matrix::load_file("/nonexistent/m.yaml");
    REQUIRE_FALSE(m);
    CHECK(forgeline::util::format(m.error().front()) ==
          "/nonexistent/m.yaml: error: cannot read matrix: No such file or directory");
  }

  TEST_CASE("an empty matrix says so at its first line") {
    for (const char* text : {"", "# nothing yet\n", "{}\n"})
      CHECK(first_error(text) == "m.yaml:1:1: error: the matrix is empty; it needs at least 'forgeline: 1' and "
                                 "'family:' (forgeline init FAMILY writes a commented one)");
  }

  TEST_CASE("paths must stay inside the repository") {
    const std::string chain = "forgeline: 1\nfamily: stage-chain\nname: x\nstages:\n"
                              "  - {name: base, dockerfile: DOCKERFILE, estimate: 30m, paths: [src/], artifact: out/bin}\n";
    CHECK(first_error(replace(chain, "DOCKERFILE", "docker/Dockerfile.base")) == "loaded");
    CHECK(first_error(replace(chain, "DOCKERFILE", "./docker/.hidden/..x/Dockerfile")) == "loaded");
    const std::string message = "must be a relative path that stays inside the repository (no leading '/', no '..' part) "
                                "of letters, digits, '.', '_', '/', '+' and '-'";
    CHECK(first_error(replace(chain, "DOCKERFILE", "../../../etc/passwd")) ==
          "m.yaml:5:30: error: /stages/0/dockerfile: " + message);
    CHECK(first_error(replace(chain, "DOCKERFILE", "docker/../../x")) == "m.yaml:5:30: error: /stages/0/dockerfile: " + message);
    CHECK(first_error(replace(chain, "DOCKERFILE", "/etc/passwd")) == "m.yaml:5:30: error: /stages/0/dockerfile: " + message);
    CHECK(first_error(replace(replace(chain, "DOCKERFILE", "d"), "src/", "src/..")) ==
          "m.yaml:5:56: error: /stages/0/paths/0: " + message);
    CHECK(first_error(replace(replace(chain, "DOCKERFILE", "d"), "out/bin", "../../root")) ==
          "m.yaml:5:73: error: /stages/0/artifact: " + message);
    CHECK(first_error("forgeline: 1\nfamily: openwrt-package\nfeed: {name: myfeed, path: sub/../../up}\n"
                      "image: ghcr.io/acme/builder\narchitectures:\n  - {arch: x86_64, sdk: x86-64}\n") ==
          "m.yaml:3:28: error: /feed/path: " + message);
  }
}
