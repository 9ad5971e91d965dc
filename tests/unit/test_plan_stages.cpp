#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "matrix/load.hpp"
#include "model/build.hpp"
#include "model/dockerfile.hpp"
#include "plan/plan.hpp"
#include "plan/stages.hpp"
#include "util/strings.hpp"

namespace {

using nlohmann::json;

/// The chain's Dockerfiles as a repository would hold them: base copies its package list,
/// Qt its configure options and has named stages to split at, the application its sources.
const std::map<std::string, std::string> dockerfiles = {
    {"docker/Dockerfile.arm64-base", "FROM debian:bookworm\nCOPY docker/base/packages.txt /etc/\nRUN true\n"},
    {"docker/Dockerfile.arm64-qt",
     "ARG BASE_IMAGE\nFROM ${BASE_IMAGE} AS qt-configure\nCOPY docker/qt/ /opt/qt/\nFROM qt-configure AS qtbase\n"
     "RUN make\nFROM qtbase\nRUN make install\n"},
    {"docker/Dockerfile.arm64", "ARG QT_IMAGE\nFROM ${QT_IMAGE}\nCOPY src/ /src/\nRUN make -C /src\n"},
    {"Dockerfile", "FROM debian:bookworm\nCOPY . /src\n"},
};

forgeline::util::Result<forgeline::plan::Plan> try_plan(const std::string& text,
                                                        const std::map<std::string, std::string>& files = dockerfiles) {
  auto m = forgeline::matrix::load(text, "matrices/x.yaml");
  REQUIRE(m);
  auto p = forgeline::model::build(*m);
  REQUIRE(p);
  auto unread = forgeline::model::read_dockerfiles(
      *p, [&](const std::string& path) -> std::expected<forgeline::model::SourceFile, std::string> {
        auto it = files.find(path);
        if (it == files.end()) return std::unexpected(path + ": No such file or directory");
        return forgeline::model::SourceFile{path, it->second};
      });
  if (!unread.empty()) return std::unexpected(unread);
  return forgeline::plan::make_plan(*p);
}

forgeline::plan::Plan plan_of(const std::string& text, const std::map<std::string, std::string>& files = dockerfiles) {
  auto plan = try_plan(text, files);
  REQUIRE_MESSAGE(plan, forgeline::util::format(plan.error().front()));
  return *plan;
}

const forgeline::plan::File& file(const forgeline::plan::Plan& plan, const std::string& path) {
  for (const auto& f : plan.files)
    if (f.path == path) return f;
  FAIL("no file " << path);
  throw;
}

std::vector<std::string> strings(const json& list) { return list.get<std::vector<std::string>>(); }

/// The line of a stage workflow's first job that computes the input hash.
std::string hash_line(const forgeline::plan::Plan& plan, const std::string& workflow) {
  for (const auto& line : strings(file(plan, workflow).values["jobs"][0]["ref_step"]["script"]))
    if (line.starts_with("hash=")) return line;
  FAIL("no hash line in " << workflow);
  throw;
}

constexpr const char* head = R"(forgeline: 1
family: stage-chain
name: arm64
platform: linux/arm64
runner: ubuntu-24.04-arm
stages:
  - {name: base, dockerfile: docker/Dockerfile.arm64-base, estimate: 30m}
)";

constexpr const char* app = R"(  - {name: app, from: qt, dockerfile: docker/Dockerfile.arm64, estimate: 10m,
     artifact: build/openterfaceQT}
)";

/// The seed's chain, as matrices/arm64-qt.yaml has it.
const std::string arm64 = std::string(head) + R"(  - {name: qt, from: base, dockerfile: docker/Dockerfile.arm64-qt,
     axes: {qt: ["6.5.3", "6.8.4"]}, estimate: 90m, cached: 5m}
)" + app;

/// The same chain with a Qt build too long for one hosted job, cut at two Dockerfile targets.
const std::string long_qt = std::string(head) + R"(  - name: qt
    from: base
    dockerfile: docker/Dockerfile.arm64-qt
    axes: {qt: ["6.5.3"]}
    estimate: 7h30m
    split:
      - {target: qt-configure, estimate: 1h}
      - {target: qtbase, estimate: 4h}
)" + app;

}  // namespace

TEST_SUITE("plan::stages") {
  TEST_CASE("files: one reusable workflow per stage, the orchestrator, two executable helpers") {
    auto plan = plan_of(arm64);
    std::vector<std::string> paths;
    for (const auto& f : plan.files) paths.push_back(f.path);
    CHECK(paths == std::vector<std::string>{".github/workflows/arm64-base-build.yml",
                                            ".github/workflows/arm64-qt-build.yml",
                                            ".github/workflows/arm64-linux-build.yml",
                                            ".github/workflows/arm64-pipeline.yml", "docker/test-arm64-build.sh",
                                            "scripts/trigger-arm64-build.sh"});
    CHECK(plan.files[3].kind == forgeline::plan::FileKind::workflow);
    CHECK(plan.files[4].kind == forgeline::plan::FileKind::script);
    CHECK(plan.files[4].executable);
    CHECK(plan.files[5].executable);
    CHECK_FALSE(plan.files[0].executable);
  }

  TEST_CASE("names: build arguments and workflow files") {
    using forgeline::plan::image_build_arg;
    CHECK(image_build_arg("base") == "BASE_IMAGE");
    CHECK(image_build_arg("qt") == "QT_IMAGE");
    CHECK(image_build_arg("qt-tools") == "QT_TOOLS_IMAGE");
  }

  TEST_CASE("QEMU only when the runner's architecture differs from the platform's") {
    using forgeline::plan::needs_qemu;
    CHECK_FALSE(needs_qemu("linux/arm64", {{"ubuntu-24.04-arm"}, false, 360}));
    CHECK(needs_qemu("linux/arm64", {{"ubuntu-24.04"}, false, 360}));
    CHECK(needs_qemu("linux/amd64", {{"ubuntu-22.04-arm"}, false, 360}));
    CHECK_FALSE(needs_qemu("linux/amd64", {{"ubuntu-24.04"}, false, 360}));
    CHECK(needs_qemu("linux/arm/v7", {{"ubuntu-24.04-arm"}, false, 360}));
    CHECK_FALSE(needs_qemu("linux/arm64", {{"self-hosted", "linux", "ARM64"}, true, 7200}));
    CHECK(needs_qemu("linux/arm64", {{"self-hosted", "linux", "x64"}, true, 7200}));
    CHECK_FALSE(needs_qemu("linux/arm64", {{"self-hosted", "big-box"}, true, 7200}));
  }

  TEST_CASE("the qt stage: hash-tagged, skipped when present, parent and axis as build arguments") {
    auto plan = plan_of(arm64);
    const json& v = file(plan, ".github/workflows/arm64-qt-build.yml").values;
    CHECK(v["title"] == "arm64 qt image");
    REQUIRE(v["jobs"].size() == 1);
    const json& job = v["jobs"][0];
    CHECK(job["id"] == "build");
    CHECK(job["timeout"] == 120);
    CHECK(job["build_if"] == "steps.ref.outputs.build == 'true'");
    CHECK(job["retag"] == true);
    CHECK(job["target"].is_null());
    CHECK(strings(job["build_args"]["list"]) ==
          std::vector<std::string>{"QT=${{ inputs.qt }}", "BASE_IMAGE=${{ steps.ref.outputs.parent }}"});
    CHECK(strings(job["tags"]) == std::vector<std::string>{"${{ steps.ref.outputs.ref }}",
                                                           "${{ steps.ref.outputs.branch_tag }}",
                                                           "${{ steps.ref.outputs.sha_tag }}"});
    // The shared layers: a branch and a shared gha scope per stage and axis value, and a
    // registry cache in its own package, apart from the image's run-time tags.
    CHECK(strings(job["cache_from"]) ==
          std::vector<std::string>{"type=gha,scope=arm64-qt-${{ steps.ref.outputs.variant }}-${{ github.ref_name }}",
                                   "type=gha,scope=arm64-qt-${{ steps.ref.outputs.variant }}",
                                   "type=registry,ref=${{ steps.ref.outputs.repo }}-cache:buildcache-${{ "
                                   "steps.ref.outputs.variant }}"});
    CHECK(job["artifact"].is_null());
  }

  TEST_CASE("the input hash covers the Dockerfile, what it copies, build arguments and parent, at run time") {
    auto plan = plan_of(arm64);
    const json& step = file(plan, ".github/workflows/arm64-qt-build.yml").values["jobs"][0]["ref_step"];
    CHECK(strings(step["script"]) ==
          std::vector<std::string>{
              R"(branch="${GITHUB_REF_NAME//[^A-Za-z0-9_.-]/-}")",
              R"(variant="$AXIS_QT")",
              R"(variant="${variant//[^A-Za-z0-9_.-]/-}")",
              R"(repo="$IMAGE/arm64-qt")",
              R"(parent="${PARENT_IMAGE:-$IMAGE/arm64-base:$branch}")",
              R"(hash=$( { printf '%s\n' "platform=linux/arm64" "QT=$AXIS_QT" "BASE_IMAGE=$parent"; find docker/Dockerfile.arm64-qt docker/qt -name .git -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16))",
              "{",
              R"(  echo "repo=$repo")",
              R"(  echo "variant=$variant")",
              R"(  echo "parent=$parent")",
              R"(  echo "ref=$repo:$variant-$hash")",
              R"(  echo "branch_tag=$repo:$variant-$branch")",
              R"(  echo "sha_tag=$repo:$variant-sha-${GITHUB_SHA::12}")",
              R"(} >> "$GITHUB_OUTPUT")",
              R"(if [ "$FORCE" = true ] || ! docker buildx imagetools inspect "$repo:$variant-$hash" >/dev/null 2>&1; then)",
              R"(  echo "build=true" >> "$GITHUB_OUTPUT")",
              "else",
              R"(  echo "build=false" >> "$GITHUB_OUTPUT")",
              "fi"});
    // Inputs reach the script through env, never inline.
    CHECK(step["env"] == json::parse(R"([{"name":"IMAGE","value":"${{ steps.image.outputs.name }}"},
                                         {"name":"FORCE","value":"${{ inputs.force }}"},
                                         {"name":"AXIS_QT","value":"${{ inputs.qt }}"},
                                         {"name":"PARENT_IMAGE","value":"${{ inputs.base_image }}"}])"));
  }

  TEST_CASE("a file a Dockerfile copies is an input: a change to it rebuilds that stage") {
    auto plan = plan_of(arm64);
    CHECK(forgeline::util::contains(hash_line(plan, ".github/workflows/arm64-base-build.yml"),
                                    "find docker/Dockerfile.arm64-base docker/base/packages.txt -name .git"));
    CHECK(forgeline::util::contains(hash_line(plan, ".github/workflows/arm64-qt-build.yml"),
                                    "find docker/Dockerfile.arm64-qt docker/qt -name .git"));
  }

  TEST_CASE("a source change triggers the pipeline: every stage's inputs are in its paths filter") {
    auto plan = plan_of(arm64);
    CHECK(strings(file(plan, ".github/workflows/arm64-pipeline.yml").values["paths_filter"]["list"]) ==
          std::vector<std::string>{"docker/Dockerfile.arm64-base", "docker/base/packages.txt",
                                   "docker/base/packages.txt/**", "docker/Dockerfile.arm64-qt", "docker/qt",
                                   "docker/qt/**", "docker/Dockerfile.arm64", "src", "src/**", "matrices/x.yaml"});
  }

  TEST_CASE("a stage's paths add to what its Dockerfile reads; a path inside another is hashed once") {
    std::string text = arm64;
    text.replace(text.find("estimate: 30m}"), 14, "estimate: 30m, paths: [docker/base, VERSION, c++]}");
    auto plan = plan_of(text);
    CHECK(forgeline::util::contains(hash_line(plan, ".github/workflows/arm64-base-build.yml"),
                                    "find docker/Dockerfile.arm64-base docker/base VERSION c++ -name .git"));
    const auto paths = strings(file(plan, ".github/workflows/arm64-pipeline.yml").values["paths_filter"]["list"]);
    CHECK(std::vector<std::string>(paths.begin(), paths.begin() + 7) ==
          std::vector<std::string>{"docker/Dockerfile.arm64-base", "docker/base", "docker/base/**", "VERSION",
                                   "VERSION/**", "c\\+\\+", "c\\+\\+/**"});
  }

  TEST_CASE("a stage that reads the whole repository hashes all of it and lifts the paths filter") {
    auto plan = plan_of(arm64, {{"docker/Dockerfile.arm64-base", "FROM debian\n"},
                                {"docker/Dockerfile.arm64-qt", "FROM debian\n"},
                                {"docker/Dockerfile.arm64", "FROM debian\nWORKDIR /src\nCOPY . .\n"}});
    CHECK(forgeline::util::contains(hash_line(plan, ".github/workflows/arm64-linux-build.yml"),
                                    "find . -name .git -prune -o -type f -print0 |"));
    CHECK(file(plan, ".github/workflows/arm64-pipeline.yml").values["paths_filter"].is_null());
  }

  TEST_CASE("the application stage is skipped like the others and uploads its artifact either way") {
    auto plan = plan_of(arm64);
    const json& v = file(plan, ".github/workflows/arm64-linux-build.yml").values;
    const json& job = v["jobs"][0];
    CHECK(job["build_if"] == "steps.ref.outputs.build == 'true'");
    CHECK(job["retag"] == true);
    CHECK(job["artifact"] == json{{"path", "build/openterfaceQT"},
                                  {"ref", "${{ steps.ref.outputs.ref }}"},
                                  {"name", "openterfaceQT-arm64-${{ steps.ref.outputs.variant }}"}});
    CHECK(strings(job["build_args"]["list"]) == std::vector<std::string>{"QT_IMAGE=${{ steps.ref.outputs.parent }}"});
    std::vector<std::string> inputs;
    for (const auto& i : v["call_inputs"]) inputs.push_back(i["name"]);
    CHECK(inputs == std::vector<std::string>{"force", "qt", "qt_image"});
    const auto script = strings(job["ref_step"]["script"]);
    CHECK(forgeline::util::contains(script[5], "find docker/Dockerfile.arm64 src -name .git -prune"));
    CHECK(std::vector<std::string>(script.begin() + 6, script.begin() + 14) ==
          std::vector<std::string>{"{", R"(  echo "repo=$repo")", R"(  echo "variant=$variant")",
                                   R"(  echo "parent=$parent")", R"(  echo "ref=$repo:$variant-$hash")",
                                   R"(  echo "branch_tag=$repo:$variant-$branch")",
                                   R"(  echo "sha_tag=$repo:$variant-sha-${GITHUB_SHA::12}")", R"(} >> "$GITHUB_OUTPUT")"});
    CHECK(strings(job["tags"]) == std::vector<std::string>{"${{ steps.ref.outputs.ref }}",
                                                           "${{ steps.ref.outputs.branch_tag }}",
                                                           "${{ steps.ref.outputs.sha_tag }}"});
    // Run by hand without a parent image, it builds on the qt image of this branch and qt value.
    CHECK(script[4] == R"(parent="${PARENT_IMAGE:-$IMAGE/arm64-qt:$variant-$branch}")");
  }

  TEST_CASE("stage workflows run by hand: the axis is a choice, the parent image optional") {
    auto plan = plan_of(arm64);
    const json& inputs = file(plan, ".github/workflows/arm64-qt-build.yml").values["dispatch_inputs"];
    REQUIRE(inputs.size() == 3);
    CHECK(inputs[0]["name"] == "force");
    CHECK(inputs[0]["default"] == "false");
    CHECK(inputs[1]["type"] == "choice");
    CHECK(strings(inputs[1]["choice"]["options"]) == std::vector<std::string>{"'6.5.3'", "'6.8.4'"});
    CHECK(inputs[1]["default"] == "'6.5.3'");
    CHECK(inputs[2]["name"] == "base_image");
    CHECK(inputs[2]["default"] == "''");
  }

  TEST_CASE("the orchestrator chains the stages, forcing children of a rebuilt parent") {
    auto plan = plan_of(arm64);
    const json& v = file(plan, ".github/workflows/arm64-pipeline.yml").values;
    std::vector<std::string> dispatch;
    for (const auto& i : v["dispatch_inputs"]) dispatch.push_back(i["name"]);
    CHECK(dispatch == std::vector<std::string>{"qt", "rebuild_base", "rebuild_qt", "rebuild_app"});
    const json& jobs = v["jobs"];
    REQUIRE(jobs.size() == 3);
    CHECK(jobs[0]["needs"].is_null());
    CHECK(jobs[0]["with"]["list"] == json::parse(R"([{"key":"force","value":"${{ inputs.rebuild_base == true }}"}])"));
    CHECK(jobs[1]["needs"] == "base");
    CHECK(jobs[1]["uses"] == "./.github/workflows/arm64-qt-build.yml");
    CHECK(jobs[1]["with"]["list"] == json::parse(R"([
      {"key":"force","value":"${{ inputs.rebuild_qt == true || needs.base.outputs.built == 'true' }}"},
      {"key":"qt","value":"${{ inputs.qt || '6.5.3' }}"},
      {"key":"base_image","value":"${{ needs.base.outputs.image }}"}])"));
    CHECK(jobs[2]["with"]["list"] == json::parse(R"([
      {"key":"force","value":"${{ inputs.rebuild_app == true || needs.qt.outputs.built == 'true' }}"},
      {"key":"qt","value":"${{ inputs.qt || '6.5.3' }}"},
      {"key":"qt_image","value":"${{ needs.qt.outputs.image }}"}])"));
    CHECK(v["inherit_secrets"] == false);
  }

  TEST_CASE("jobs as forgeline plan reports them; the critical path runs through the chain") {
    auto plan = plan_of(arm64);
    REQUIRE(plan.jobs.size() == 3);
    CHECK(plan.jobs[1].id == "qt");
    CHECK(plan.jobs[1].workflow == "arm64-qt-build.yml");
    CHECK(plan.jobs[1].needs == std::vector<std::string>{"base"});
    CHECK(plan.jobs[1].estimate_minutes == 90);
    CHECK(plan.jobs[1].cached_minutes == 5);
    CHECK(plan.jobs[1].contains ==
          std::vector<std::string>{"docker/Dockerfile.arm64-qt", "qt 6.5.3 or 6.8.4 (one per run)"});
    CHECK(plan.jobs[2].contains == std::vector<std::string>{"docker/Dockerfile.arm64", "artifact build/openterfaceQT"});
    CHECK_FALSE(plan.jobs[0].cached_minutes);
    CHECK(plan.jobs[2].timeout_minutes == 40);
    CHECK(plan.budget_minutes == 330);
    auto path = forgeline::plan::critical_path(plan);
    CHECK(path.jobs == std::vector<std::string>{"base", "qt", "app"});
    CHECK(path.minutes == 130);
  }

  TEST_CASE("a stage longer than a job becomes chained jobs that pass the image through the registry") {
    auto plan = plan_of(long_qt);
    const json& jobs = file(plan, ".github/workflows/arm64-qt-build.yml").values["jobs"];
    REQUIRE(jobs.size() == 2);
    CHECK(jobs[0]["id"] == "part-1");
    CHECK(jobs[0]["target"] == "qtbase");
    CHECK(jobs[0]["timeout"] == 330);
    CHECK(strings(jobs[0]["tags"]) == std::vector<std::string>{"${{ steps.ref.outputs.ref }}-part-1"});
    CHECK(jobs[1]["id"] == "part-2");
    CHECK(jobs[1]["needs"] == "part-1");
    CHECK(jobs[1]["if"] == "needs.part-1.outputs.build == 'true'");
    CHECK(jobs[1]["target"].is_null());
    CHECK(jobs[1]["build_context"] == "qtbase=docker-image://${{ needs.part-1.outputs.ref }}-part-1");
    CHECK(jobs[1]["timeout"] == 180);
    CHECK(jobs[1]["ref_step"].is_null());
    CHECK(strings(jobs[1]["tags"])[0] == "${{ needs.part-1.outputs.ref }}");
    CHECK(strings(jobs[1]["cache_from"])[1] == "type=gha,scope=arm64-qt-${{ needs.part-1.outputs.variant }}-part-2");

    REQUIRE(plan.jobs.size() == 4);
    CHECK(plan.jobs[1].id == "qt-part-1");
    CHECK(plan.jobs[1].contains ==
          std::vector<std::string>{"docker/Dockerfile.arm64-qt up to target qtbase", "qt 6.5.3 (one per run)"});
    CHECK(plan.jobs[2].contains == std::vector<std::string>{"docker/Dockerfile.arm64-qt from target qtbase to the end",
                                                            "qt 6.5.3 (one per run)"});
    CHECK(plan.jobs[1].needs == std::vector<std::string>{"base"});
    CHECK(plan.jobs[2].needs == std::vector<std::string>{"qt-part-1"});
    CHECK(plan.jobs[2].note ==
          "stage 'qt' needs 7h 30m, over the 5h 30m budget: this job builds it from target 'qtbase' to its end");
    CHECK(plan.jobs[3].needs == std::vector<std::string>{"qt-part-2"});
    CHECK(forgeline::plan::critical_path(plan).minutes == 30 + 450 + 10);
  }

  TEST_CASE("the last part builds the Dockerfile to its end even when the split points cover the estimate") {
    // qt-configure and qtbase account for all 7h, yet the Dockerfile goes on after qtbase:
    // the final image must be its last stage, not the last split point.
    std::string text = long_qt;
    text.replace(text.find("estimate: 7h30m"), 15, "estimate: 7h");
    text.replace(text.find("{target: qt-configure, estimate: 1h}"), 36, "{target: qt-configure, estimate: 3h}");
    auto plan = plan_of(text);
    const json& jobs = file(plan, ".github/workflows/arm64-qt-build.yml").values["jobs"];
    REQUIRE(jobs.size() == 2);
    CHECK(jobs[0]["target"] == "qt-configure");
    CHECK(strings(jobs[0]["tags"]) == std::vector<std::string>{"${{ steps.ref.outputs.ref }}-part-1"});
    CHECK(jobs[1]["target"].is_null());
    CHECK(jobs[1]["build_context"] == "qt-configure=docker-image://${{ needs.part-1.outputs.ref }}-part-1");
    CHECK(strings(jobs[1]["tags"]) == std::vector<std::string>{"${{ needs.part-1.outputs.ref }}",
                                                               "${{ needs.part-1.outputs.branch_tag }}",
                                                               "${{ needs.part-1.outputs.sha_tag }}"});
    CHECK(plan.jobs[2].contains ==
          std::vector<std::string>{"docker/Dockerfile.arm64-qt from target qt-configure to the end", "qt 6.5.3 (one per run)"});
  }

  TEST_CASE("a split target the Dockerfile does not define is an error at the target") {
    auto files = dockerfiles;
    files["docker/Dockerfile.arm64-qt"] = "ARG BASE_IMAGE\nFROM ${BASE_IMAGE} AS configure\nFROM configure AS qtbase\n";
    auto plan = try_plan(long_qt, files);
    REQUIRE_FALSE(plan);
    REQUIRE(plan.error().size() == 1);
    CHECK(forgeline::util::format(plan.error()[0]) ==
          "matrices/x.yaml:14:9: error: /stages/1/split/0/target: docker/Dockerfile.arm64-qt has no stage "
          "'qt-configure' (FROM … AS qt-configure); its stages: configure, qtbase");
  }

  TEST_CASE("a split stage with an artifact: its last part runs after a skipped build to copy it out") {
    std::string text = long_qt;
    text.replace(text.find("    split:"), 0, "    artifact: opt/qt\n");
    auto plan = plan_of(text);
    const json& jobs = file(plan, ".github/workflows/arm64-qt-build.yml").values["jobs"];
    REQUIRE(jobs.size() == 2);
    CHECK(jobs[1]["if"] == "!cancelled() && needs.part-1.result == 'success'");
    CHECK(jobs[1]["build_if"] == "needs.part-1.outputs.build == 'true'");
    CHECK(jobs[1]["artifact"]["ref"] == "${{ needs.part-1.outputs.ref }}");
    CHECK(jobs[0]["artifact"].is_null());
  }

  TEST_CASE("an indivisible stage over the budget is an error at the stage") {
    auto plan = try_plan(R"(forgeline: 1
family: stage-chain
name: arm64
runner: ubuntu-24.04-arm
stages:
  - {name: base, dockerfile: docker/Dockerfile.arm64-base, estimate: 30m}
  - {name: qt, from: base, dockerfile: docker/Dockerfile.arm64-qt, estimate: 7h30m}
)");
    REQUIRE_FALSE(plan);
    REQUIRE(plan.error().size() == 1);
    CHECK(forgeline::util::format(plan.error()[0]) ==
          "matrices/x.yaml:7:5: error: /stages/1: stage 'qt' needs 7h 30m but a job on ubuntu-24.04-arm may run 5h 30m "
          "(6h limit − 30m margin); declare split points or use a self-hosted runner with a larger job_limit");
  }

  TEST_CASE("a self-hosted runner with a larger limit runs the long stage in one job") {
    std::string text = long_qt;
    text.replace(text.find("runner: ubuntu-24.04-arm"), 24,
                 "runner: {labels: [self-hosted, linux, arm64], job_limit: 12h}");
    auto plan = plan_of(text);
    const json& v = file(plan, ".github/workflows/arm64-qt-build.yml").values;
    REQUIRE(v["jobs"].size() == 1);
    CHECK(v["jobs"][0]["timeout"] == 480);
    CHECK(v["jobs"][0]["runs_on"] == "[self-hosted, linux, arm64]");
    CHECK(v["qemu"] == false);
    CHECK(v["buildx"] == json::parse(R"({"name": "forgeline", "cleanup": "false"})"));
    CHECK(file(plan_of(arm64), ".github/workflows/arm64-qt-build.yml").values["buildx"].is_null());
    CHECK(plan.jobs[1].note == "");
  }

  TEST_CASE("another registry: its secrets are passed on to the stage workflows") {
    std::string text = arm64;
    text.replace(text.find("platform:"), 0, "image: quay.io/acme/tools\n");
    auto plan = plan_of(text);
    CHECK(file(plan, ".github/workflows/arm64-pipeline.yml").values["inherit_secrets"] == true);
    for (const char* workflow : {".github/workflows/arm64-pipeline.yml", ".github/workflows/arm64-qt-build.yml"})
      CHECK(file(plan, workflow).values["login"]["secrets_comment"].size() == 2);
    const auto script = strings(file(plan, ".github/workflows/arm64-base-build.yml").values["image_script"]);
    CHECK(script == std::vector<std::string>{R"(echo "name=quay.io/acme/tools" >> "$GITHUB_OUTPUT")"});
  }

  TEST_CASE("local helpers: stages in order with the parent as build argument; the trigger knows the inputs") {
    auto plan = plan_of(arm64);
    const json& v = file(plan, "docker/test-arm64-build.sh").values;
    REQUIRE(v["stages"].size() == 3);
    CHECK(v["stages"][0]["args"].empty());
    CHECK(strings(v["stages"][1]["args"]) == std::vector<std::string>{"QT=\"$QT\"", "BASE_IMAGE=arm64-base:local"});
    CHECK(strings(v["stages"][2]["args"]) == std::vector<std::string>{"QT_IMAGE=arm64-qt:local"});
    CHECK(v["stages"][2]["artifact"]["path"] == "build/openterfaceQT");
    CHECK(v["axes"][0]["pattern"] == "6.5.3 | 6.8.4");
    std::vector<std::string> flags;
    for (const auto& r : v["rebuilds"]) flags.push_back(r["flag"]);
    CHECK(flags == std::vector<std::string>{"--rebuild-base", "--rebuild-qt", "--rebuild-app"});
  }
}

TEST_SUITE("plan::stages edges") {
  TEST_CASE("one stage copying its whole context: force as its only input, no paths filter") {
    auto plan = plan_of("forgeline: 1\nfamily: stage-chain\nname: tool\nstages:\n"
                        "  - {name: app, dockerfile: Dockerfile, estimate: 20m, artifact: out/tool}\n");
    const json& v = file(plan, ".github/workflows/tool-linux-build.yml").values;
    CHECK(v["call_inputs"].size() == 1);
    CHECK(v["image_description"] == "The image, tagged by the hash of its inputs");
    const json& pipeline = file(plan, ".github/workflows/tool-pipeline.yml").values;
    CHECK(pipeline["paths_filter"].is_null());
    CHECK(pipeline["jobs"][0]["with"]["list"] ==
          json::parse(R"([{"key":"force","value":"${{ inputs.rebuild_app == true }}"}])"));
    CHECK(file(plan, "scripts/trigger-tool-build.sh").values["rebuilds"].size() == 1);
  }

  TEST_CASE("a missing Dockerfile is an error at the matrix, naming where it was looked for") {
    auto plan = try_plan(arm64, {});
    REQUIRE_FALSE(plan);
    REQUIRE(plan.error().size() == 3);
    CHECK(forgeline::util::format(plan.error()[0]) ==
          "matrices/x.yaml:7:30: error: /stages/0/dockerfile: cannot read docker/Dockerfile.arm64-base: No such file "
          "or directory; forgeline reads each stage's Dockerfile to find the files it uses from the build context");
  }
}
