#pragma once

#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rehearse/session.hpp"

namespace forgeline::rehearse {

/// The `github` context of the run, as GitHub fills it for the event ("Contexts reference",
/// docs.github.com): a pull request runs on `refs/pull/1/merge` with `head_ref`/`base_ref`,
/// a push or dispatch on `refs/heads/<branch>`; `event` carries the payload fields the
/// templates read.
nlohmann::json github_context(const Options& options, const Source& source, const std::string& repository,
                              const std::string& workflow_name, const std::string& workflow_path);

/// Where a job's files are, as its steps see them (inside a container: /__w/…).
struct JobPaths {
  std::string workspace;
  std::string temp;
  std::string home;
  std::string file_commands;  // folder of GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH files
};

/// The variables the runner sets for every step (GITHUB_*, RUNNER_*, CI), for one step.
std::map<std::string, std::string> runner_env(const nlohmann::json& github, const std::string& job_id,
                                              const std::string& step_id, const JobPaths& paths, int step_number);

/// Why inputs were refused, and which declared input it is about (empty: an unknown one).
struct InputError {
  std::string input;
  std::string message;
};

/// The inputs a workflow receives: each declared input from `given` (converted to its
/// `type`: boolean, number, string, choice, environment) or its default. Errors name the
/// input: unknown, missing though required, not a boolean, not one of the choices.
std::expected<nlohmann::json, InputError> typed_inputs(const nlohmann::json& declared,
                                                       const std::map<std::string, nlohmann::json>& given);

/// GitHub's hashFiles(): SHA-256 over the SHA-256 of every matching file under `root`,
/// sorted by path; '' when nothing matches (actions/runner, hashFiles).
std::string hash_files(const std::filesystem::path& root, const std::vector<std::string>& patterns);

}  // namespace forgeline::rehearse
