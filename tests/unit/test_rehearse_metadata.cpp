#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rehearse/metadata.hpp"

using forgeline::rehearse::docker_metadata;
using forgeline::rehearse::MetadataContext;
using Lines = std::vector<std::string>;

namespace {

const Lines rust_rules = {"type=ref,event=branch", "type=sha", "type=raw,value=latest,enable={{is_default_branch}}"};

MetadataContext on(std::string event, std::string branch) {
  return {std::move(event), std::move(branch), "0123456789abcdef0123456789abcdef01234567", "main", "Acme/Widget",
          "2026-01-02T03:04:05Z", 7};
}

}  // namespace

TEST_SUITE("rehearse::metadata") {
  TEST_CASE("the Rust builder's rules on the default branch: branch, latest, sha by priority") {
    auto m = docker_metadata({"ghcr.io/acme/widget/rust-builder"}, rust_rules, on("push", "main"));
    REQUIRE(m);
    CHECK(m->tags == Lines{"ghcr.io/acme/widget/rust-builder:main", "ghcr.io/acme/widget/rust-builder:latest",
                           "ghcr.io/acme/widget/rust-builder:sha-0123456"});
    CHECK(m->version == "main");
    CHECK(m->labels[0] == "org.opencontainers.image.created=2026-01-02T03:04:05Z");
    CHECK(m->labels[3] == "org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567");
    CHECK(m->labels[5] == "org.opencontainers.image.title=Widget");
  }

  TEST_CASE("another branch gets no latest; its name is made safe for a tag") {
    auto m = docker_metadata({"img"}, rust_rules, on("push", "feature/x"));
    REQUIRE(m);
    CHECK(m->tags == Lines{"img:feature-x", "img:sha-0123456"});
  }

  TEST_CASE("a pull request: pr-N instead of the branch, no latest") {
    auto m = docker_metadata({"img"}, {"type=ref,event=branch", "type=ref,event=pr", "type=sha"}, on("pull_request", "feature"));
    REQUIRE(m);
    CHECK(m->tags == Lines{"img:pr-7", "img:sha-0123456"});
  }

  TEST_CASE("rules the rehearsal does not know are errors") {
    CHECK(docker_metadata({"img"}, {"type=semver,pattern={{version}}"}, on("push", "main")).error() ==
          "docker/metadata-action: type=semver tags are not rehearsed ('type=semver,pattern={{version}}')");
  }
}
