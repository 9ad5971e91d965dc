#include "rehearse/contexts.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "expr/evaluate.hpp"
#include "rehearse/glob.hpp"
#include "util/files.hpp"
#include "util/json_object.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace fs = std::filesystem;
using nlohmann::json;

json github_context(const Options& o, const Source& source, const std::string& repository,
                    const std::string& workflow_name, const std::string& workflow_path) {
  const std::string owner = repository.substr(0, repository.find('/'));
  const bool pr = o.event.name == "pull_request";
  const std::string ref = pr ? "refs/pull/1/merge" : "refs/heads/" + o.event.ref;
  json repo = util::object({{"name", repository.substr(repository.find('/') + 1)},
                            {"full_name", repository},
                            {"owner", util::object({{"login", owner}})},
                            {"default_branch", o.default_branch}});
  json event = util::object({{"repository", repo}, {"sender", util::object({{"login", o.actor}})}});
  if (o.event.name == "push") {
    event["ref"] = ref;
    event["before"] = std::string(40, '0');
    event["after"] = source.sha;
    event["head_commit"] = util::object({{"id", source.sha}, {"timestamp", source.commit_time}});
  } else if (pr) {
    event["number"] = 1;
    event["pull_request"] = util::object({{"number", 1},
                                          {"head", util::object({{"ref", o.event.ref}, {"sha", source.sha}})},
                                          {"base", util::object({{"ref", o.event.base}})}});
  } else if (o.event.name == "workflow_dispatch") {
    event["ref"] = ref;
    json inputs = json::object();
    for (const auto& [k, v] : o.inputs) inputs[k] = v;  // the payload's inputs are strings
    event["inputs"] = inputs;
  }
  return util::object({{"event_name", o.event.name},
                       {"event", event},
                       {"ref", ref},
                       {"ref_name", pr ? "1/merge" : o.event.ref},
                       {"ref_type", "branch"},
                       {"head_ref", pr ? o.event.ref : ""},
                       {"base_ref", pr ? o.event.base : ""},
                       {"sha", source.sha},
                       {"repository", repository},
                       {"repository_owner", owner},
                       {"actor", o.actor},
                       {"triggering_actor", o.actor},
                       {"workflow", workflow_name},
                       {"workflow_ref", fmt::format("{}/{}@{}", repository, workflow_path, ref)},
                       {"run_id", "1"},
                       {"run_number", "1"},
                       {"run_attempt", "1"},
                       {"server_url", "https://github.com"},
                       {"api_url", "https://api.github.com"},
                       {"graphql_url", "https://api.github.com/graphql"},
                       {"token", "***"},
                       {"retention_days", "90"}});
}

std::map<std::string, std::string> runner_env(const json& g, const std::string& job_id, const std::string& step_id,
                                              const JobPaths& paths, int step_number) {
  auto str = [&](const char* key) { return expr::to_string(g.value(key, json())); };
  std::map<std::string, std::string> env = {
      {"CI", "true"},
      {"GITHUB_ACTIONS", "true"},
      {"GITHUB_ACTION", step_id.empty() ? fmt::format("__run_{}", step_number) : step_id},
      {"GITHUB_ACTOR", str("actor")},
      {"GITHUB_TRIGGERING_ACTOR", str("triggering_actor")},
      {"GITHUB_API_URL", str("api_url")},
      {"GITHUB_GRAPHQL_URL", str("graphql_url")},
      {"GITHUB_SERVER_URL", str("server_url")},
      {"GITHUB_BASE_REF", str("base_ref")},
      {"GITHUB_HEAD_REF", str("head_ref")},
      {"GITHUB_EVENT_NAME", str("event_name")},
      {"GITHUB_EVENT_PATH", paths.file_commands + "/event.json"},
      {"GITHUB_JOB", job_id},
      {"GITHUB_REF", str("ref")},
      {"GITHUB_REF_NAME", str("ref_name")},
      {"GITHUB_REF_TYPE", str("ref_type")},
      {"GITHUB_REPOSITORY", str("repository")},
      {"GITHUB_REPOSITORY_OWNER", str("repository_owner")},
      {"GITHUB_RUN_ID", str("run_id")},
      {"GITHUB_RUN_NUMBER", str("run_number")},
      {"GITHUB_RUN_ATTEMPT", str("run_attempt")},
      {"GITHUB_SHA", str("sha")},
      {"GITHUB_WORKFLOW", str("workflow")},
      {"GITHUB_WORKFLOW_REF", str("workflow_ref")},
      {"GITHUB_WORKSPACE", paths.workspace},
      {"GITHUB_OUTPUT", fmt::format("{}/output_{}", paths.file_commands, step_number)},
      {"GITHUB_ENV", fmt::format("{}/env_{}", paths.file_commands, step_number)},
      {"GITHUB_PATH", fmt::format("{}/path_{}", paths.file_commands, step_number)},
      {"GITHUB_STATE", fmt::format("{}/state_{}", paths.file_commands, step_number)},
      {"GITHUB_STEP_SUMMARY", fmt::format("{}/summary_{}", paths.file_commands, step_number)},
      {"RUNNER_OS", "Linux"},
      {"RUNNER_ARCH", "X64"},
      {"RUNNER_NAME", "forgeline-rehearse"},
      {"RUNNER_TEMP", paths.temp},
      {"RUNNER_TOOL_CACHE", paths.temp + "/_tool"},
      {"HOME", paths.home},
  };
  return env;
}

std::expected<json, InputError> typed_inputs(const json& declared, const std::map<std::string, json>& given) {
  json out = json::object();
  for (const auto& [name, value] : given)
    if (!declared.is_object() || !declared.contains(name)) {
      std::vector<std::string> names;
      if (declared.is_object())
        for (const auto& [n, d] : declared.items()) names.push_back(n);
      return std::unexpected(
          InputError{"", fmt::format("no input '{}' (inputs: {})", name, names.empty() ? "none" : util::join(names, ", "))});
    }
  if (!declared.is_object()) return out;
  for (const auto& [name, spec] : declared.items()) {
    const std::string type = spec.is_object() ? spec.value("type", "string") : "string";
    json value;
    if (auto it = given.find(name); it != given.end()) value = it->second;
    else if (spec.is_object() && spec.contains("default")) value = spec["default"];
    else if (spec.is_object() && spec.value("required", false)) return std::unexpected(InputError{name, fmt::format("input '{}' is required", name)});
    else value = type == "boolean" ? json(false) : type == "number" ? json(0) : json("");
    if (type == "boolean") {
      if (value.is_string() && (value == "true" || value == "false")) value = value == "true";
      if (!value.is_boolean())
        return std::unexpected(InputError{name, fmt::format("input '{}' is a boolean; got '{}'", name, expr::to_string(value))});
    } else if (type == "number") {
      if (value.is_string()) {
        const double n = expr::to_number(value);
        if (n != n)
          return std::unexpected(InputError{name, fmt::format("input '{}' is a number; got '{}'", name, value.get<std::string>())});
        value = n;
      }
    } else {
      value = expr::to_string(value);
      if (type == "choice" && spec.contains("options") && spec["options"].is_array()) {
        std::vector<std::string> options;
        for (const auto& o : spec["options"]) options.push_back(expr::to_string(o));
        if (std::find(options.begin(), options.end(), value.get<std::string>()) == options.end())
          return std::unexpected(InputError{name, fmt::format("input '{}' must be one of {}; got '{}'", name,
                                                              util::join(options, ", "), value.get<std::string>())});
      }
    }
    out[name] = value;
  }
  return out;
}

std::string hash_files(const fs::path& root, const std::vector<std::string>& patterns) {
  const auto files = glob_files(root, patterns);
  if (files.empty()) return "";
  std::string digests;
  for (const auto& f : files) {
    const std::string hex = util::sha256_hex(util::read_file(f).value_or(""));
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
      digests += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return util::sha256_hex(digests);
}

}  // namespace forgeline::rehearse
