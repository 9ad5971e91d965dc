#pragma once
// Shared by the validate/ tests: a workflow checked the way `forgeline validate` checks it,
// its findings as the lines it prints.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include "util/diagnostic.hpp"
#include "validate/workflow.hpp"

// Failed comparisons print every line.
template <>
struct doctest::StringMaker<std::vector<std::string>> {
  static doctest::String convert(const std::vector<std::string>& lines) {
    std::string out = "{";
    for (const auto& l : lines) out += "\n  \"" + l + "\"";
    return (out + "}").c_str();
  }
};

namespace workflow_check {

namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

inline Lines formatted(const forgeline::util::Diagnostics& ds) {
  Lines out;
  for (const auto& d : ds) out.push_back(forgeline::util::format(d));
  return out;
}

/// check_workflow's findings for `text` as `w.yml`, as printed.
inline Lines check(const std::string& text, std::optional<fs::path> folder = std::nullopt,
                   forgeline::validate::RuleSettings rules = {}) {
  return formatted(forgeline::validate::check_workflow(text, "w.yml", {std::move(folder), std::move(rules)}));
}

/// A workflow with the given jobs (indented two spaces under `jobs:`) and nothing else to flag.
inline std::string with_jobs(const std::string& jobs) {
  return "on: push\npermissions:\n  contents: read\njobs:\n" + jobs;
}

/// A temporary folder of workflow files, removed at the end of the test.
struct Folder {
  fs::path path = fs::temp_directory_path() / ("forgeline-validate-" + std::to_string(::getpid()));
  Folder() { fs::create_directories(path); }
  ~Folder() { fs::remove_all(path); }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

}  // namespace workflow_check
