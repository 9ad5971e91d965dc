#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/json_object.hpp"

using nlohmann::json;
using forgeline::util::object;
using forgeline::util::set;

TEST_SUITE("util::json_object") {
  TEST_CASE("object builds what nlohmann's own initializer list builds") {
    const std::string name = "IMAGE";
    const std::vector<std::string> lines = {"a", "b"};
    CHECK(object({{"name", name}, {"n", 3}, {"on", true}, {"none", nullptr}, {"lines", lines}, {"pair", {"x", 1}}}) ==
          json{{"name", name}, {"n", 3}, {"on", true}, {"none", nullptr}, {"lines", lines}, {"pair", {"x", 1}}});
    CHECK(object({}) == json::object());
    CHECK(object({}).is_object());
  }

  TEST_CASE("the first of equal keys wins, as in nlohmann's initializer list") {
    CHECK(object({{"k", 1}, {"k", 2}}) == json{{"k", 1}, {"k", 2}});
    CHECK(object({{"k", 1}, {"k", 2}})["k"] == 1);
  }

  TEST_CASE("values are moved, not copied") {
    json big = json::array({"x", "y"});
    const json* items = &big.get_ref<const json::array_t&>().front();
    json made = object({{"list", std::move(big)}});
    CHECK(&made["list"].get_ref<const json::array_t&>().front() == items);
  }

  TEST_CASE("set replaces members the object has and adds the others") {
    json into = {{"keep", 1}, {"replace", 2}};
    json list = json::array({1, 2});
    const json* items = &list.get_ref<const json::array_t&>().front();
    set(into, {{"replace", "new"}, {"added", std::move(list)}});
    CHECK(into == json{{"keep", 1}, {"replace", "new"}, {"added", {1, 2}}});
    CHECK(&into["added"].get_ref<const json::array_t&>().front() == items);
  }
}
