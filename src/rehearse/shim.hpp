#pragma once

#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rehearse/images.hpp"

namespace forgeline::rehearse {

/// How `docker` and `skopeo` answer the `run:` steps of a rehearsal. Steps find two small
/// scripts first on their PATH that call `forgeline rehearse-shim docker|skopeo …`, which
/// reads this configuration from the file named by FORGELINE_REHEARSE_SHIM.
struct ShimConfig {
  bool dry_run = false;  // record every command and answer "image not found"
  std::string docker;    // the real client
  std::string skopeo;    // the real skopeo; empty when not installed
  std::map<std::string, std::string> docker_env;
  std::string registries_conf;  // containers-registries.conf(5) marking the local registry insecure
  std::string native_platform;
  std::vector<std::string> add_hosts;  // host:ip, for the containers steps start
  ImageMap images;
  std::string record;  // JSON lines: one per command, with what the shim did
};

nlohmann::json shim_config_json(const ShimConfig& config);
ShimConfig shim_config_from_json(const nlohmann::json& value);

/// Writes `dir/docker`, `dir/skopeo` (scripts calling `self rehearse-shim …`) and
/// `dir/shim.json`; returns the environment variable steps need besides PATH.
std::expected<std::pair<std::string, std::string>, std::string> install_shims(const std::filesystem::path& dir,
                                                                              const std::filesystem::path& self,
                                                                              const ShimConfig& config);

/// What the shim does with one `docker` command line: run it (image names mapped, foreign
/// `--platform` dropped, a container without `--network` put on the host's network with the
/// rehearsal's `--add-host` entries), answer `buildx imagetools` with skopeo, or refuse.
struct ShimPlan {
  enum Kind { pass, imagetools_inspect, imagetools_create, refuse } kind = pass;
  std::vector<std::string> args;       // the client's arguments (pass), mapped
  std::string source;                  // imagetools: the image read (mapped)
  std::vector<std::string> targets;    // imagetools create: the tags written (mapped)
  std::vector<std::string> notes;      // for the report: what was emulated or dropped
  std::string refusal;                 // refuse: why
};

ShimPlan plan_docker(const ShimConfig& config, const std::vector<std::string>& args);

/// The body of `forgeline rehearse-shim TOOL ARGS...`: returns the exit status.
int run_shim(const std::string& tool, const std::vector<std::string>& args);

/// One command a shim saw during a step, read back from the record file.
struct ShimRecord {
  std::string tool;
  std::vector<std::string> args;  // as the step wrote them (names not mapped)
  std::vector<std::string> notes;
  int status = 0;
};

/// Reads and empties the record file.
std::vector<ShimRecord> take_records(const std::filesystem::path& record);

}  // namespace forgeline::rehearse
