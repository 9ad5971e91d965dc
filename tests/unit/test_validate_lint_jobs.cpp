#include "validate/lint_jobs.hpp"


#include "util/yaml_json.hpp"
#include "workflow_check.hpp"

using namespace workflow_check;

namespace {

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

// A chain of `count` jobs, each needing the one before; the first needs the last when `closed`.
std::string chain(int count, bool closed) {
  std::string jobs;
  for (int i = 0; i < count; ++i) {
    jobs += "  j" + std::to_string(i) + ":\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n";
    if (i > 0) jobs += "    needs: j" + std::to_string(i - 1) + "\n";
    else if (closed) jobs += "    needs: j" + std::to_string(count - 1) + "\n";
  }
  return with_jobs(jobs);
}

}  // namespace

TEST_SUITE("validate::lint_jobs") {
  TEST_CASE("needs: unknown job") {
    CHECK(check(with_jobs("  build:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  test:\n    needs: buld\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:9:12: error: /jobs/test/needs: job 'buld' does not exist (jobs: build, test) [needs]"});
  }

  TEST_CASE("needs: a cycle is reported once, at the key of its alphabetically first job") {
    const std::string jobs = "  c:\n    needs: [a]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                             "  b:\n    needs: c\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                             "  a:\n    needs: [b]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n";
    CHECK(check(with_jobs(jobs)) == Lines{"w.yml:13:3: error: /jobs/a: needs cycle: a → b → c → a [needs]"});
  }

  TEST_CASE("needs: a job that needs itself") {
    CHECK(check(with_jobs("  a:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:5:3: error: /jobs/a: needs cycle: a → a [needs]"});
  }

  TEST_CASE("needs: two cycles are two findings; a diamond is none") {
    CHECK(check(with_jobs("  a:\n    needs: b\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  x:\n    needs: [y]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  y:\n    needs: x\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:5:3: error: /jobs/a: needs cycle: a → b → a [needs]",
                "w.yml:13:3: error: /jobs/x: needs cycle: x → y → x [needs]"});
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  c:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  d:\n    needs: [b, c]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) == Lines{});
  }

  TEST_CASE("needs: the shortest cycle through the first job of a tangle") {
    // a → b → c → a and a → c → a: the report names the shorter.
    CHECK(check(with_jobs("  a:\n    needs: [b, c]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  b:\n    needs: c\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  c:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:5:3: error: /jobs/a: needs cycle: a → c → a [needs]"});
  }

  TEST_CASE("needs: 4,000 chained jobs, and the same chain closed into one cycle, in one pass (issue 12)") {
    // A search per job took 10.9 s on the open chain; this is one pass over the graph.
    CHECK(check(chain(4000, false)) == Lines{});
    const Lines closed = check(chain(4000, true));
    REQUIRE(closed.size() == 1);
    std::string path = "j0";
    for (int i = 3999; i >= 0; --i) path += " → j" + std::to_string(i);
    CHECK(closed[0] == "w.yml:5:3: error: /jobs/j0: needs cycle: " + path + " [needs]");
  }

  TEST_CASE("needs: jobs that lead into a cycle or hang off it are not part of its report") {
    // z and b need a, a needs c (no cycle) and b: only a → b → a is a cycle, whatever the order
    // of the jobs in the file.
    CHECK(check(with_jobs("  z:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  a:\n    needs: [c, b]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  c:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:13:3: error: /jobs/a: needs cycle: a → b → a [needs]"});
  }

  TEST_CASE("needs: a cycle and an unknown job in one workflow are both reported") {
    CHECK(check(with_jobs("  a:\n    needs: [b, nope]\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
                          "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:5:3: error: /jobs/a: needs cycle: a → b → a [needs]",
                "w.yml:6:16: error: /jobs/a/needs/1: job 'nope' does not exist (jobs: a, b) [needs]"});
  }

  TEST_CASE("reusable-call: missing workflow, missing required input and secret, undeclared ones") {
    Folder folder;
    folder.write("callee.yml", callee);
    const std::string shown = (folder.path / "missing.yml").generic_string();
    CHECK(check(with_jobs("  a:\n    uses: ./.github/workflows/missing.yml\n"
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
    CHECK(check(with_jobs("  b:\n    uses: ./.github/workflows/callee.yml\n    secrets: inherit\n"), folder.path) ==
          Lines{"w.yml:6:11: error: /jobs/b/uses: required input 'target' of callee.yml is not passed [reusable-call]"});
  }

  TEST_CASE("reusable-call: a workflow without workflow_call, and one that is not YAML") {
    Folder folder;
    folder.write("push.yml", with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"));
    folder.write("broken.yml", "jobs: [\n");
    CHECK(check(with_jobs("  a:\n    uses: ./.github/workflows/push.yml\n  b:\n    uses: ./.github/workflows/broken.yml\n"),
                folder.path) ==
          Lines{"w.yml:6:11: error: /jobs/a/uses: called workflow " + (folder.path / "push.yml").generic_string() +
                    " has no on.workflow_call trigger [reusable-call]",
                "w.yml:8:11: error: /jobs/b/uses: called workflow " + (folder.path / "broken.yml").generic_string() +
                    " is not valid YAML; run forgeline validate on it [reusable-call]"});
  }

  TEST_CASE("reusable-call: remote calls, and local ones without a folder, are not resolved") {
    CHECK(check(with_jobs("  a:\n    uses: org/repo/.github/workflows/x.yml@v1\n  b:\n    uses: ./.github/workflows/x.yml\n")) ==
          Lines{});
  }

  TEST_CASE("needs_of reads a string or a list, numbers as their text, and nothing else") {
    const auto needs = [](const char* yaml) {
      auto doc = forgeline::util::parse_yaml(yaml, "j.yml");
      REQUIRE(doc);
      return forgeline::validate::needs_of(doc->value);
    };
    CHECK(needs("needs: a\n") == std::vector<std::string>{"a"});
    CHECK(needs("needs: [a, 3, b, {c: 1}]\n") == std::vector<std::string>{"a", "3", "b"});
    CHECK(needs("needs: 3\n") == std::vector<std::string>{"3"});
    CHECK(needs("needs: {a: 1}\n").empty());
    CHECK(needs("runs-on: x\n").empty());
  }
}
