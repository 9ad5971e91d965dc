#include <doctest/doctest.h>

#include <string>

#include "expr/evaluate.hpp"

namespace {

using forgeline::expr::Scope;
using forgeline::expr::Value;

Scope scope() {
  Scope s;
  s.contexts = Value::parse(R"({
    "github": {"ref_name": "main", "event_name": "push", "event": {"commits": [{"id": "a1", "author": {"name": "Ann"}},
                                                                             {"id": "b2", "author": {"name": "Bo"}}]}},
    "inputs": {"force": true, "qt": "6.5.3", "empty": "", "count": 3},
    "needs": {"base": {"result": "success", "outputs": {"built": "true", "image": "r/base:h1"}}},
    "matrix": {"arch": "mips_24kc"},
    "env": {"REGISTRY": "ghcr.io"},
    "steps": {}
  })");
  return s;
}

/// The value of an expression as JSON text, or "error: message @offset".
std::string eval(std::string_view text, const Scope& s = scope()) {
  auto v = forgeline::expr::evaluate(text, s);
  if (!v) return "error: " + v.error().message + " @" + std::to_string(v.error().offset);
  return v->dump();
}

std::string interp(std::string_view text, const Scope& s = scope()) {
  auto v = forgeline::expr::interpolate(text, s);
  if (!v) return "error: " + v.error().message + " @" + std::to_string(v.error().offset);
  return v->dump();
}

bool cond(std::string_view text, const Scope& s = scope()) {
  auto v = forgeline::expr::condition(text, s);
  REQUIRE_MESSAGE(v.has_value(), std::string(text) << ": " << (v ? "" : v.error().message));
  return *v;
}

}  // namespace

TEST_SUITE("expr::evaluate") {
  TEST_CASE("contexts, properties (ignoring case), indexes and missing values") {
    CHECK(eval("github.ref_name") == R"("main")");
    CHECK(eval("NEEDS.Base.OUTPUTS.image") == R"("r/base:h1")");
    CHECK(eval("needs.base.outputs['built']") == R"("true")");
    CHECK(eval("needs.qt.outputs.image") == "null");
    CHECK(eval("github.event.commits[1].id") == R"("b2")");
    CHECK(eval("github.event.commits[5]") == "null");
    CHECK(eval("inputs.qt.major") == "null");
    CHECK(eval("vars.X") == "error: unrecognized named-value 'vars' @0");
  }

  TEST_CASE("filters map further accesses over their elements") {
    CHECK(eval("github.event.commits.*.id") == R"(["a1","b2"])");
    CHECK(eval("github.event.commits.*.author.name") == R"(["Ann","Bo"])");
    CHECK(eval("contains(github.event.commits.*.author.name, 'bo')") == "true");
    CHECK(eval("needs.*.result") == R"(["success"])");
    CHECK(eval("inputs.qt.*") == "[]");
  }

  TEST_CASE("&& and || return an operand and short-circuit") {
    CHECK(eval("inputs.qt || 'none'") == R"("6.5.3")");
    CHECK(eval("inputs.empty || 'none'") == R"("none")");
    CHECK(eval("inputs.empty && nosuch.x") == R"("")");
    CHECK(eval("inputs.force && inputs.qt") == R"("6.5.3")");
    CHECK(eval("true || nosuch.x") == "true");
  }

  TEST_CASE("== coerces across types as GitHub does; strings ignore case") {
    CHECK(eval("inputs.force == true") == "true");
    CHECK(eval("needs.base.outputs.built == 'true'") == "true");
    CHECK(eval("needs.base.outputs.built == true") == "false");  // 'true' is NaN as a number
    CHECK(eval("'MAIN' == github.ref_name") == "true");
    CHECK(eval("inputs.count == '3'") == "true");
    CHECK(eval("null == 0") == "true");
    CHECK(eval("'' == 0") == "true");
    CHECK(eval("NaN == NaN") == "false");
    CHECK(eval("github.event == github.event") == "false");  // objects compare by instance
    CHECK(eval("inputs.count > 2 && inputs.count <= 3") == "true");
    CHECK(eval("'b' > 'A'") == "true");
    CHECK(eval("'x' < 1") == "false");
    CHECK(eval("!inputs.empty") == "true");
  }

  TEST_CASE("functions") {
    CHECK(eval("contains('Hello', 'ELL')") == "true");
    CHECK(eval("contains(fromJSON('[1, \"2\"]'), 2)") == "true");
    CHECK(eval("startsWith(github.ref_name, 'MA')") == "true");
    CHECK(eval("endsWith(matrix.arch, '24KC')") == "true");
    CHECK(eval("startsWith(github.event, 'x')") == "false");
    CHECK(eval("format('{0}-{1}:{{x}}', matrix.arch, 1.5)") == R"("mips_24kc-1.5:{x}")");
    CHECK(eval("format('{1}', 'a')") == "error: the format string references more arguments than were supplied: {1} @0");
    CHECK(eval("format('{', 'a')") == "error: the format string is invalid: { @0");
    CHECK(eval("join(github.event.commits.*.id, ', ')") == R"("a1, b2")");
    CHECK(eval("join('one')") == R"("one")");
    CHECK(eval("join(fromJSON('[1,true,null]'))") == R"("1,true,")");
    CHECK(eval("toJSON(needs.base.outputs)") == R"("{\n  \"built\": \"true\",\n  \"image\": \"r/base:h1\"\n}")");
    CHECK(eval("fromJSON('{\"arch\":[\"a\",\"b\"]}').arch[1]") == R"("b")");
    CHECK(eval("fromJSON('{bad')") == "error: fromJSON: the argument is not valid JSON: {bad @0");
    CHECK(eval("case(inputs.force, 'forced', 'normal')") == R"("forced")");
    CHECK(eval("case(false, 1, false, 2, 3)") == "3");
    CHECK(eval("case('yes', 1, 2)") == "error: case(): each predicate must be a boolean @0");
    CHECK(eval("case(true, 1)") == "error: case() takes 3 to 255 arguments, not 2 @0");
    CHECK(eval("nosuch(1)") == "error: unrecognized function 'nosuch' @0");
    CHECK(eval("contains('a')") == "error: contains() takes 2 arguments, not 1 @0");
    CHECK(eval("x || hashFiles('**/lock')", [] {
            Scope s = scope();
            s.contexts["x"] = false;
            return s;
          }()) == "error: hashFiles() is not available here @5");
    Scope s = scope();
    s.hash_files = [](const std::vector<std::string>& p) -> std::expected<std::string, std::string> {
      return "h:" + p.front();
    };
    CHECK(eval("hashFiles('Cargo.lock')", s) == R"("h:Cargo.lock")");
  }

  TEST_CASE("string conversion of numbers and other values") {
    using forgeline::expr::to_string;
    CHECK(to_string(Value(1.0)) == "1");
    CHECK(to_string(Value(0.1 + 0.2)) == "0.3");
    CHECK(to_string(Value(-2.5)) == "-2.5");
    CHECK(to_string(Value(1e21)) == "1e+21");
    CHECK(to_string(Value(nullptr)).empty());
    CHECK(to_string(Value::array()) == "Array");
    CHECK(to_string(Value::object()) == "Object");
    CHECK(to_string(Value(7)) == "7");
  }

  TEST_CASE("interpolate: one whole expression keeps its type; text makes a string") {
    CHECK(interp("${{ inputs.force }}") == "true");
    CHECK(interp("${{ inputs.count }}") == "3");
    CHECK(interp("tag-${{ matrix.arch }}-${{ inputs.count }}") == R"("tag-mips_24kc-3")");
    CHECK(interp("plain") == R"("plain")");
    CHECK(interp("${{ github.event }} x") == R"("Object x")");
    CHECK(interp("a ${{ nosuch.y }}") == "error: unrecognized named-value 'nosuch' @6");
    CHECK(interp("a ${{ b") == "error: '${{' is not closed by '}}' @2");
  }

  TEST_CASE("condition: implicit success() unless a status function is called") {
    Scope failed = scope();
    failed.failed = true;
    CHECK(cond("inputs.force"));
    CHECK(cond("${{ inputs.force }}"));
    CHECK_FALSE(cond("inputs.force", failed));
    CHECK(cond("always() && inputs.force", failed));
    CHECK(cond("failure()", failed));
    CHECK_FALSE(cond("failure()"));
    CHECK_FALSE(cond("steps.ref.outputs.build == 'true'"));
    CHECK(cond(""));
    CHECK_FALSE(cond("", failed));
    // Text around ${{ }} makes a non-empty string: always true (the known pitfall).
    CHECK_FALSE(cond("${{ false }} "));  // surrounding whitespace is not text
    CHECK(cond("x ${{ false }}"));
    // A skipped ancestor: neither success() nor failure(), so only always() runs.
    Scope skipped = scope();
    skipped.skipped = true;
    CHECK_FALSE(cond("success()", skipped));
    CHECK_FALSE(cond("failure()", skipped));
    CHECK_FALSE(cond("inputs.force", skipped));
    CHECK(cond("always()", skipped));
    CHECK(cond("!cancelled()", skipped));
    Scope cancelled = scope();
    cancelled.cancelled = true;
    CHECK_FALSE(cond("inputs.force", cancelled));
    CHECK(cond("cancelled()", cancelled));
    CHECK_FALSE(cond("success()", cancelled));
    auto bad = forgeline::expr::condition("  ${{ a == }}", scope());
    REQUIRE(!bad);
    CHECK(bad.error().message == "unexpected end of expression");
    CHECK(bad.error().offset == 11);
  }
}
