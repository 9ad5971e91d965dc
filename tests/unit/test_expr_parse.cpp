#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "expr/parse.hpp"

namespace {

using forgeline::expr::Kind;
using forgeline::expr::Node;
using forgeline::expr::parse;

/// A node as a compact S-expression, so a whole tree is one string to compare.
std::string show(const Node& n) {
  std::string out;
  switch (n.kind) {
    case Kind::null_literal: return "null";
    case Kind::boolean_literal: return n.boolean ? "true" : "false";
    case Kind::number_literal: return "#" + n.text;
    case Kind::string_literal: return "'" + n.text + "'";
    case Kind::context: return n.text;
    case Kind::property: return "(. " + show(n.children[0]) + " " + n.text + ")";
    case Kind::filter: return "(* " + show(n.children[0]) + ")";
    case Kind::index: return "([] " + show(n.children[0]) + " " + show(n.children[1]) + ")";
    case Kind::logical_not: return "(! " + show(n.children[0]) + ")";
    case Kind::binary: return "(" + n.text + " " + show(n.children[0]) + " " + show(n.children[1]) + ")";
    case Kind::call:
      out = "(" + n.text;
      for (const auto& c : n.children) out += " " + show(c);
      return out + ")";
  }
  return "?";
}

std::string tree(std::string_view text) {
  auto n = parse(text);
  REQUIRE_MESSAGE(n.has_value(), std::string(text) << ": " << (n ? "" : n.error().message));
  return show(*n);
}

std::string error(std::string_view text) {
  auto n = parse(text);
  REQUIRE_MESSAGE(!n.has_value(), std::string(text) << " parsed as " << (n ? show(*n) : ""));
  return n.error().message + " @" + std::to_string(n.error().offset);
}

}  // namespace

TEST_SUITE("expr::parse") {
  TEST_CASE("precedence: || below && below equality below comparison below !") {
    CHECK(tree("a || b && c == d < e") == "(|| a (&& b (== c (< d e))))");
    CHECK(tree("!a == b") == "(== (! a) b)");
    CHECK(tree("(a || b) && c") == "(&& (|| a b) c)");
    CHECK(tree("a == b != c") == "(!= (== a b) c)");
  }

  TEST_CASE("property access, indexes and filters on contexts, calls and groups") {
    CHECK(tree("needs.build.outputs['image-ref']") == "([] (. (. needs build) outputs) 'image-ref')");
    CHECK(tree("github.event.commits.*.message") == "(. (* (. (. github event) commits)) message)");
    CHECK(tree("matrix[inputs.axis][*]") == "(* ([] matrix (. inputs axis)))");
    CHECK(tree("fromJSON(x).include[0]") == "([] (. (fromJSON x) include) #0)");
    CHECK(tree("(a).b") == "(. a b)");
    CHECK(tree("inputs.node-version") == "(. inputs node-version)");
  }

  TEST_CASE("literals: strings with doubled quotes, numbers as JavaScript reads them, keywords") {
    CHECK(tree("'it''s'") == "'it's'");
    CHECK(tree("format('{0}', -1.5e3, 0xff, .5, NaN, Infinity, null, true)") ==
          "(format '{0}' #-1.5e3 #0xff #.5 #NaN #Infinity null true)");
    CHECK(parse("0xff")->number == 255);
    CHECK(parse("-1.5e3")->number == -1500);
    CHECK(std::isnan(parse("NaN")->number));
    // A keyword after a dot is a property name.
    CHECK(tree("github.event.null") == "(. (. github event) null)");
  }

  TEST_CASE("offsets and lengths point into the expression") {
    auto n = parse("  a.b == 'x'");
    REQUIRE(n);
    CHECK(n->offset == 2);
    CHECK(n->length == 10);
    CHECK(n->children[1].offset == 9);
    auto call = parse("contains(a, 'b')");
    CHECK(call->length == 16);
  }

  TEST_CASE("syntax errors say what and where") {
    CHECK(error("a = b") == "unexpected symbol '=' @2");
    CHECK(error("a & b") == "unexpected symbol '&' @2");
    CHECK(error("'open") == "unterminated string literal @0");
    CHECK(error("a ==") == "unexpected end of expression @4");
    CHECK(error("1.2.3") == "unexpected symbol '1.2.3' @0");
    CHECK(error("a b") == "unexpected symbol 'b' @2");
    CHECK(error("f(a,") == "unexpected end of expression @4");
    CHECK(error("a.") == "unexpected end of expression @2");
    CHECK(error("'x'.y") == "unexpected symbol '.y' @3");  // literals have no properties
    CHECK(error("") == "empty expression @0");
    CHECK(error("a $ b") == "unexpected symbol '$' @2");
  }

  TEST_CASE("GitHub's limits: nesting depth 50 and 21000 characters") {
    std::string deep(60, '(');
    deep += "a" + std::string(60, ')');
    CHECK(error(deep) == "expression nested more than 50 levels deep @50");
    std::string shallow(40, '(');
    shallow += "a" + std::string(40, ')');
    CHECK(tree(shallow) == "a");
    std::string nots(100, '!');
    CHECK(error(nots + "a").starts_with("expression nested more than 50 levels deep"));
    std::string chain = "a";
    for (int i = 0; i < 100; ++i) chain += ".b";
    CHECK(error(chain).starts_with("expression nested more than 50 levels deep"));
    CHECK(error(std::string(21001, ' ')) == "expression is longer than 21000 characters @0");
  }

  TEST_CASE("split_template: literal text and ${{ }} parts, }} inside strings kept") {
    auto parts = forgeline::expr::split_template("pre ${{ a }}-${{ format('{0}}}', b) }}");
    REQUIRE(parts);
    REQUIRE(parts->size() == 4);
    CHECK(parts->at(0).text == "pre ");
    CHECK((parts->at(1).expression && parts->at(1).text == " a " && parts->at(1).offset == 7));
    CHECK(parts->at(2).text == "-");
    CHECK(parts->at(3).text == " format('{0}}}', b) ");
    auto open = forgeline::expr::split_template("x ${{ a ");
    REQUIRE(!open);
    CHECK(open.error().message == "'${{' is not closed by '}}'");
    CHECK(open.error().offset == 2);
    CHECK(forgeline::expr::split_template("")->empty());
  }

  TEST_CASE("parse_number is JavaScript's Number()") {
    using forgeline::expr::parse_number;
    CHECK(parse_number("") == 0.0);
    CHECK(parse_number("  42 ") == 42.0);
    CHECK(parse_number("0x1F") == 31.0);
    CHECK(parse_number("0b101") == 5.0);
    CHECK(parse_number("1e3") == 1000.0);
    CHECK(parse_number("-Infinity") == -HUGE_VAL);
    CHECK(!parse_number("1e"));
    CHECK(!parse_number("abc"));
    CHECK(!parse_number("1.2.3"));
    CHECK(!parse_number("0x"));
    CHECK(parse_number("1e999") == HUGE_VAL);
    CHECK(parse_number("1e-400") == 0.0);
  }

  TEST_CASE("context_path: chains of names and literal indexes, lowercased") {
    CHECK(forgeline::expr::context_path(*parse("Needs.Build.outputs['V']")) ==
          std::vector<std::string>{"needs", "build", "outputs", "v"});
    CHECK(forgeline::expr::context_path(*parse("github.event.commits.*.id")) ==
          std::vector<std::string>{"github", "event", "commits", "*", "id"});
    CHECK(forgeline::expr::context_path(*parse("matrix[x]")).empty());
    CHECK(forgeline::expr::context_path(*parse("f(a).b")).empty());
  }
}
