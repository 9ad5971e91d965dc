#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "rehearse/build_push.hpp"

using forgeline::rehearse::build_args;
using forgeline::rehearse::ImageMap;
using forgeline::rehearse::plan_build;
using forgeline::rehearse::shown_command;
using Lines = std::vector<std::string>;

TEST_SUITE("rehearse::build_push") {
  TEST_CASE("the inputs of a split stage's second part, as the stage chain writes them") {
    const std::map<std::string, std::string> with = {
        {"context", "."},
        {"file", "docker/Dockerfile.arm64-qt"},
        {"platforms", "linux/arm64"},
        {"build-contexts", "qtbase=docker-image://ghcr.io/a/b/arm64-qt:6.5.3-abc-part-1"},
        {"build-args", "QT=6.5.3\nBASE_IMAGE=ghcr.io/a/b/arm64-base:main\n"},
        {"push", "true"},
        {"tags", "ghcr.io/a/b/arm64-qt:6.5.3-abc\nghcr.io/a/b/arm64-qt:6.5.3-main\n"},
        {"cache-from", "type=gha,scope=x\ntype=registry,ref=y\n"}};
    auto p = plan_build(with, "linux/amd64");
    CHECK(p.error.empty());
    CHECK(p.push);
    CHECK(p.platform.empty());
    CHECK(p.not_rehearsed == Lines{"platform linux/arm64: built for linux/amd64 only",
                                   "cache-from (2 entries): the local daemon's own build cache was used"});
    CHECK(shown_command(p) ==
          "docker build --file docker/Dockerfile.arm64-qt --build-context "
          "qtbase=docker-image://ghcr.io/a/b/arm64-qt:6.5.3-abc-part-1 --build-arg QT=6.5.3 --build-arg "
          "BASE_IMAGE=ghcr.io/a/b/arm64-base:main --tag ghcr.io/a/b/arm64-qt:6.5.3-abc --tag ghcr.io/a/b/arm64-qt:6.5.3-main .");
    ImageMap images;
    images.add("ghcr.io", "127.0.0.1:5000");
    CHECK(build_args(p, "/tmp/Dockerfile", "/w/ws", images, {"sh.rustup.rs:127.0.0.1"}, "/tmp/iid") ==
          Lines{"build", "--progress", "plain", "--network", "host", "--file", "/tmp/Dockerfile", "--add-host",
                "sh.rustup.rs:127.0.0.1", "--build-arg", "QT=6.5.3", "--build-arg",
                "BASE_IMAGE=127.0.0.1:5000/a/b/arm64-base:main", "--tag", "127.0.0.1:5000/a/b/arm64-qt:6.5.3-abc", "--tag",
                "127.0.0.1:5000/a/b/arm64-qt:6.5.3-main", "--iidfile", "/tmp/iid", "/w/ws"});
  }

  TEST_CASE("defaults: context is the workspace, file is its Dockerfile; comma-separated tags; native platform kept") {
    auto p = plan_build({{"tags", "a:1,a:2"}, {"platforms", "linux/amd64"}, {"target", "part-1"}}, "linux/amd64");
    CHECK(p.context == ".");
    CHECK(p.file == "Dockerfile");
    CHECK(p.tags == Lines{"a:1", "a:2"});
    CHECK(p.platform == "linux/amd64");
    CHECK_FALSE(p.push);
    CHECK(shown_command(p) == "docker build --file Dockerfile --target part-1 --platform linux/amd64 --tag a:1 --tag a:2 .");
  }

  TEST_CASE("only docker-image:// build contexts can be emulated") {
    CHECK(plan_build({{"build-contexts", "src=./other"}}, "linux/amd64").error ==
          "build context 'src=./other' is not rehearsed: only docker-image:// contexts are emulated");
  }
}
