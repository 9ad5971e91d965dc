#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rehearse/steps.hpp"

using forgeline::rehearse::shell_command;
using forgeline::rehearse::split_options;
using Lines = std::vector<std::string>;

TEST_SUITE("rehearse::steps") {
  TEST_CASE("the runner's commands for each shell") {
    CHECK(shell_command("", "/t/s.sh") == Lines{"bash", "-e", "/t/s.sh"});
    CHECK(shell_command("bash", "/t/s.sh") == Lines{"bash", "--noprofile", "--norc", "-eo", "pipefail", "/t/s.sh"});
    CHECK(shell_command("sh", "/t/s.sh") == Lines{"sh", "-e", "/t/s.sh"});
    CHECK(shell_command("python", "/t/s.sh") == Lines{"python", "/t/s.sh"});
    CHECK(shell_command("perl -w {0}", "/t/s.sh") == Lines{"perl", "-w", "/t/s.sh"});
  }

  TEST_CASE("container options split like a shell would, quotes grouping") {
    CHECK(split_options("--user root  --env 'A=b c' -e\"D=e\"") == Lines{"--user", "root", "--env", "A=b c", "-eD=e"});
    CHECK(split_options("").empty());
  }
}
