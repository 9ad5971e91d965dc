#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "rehearse/matrix.hpp"

using forgeline::rehearse::expand_matrix;
using forgeline::rehearse::matrix_label;
using nlohmann::json;

TEST_SUITE("rehearse::matrix") {
  TEST_CASE("the product of the axes, the first varying slowest") {
    auto m = expand_matrix(json::parse(R"({"a": [1, 2], "b": ["x", "y"]})"));
    REQUIRE(m);
    CHECK(json(*m) == json::parse(R"([{"a":1,"b":"x"},{"a":1,"b":"y"},{"a":2,"b":"x"},{"a":2,"b":"y"}])"));
  }

  TEST_CASE("exclude removes every combination it partly matches") {
    auto m = expand_matrix(json::parse(R"({"a": [1, 2], "b": ["x", "y"], "exclude": [{"a": 2}]})"));
    REQUIRE(m);
    CHECK(json(*m) == json::parse(R"([{"a":1,"b":"x"},{"a":1,"b":"y"}])"));
  }

  TEST_CASE("include extends combinations it does not change, else adds one (GitHub's example)") {
    // docs.github.com, "Running variations of jobs in a workflow", expanding or adding combinations.
    auto m = expand_matrix(json::parse(R"({
      "fruit": ["apple", "pear"], "animal": ["cat", "dog"],
      "include": [{"color": "green"}, {"color": "pink", "animal": "cat"}, {"fruit": "apple", "shape": "circle"},
                  {"fruit": "banana"}, {"fruit": "banana", "animal": "cat"}]})"));
    REQUIRE(m);
    CHECK(json(*m) == json::parse(R"([
      {"animal":"cat","fruit":"apple","color":"pink","shape":"circle"},
      {"animal":"cat","fruit":"pear","color":"pink"},
      {"animal":"dog","fruit":"apple","color":"green","shape":"circle"},
      {"animal":"dog","fruit":"pear","color":"green"},
      {"fruit":"banana"},
      {"fruit":"banana","animal":"cat"}])"));
  }

  TEST_CASE("a matrix of include entries only, as the OpenWrt factory writes it") {
    auto m = expand_matrix(json::parse(R"({"include": [{"arch": "x86_64", "tag": "x"}, {"arch": "mips_24kc", "tag": "m"}]})"));
    REQUIRE(m);
    CHECK(m->size() == 2);
    CHECK((*m)[1]["arch"] == "mips_24kc");
    CHECK(matrix_label((*m)[0]) == "x86_64, x");
  }

  TEST_CASE("malformed matrices say what is wrong") {
    CHECK(expand_matrix(json::parse(R"({"a": 1})")).error() == "matrix axis 'a' must be a list of values");
    CHECK(expand_matrix(json::parse(R"({"a": []})")).error() == "matrix axis 'a' has no values");
    CHECK(expand_matrix(json::parse(R"({"a": [1], "exclude": [{"a": 1}]})")).error() == "the matrix makes no combination");
    CHECK(expand_matrix(json("x")).error() == "the matrix must be a mapping of axes to lists of values");
  }
}
