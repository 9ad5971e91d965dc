#include "validate/lint_matrix.hpp"

#include <limits>
#include <optional>

#include "util/yaml_json.hpp"
#include "workflow_check.hpp"

using namespace workflow_check;

namespace {

std::optional<std::uint64_t> jobs_of(const std::string& matrix_yaml) {
  auto doc = forgeline::util::parse_yaml(matrix_yaml, "m.yml");
  REQUIRE(doc);
  const auto jobs = forgeline::validate::matrix_job_count(doc->value);
  if (!jobs) return std::nullopt;
  REQUIRE(jobs->exact);
  return jobs->count;
}

// A job whose matrix has `axes` axes of two values each, with `matrix_tail` appended under it.
std::string many_axes(int axes, const std::string& matrix_tail) {
  std::string matrix;
  for (int i = 0; i < axes; ++i) matrix += "        a" + std::to_string(i) + ": [0, 1]\n";
  return with_jobs("  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n" + matrix + matrix_tail +
                   "    steps: [{run: make}]\n");
}

}  // namespace

TEST_SUITE("validate::lint_matrix") {
  TEST_CASE("matrix-size: over 256 jobs") {
    CHECK(check(with_jobs("  a:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
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

  TEST_CASE("matrix-size: 28 axes, each excluded on one value, count exactly and fast (issue 10)") {
    // Each exclude names a different axis, which doubled the work per axis: 2^28 steps.
    std::string excludes = "        exclude:\n";
    for (int i = 0; i < 28; ++i) excludes += "          - {a" + std::to_string(i) + ": 1}\n";
    CHECK(check(many_axes(28, excludes)) == Lines{});  // only the all-zero combination is left
    std::string keep_one = "        exclude:\n";
    for (int i = 0; i < 20; ++i) keep_one += "          - {a" + std::to_string(i) + ": 1, a" + std::to_string(i + 1) + ": 0}\n";
    const Lines crossing = check(many_axes(28, keep_one));
    REQUIRE(crossing.size() == 1);
    CHECK(crossing[0].starts_with("w.yml:9:9: error: /jobs/t/strategy/matrix: expands to 2816 jobs (a0 2 × a1 2 × "));
  }

  TEST_CASE("matrix-size: one exclude entry over 20 axes (issue 10)") {
    std::string exclude = "        exclude:\n          - {";
    for (int i = 0; i < 20; ++i) exclude += (i ? ", a" : "a") + std::to_string(i) + ": 0";
    exclude += "}\n";
    const Lines found = check(many_axes(24, exclude));
    REQUIRE(found.size() == 1);
    // 2^24 combinations less the 2^4 the exclude matches.
    CHECK(found[0].starts_with("w.yml:9:9: error: /jobs/t/strategy/matrix: expands to 16777200 jobs ("));
  }

  TEST_CASE("matrix-size: past the work budget the count is a lower bound, and no finding is invented") {
    // Excludes pairing axis i with axis i+20: 2^20 distinct states halfway, too many to visit.
    std::string matrix, excludes = "exclude:\n";
    for (int i = 0; i < 40; ++i) matrix += "a" + std::to_string(i) + ": [0, 1]\n";
    for (int i = 0; i < 20; ++i) excludes += "  - {a" + std::to_string(i) + ": 0, a" + std::to_string(i + 20) + ": 0}\n";
    auto doc = forgeline::util::parse_yaml(matrix + excludes, "m.yml");
    REQUIRE(doc);
    const auto jobs = forgeline::validate::matrix_job_count(doc->value);
    REQUIRE(jobs);
    CHECK_FALSE(jobs->exact);
    CHECK(jobs->count == 0);  // 2^40 less 20 × 2^38 matched: the bound says nothing
  }

  TEST_CASE("matrix-exclude: a key that is no key of the matrix; exclude-matches-nothing: a value no key has") {
    CHECK(check(with_jobs("  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        os: [linux, mac]\n"
                          "        v: [1, 2]\n        include: [{extra: x}]\n"
                          "        exclude:\n          - {operating-system: mac}\n          - {extra: x}\n"
                          "          - {os: windows, v: 1}\n          - {os: mac, v: '2'}\n"
                          "    steps: [{run: make}]\n")) ==
          Lines{"w.yml:13:14: error: /jobs/t/strategy/matrix/exclude/0/operating-system: 'operating-system' is not a "
                "key of the matrix, so GitHub rejects the workflow (keys: os, v) [matrix-exclude]",
                "w.yml:14:14: error: /jobs/t/strategy/matrix/exclude/1/extra: 'extra' is not a key of the matrix, so "
                "GitHub rejects the workflow (keys: os, v) [matrix-exclude]",
                "w.yml:15:18: warning: /jobs/t/strategy/matrix/exclude/2/os: os 'windows' is not a value of the matrix, "
                "so this entry excludes nothing (os: linux, mac) [exclude-matches-nothing]"});
  }

  TEST_CASE("exclude-matches-nothing: mappings match by the keys the exclude gives; expressions are not judged") {
    CHECK(check(with_jobs("  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
                          "        os: [{name: Ubuntu, id: ubuntu}, {name: Windows, id: windows}]\n"
                          "        v: ['${{ fromJSON(vars.V) }}']\n"
                          "        exclude:\n          - {os: {id: windows}}\n          - {os: {id: macos}}\n"
                          "          - {os: {id: ubuntu, foo: bar}}\n          - {v: 1}\n"
                          "    steps: [{run: make}]\n")) ==
          Lines{"w.yml:13:18: warning: /jobs/t/strategy/matrix/exclude/1/os: os {\"id\":\"macos\"} is not a value of the "
                "matrix, so this entry excludes nothing (os: {\"id\":\"ubuntu\",\"name\":\"Ubuntu\"}, "
                "{\"id\":\"windows\",\"name\":\"Windows\"}) [exclude-matches-nothing]",
                "w.yml:14:18: warning: /jobs/t/strategy/matrix/exclude/2/os: os {\"foo\":\"bar\",\"id\":\"ubuntu\"} is not a "
                "value of the matrix, so this entry excludes nothing (os: {\"id\":\"ubuntu\",\"name\":\"Ubuntu\"}, "
                "{\"id\":\"windows\",\"name\":\"Windows\"}) [exclude-matches-nothing]"});
  }
}
