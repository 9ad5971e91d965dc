#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rehearse/shim.hpp"

using forgeline::rehearse::plan_docker;
using forgeline::rehearse::ShimConfig;
using forgeline::rehearse::ShimPlan;
using forgeline::rehearse::shim_config_from_json;
using forgeline::rehearse::shim_config_json;
using Lines = std::vector<std::string>;

namespace {

ShimConfig config() {
  ShimConfig c;
  c.native_platform = "linux/amd64";
  c.images.add("ghcr.io", "127.0.0.1:5000");
  return c;
}

}  // namespace

TEST_SUITE("rehearse::shim") {
  TEST_CASE("imagetools inspect and create become skopeo work on mapped names") {
    auto inspect = plan_docker(config(), {"buildx", "imagetools", "inspect", "ghcr.io/a/b:1"});
    CHECK(inspect.kind == ShimPlan::imagetools_inspect);
    CHECK(inspect.source == "127.0.0.1:5000/a/b:1");
    auto create = plan_docker(config(), {"buildx", "imagetools", "create", "--tag", "ghcr.io/a/b:main", "-t=ghcr.io/a/b:sha-1",
                                         "ghcr.io/a/b:1"});
    CHECK(create.kind == ShimPlan::imagetools_create);
    CHECK(create.source == "127.0.0.1:5000/a/b:1");
    CHECK(create.targets == Lines{"127.0.0.1:5000/a/b:main", "127.0.0.1:5000/a/b:sha-1"});
  }

  TEST_CASE("other buildx commands are refused with a reason") {
    auto p = plan_docker(config(), {"buildx", "bake"});
    CHECK(p.kind == ShimPlan::refuse);
    CHECK(p.refusal ==
          "docker buildx bake is not available in a rehearsal (no buildx plugin; only imagetools inspect and create are emulated)");
    CHECK(plan_docker(config(), {"buildx", "imagetools", "create", "--tag", "x", "a", "b"}).kind == ShimPlan::refuse);
  }

  TEST_CASE("other commands pass with names mapped and a foreign --platform dropped") {
    auto p = plan_docker(config(), {"create", "--platform", "linux/arm64", "ghcr.io/a/b:1", "sh"});
    CHECK(p.kind == ShimPlan::pass);
    CHECK(p.args == Lines{"create", "--network", "host", "127.0.0.1:5000/a/b:1", "sh"});
    CHECK(p.notes == Lines{"--platform linux/arm64 dropped: the local engine runs linux/amd64 only",
                           "--network host added: the rehearsal's dockerd has no bridge network for docker create"});
    CHECK(plan_docker(config(), {"cp", "--platform=linux/amd64", "x"}).args == Lines{"cp", "--platform=linux/amd64", "x"});
  }

  TEST_CASE("a container a step starts gets the host's network and the rehearsal's --add-host entries") {
    ShimConfig c = config();
    c.add_hosts = {"github.com:127.0.0.2"};
    CHECK(plan_docker(c, {"run", "-d", "-v", "/w:/w", "ghcr.io/a/b:1", "sleep", "infinity"}).args ==
          Lines{"run", "--network", "host", "--add-host", "github.com:127.0.0.2", "-d", "-v", "/w:/w", "127.0.0.1:5000/a/b:1",
                "sleep", "infinity"});
    // A network the step chose is left alone, and so are other commands.
    CHECK(plan_docker(c, {"run", "--network=none", "x"}).args == Lines{"run", "--network=none", "x"});
    CHECK(plan_docker(c, {"run", "--net", "none", "x"}).notes.empty());
    CHECK(plan_docker(c, {"exec", "-i", "box", "sh"}).args == Lines{"exec", "-i", "box", "sh"});
  }

  TEST_CASE("the configuration survives its JSON file") {
    ShimConfig c = config();
    c.dry_run = true;
    c.record = "/r/record.jsonl";
    c.add_hosts = {"sh.rustup.rs:127.0.0.3"};
    const ShimConfig back = shim_config_from_json(shim_config_json(c));
    CHECK(back.dry_run);
    CHECK(back.add_hosts == Lines{"sh.rustup.rs:127.0.0.3"});
    CHECK(back.record == "/r/record.jsonl");
    CHECK(back.images.map("ghcr.io/x") == "127.0.0.1:5000/x");
  }
}
