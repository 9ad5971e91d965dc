#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "rehearse/process.hpp"
#include "util/files.hpp"

using forgeline::rehearse::Command;
using forgeline::rehearse::find_program;
using forgeline::rehearse::last_lines;
using forgeline::rehearse::run_command;

TEST_SUITE("rehearse::process") {
  TEST_CASE("a program gets exactly its environment, input and folder; output is returned and logged") {
    const auto log = std::filesystem::temp_directory_path() / ("forgeline-process-" + std::to_string(::getpid()));
    Command c{{"sh", "-c", "echo \"$GREETING $(cat) $(pwd)\"; echo oops >&2; exit 3"},
              {{"PATH", std::getenv("PATH")}, {"GREETING", "hello"}},
              "/",
              "world"};
    auto done = run_command(c, log);
    CHECK(done.status == 3);
    CHECK(done.output == "hello world /\noops\n");
    CHECK(forgeline::util::read_file(log).value() == done.output);
    std::filesystem::remove(log);
  }

  TEST_CASE("a missing program is status 127") {
    auto done = run_command({{"no-such-program-here"}, {{"PATH", "/nonexistent"}}});
    CHECK(done.status == 127);
    CHECK(done.output == "no-such-program-here: command not found\n");
    CHECK_FALSE(find_program("sh", "/nonexistent"));
    CHECK(find_program("sh", "/usr/bin:/bin"));
  }

  TEST_CASE("the last lines of an output") {
    CHECK(last_lines("a\nb\nc\n", 2) == "b\nc");
    CHECK(last_lines("a", 5) == "a");
  }
}
