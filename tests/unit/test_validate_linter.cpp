#include "validate/linter.hpp"

#include "util/yaml_json.hpp"
#include "workflow_check.hpp"

using forgeline::validate::Linter;
using forgeline::validate::Sink;

namespace {

// Where byte `offset` of the value at `pointer` lands, as "line:column".
std::string at(const std::string& text, const std::string& pointer, std::size_t offset) {
  auto doc = forgeline::util::parse_yaml(text, "w.yml");
  REQUIRE(doc);
  const forgeline::validate::LintOptions options;
  Linter linter(*doc, text, options);
  const auto where = linter.inside(pointer, offset);
  return std::to_string(where.line) + ":" + std::to_string(where.column);
}

}  // namespace

TEST_SUITE("validate::linter") {
  TEST_CASE("inside: plain, quoted, literal and folded values, and repeated text") {
    CHECK(at("a: echo ${{ x }}\n", "/a", 5) == "1:9");
    CHECK(at("a: 'it''s ${{ x }}'\n", "/a", 5) == "1:11");
    CHECK(at("a: |\n  one ${{ x }}\n  two ${{ x }}\n", "/a", 17) == "3:7");
    CHECK(at("a: >\n  one\n  two ${{ x }}\n", "/a", 4) == "3:3");
    CHECK(at("a: \"tab\\there ${{ y }}\"\n", "/a", 9) == "1:15");
    // Out of range, or no string there: the value's own place.
    CHECK(at("a: x\n", "/a", 9) == "1:4");
    CHECK(at("a: [1]\n", "/a", 0) == "1:4");
  }

  TEST_CASE("member, text_of and strings_of look before they read") {
    using namespace forgeline::validate;
    const nlohmann::json doc = nlohmann::json::parse(R"({"a": {"b": "x"}, "l": ["p", 1, "q"], "n": 3})");
    CHECK(member(doc, "a") != nullptr);
    CHECK(member(member(doc, "n"), "b") == nullptr);
    CHECK(member(nullptr, "a") == nullptr);
    CHECK(*text_of(member(member(doc, "a"), "b")) == "x");
    CHECK(text_of(member(doc, "n")) == nullptr);
    CHECK(strings_of(member(doc, "l")) == std::vector<std::string>{"p", "q"});
    CHECK(strings_of(member(member(doc, "a"), "b")) == std::vector<std::string>{"x"});
    CHECK(strings_of(member(doc, "n")).empty());
  }

  TEST_CASE("reads_of: where each context path is read, and how much of the job has run there") {
    const std::string text = "jobs:\n  j:\n    if: matrix.a\n    outputs: {o: '${{ steps.s.outputs.v }}'}\n    steps:\n"
                             "      - {id: s, run: 'echo ${{ github.head_ref }}'}\n"
                             "      - {uses: actions/github-script@v8, with: {script: '${{ inputs.x }}', other: '${{ env.y }}'}}\n";
    auto doc = forgeline::util::parse_yaml(text, "w.yml");
    REQUIRE(doc);
    const forgeline::validate::LintOptions options;
    Linter linter(*doc, text, options);
    std::vector<std::string> seen;
    for (const auto& r : linter.reads_of("j"))
      seen.push_back(r.pointer + " " + r.path.text() + " @" + std::to_string(r.offset) + " run " +
                     std::to_string(r.steps_run) + (r.sink == Sink::script ? " script" : r.sink == Sink::condition ? " if" : ""));
    CHECK(seen == std::vector<std::string>{"/jobs/j/if matrix.a @0 run 0 if",
                                           "/jobs/j/outputs/o steps.s.outputs.v @4 run 2",
                                           "/jobs/j/steps/0/run github.head_ref @9 run 0 script",
                                           "/jobs/j/steps/1/with/other env.y @4 run 1",
                                           "/jobs/j/steps/1/with/script inputs.x @4 run 1 script"});
    CHECK(linter.reads_of("nope").empty());
  }
}
