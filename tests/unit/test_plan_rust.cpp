#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "output/generated.hpp"
#include "plan/rust.hpp"
#include "planned.hpp"
#include "render/render.hpp"
#include "util/strings.hpp"

namespace {

using forgeline::plan::Plan;
using nlohmann::json;

constexpr const char* image_workflow = ".github/workflows/build-rust-image.yml";
constexpr const char* cleanup_workflow = ".github/workflows/cleanup-cache.yml";
constexpr const char* ci_workflow = ".github/workflows/rust-ci.yml";
constexpr const char* dockerfile = ".docker/rust-builder/Dockerfile";
constexpr const char* cargo_config = ".docker/rust-builder/config.toml";
constexpr const char* bake_file = ".docker/rust-builder/docker-bake.hcl";

constexpr const char* head = R"(forgeline: 1
family: rust-builder
image: ghcr.io/${owner}/${repo}/rust-builder
)";

/// Seed 002's builder: every option on, self-hosted with both volumes.
constexpr const char* seed = R"(forgeline: 1
family: rust-builder
image: ghcr.io/${owner}/${repo}/rust-builder
rust: 1.95.0
tools:
  - name: cargo-chef
    version: 0.1.68
    url: https://github.com/LukeMathWalker/cargo-chef/releases/download/v${version}/cargo-chef-${target}.tar.gz
  - {name: cargo-nextest, version: 0.9.100}
  - {name: sqlx-cli, version: 0.8.6, install: binstall, bin: sqlx}
  - name: cargo-binstall
    version: 1.10.17
    url: https://github.com/cargo-bins/cargo-binstall/releases/download/v${version}/cargo-binstall-${arch}-unknown-linux-musl.tgz
mold: 2.4.0
sccache: 0.10.0
prewarm:
  - {crate: tokio, version: "1", features: [full, tracing]}
  - {crate: serde, version: "1", features: [derive]}
  - {crate: anyhow, version: "1"}
runner:
  labels: [self-hosted, linux]
  volumes: {cargo: /cache/cargo, sccache: /cache/sccache}
)";

Plan plan_of(const std::string& text) { return ::plan_of(text, "matrices/rust-builder.yaml"); }

/// A copy, so that it may outlive a plan made in the same expression.
std::vector<std::string> strings(const json& list) { return list.get<std::vector<std::string>>(); }

json values(const Plan& plan, const std::string& path) {
  for (const auto& f : plan.files)
    if (f.path == path) return f.values;
  FAIL("no file " << path);
  throw;
}

bool has_file(const Plan& plan, const std::string& path) {
  for (const auto& f : plan.files)
    if (f.path == path) return true;
  return false;
}

std::vector<std::string> names(const json& tools) {
  std::vector<std::string> out;
  for (const auto& t : tools) out.push_back(t["name"]);
  return out;
}

/// The file as forgeline writes it: rendered with the built-in templates, header added.
std::string written(const Plan& plan, const std::string& path) {
  auto rendered = forgeline::render::render(plan, forgeline::render::TemplateSource{});
  REQUIRE(rendered);
  for (const auto& file : *rendered)
    if (file.path == path) return forgeline::output::compose(file, {plan.matrix_path, "forgeline generate", ""});
  FAIL("no file " << path);
  throw;
}

/// One Dockerfile instruction with its continuation lines joined, and the cache mounts of a RUN.
struct Instruction {
  std::string text;
  std::vector<std::string> cache_targets;
  std::vector<std::string> mounts;  // the whole --mount=... values
};

std::vector<Instruction> instructions(const std::string& dockerfile_text) {
  std::vector<Instruction> out;
  std::string current;
  for (const auto& line : forgeline::util::split_lines(dockerfile_text)) {
    if (current.empty() && (line.empty() || line.starts_with("#"))) continue;
    // An empty line inside a continuation is deprecated by BuildKit; count it as its own.
    if (!current.empty() && line.empty()) out.push_back({"<empty continuation line>", {}, {}});
    current += line.ends_with("\\") ? line.substr(0, line.size() - 1) : line;
    if (line.ends_with("\\")) continue;
    Instruction i{current, {}, {}};
    for (auto at = current.find("--mount="); at != std::string::npos; at = current.find("--mount=", at + 1)) {
      const auto end = current.find(' ', at);
      i.mounts.push_back(current.substr(at + 8, end - at - 8));
      const std::string& m = i.mounts.back();
      if (m.starts_with("type=cache,")) {
        const auto target = m.find("target=");
        i.cache_targets.push_back(m.substr(target + 7, m.find(',', target) - target - 7));
      }
    }
    out.push_back(std::move(i));
    current.clear();
  }
  return out;
}

bool under(const std::string& path, const std::string& dir) { return path == dir || path.starts_with(dir + "/"); }

/// Seed 003's rule, as problems: a RUN that builds into a cache-mounted target/ must put
/// what it built outside every mount in the same RUN (a later RUN no longer sees the
/// mount's files, and the image never does): `cp <target>/...` to a path outside the
/// mounts, or cargo install/binstall with a --root outside them. Also the BuildKit rule
/// that continuation lines are never empty.
std::vector<std::string> copy_out_problems(const std::string& dockerfile_text) {
  std::vector<std::string> problems;
  for (const auto& i : instructions(dockerfile_text)) {
    if (i.text == "<empty continuation line>") problems.push_back(i.text);
    for (const auto& target : i.cache_targets) {
      if (!target.ends_with("/target")) continue;
      auto outside_mounts = [&](const std::string& path) {
        for (const auto& t : i.cache_targets)
          if (under(path, t)) return false;
        return true;
      };
      bool copied = false;
      if (auto root = i.text.find("--root "); root != std::string::npos &&
                                              (forgeline::util::contains(i.text, "cargo install ") ||
                                               forgeline::util::contains(i.text, "cargo binstall "))) {
        const std::string dir = i.text.substr(root + 7, i.text.find(' ', root + 7) - root - 7);
        copied = outside_mounts(dir) && outside_mounts(dir + "/bin");
      }
      for (auto cp = i.text.find("cp " + target + "/"); cp != std::string::npos && !copied;
           cp = i.text.find("cp " + target + "/", cp + 1)) {
        const auto source_end = i.text.find(' ', cp + 3);
        const auto dest_end = i.text.find_first_of(" ;&", source_end + 1);
        copied = outside_mounts(i.text.substr(source_end + 1, dest_end - source_end - 1));
      }
      if (!copied) problems.push_back("builds into " + target + " without copying out: " + i.text);
    }
  }
  return problems;
}

}  // namespace

TEST_SUITE("plan::rust") {
  TEST_CASE("files: image workflow, Dockerfile, bake file, cargo config, cleanup, CI") {
    auto plan = plan_of(seed);
    std::vector<std::string> paths;
    for (const auto& f : plan.files) paths.push_back(f.path);
    CHECK(paths == std::vector<std::string>{image_workflow, dockerfile, bake_file, cargo_config, cleanup_workflow,
                                            ci_workflow});
    // plan prints these: "matrices/rust-builder.yaml (rust-builder): jobs on [self-hosted, ...] may run 5d".
    CHECK(plan.family == "rust-builder");
    CHECK_FALSE(plan.runner.empty());
    const auto image = values(plan, image_workflow);
    CHECK(image["context"] == ".docker/rust-builder");
    CHECK(image["trigger_paths"] == json::array({dockerfile, cargo_config, "matrices/rust-builder.yaml"}));
  }

  TEST_CASE("cache layers in seed 002's order: branch scope, shared scope, registry cache; mode=max on export") {
    const auto image = values(plan_of(seed), image_workflow);
    CHECK(image["cache_from"] == json::array({"type=gha,scope=rust-builder-${{ github.ref_name }}",
                                              "type=gha,scope=rust-builder",
                                              "type=registry,ref=${{ steps.image.outputs.name }}-cache:buildcache"}));
    CHECK(image["cache_to"] ==
          json::array({"type=gha,scope=rust-builder-${{ github.ref_name }},mode=max", "type=gha,scope=rust-builder,mode=max",
                       "type=registry,ref=${{ steps.image.outputs.name }}-cache:buildcache,mode=max"}));
  }

  TEST_CASE("tags per branch, commit and default branch; the plan lists them with its caches") {
    auto plan = plan_of(seed);
    CHECK(values(plan, image_workflow)["tag_rules"] ==
          json::array({"type=ref,event=branch", "type=sha", "type=raw,value=latest,enable={{is_default_branch}}"}));
    CHECK(plan.cache_scopes == std::vector<std::string>{"rust-builder-${{ github.ref_name }}", "rust-builder"});
    CHECK(plan.cache_refs == std::vector<std::string>{"ghcr.io/${owner}/${repo}/rust-builder-cache:buildcache"});
    CHECK(plan.image_refs == std::vector<std::string>{"ghcr.io/${owner}/${repo}/rust-builder:${{ github.ref_name }}",
                                                      "ghcr.io/${owner}/${repo}/rust-builder:sha-${{ github.sha }}",
                                                      "ghcr.io/${owner}/${repo}/rust-builder:latest"});
  }

  TEST_CASE("the bake file: the workflow's context and cache layers, tags from the metadata-action target") {
    auto plan = plan_of(seed);
    const auto bake = values(plan, bake_file);
    const auto image = values(plan, image_workflow);
    CHECK(strings(bake["group"]) == std::vector<std::string>{"rust-builder"});
    std::vector<std::string> variables;
    for (const auto& v : bake["variables"])
      variables.push_back(v["name"].get<std::string>() + "=" + v["default"].get<std::string>());
    CHECK(variables == std::vector<std::string>{"IMAGE=localhost/rust-builder", "REF_NAME=dev"});
    const json& targets = bake["targets"];
    REQUIRE(targets.size() == 2);
    CHECK(targets[0]["block"] == "docker-metadata-action");
    CHECK(targets[0]["context"].is_null());
    CHECK(strings(targets[0]["tags"]["list"]) == std::vector<std::string>{"${IMAGE}:local"});
    // The rules named in its comment are the workflow's.
    CHECK(targets[0]["comment"][2] == "  " + forgeline::util::join(strings(image["tag_rules"]), "; "));
    const json& t = targets[1];
    CHECK(t["block"] == "rust-builder");
    CHECK(strings(t["inherits"]["list"]) == std::vector<std::string>{"docker-metadata-action"});
    CHECK(t["context"] == image["context"]);
    CHECK(t["dockerfile"] == "Dockerfile");
    CHECK(t["platform"] == "linux/amd64");
    CHECK(t["tags"].is_null());
    auto respell = [](const json& list) {
      std::vector<std::string> out;
      for (const auto& s : list)
        out.push_back(forgeline::util::replace_all(
            forgeline::util::replace_all(s.get<std::string>(), "${{ github.ref_name }}", "${REF_NAME}"),
            "${{ steps.image.outputs.name }}", "${IMAGE}"));
      return out;
    };
    CHECK(strings(t["cache_from"]["list"]) == respell(image["cache_from"]));
    CHECK(strings(t["cache_to"]["list"]) == respell(image["cache_to"]));
  }

  TEST_CASE("install method: downloads (sccache first), then cargo install, then binstall") {
    const auto docker = values(plan_of(seed), dockerfile);
    CHECK(names(docker["downloads"]) == std::vector<std::string>{"sccache", "cargo-chef", "cargo-binstall"});
    CHECK(names(docker["cargo_installs"]) == std::vector<std::string>{"cargo-nextest"});
    CHECK(names(docker["binstalls"]) == std::vector<std::string>{"sqlx-cli"});
    const auto& chef = docker["downloads"][1];
    CHECK(chef["arg"] == "CARGO_CHEF_VERSION");
    CHECK(chef["version"] == "0.1.68");
    CHECK(chef["url"] ==
          "https://github.com/LukeMathWalker/cargo-chef/releases/download/v${CARGO_CHEF_VERSION}/"
          "cargo-chef-x86_64-unknown-linux-gnu.tar.gz");
    CHECK(docker["downloads"][0]["url"] ==
          "https://github.com/mozilla/sccache/releases/download/v${SCCACHE_VERSION}/"
          "sccache-v${SCCACHE_VERSION}-x86_64-unknown-linux-musl.tar.gz");
    CHECK(docker["cargo_installs"][0]["spec"] == "cargo-nextest@${CARGO_NEXTEST_VERSION}");
    CHECK_FALSE(docker["cargo_installs"][0].contains("url"));
    CHECK(docker["binstalls"][0]["bin"] == "sqlx");
  }

  TEST_CASE("download URLs follow the platform") {
    using forgeline::model::RustTool;
    const RustTool tool{"cargo-binstall", "1.10.17", RustTool::Install::prebuilt,
                        "https://e.com/v${version}/${version}-${arch}-${target}.tgz", "cargo-binstall", {}};
    CHECK(forgeline::plan::download_url(tool, "linux/arm64") ==
          "https://e.com/v${CARGO_BINSTALL_VERSION}/${CARGO_BINSTALL_VERSION}-aarch64-aarch64-unknown-linux-gnu.tgz");
    CHECK(forgeline::plan::version_arg("sqlx-cli") == "SQLX_CLI_VERSION");
    const auto docker = values(plan_of(std::string(head) + "platform: linux/arm64\nmold: 2.4.0\n"), dockerfile);
    CHECK(docker["mold_url"] ==
          "https://github.com/rui314/mold/releases/download/v${MOLD_VERSION}/mold-${MOLD_VERSION}-aarch64-linux.tar.gz");
  }

  TEST_CASE("toolchain, components and packages") {
    const auto docker = values(plan_of(std::string(head) + "rust: 1.95.0\ncomponents: [clippy]\npackages: [libpq-dev, curl]\n"),
                                dockerfile);
    CHECK(docker["toolchain"] == "1.95.0");
    CHECK(docker["rustup_args"] ==
          "-y --no-modify-path --profile minimal --default-toolchain \"${RUST_TOOLCHAIN}\" --component clippy");
    CHECK(docker["packages"] == "build-essential ca-certificates curl git libssl-dev pkg-config libpq-dev");
    CHECK(values(plan_of(std::string(head) + "components: []\n"), dockerfile)["rustup_args"] ==
          "-y --no-modify-path --profile minimal --default-toolchain \"${RUST_TOOLCHAIN}\"");
  }

  TEST_CASE("pre-warm: built through sccache, or only fetched without it") {
    const auto with = values(plan_of(seed), dockerfile);
    CHECK(with["prewarm_commands"] ==
          json::array({"cargo add --manifest-path /tmp/prewarm/Cargo.toml tokio@1 serde@1 anyhow@1 --features "
                       "tokio/full,tokio/tracing,serde/derive",
                       "cargo build --manifest-path /tmp/prewarm/Cargo.toml", "sccache --stop-server",
                       "{ rustc -vV && cat /tmp/prewarm/Cargo.lock; } > /usr/local/cargo/prewarm.stamp"}));
    const auto without = values(plan_of(std::string(head) + "prewarm:\n  - {crate: anyhow, version: \"=1.0.98\"}\n"),
                                 dockerfile);
    CHECK(without["prewarm_commands"] ==
          json::array({"cargo add --manifest-path /tmp/prewarm/Cargo.toml anyhow@=1.0.98",
                       "cargo fetch --manifest-path /tmp/prewarm/Cargo.toml",
                       "{ rustc -vV && cat /tmp/prewarm/Cargo.lock; } > /usr/local/cargo/prewarm.stamp"}));
    CHECK(values(plan_of(head), dockerfile)["prewarm"] == false);
  }

  TEST_CASE("cargo config only with mold or sccache") {
    auto plan = plan_of(head);
    CHECK_FALSE(has_file(plan, cargo_config));
    CHECK(values(plan, image_workflow)["trigger_paths"] == json::array({dockerfile, "matrices/rust-builder.yaml"}));
    CHECK(values(plan, dockerfile)["cargo_config"] == false);
    const auto config = values(plan_of(std::string(head) + "platform: linux/arm64\nmold: 2.4.0\n"), cargo_config);
    CHECK(config["host_triple"] == "aarch64-unknown-linux-gnu");
    CHECK(config["mold"] == true);
    CHECK(config["sccache"] == false);
  }

  TEST_CASE("self-hosted CI: volumes become CARGO_HOME and SCCACHE_DIR, seeded from the image's pre-warm") {
    const auto ci = values(plan_of(seed), ci_workflow);
    CHECK(ci["env"] == json::parse(R"([{"name": "CARGO_HOME", "value": "/cache/cargo"},
                                       {"name": "SCCACHE_DIR", "value": "/cache/sccache"},
                                       {"name": "RUSTC_WRAPPER", "value": "sccache"}])"));
    CHECK(ci["volumes"] == json::array({"/cache/cargo:/cache/cargo", "/cache/sccache:/cache/sccache"}));
    // The toolchain stays the image's: nothing moves RUSTUP_HOME or installs another.
    CHECK_FALSE(forgeline::util::contains(ci.dump(), "RUSTUP_HOME"));
    CHECK_FALSE(forgeline::util::contains(ci.dump(), "rustup toolchain install"));
    CHECK(ci["seeds"] == json::parse(R"([
      {"stamp": "/usr/local/cargo/prewarm.stamp", "volume_stamp": "$CARGO_HOME/prewarm.stamp",
       "from": "/usr/local/cargo/registry", "to": "$CARGO_HOME/registry"},
      {"stamp": "/usr/local/cargo/prewarm.stamp", "volume_stamp": "$SCCACHE_DIR/prewarm.stamp",
       "from": "/var/cache/sccache", "to": "$SCCACHE_DIR"}])"));
    CHECK(ci["copy_cargo_config"] == true);
    CHECK(ci["image_cargo_config"] == "/usr/local/cargo/config.toml");
    CHECK(ci["test_command"] == "cargo nextest run --locked");
    CHECK(ci["image_tag"] == "latest");
    // The stamp the seeding compares is written by the pre-warm, from what it resolved.
    CHECK(values(plan_of(seed), dockerfile)["prewarm_commands"].back() ==
          "{ rustc -vV && cat /tmp/prewarm/Cargo.lock; } > /usr/local/cargo/prewarm.stamp");
  }

  TEST_CASE("another registry: every workflow that logs in says which secrets it needs, above its name") {
    auto quay = plan_of("forgeline: 1\nfamily: rust-builder\nimage: quay.io/acme/builder\n");
    for (const char* workflow : {image_workflow, ci_workflow}) {
      const std::string text = written(quay, workflow);
      CHECK_MESSAGE(forgeline::util::contains(
                        text, "# Logging in to quay.io needs the repository secrets REGISTRY_USERNAME and "
                              "REGISTRY_PASSWORD\n# (Settings → Secrets and variables → Actions): add them before the "
                              "first run.\nname: "),
                    workflow);
    }
    CHECK_FALSE(forgeline::util::contains(written(plan_of(seed), image_workflow), "REGISTRY_USERNAME"));
  }

  TEST_CASE("a self-hosted runner keeps its named builder, and with it the cache mounts; a hosted one cannot") {
    CHECK(values(plan_of(seed), image_workflow)["buildx"] == json::parse(R"({"name": "forgeline", "cleanup": "false"})"));
    CHECK(values(plan_of(head), image_workflow)["buildx"].is_null());
  }

  TEST_CASE("nothing pre-warmed, nothing to seed; without sccache no compiler cache to seed") {
    const std::string volumes = "runner: {labels: [self-hosted], volumes: {cargo: /c, sccache: /s}}\n";
    CHECK(values(plan_of(std::string(head) + "sccache: 0.10.0\n" + volumes), ci_workflow)["has_seeds"] == false);
    const auto fetched = values(plan_of(std::string(head) + "prewarm:\n  - {crate: anyhow, version: \"1\"}\n"
                                                             "runner: {labels: [self-hosted], volumes: {cargo: /c}}\n"),
                                ci_workflow);
    REQUIRE(fetched["seeds"].size() == 1);
    CHECK(fetched["seeds"][0]["from"] == "/usr/local/cargo/registry");
  }

  TEST_CASE("hosted CI: the image's own homes, no volumes") {
    const auto ci = values(plan_of(std::string(head) + "sccache: 0.10.0\n"), ci_workflow);
    CHECK(ci["env"] == json::parse(R"([{"name": "RUSTC_WRAPPER", "value": "sccache"}])"));
    CHECK(ci["has_volumes"] == false);
    CHECK(ci["has_seeds"] == false);
    CHECK(ci["copy_cargo_config"] == false);
    CHECK(ci["test_command"] == "cargo test --locked");
    CHECK(values(plan_of(head), ci_workflow)["has_env"] == false);
  }

  TEST_CASE("cleanup: this image's gha indexes, blobs no index can name; the registry cache on ghcr.io only") {
    auto plan = plan_of(seed);
    const auto cleanup = values(plan, cleanup_workflow);
    CHECK(cleanup["gha_index_prefix"] == "index-rust-builder");
    // The selection reads every index, of every image, before it lets a blob go.
    const auto program = forgeline::util::join(cleanup["gha_selection"].get<std::vector<std::string>>(), "\n");
    CHECK(forgeline::util::contains(program, "map(select(.key | startswith(\"index-\"))) as $indexes"));
    CHECK(forgeline::util::contains(program, "select(any($live[]; "));
    CHECK(cleanup["retention_days"] == 7);
    CHECK(cleanup["registry_cleanup"] == true);
    CHECK(cleanup["cache_image_expr"] == "${{ steps.image.outputs.name }}-cache");
    auto quay = plan_of("forgeline: 1\nfamily: rust-builder\nimage: quay.io/acme/builder\ncleanup: {retention_days: 3}\n");
    CHECK(values(quay, cleanup_workflow)["registry_cleanup"] == false);
    CHECK(values(quay, cleanup_workflow)["retention_days"] == 3);
    CHECK(values(quay, cleanup_workflow)["gha_index_prefix"] == "index-builder");
    CHECK(quay.jobs.size() == 5);  // no registry-cache job
    auto repo_only = plan_of("forgeline: 1\nfamily: rust-builder\nimage: ghcr.io/${owner}/${repo}\n");
    CHECK(values(repo_only, cleanup_workflow)["gha_index_prefix"] == "index-rust-builder");
    CHECK(repo_only.cache_scopes.back() == "rust-builder");
  }

  TEST_CASE("timeouts stay within the runner's job limit") {
    auto hosted = plan_of(seed);
    CHECK(values(hosted, image_workflow)["timeout"] == 90);
    auto slim = plan_of(std::string(head) + "runner: ubuntu-slim\n");
    CHECK(values(slim, image_workflow)["timeout"] == 15);
    CHECK(values(slim, ci_workflow)["timeout"] == 15);
    CHECK(values(slim, cleanup_workflow)["small_timeout"] == 5);
  }
}

TEST_SUITE("templates/rust/Dockerfile") {
  TEST_CASE("the copy-out check finds a target/ cache that is built into and left behind") {
    CHECK(copy_out_problems("RUN --mount=type=cache,target=/app/target \\\n    cargo build --release\n") ==
          std::vector<std::string>{
              "builds into /app/target without copying out: RUN --mount=type=cache,target=/app/target     cargo build "
              "--release"});
    CHECK(copy_out_problems("RUN --mount=type=cache,target=/app/target \\\n    cargo build \\\n"
                            " && cp /app/target/debug/server /app/target/server\n")
              .size() == 1);  // copied, but into the mount
    CHECK(copy_out_problems("RUN --mount=type=cache,target=/app/target \\\n    cargo build \\\n"
                            " && cp /app/target/debug/server /usr/local/bin/server\n")
              .empty());
    CHECK(copy_out_problems("RUN --mount=type=cache,target=/r/target \\\n    --mount=type=cache,target=/c \\\n"
                            "    cargo install --root /c x\n")
              .size() == 1);  // installed into another mount
    CHECK(copy_out_problems("RUN a \\\n\n && b\n") == std::vector<std::string>{"<empty continuation line>"});
  }

  TEST_CASE("the seed's Dockerfile: syntax line first, cache mounts, copies out of target/") {
    const std::string text = written(plan_of(seed), dockerfile);
    CHECK(text.starts_with("# syntax=docker/dockerfile:1\n# Generated by forgeline from matrices/rust-builder.yaml."));
    CHECK(copy_out_problems(text).empty());

    int apt = 0, cargo = 0;
    for (const auto& i : instructions(text)) {
      if (forgeline::util::contains(i.text, "apt-get install")) {
        ++apt;
        CHECK(i.mounts == std::vector<std::string>{"type=cache,target=/var/cache/apt,sharing=locked",
                                                   "type=cache,target=/var/lib/apt,sharing=locked"});
      }
      if (forgeline::util::contains(i.text, "cargo install ") || forgeline::util::contains(i.text, "cargo binstall ")) {
        ++cargo;
        CHECK(i.cache_targets == std::vector<std::string>{"/usr/local/cargo/registry", "/usr/local/cargo/git",
                                                          "/var/cache/cargo-install/target"});
      }
      // The pre-warm's crates must land in the image, so its registry is not a cache mount.
      if (forgeline::util::contains(i.text, "/tmp/prewarm")) CHECK(i.mounts.empty());
    }
    CHECK(apt == 1);
    CHECK(cargo == 2);
  }

  TEST_CASE("every version ARG pins the instruction right after it") {
    const auto list = instructions(written(plan_of(seed), dockerfile));
    int pinned = 0;
    for (std::size_t i = 0; i + 1 < list.size(); ++i) {
      if (!list[i].text.starts_with("ARG ")) continue;
      const std::string name = list[i].text.substr(4, list[i].text.find('=') - 4);
      if (name != "RUST_TOOLCHAIN" && !name.ends_with("_VERSION")) continue;
      CAPTURE(name);
      CHECK(forgeline::util::contains(list[i + 1].text, "${" + name + "}"));
      ++pinned;
    }
    CHECK(pinned == 7);  // toolchain, mold, sccache, cargo-chef, cargo-binstall, cargo-nextest, sqlx-cli
  }

  TEST_CASE("without optional parts the Dockerfile has no empty continuation lines either") {
    CHECK(copy_out_problems(written(plan_of(std::string(head) + "prewarm:\n  - {crate: anyhow, version: \"1\"}\n"),
                                    dockerfile))
              .empty());
  }
}
