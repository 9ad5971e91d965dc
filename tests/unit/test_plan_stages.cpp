#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <string>
#include <utility>
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

/// A file of the plan with its values made (a stage workflow makes them when rendered). The
/// copies are kept for the whole run, so references into their values stay good.
const forgeline::plan::File& file(const forgeline::plan::Plan& plan, const std::string& path) {
  static std::deque<forgeline::plan::File> made;
  for (const auto& f : plan.files)
    if (f.path == path) {
      made.push_back(f);
      made.back().values = f.values_now();
      return made.back();
    }
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
  TEST_CASE("files: one reusable workflow per stage, the orchestrator, the bake file, two executable helpers") {
    auto plan = plan_of(arm64);
    std::vector<std::string> paths;
    for (const auto& f : plan.files) paths.push_back(f.path);
    CHECK(paths == std::vector<std::string>{".github/workflows/arm64-base-build.yml",
                                            ".github/workflows/arm64-qt-build.yml",
                                            ".github/workflows/arm64-linux-build.yml",
                                            ".github/workflows/arm64-pipeline.yml", "docker/arm64-bake.hcl",
                                            "docker/test-arm64-build.sh", "scripts/trigger-arm64-build.sh"});
    CHECK(plan.files[3].kind == forgeline::plan::FileKind::workflow);
    CHECK(plan.files[4].kind == forgeline::plan::FileKind::text);
    CHECK_FALSE(plan.files[4].executable);
    CHECK(plan.files[5].kind == forgeline::plan::FileKind::script);
    CHECK(plan.files[5].executable);
    CHECK(plan.files[6].executable);
    CHECK_FALSE(plan.files[0].executable);
  }

  TEST_CASE("stage workflows make their values when rendered, from what the plan keeps of the model") {
    // try_plan's model is gone by now: the values come from the plan's own copy of the chain.
    auto plan = plan_of(arm64);
    const auto& qt = plan.files[1];
    CHECK(qt.values.is_null());
    REQUIRE(qt.deferred_values);
    const json made = qt.values_now();
    CHECK(made["title"] == "arm64 qt image");
    CHECK(made["about"] == "Stage qt of the arm64 chain: builds docker/Dockerfile.arm64-qt on the base image");
    CHECK(made == qt.values_now());
    // The pipeline, bake file and scripts are one each: their values are made with the plan.
    for (std::size_t i = 3; i < plan.files.size(); ++i) {
      CHECK_FALSE(plan.files[i].values.is_null());
      CHECK_FALSE(plan.files[i].deferred_values);
    }
  }

  TEST_CASE("headers: a stage workflow depends on its stage, axes, parent, next stage, Dockerfile and settings") {
    using Inputs = std::vector<std::pair<std::string, std::string>>;
    auto plan = plan_of(arm64);
    CHECK(file(plan, ".github/workflows/arm64-base-build.yml").inputs ==
          Inputs{{"stage", "base"}, {"stage", "qt"}, {"dockerfile", "docker/Dockerfile.arm64-base"}, {"settings", ""}});
    CHECK(file(plan, ".github/workflows/arm64-qt-build.yml").inputs ==
          Inputs{{"stage", "qt"}, {"qt", "6.5.3"}, {"qt", "6.8.4"}, {"stage", "base"}, {"stage", "app"},
                 {"dockerfile", "docker/Dockerfile.arm64-qt"}, {"settings", ""}});
    // The last stage inherits its parent's axis and has no stage after it.
    CHECK(file(plan, ".github/workflows/arm64-linux-build.yml").inputs ==
          Inputs{{"stage", "app"}, {"qt", "6.5.3"}, {"qt", "6.8.4"}, {"stage", "qt"},
                 {"dockerfile", "docker/Dockerfile.arm64"}, {"settings", ""}});
    // The files about the whole chain depend on every entry.
    for (const char* whole : {".github/workflows/arm64-pipeline.yml", "docker/arm64-bake.hcl",
                              "docker/test-arm64-build.sh", "scripts/trigger-arm64-build.sh"})
      CHECK_FALSE(file(plan, whole).inputs.has_value());
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

  TEST_CASE("local helpers: the test script bakes every stage, or those after one pulled from CI") {
    auto plan = plan_of(arm64);
    const json& v = file(plan, "docker/test-arm64-build.sh").values;
    CHECK(v["bake_file"] == "docker/arm64-bake.hcl");
    CHECK(v["targets"] == R"("base" "qt-$QT_ID" "app-$QT_ID")");
    CHECK(v["built"] == " base qt app ");
    CHECK(v["axes"][0]["cases"] == json::parse(R"([{"value":"6.5.3","tag":"6.5.3","id":"6_5_3"},
                                                   {"value":"6.8.4","tag":"6.8.4","id":"6_8_4"}])"));
    CHECK(v["from_ci_choices"] == "base qt");
    REQUIRE(v["from_ci"].size() == 2);
    CHECK(v["from_ci"][0]["targets"] == R"("qt-$QT_ID" "app-$QT_ID")");
    CHECK(v["from_ci"][0]["overrides"] ==
          R"(--set "qt-$QT_ID.contexts.arm64-base=docker-image://$IMAGE/arm64-base:$BRANCH")");
    CHECK(v["from_ci"][1]["targets"] == R"("app-$QT_ID")");
    CHECK(v["from_ci"][1]["built"] == " app ");
    // The pulled image is the one a stage workflow run by hand builds on: the parent's branch tag.
    CHECK(v["from_ci"][1]["overrides"] ==
          R"(--set "app-$QT_ID.contexts.arm64-qt=docker-image://$IMAGE/arm64-qt:$QT_TAG-$BRANCH")");
    CHECK(v["artifacts"] == json::parse(R"([{"stage":"app","path":"build/openterfaceQT",
                                             "image":"$IMAGE/arm64-app:$QT_TAG-$HASH","dest":"dist/arm64"}])"));
    CHECK(v["image"] == json::parse(R"({"from_origin":true,"shell":"ghcr.io/${owner,,}/${repo,,}",
                                        "fixed":"ghcr.io/${owner}/${repo}","local":"localhost"})"));
    CHECK(v["branch_from_ref"] == "${REF_NAME//[^A-Za-z0-9_.-]/-}");
    CHECK(v["axes"][0]["pattern"] == "6.5.3 | 6.8.4");
    std::vector<std::string> flags;
    for (const auto& r : v["rebuilds"]) flags.push_back(r["flag"]);
    CHECK(flags == std::vector<std::string>{"--rebuild-base", "--rebuild-qt", "--rebuild-app"});
  }

  TEST_CASE("local helpers: a split stage after the pulled one takes the pulled image in every part") {
    auto plan = plan_of(long_qt);
    const json& v = file(plan, "docker/test-arm64-build.sh").values;
    CHECK(v["from_ci"][0]["overrides"] ==
          R"(--set "qt-part-1-$QT_ID.contexts.arm64-base=docker-image://$IMAGE/arm64-base:$BRANCH" )"
          R"(--set "qt-$QT_ID.contexts.arm64-base=docker-image://$IMAGE/arm64-base:$BRANCH")");
    CHECK(v["targets"] == R"("base" "qt-$QT_ID" "app-$QT_ID")");
  }

  TEST_CASE("the bake file: a target per stage on its parent's target, axes as a matrix") {
    auto plan = plan_of(arm64);
    const auto& f = file(plan, "docker/arm64-bake.hcl");
    CHECK(f.template_name == "stage-chain/docker-bake.hcl");
    const json& v = f.values;
    CHECK(strings(v["group"]) == std::vector<std::string>{"base", "qt", "app"});
    std::vector<std::string> variables;
    for (const auto& var : v["variables"]) variables.push_back(var["name"].get<std::string>() + "=" + var["default"].get<std::string>());
    CHECK(variables == std::vector<std::string>{"IMAGE=localhost", "HASH=local", "BRANCH=dev", "SHA=dev", "REF_NAME=dev"});
    const json& targets = v["targets"];
    REQUIRE(targets.size() == 3);
    CHECK(targets[0]["block"] == "base");
    CHECK(targets[0]["matrix"].is_null());
    CHECK(targets[0]["args"].is_null());
    CHECK(targets[0]["contexts"].is_null());
    CHECK(strings(targets[0]["tags"]["list"]) == std::vector<std::string>{
        "${IMAGE}/arm64-base:${HASH}", "${IMAGE}/arm64-base:${BRANCH}", "${IMAGE}/arm64-base:sha-${SHA}"});
    const json& qt = targets[1];
    CHECK(qt["matrix"] == json::parse(R"({"name":"qt-${qt.id}","axes":[{"key":"qt","values":[
        {"value":"6.5.3","tag":"6.5.3","id":"6_5_3"},{"value":"6.8.4","tag":"6.8.4","id":"6_8_4"}]}]})"));
    CHECK(qt["context"] == ".");
    CHECK(qt["dockerfile"] == "docker/Dockerfile.arm64-qt");
    CHECK(qt["stage"].is_null());
    CHECK(qt["platform"] == "linux/arm64");
    CHECK(qt["args"]["list"] == json::parse(R"([{"key":"QT","value":"${qt.value}"},
                                                 {"key":"BASE_IMAGE","value":"arm64-base"}])"));
    CHECK(qt["contexts"]["list"] == json::parse(R"([{"key":"arm64-base","value":"target:base"}])"));
    CHECK(strings(qt["cache_from"]["list"]) == std::vector<std::string>{
        "type=gha,scope=arm64-qt-${qt.tag}-${REF_NAME}", "type=gha,scope=arm64-qt-${qt.tag}",
        "type=registry,ref=${IMAGE}/arm64-qt-cache:buildcache-${qt.tag}"});
    CHECK(strings(qt["cache_to"]["list"]) == std::vector<std::string>{
        "type=gha,scope=arm64-qt-${qt.tag}-${REF_NAME},mode=max", "type=gha,scope=arm64-qt-${qt.tag},mode=max",
        "type=registry,ref=${IMAGE}/arm64-qt-cache:buildcache-${qt.tag},mode=max"});
    // The application carries Qt's axis, so each of its targets builds on the Qt target of its value.
    CHECK(targets[2]["matrix"]["name"] == "app-${qt.id}");
    CHECK(targets[2]["args"]["list"] == json::parse(R"([{"key":"QT_IMAGE","value":"arm64-qt"}])"));
    CHECK(targets[2]["contexts"]["list"] == json::parse(R"([{"key":"arm64-qt","value":"target:qt-${qt.id}"}])"));
  }

  TEST_CASE("the bake file names images and caches as the stage workflow does, from one composition") {
    // The workflow's ref step composes the tags in shell, the build step the caches in
    // expressions; spelled with the bake file's variables they are the bake target's.
    auto plan = plan_of(arm64);
    const json& target = file(plan, "docker/arm64-bake.hcl").values["targets"][1];
    const json& job = file(plan, ".github/workflows/arm64-qt-build.yml").values["jobs"][0];
    auto respell = [](std::string s) {
      for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
               {"${GITHUB_SHA::12}", "${SHA}"},
               {"${{ github.ref_name }}", "${REF_NAME}"},
               {"${{ steps.ref.outputs.repo }}", "${IMAGE}/arm64-qt"},
               {"${{ steps.ref.outputs.variant }}", "${qt.tag}"},
               {"$repo", "${IMAGE}/arm64-qt"},
               {"$variant", "${qt.tag}"},
               {"$hash", "${HASH}"},
               {"$branch", "${BRANCH}"}})
        s = forgeline::util::replace_all(s, from, to);
      return s;
    };
    std::vector<std::string> echoed;
    for (const auto& line : strings(job["ref_step"]["script"]))
      for (const char* name : {"ref", "branch_tag", "sha_tag"})
        if (line.starts_with(std::string("  echo \"") + name + "="))
          echoed.push_back(respell(line.substr(line.find('=') + 1, line.size() - line.find('=') - 2)));
    CHECK(echoed == strings(target["tags"]["list"]));
    std::vector<std::string> from, to;
    for (const auto& c : job["cache_from"]) from.push_back(respell(c));
    for (const auto& c : job["cache_to"]) to.push_back(respell(c));
    CHECK(from == strings(target["cache_from"]["list"]));
    CHECK(to == strings(target["cache_to"]["list"]));
  }

  TEST_CASE("the bake file: a split stage's parts are targets, each later one on the part before it") {
    auto plan = plan_of(long_qt);
    const json& targets = file(plan, "docker/arm64-bake.hcl").values["targets"];
    REQUIRE(targets.size() == 4);
    const json& part = targets[1];
    CHECK(part["block"] == "qt-part-1");
    CHECK(part["matrix"]["name"] == "qt-part-1-${qt.id}");
    CHECK(part["stage"] == "qtbase");
    CHECK(strings(part["tags"]["list"]) == std::vector<std::string>{"${IMAGE}/arm64-qt:${qt.tag}-${HASH}-part-1"});
    CHECK(strings(part["cache_from"]["list"]).back() == "type=registry,ref=${IMAGE}/arm64-qt-cache:buildcache-${qt.tag}-part-1");
    const json& last = targets[2];
    CHECK(last["block"] == "qt");
    CHECK(last["stage"].is_null());
    CHECK(last["contexts"]["list"] == json::parse(R"([{"key":"arm64-base","value":"target:base"},
                                                      {"key":"qtbase","value":"target:qt-part-1-${qt.id}"}])"));
    CHECK(strings(last["tags"]["list"]).size() == 3);
    CHECK(strings(last["cache_to"]["list"]).back() ==
          "type=registry,ref=${IMAGE}/arm64-qt-cache:buildcache-${qt.tag}-part-2,mode=max");
    // The workflow's second part starts from the first's image where bake starts from its target.
    const json& jobs = file(plan, ".github/workflows/arm64-qt-build.yml").values["jobs"];
    CHECK(jobs[1]["build_context"] == "qtbase=docker-image://${{ needs.part-1.outputs.ref }}-part-1");
  }

  TEST_CASE("the bake file: a stage with a context of its own names its Dockerfile from there") {
    auto text = arm64;
    text.replace(text.find("dockerfile: docker/Dockerfile.arm64,"), 0, "context: docker, ");
    auto plan = plan_of(text);
    const json& app = file(plan, "docker/arm64-bake.hcl").values["targets"][2];
    CHECK(app["context"] == "docker");
    CHECK(app["dockerfile"] == "Dockerfile.arm64");
  }

  TEST_CASE("axis values that make the same bake target name are an error at the stage") {
    auto text = arm64;
    text.replace(text.find("\"6.8.4\""), 7, "\"6_5_3\"");
    auto plan = try_plan(text);
    REQUIRE_FALSE(plan);
    CHECK(forgeline::util::format(plan.error().front()) ==
          "matrices/x.yaml:8:5: error: /stages/1: axis values '6.5.3' and '6_5_3' both name the Docker Bake target "
          "'qt-6_5_3' (target names hold only letters, digits, '_' and '-'); rename one");
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
    // No stage has a child, so none can come from CI instead.
    CHECK(file(plan, "docker/test-tool-build.sh").values["has_from_ci"] == false);
    CHECK(file(plan, "docker/tool-bake.hcl").values["targets"][0]["block"] == "app");
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
