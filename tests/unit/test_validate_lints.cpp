#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include "util/diagnostic.hpp"
#include "schema/check.hpp"
#include "util/yaml_json.hpp"
#include "validate/lints.hpp"
#include "validate/workflow.hpp"

namespace fs = std::filesystem;

// Failed comparisons print every line.
template <>
struct doctest::StringMaker<std::vector<std::string>> {
  static doctest::String convert(const std::vector<std::string>& lines) {
    std::string out = "{";
    for (const auto& l : lines) out += "\n  \"" + l + "\"";
    return (out + "}").c_str();
  }
};

namespace {

using Lines = std::vector<std::string>;

Lines formatted(const forgeline::util::Diagnostics& ds) {
  Lines out;
  for (const auto& d : ds) out.push_back(forgeline::util::format(d));
  return out;
}

// The lints alone, on a document the schema accepts (as check_workflow guarantees them).
Lines lint(const std::string& text, std::optional<fs::path> folder = std::nullopt) {
  auto doc = forgeline::util::parse_yaml(text, "w.yml");
  REQUIRE(doc);
  const auto& schema = forgeline::schema::bundled_schema("schemas/workflow.schema.json");
  REQUIRE(formatted(forgeline::schema::check_against(schema, *doc)) == Lines{});
  return formatted(forgeline::validate::lint_workflow(*doc, {std::move(folder)}));
}

// A workflow with the given jobs (indented two spaces under `jobs:`) and nothing else to flag.
std::string with_jobs(const std::string& jobs) {
  return "on: push\npermissions:\n  contents: read\njobs:\n" + jobs;
}

// A temporary folder of workflow files, removed at the end of the test.
struct Folder {
  fs::path path = fs::temp_directory_path() / ("forgeline-lints-" + std::to_string(::getpid()));
  Folder() { fs::create_directories(path); }
  ~Folder() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

std::optional<std::uint64_t> jobs_of(const std::string& matrix_yaml) {
  auto doc = forgeline::util::parse_yaml(matrix_yaml, "m.yml");
  REQUIRE(doc);
  return forgeline::validate::matrix_job_count(doc->value);
}

constexpr const char* callee = R"(on:
  workflow_call:
    inputs:
      target: {type: string, required: true}
      optimize: {type: boolean, default: false}
    outputs:
      digest: {value: '${{ jobs.b.outputs.digest }}'}
    secrets:
      token: {required: true}
      extra:
permissions: {}
jobs:
  b:
    runs-on: ubuntu-latest
    outputs: {digest: x}
    steps: [{run: make}]
)";

}  // namespace

TEST_SUITE("validate::lints") {
  TEST_CASE("a clean workflow has no findings") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps: [{uses: actions/checkout@v5}, {run: make}]\n")) ==
          Lines{});
  }

  TEST_CASE("needs: unknown job") {
    CHECK(lint(with_jobs("  build:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                         "  test:\n    needs: buld\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:9:12: error: /jobs/test/needs: job 'buld' does not exist (jobs: build, test) [needs]"});
  }

  TEST_CASE("needs: a cycle is reported once, from its alphabetically first job") {
    const std::string jobs = "  c:\n    needs: [a]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                             "  b:\n    needs: c\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                             "  a:\n    needs: [b]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n";
    CHECK(lint(with_jobs(jobs)) == Lines{"w.yml:14:13: error: /jobs/a/needs/0: needs cycle: a → b → c → a [needs]"});
  }

  TEST_CASE("needs: a job that needs itself") {
    CHECK(lint(with_jobs("  a:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:6:12: error: /jobs/a/needs: needs cycle: a → a [needs]"});
  }

  TEST_CASE("needs: a diamond is no cycle") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                         "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                         "  c:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                         "  d:\n    needs: [b, c]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) == Lines{});
  }

  TEST_CASE("matrix-context: an axis the matrix does not define") {
    CHECK(lint(with_jobs("  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        os: [a, b]\n"
                         "        node: [1]\n    steps: [{run: 'echo ${{ matrix.python }}'}]\n")) ==
          Lines{"w.yml:11:19: error: /jobs/t/steps/0/run: matrix.python is not an axis of job 't' (axes: node, os) "
                "[matrix-context]"});
  }

  TEST_CASE("matrix-context: a job without a matrix, read in an if condition without ${{ }}") {
    CHECK(lint(with_jobs("  t:\n    if: matrix.os == 'x'\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:6:9: error: /jobs/t/if: matrix.os is used, but job 't' has no matrix [matrix-context]"});
  }

  TEST_CASE("matrix-context: include-only keys are axes; expression matrices and includes are skipped") {
    CHECK(lint(with_jobs("  t:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [a]\n"
                         "        include: [{os: a, extra: x}]\n"
                         "    steps: [{run: 'echo ${{ matrix.extra }} ${{ matrix.os }}'}]\n")) == Lines{});
    CHECK(lint(with_jobs("  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix: ${{ fromJSON(inputs.m) }}\n"
                         "    steps: [{run: 'echo ${{ matrix.anything }}'}]\n")) == Lines{});
    CHECK(lint(with_jobs("  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        os: [a]\n"
                         "        include: ${{ fromJSON(inputs.more) }}\n"
                         "    steps: [{run: 'echo ${{ matrix.anything }}'}]\n")) == Lines{});
  }

  TEST_CASE("matrix-context: a matrix name inside a string literal is not read") {
    CHECK(lint(with_jobs("  t:\n    runs-on: ubuntu-latest\n    steps:\n"
                         "      - run: make\n        if: ${{ contains('matrix.python', 'x') }}\n")) == Lines{});
  }

  TEST_CASE("needs-context: a job not listed in needs") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    outputs: {v: x}\n    steps: [{run: make}]\n"
                         "  b:\n    runs-on: ubuntu-latest\n    steps:\n"
                         "      - {run: make, env: {V: '${{ needs.a.outputs.v }}'}}\n")) ==
          Lines{"w.yml:12:30: error: /jobs/b/steps/0/env/V: needs.a.outputs.v reads job 'a', which is not in the needs "
                "of job 'b' (needs: none) [needs-context]"});
  }

  TEST_CASE("needs-context: an output the needed job does not declare") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    outputs: {v: x}\n    steps: [{run: make}]\n"
                         "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps:\n"
                         "      - {run: make, env: {V: '${{ needs.a.outputs.w }}', R: '${{ needs.a.result }}'}}\n")) ==
          Lines{"w.yml:13:30: error: /jobs/b/steps/0/env/V: needs.a.outputs.w is not an output of job 'a' (outputs: v) "
                "[needs-context]"});
  }

  TEST_CASE("needs-context: a local reusable call's outputs are its workflow's") {
    Folder folder;
    folder.write("callee.yml", callee);
    const std::string caller = with_jobs(
        "  a:\n    uses: ./.github/workflows/callee.yml\n    with: {target: x}\n    secrets: inherit\n"
        "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - {run: make, env: {D: '${{ needs.a.outputs.digest }}', E: '${{ needs.a.outputs.nope }}'}}\n");
    CHECK(lint(caller, folder.path) ==
          Lines{"w.yml:13:66: error: /jobs/b/steps/0/env/E: needs.a.outputs.nope is not an output of job 'a' "
                "(outputs: digest) [needs-context]"});
    // Without a folder the callee is unknown, so its outputs are not checked.
    CHECK(lint(caller) == Lines{});
  }

  TEST_CASE("steps-context: an unknown step, and one that has not run yet") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    outputs: {x: '${{ steps.nope.outputs.x }}'}\n"
                         "    steps:\n      - {run: 'echo ${{ steps.late.outputs.y }}'}\n      - {id: late, run: make}\n")) ==
          Lines{"w.yml:7:18: error: /jobs/a/outputs/x: steps.nope.outputs.x refers to no step of job 'a' (step ids: late) "
                "[steps-context]",
                "w.yml:9:15: error: /jobs/a/steps/0/run: steps.late.outputs.y refers to step 'late', which has not run "
                "yet here [steps-context]"});
  }

  TEST_CASE("steps-context: earlier steps, and any step from the job's outputs, are fine") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    outputs: {x: '${{ steps.two.outputs.x }}'}\n"
                         "    steps:\n      - {id: one, run: make}\n"
                         "      - {id: two, run: make, env: {A: '${{ steps.one.outputs.a }}'}}\n")) == Lines{});
  }

  TEST_CASE("step-id: a duplicate step id") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n      - id: v\n        run: make\n"
                         "      - id: v\n        run: make\n")) ==
          Lines{"w.yml:10:13: error: /jobs/a/steps/1/id: duplicate step id 'v' (first used at line 8) [step-id]"});
  }

  TEST_CASE("reusable-call: missing workflow, missing required input and secret, undeclared ones") {
    Folder folder;
    folder.write("callee.yml", callee);
    const std::string shown = (folder.path / "missing.yml").generic_string();
    CHECK(lint(with_jobs("  a:\n    uses: ./.github/workflows/missing.yml\n"
                         "  b:\n    uses: ./.github/workflows/callee.yml\n    with: {optimize: true, profile: fast}\n"
                         "    secrets: {other: x}\n"),
               folder.path) ==
          Lines{"w.yml:6:11: error: /jobs/a/uses: called workflow " + shown + " does not exist [reusable-call]",
                "w.yml:9:5: error: /jobs/b/with: required input 'target' of callee.yml is not passed [reusable-call]",
                "w.yml:9:28: error: /jobs/b/with/profile: callee.yml declares no input 'profile' (inputs: optimize, "
                "target) [reusable-call]",
                "w.yml:10:5: error: /jobs/b/secrets: required secret 'token' of callee.yml is not passed "
                "[reusable-call]",
                "w.yml:10:15: error: /jobs/b/secrets/other: callee.yml declares no secret 'other' (secrets: extra, "
                "token) [reusable-call]"});
  }

  TEST_CASE("reusable-call: without `with`, the missing input is reported at the call") {
    Folder folder;
    folder.write("callee.yml", callee);
    CHECK(lint(with_jobs("  b:\n    uses: ./.github/workflows/callee.yml\n    secrets: inherit\n"), folder.path) ==
          Lines{"w.yml:6:11: error: /jobs/b/uses: required input 'target' of callee.yml is not passed [reusable-call]"});
  }

  TEST_CASE("reusable-call: a workflow without workflow_call, and one that is not YAML") {
    Folder folder;
    folder.write("push.yml", with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"));
    folder.write("broken.yml", "jobs: [\n");
    CHECK(lint(with_jobs("  a:\n    uses: ./.github/workflows/push.yml\n  b:\n    uses: ./.github/workflows/broken.yml\n"),
               folder.path) ==
          Lines{"w.yml:6:11: error: /jobs/a/uses: called workflow " + (folder.path / "push.yml").generic_string() +
                    " has no on.workflow_call trigger [reusable-call]",
                "w.yml:8:11: error: /jobs/b/uses: called workflow " + (folder.path / "broken.yml").generic_string() +
                    " is not valid YAML; run forgeline validate on it [reusable-call]"});
  }

  TEST_CASE("reusable-call: remote calls, and local ones without a folder, are not resolved") {
    CHECK(lint(with_jobs("  a:\n    uses: org/repo/.github/workflows/x.yml@v1\n  b:\n    uses: ./.github/workflows/x.yml\n")) ==
          Lines{});
  }

  TEST_CASE("timeout: over the limit of the runner") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 361\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:7:22: error: /jobs/a/timeout-minutes: 361 minutes is over the 360-minute job limit of "
                "GitHub-hosted runners [timeout]"});
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-slim\n    timeout-minutes: 16\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:7:22: error: /jobs/a/timeout-minutes: 16 minutes is over the 15-minute job limit of ubuntu-slim "
                "runners [timeout]"});
    CHECK(lint(with_jobs("  a:\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 7200.5\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:7:22: error: /jobs/a/timeout-minutes: 7200.5 minutes is over the 7200-minute (5-day) job limit "
                "of self-hosted runners [timeout]"});
  }

  TEST_CASE("timeout: at the limit, or on a runner whose limit is unknown, is fine") {
    for (std::string runs_on : {"ubuntu-latest", "'${{ inputs.runner }}'", "{group: big}", "my-custom-label",
                                "{group: big, labels: [windows-2025-16core]}"}) {
      CAPTURE(runs_on);
      CHECK(lint(with_jobs("  a:\n    runs-on: " + runs_on +
                           "\n    timeout-minutes: 360\n    steps: [{run: make}]\n")) == Lines{});
    }
    CHECK(lint(with_jobs("  a:\n    runs-on: [self-hosted, linux]\n    timeout-minutes: 7200\n    steps: [{run: make}]\n")) ==
          Lines{});
  }

  TEST_CASE("matrix-size: over 256 jobs") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
                         "        x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]\n"
                         "        y: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]\n"
                         "        exclude: [{x: 17, y: 1}]\n"
                         "    steps: [{run: make}]\n")) ==
          Lines{"w.yml:9:9: error: /jobs/a/strategy/matrix: expands to 271 jobs (x 17 × y 16 with include/exclude), "
                "over GitHub's limit of 256 per matrix; split the job or shard the matrix [matrix-size]"});
  }

  TEST_CASE("matrix_job_count follows GitHub's include and exclude rules") {
    // GitHub's documented example: 4 combinations, includes extend 3 of them, two add jobs.
    CHECK(jobs_of("fruit: [apple, pear]\nanimal: [cat, dog]\ninclude:\n  - color: green\n"
                  "  - {color: pink, animal: cat}\n  - {fruit: apple, shape: circle}\n  - fruit: banana\n"
                  "  - {fruit: banana, animal: cat}\n") == 6);
    // A partial exclude removes every combination it matches.
    CHECK(jobs_of("os: [a, b, c]\nv: [1, 2, 3]\nexclude: [{os: a}, {os: b, v: 3}]\n") == 5);
    // Overlapping excludes remove a combination once.
    CHECK(jobs_of("os: [a, b]\nv: [1, 2]\nexclude: [{os: a}, {os: a, v: 1}]\n") == 2);
    // An include matching only an excluded combination adds it back as a job of its own.
    CHECK(jobs_of("os: [a, b]\nexclude: [{os: a}]\ninclude: [{os: a, extra: x}]\n") == 2);
    CHECK(jobs_of("include: [{os: a}, {os: b}]\n") == 2);
    // Saturates instead of overflowing.
    std::string huge;
    for (char axis = 'a'; axis <= 'p'; ++axis) huge += std::string(1, axis) + ": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]\n";
    CHECK(jobs_of(huge) == std::numeric_limits<std::uint64_t>::max());
    CHECK(jobs_of("os: ${{ fromJSON(x) }}\n") == std::nullopt);
    CHECK(jobs_of("os: [a]\ninclude: ${{ fromJSON(x) }}\n") == std::nullopt);
  }

  TEST_CASE("untrusted-input: event data, head_ref and inputs expanded in run") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                         "      - run: echo \"${{ github.event.issue.title }} ${{ github.head_ref }}\"\n"
                         "      - run: echo \"${{ inputs.name }} ${{ github.event.inputs.name }}\"\n")) ==
          Lines{"w.yml:8:14: error: /jobs/a/steps/0/run: github.event.issue.title is expanded into the script, where it "
                "can inject commands; pass it through env: and use the variable instead [untrusted-input]",
                "w.yml:8:14: error: /jobs/a/steps/0/run: github.head_ref is expanded into the script, where it can "
                "inject commands; pass it through env: and use the variable instead [untrusted-input]",
                "w.yml:9:14: error: /jobs/a/steps/1/run: github.event.inputs.name is expanded into the script, where it "
                "can inject commands; pass it through env: and use the variable instead [untrusted-input]",
                "w.yml:9:14: error: /jobs/a/steps/1/run: inputs.name is expanded into the script, where it can inject "
                "commands; pass it through env: and use the variable instead [untrusted-input]"});
  }

  TEST_CASE("untrusted-input: event_name in run, and event data through env or in if, are fine") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                         "      - run: echo \"${{ github.event_name }} ${{ github.sha }} $TITLE\"\n"
                         "        if: github.event.issue.title != ''\n"
                         "        env: {TITLE: '${{ github.event.issue.title }}'}\n")) == Lines{});
  }

  TEST_CASE("permissions: no workflow-level block") {
    CHECK(lint("name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n") ==
          Lines{"w.yml:1:1: error: /: no workflow-level permissions block, so every job gets the repository's default "
                "token permissions; add one granting the least the jobs need (e.g. permissions: {contents: read}) "
                "[permissions]"});
    CHECK(lint("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n") ==
          Lines{});
  }

  TEST_CASE("action-ref: an action without a ref") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps: [{uses: actions/checkout}, {uses: a/b@}]\n")) ==
          Lines{"w.yml:7:20: error: /jobs/a/steps/0/uses: actions/checkout has no version; pin it as "
                "actions/checkout@<tag> or actions/checkout@<commit SHA> [action-ref]",
                "w.yml:7:46: error: /jobs/a/steps/1/uses: a/b@ has no version; pin it as a/b@<tag> or a/b@<commit SHA> "
                "[action-ref]"});
  }

  TEST_CASE("action-ref: local actions, docker images, tags and SHAs are fine") {
    CHECK(lint(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/setup\n"
                         "      - uses: docker://alpine:3.20\n      - uses: github/codeql-action/init@v3\n"
                         "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n")) == Lines{});
  }

  TEST_CASE("choice-default: a default outside the options; inputs are compared as text") {
    const std::string head = "on:\n  workflow_dispatch:\n    inputs:\n      level:\n        type: choice\n";
    const std::string rest = "permissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n";
    CHECK(lint(head + "        default: verbose\n        options: [info, debug]\n" + rest) ==
          Lines{"w.yml:6:18: error: /on/workflow_dispatch/inputs/level/default: default 'verbose' is not one of the "
                "options (info, debug) [choice-default]"});
    CHECK(lint(head + "        default: 1\n        options: ['1', '2']\n" + rest) == Lines{});
  }

  TEST_CASE("check_workflow runs the lints only once the schema passed") {
    const std::string text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: ten\n"
                             "    steps: [{run: make}]\n";
    CHECK(formatted(forgeline::validate::check_workflow(text, "w.yml")) ==
          Lines{"w.yml:5:22: error: /jobs/a/timeout-minutes: must be a number greater than 0 or a ${{ }} expression"});
    CHECK(formatted(forgeline::validate::check_workflow("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                                                        "    steps: [{run: make}]\n",
                                                        "w.yml")) ==
          Lines{"w.yml:1:1: error: /: no workflow-level permissions block, so every job gets the repository's default "
                "token permissions; add one granting the least the jobs need (e.g. permissions: {contents: read}) "
                "[permissions]"});
  }
}
