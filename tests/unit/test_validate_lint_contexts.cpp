#include "validate/lint_contexts.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

TEST_SUITE("validate::lint_contexts") {
  TEST_CASE("matrix-context: a key the matrix does not define, placed at the expression") {
    CHECK(check(with_jobs("  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        os: [a, b]\n"
                          "        node: [1]\n    steps: [{run: 'echo ${{ matrix.python }}'}]\n")) ==
          Lines{"w.yml:11:29: warning: /jobs/t/steps/0/run: matrix.python is not an axis of job 't' (axes: node, os) "
                "[matrix-context]"});
  }

  TEST_CASE("matrix-context: a job without a matrix, read in an if condition without ${{ }}") {
    CHECK(check(with_jobs("  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n        if: matrix.os == 'x'\n")) ==
          Lines{"w.yml:9:13: warning: /jobs/t/steps/0/if: matrix.os is used, but job 't' has no matrix [matrix-context]"});
  }

  TEST_CASE("matrix-context: include-only keys are keys; expression matrices and includes are skipped") {
    CHECK(check(with_jobs("  t:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [a]\n"
                          "        include: [{os: a, extra: x}]\n"
                          "    steps: [{run: 'echo ${{ matrix.extra }} ${{ matrix.os }}'}]\n")) == Lines{});
    CHECK(check(with_jobs("  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix: ${{ fromJSON(vars.m) }}\n"
                          "    steps: [{run: 'echo ${{ matrix.anything }}'}]\n")) == Lines{});
    CHECK(check(with_jobs("  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        os: [a]\n"
                          "        include: ${{ fromJSON(vars.more) }}\n"
                          "    steps: [{run: 'echo ${{ matrix.anything }}'}]\n")) == Lines{});
  }

  TEST_CASE("matrix-context: a matrix name inside a string literal is not read") {
    CHECK(check(with_jobs("  t:\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - run: make\n        if: ${{ contains('matrix.python', 'x') }}\n")) == Lines{});
  }

  TEST_CASE("needs-context: a job not listed in needs") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    outputs: {v: x}\n    steps: [{run: make}]\n"
                          "  b:\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - {run: make, env: {V: '${{ needs.a.outputs.v }}'}}\n")) ==
          Lines{"w.yml:12:35: warning: /jobs/b/steps/0/env/V: needs.a.outputs.v reads job 'a', which is not in the "
                "needs of job 'b' (needs: none) [needs-context]"});
  }

  TEST_CASE("needs-context: an output the needed job does not declare") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    outputs: {v: x}\n    steps: [{run: make}]\n"
                          "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - {run: make, env: {V: '${{ needs.a.outputs.w }}', R: '${{ needs.a.result }}'}}\n")) ==
          Lines{"w.yml:13:35: warning: /jobs/b/steps/0/env/V: needs.a.outputs.w is not an output of job 'a' "
                "(outputs: v) [needs-context]"});
  }

  TEST_CASE("needs-context: a local reusable call's outputs are its workflow's") {
    Folder folder;
    folder.write("callee.yml", "on:\n  workflow_call:\n    outputs:\n      digest: {value: x}\npermissions: {}\n"
                               "jobs:\n  b:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n");
    const std::string caller = with_jobs(
        "  a:\n    uses: ./.github/workflows/callee.yml\n"
        "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - {run: make, env: {D: '${{ needs.a.outputs.digest }}', E: '${{ needs.a.outputs.nope }}'}}\n");
    CHECK(check(caller, folder.path) ==
          Lines{"w.yml:11:71: warning: /jobs/b/steps/0/env/E: needs.a.outputs.nope is not an output of job 'a' "
                "(outputs: digest) [needs-context]"});
    // Without a folder the callee is unknown, so its outputs are not checked.
    CHECK(check(caller) == Lines{});
  }

  TEST_CASE("steps-context: an unknown step, and one that has not run yet") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    outputs: {x: '${{ steps.nope.outputs.x }}'}\n"
                          "    steps:\n      - {run: 'echo ${{ steps.late.outputs.y }}'}\n      - {id: late, run: make}\n")) ==
          Lines{"w.yml:7:23: warning: /jobs/a/outputs/x: steps.nope.outputs.x refers to no step of job 'a' (step ids: "
                "late) [steps-context]",
                "w.yml:9:25: warning: /jobs/a/steps/0/run: steps.late.outputs.y refers to step 'late', which has not "
                "run yet here [steps-context]"});
  }

  TEST_CASE("steps-context: earlier steps, and any step from the job's outputs, are fine") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    outputs: {x: '${{ steps.two.outputs.x }}'}\n"
                          "    steps:\n      - {id: one, run: make}\n"
                          "      - {id: two, run: make, env: {A: '${{ steps.one.outputs.a }}'}}\n")) == Lines{});
  }

  TEST_CASE("several reads of one value are each placed at their own line in a block script") {
    CHECK(check(with_jobs("  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo start\n"
                          "          echo ${{ matrix.a }}\n          echo ${{ matrix.b }} ${{ matrix.a }}\n")) ==
          Lines{"w.yml:10:20: warning: /jobs/t/steps/0/run: matrix.a is used, but job 't' has no matrix "
                "[matrix-context]",
                "w.yml:11:20: warning: /jobs/t/steps/0/run: matrix.b is used, but job 't' has no matrix "
                "[matrix-context]",
                "w.yml:11:36: warning: /jobs/t/steps/0/run: matrix.a is used, but job 't' has no matrix "
                "[matrix-context]"});
  }

  TEST_CASE("inputs-context: an input the workflow does not declare, under either spelling, in any key") {
    CHECK(check("name: ${{ inputs.x }}\nrun-name: ${{ inputs.Level }} ${{ inputs.lvl }}\non:\n  workflow_dispatch:\n"
                "    inputs:\n      level: {type: string}\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                "    steps: [{run: make, env: {A: '${{ github.event.inputs.nope }}'}}]\n") ==
          Lines{"w.yml:1:7: error: /name: a ${{ }} expression is not allowed here: GitHub evaluates none in this key "
                "[schema]",
                "w.yml:2:35: warning: /run-name: inputs.lvl is not an input of the workflow (inputs: level) "
                "[inputs-context]",
                "w.yml:11:39: warning: /jobs/a/steps/0/env/A: github.event.inputs.nope is not an input of the workflow "
                "(inputs: level) [inputs-context]"});
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make, env: {A: '${{ inputs.x }}'}}]\n")) ==
          Lines{"w.yml:7:39: warning: /jobs/a/steps/0/env/A: inputs.x reads an input, but the workflow declares none "
                "(under workflow_dispatch or workflow_call) [inputs-context]"});
  }

  TEST_CASE("jobs-context: a reusable workflow's outputs read its own jobs' outputs") {
    CHECK(check("on:\n  workflow_call:\n    outputs:\n      a: {value: '${{ jobs.build.outputs.digest }}'}\n"
                "      b: {value: '${{ jobs.build.outputs.nope }}'}\n      c: {value: '${{ jobs.test.outputs.x }}'}\n"
                "permissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    outputs: {digest: x}\n"
                "    steps: [{run: make}]\n") ==
          Lines{"w.yml:5:23: error: /on/workflow_call/outputs/b/value: jobs.build.outputs.nope is not an output of "
                "job 'build' (outputs: digest) [jobs-context]",
                "w.yml:6:23: error: /on/workflow_call/outputs/c/value: jobs.test.outputs.x reads job 'test', which the "
                "workflow does not have (jobs: build) [jobs-context]"});
  }

  TEST_CASE("context names are matched ignoring case and shown as declared (needs itself is exact, as GitHub's)") {
    CHECK(check(with_jobs("  Build:\n    runs-on: ubuntu-latest\n    outputs: {Digest: x}\n    steps:\n"
                          "      - {id: Hash, run: make}\n      - {run: 'echo ${{ steps.hash.outputs.v }}'}\n"
                          "  b:\n    needs: Build\n    runs-on: ubuntu-latest\n"
                          "    steps: [{run: 'echo ${{ needs.BUILD.outputs.digest }} ${{ needs.build.outputs.other }}'}]\n")) ==
          Lines{"w.yml:14:63: warning: /jobs/b/steps/0/run: needs.build.outputs.other is not an output of job 'Build' "
                "(outputs: Digest) [needs-context]"});
  }
}
