#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "rehearse/command_files.hpp"

using forgeline::rehearse::parse_command_file;
using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST_SUITE("rehearse::command_files") {
  TEST_CASE("NAME=VALUE lines and NAME<<DELIMITER blocks, in order") {
    auto p = parse_command_file("ref=ghcr.io/a/b:1\n\nnotes<<EOF\nline one\nline=two\nEOF\nbuild=true\n");
    REQUIRE(p);
    CHECK(*p == Pairs{{"ref", "ghcr.io/a/b:1"}, {"notes", "line one\nline=two"}, {"build", "true"}});
  }

  TEST_CASE("whichever of = and << comes first decides") {
    auto p = parse_command_file("a=b<<c\nx<<=\nvalue\n=\n");
    REQUIRE(p);
    CHECK(*p == Pairs{{"a", "b<<c"}, {"x", "value"}});
  }

  TEST_CASE("errors name the line") {
    CHECK(parse_command_file("ok=1\nnot a command\n").error() == "line 2: expected NAME=VALUE or NAME<<DELIMITER");
    CHECK(parse_command_file("v<<END\nno end\n").error() == "line 1: no line 'END' ends the value of 'v'");
    CHECK(parse_command_file("=x\n").error() == "line 1: a name is missing before '='");
  }
}
