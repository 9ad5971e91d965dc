#include "validate/lint_expressions.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

TEST_SUITE("validate::lint_expressions") {
  TEST_CASE("if-always-true: text around ${{ }}, two expressions, a trailing newline") {
    CHECK(check(with_jobs("  a:\n    if: ${{ false }} && ${{ false }}\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - run: make\n        if: \"!${{ true }}\"\n"
                          "      - run: make\n        if: |\n          ${{ false }}\n")) ==
          Lines{"w.yml:6:9: warning: /jobs/a/if: '${{ false }} && ${{ false }}' has text around its ${{ }}, which makes it "
                "a non-empty string: the condition is always true; write the whole condition inside one ${{ }}, or "
                "leave ${{ }} out [if-always-true]",
                "w.yml:10:13: warning: /jobs/a/steps/0/if: '!${{ true }}' has text around its ${{ }}, which makes it a "
                "non-empty string: the condition is always true; write the whole condition inside one ${{ }}, or leave "
                "${{ }} out [if-always-true]",
                "w.yml:12:13: warning: /jobs/a/steps/1/if: '${{ false }}\\n' has text around its ${{ }}, which makes it a "
                "non-empty string: the condition is always true; write the whole condition inside one ${{ }}, or leave "
                "${{ }} out [if-always-true]"});
  }

  TEST_CASE("if-always-true: one whole expression, or none, is a real condition") {
    CHECK(check(with_jobs("  a:\n    if: ${{ github.event_name == 'push' }}\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - run: make\n        if: github.ref == 'refs/heads/main'\n"
                          "      - run: make\n        if: \"${{ format('}}{0}', 'x') == '}}x' }}\"\n")) == Lines{});
  }
}

TEST_SUITE("validate::lint_expressions") {
  TEST_CASE("expression: what GitHub cannot parse, unknown functions, wrong argument counts") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - run: echo ${{ github.ref == }} ${{ frobnicate(1) }} ${{ contains('a') }}\n"
                          "      - run: echo ${{ case(true, 1) }} ${{ format('{0}', github.sha) }}\n")) ==
          Lines{"w.yml:8:37: error: /jobs/a/steps/0/run: GitHub cannot read this expression: unexpected end of "
                "expression [expression]",
                "w.yml:8:44: error: /jobs/a/steps/0/run: 'frobnicate' is no function GitHub knows [expression]",
                "w.yml:8:65: error: /jobs/a/steps/0/run: contains() takes 2 arguments, not 1 [expression]",
                "w.yml:9:23: error: /jobs/a/steps/1/run: case() takes at least 3 arguments, not 2 [expression]"});
  }

  TEST_CASE("context-availability: contexts and functions where GitHub does not provide them") {
    CHECK(check("name: x\nrun-name: ${{ hoge.x }} ${{ hashFiles('a') }}\non: push\npermissions: {}\n"
                "env:\n  A: ${{ runner.os }}\njobs:\n  a:\n    if: env.GO == 'yes' && success('b')\n"
                "    runs-on: ubuntu-latest\n    steps:\n      - run: make\n        if: secrets.T != ''\n"
                "        env: {S: '${{ always() }}'}\n") ==
          Lines{"w.yml:2:15: error: /run-name: 'hoge' is no context GitHub knows (contexts here: github, inputs, vars) "
                "[context-availability]",
                "w.yml:2:29: error: /run-name: hashFiles() is not available here; it works only in a step's keys and a "
                "step's if: [context-availability]",
                "w.yml:6:10: error: /env/A: the runner context is not available here (contexts here: github, inputs, "
                "secrets, vars) [context-availability]",
                "w.yml:9:9: error: /jobs/a/if: the env context is not available here (contexts here: github, inputs, "
                "needs, vars) [context-availability]",
                "w.yml:13:13: error: /jobs/a/steps/0/if: the secrets context is not available here (contexts here: "
                "env, github, inputs, job, matrix, needs, runner, steps, strategy, vars) [context-availability]",
                "w.yml:14:23: error: /jobs/a/steps/0/env/S: always() is not available here; status functions work "
                "only in if: of a job or step [context-availability]"});
  }

  TEST_CASE("context-availability: in an environment variable's name too") {
    CHECK(check("on: push\npermissions: {}\nenv:\n  ${{ runner.name }}: x\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                "    steps: [{run: make}]\n") ==
          Lines{"w.yml:4:7: error: /env/${{ runner.name }}: the runner context is not available here (contexts here: "
                "github, inputs, secrets, vars) [context-availability]"});
  }

  TEST_CASE("fromjson: a constant that is not JSON") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - run: \"echo ${{ fromJSON('[1, 2') }} ${{ fromJSON('{\\\"a\\\": 1}').a }}\"\n")) ==
          Lines{"w.yml:8:33: error: /jobs/a/steps/0/run: fromJSON() of '[1, 2' fails: it is not JSON [fromjson]"});
  }

  TEST_CASE("expression-type: comparisons that never hold, objects written as text, properties of text") {
    CHECK(check("on:\n  workflow_dispatch:\n    inputs:\n      n: {type: number}\npermissions: {}\njobs:\n  a:\n"
                "    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: echo ${{ github.event > 1 }} ${{ inputs.n == fromJSON('[1]') }}\n"
                "      - run: echo 'event ${{ github.event }}' ${{ vars.name.first }}\n"
                "      - run: ${{ github.event }}\n"
                "      - run: echo ${{ github.event == null }} ${{ toJSON(github.event) }}\n") ==
          Lines{"w.yml:10:23: error: /jobs/a/steps/0/run: github.event > 1 orders an object, so it is always false "
                "[expression-type]",
                "w.yml:10:47: error: /jobs/a/steps/0/run: inputs.n == fromJSON('[1]') compares a number with an "
                "array, so it is always false [expression-type]",
                "w.yml:11:30: error: /jobs/a/steps/1/run: github.event is an object written into a string, where "
                "GitHub writes 'Object'; use toJSON() to write its contents [expression-type]",
                "w.yml:11:51: error: /jobs/a/steps/1/run: vars.name.first reads property 'first' of a string, which "
                "is always null [expression-type]",
                "w.yml:12:18: error: /jobs/a/steps/2/run: github.event is an object, but this key takes text "
                "[expression-type]"});
  }

  TEST_CASE("expression-type: a matrix of mappings given to runs-on; matrix values typed from their expressions") {
    CHECK(check(with_jobs("  a:\n    strategy:\n      matrix:\n        x: [{foo: a}]\n        n: ['${{ 1 }}']\n"
                          "    runs-on: ${{ matrix.x }}\n    steps: [{run: 'echo ${{ matrix.n.foo }}'}]\n")) ==
          Lines{"w.yml:10:18: error: /jobs/a/runs-on: matrix.x is an object, but this key takes a runner label, a "
                "list of labels, or a mapping of group and labels [expression-type]",
                "w.yml:11:29: error: /jobs/a/steps/0/run: matrix.n.foo reads property 'foo' of a number, which is "
                "always null [expression-type]"});
  }
  TEST_CASE("expression-type: runs-on takes a mapping of group and labels from the matrix or fromJSON") {
    CHECK(check(with_jobs("  a:\n    strategy:\n      matrix:\n        r: [{group: big}, {labels: [x64, gpu]}]\n"
                          "        include: [{r: {Group: g, labels: l}}]\n"
                          "    runs-on: ${{ matrix.r }}\n    steps: [{run: make}]\n"
                          "  b:\n    runs-on: ${{ fromJSON('{\"group\":\"big\"}') }}\n    steps: [{run: make}]\n"
                          "  c:\n    runs-on: ${{ fromJSON('{\"group\":\"big\",\"os\":1}') }}\n    steps: [{run: make}]\n"
                          "  d:\n    strategy:\n      matrix:\n        r: [{group: big}]\n        include: [{r: {os: x}}]\n"
                          "    runs-on: ${{ matrix.r }}\n    steps: [{run: make}]\n")) ==
          Lines{"w.yml:16:18: error: /jobs/c/runs-on: fromJSON('{\"group\":\"big\",\"os\":1}') is an object, but this "
                "key takes a runner label, a list of labels, or a mapping of group and labels [expression-type]",
                "w.yml:23:18: error: /jobs/d/runs-on: matrix.r is an object, but this key takes a runner label, a list "
                "of labels, or a mapping of group and labels [expression-type]"});
  }


  TEST_CASE("if-constant: a note for a condition that is a literal") {
    CHECK(check(with_jobs("  a:\n    if: false\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - {run: make, if: \"${{ true }}\"}\n      - {run: make, if: \"'x' \"}\n"
                          "      - {run: make, if: github.ref == 'x'}\n")) ==
          Lines{"w.yml:6:9: note: /jobs/a/if: the condition is always false: remove the if: (or what it guards) "
                "[if-constant]",
                "w.yml:9:25: note: /jobs/a/steps/0/if: the condition is always true: remove the if: (or what it guards) "
                "[if-constant]",
                "w.yml:10:25: note: /jobs/a/steps/1/if: the condition is always true: remove the if: (or what it "
                "guards) [if-constant]"});
  }
}
