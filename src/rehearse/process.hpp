#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace forgeline::rehearse {

/// A program to start: its arguments, its whole environment and its working directory.
struct Command {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
  std::filesystem::path cwd;  // empty: the current directory
  std::string input;          // written to its standard input
};

/// How a program ended and what it printed (standard output and error, interleaved).
struct Finished {
  int status = 0;  // exit status; 128 + signal number when killed; 127 when it could not start
  std::string output;
};

/// Runs a program to its end. Its output goes to `log` (appended, when given), to standard
/// error too when `echo`, and is returned. The program is found on the PATH of its own
/// environment.
Finished run_command(const Command& command, const std::optional<std::filesystem::path>& log = std::nullopt,
                     bool echo = false);

/// The last `count` lines of a text, for showing where a step failed.
std::string last_lines(const std::string& text, std::size_t count);

/// Whether a program is on the PATH (or, with a slash, exists and may be executed); its path.
std::optional<std::filesystem::path> find_program(const std::string& name, const std::string& path_variable);

}  // namespace forgeline::rehearse
