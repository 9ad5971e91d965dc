#include "validate/lint_expressions.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;

TEST_SUITE("validate::lint_expressions") {
  TEST_CASE("if-always-true: text around ${{ }}, two expressions, a trailing newline") {
    CHECK(check(with_jobs("  a:\n    if: ${{ false }} && ${{ false }}\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - run: make\n        if: \"!${{ true }}\"\n"
                          "      - run: make\n        if: |\n          ${{ false }}\n")) ==
          Lines{"w.yml:6:9: error: /jobs/a/if: '${{ false }} && ${{ false }}' has text around its ${{ }}, which makes it "
                "a non-empty string: the condition is always true; write the whole condition inside one ${{ }}, or "
                "leave ${{ }} out [if-always-true]",
                "w.yml:10:13: error: /jobs/a/steps/0/if: '!${{ true }}' has text around its ${{ }}, which makes it a "
                "non-empty string: the condition is always true; write the whole condition inside one ${{ }}, or leave "
                "${{ }} out [if-always-true]",
                "w.yml:12:13: error: /jobs/a/steps/1/if: '${{ false }}\\n' has text around its ${{ }}, which makes it a "
                "non-empty string: the condition is always true; write the whole condition inside one ${{ }}, or leave "
                "${{ }} out [if-always-true]"});
  }

  TEST_CASE("if-always-true: one whole expression, or none, is a real condition") {
    CHECK(check(with_jobs("  a:\n    if: ${{ github.event_name == 'push' }}\n    runs-on: ubuntu-latest\n    steps:\n"
                          "      - run: make\n        if: github.ref == 'refs/heads/main'\n"
                          "      - run: make\n        if: \"${{ format('}}{0}', 'x') == '}}x' }}\"\n")) == Lines{});
  }
}
