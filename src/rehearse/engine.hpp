#pragma once

#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rehearse/process.hpp"

namespace forgeline::rehearse {

/// The local Docker engine a rehearsal drives: which client talks to which daemon, and what
/// that pair can do.
struct Engine {
  std::filesystem::path client;
  std::string client_version;
  std::string server_version;
  std::string native_platform;  // e.g. linux/amd64
  bool buildx = false;          // the client has the buildx plugin
  std::map<std::string, std::string> env;  // the client's environment (DOCKER_HOST, DOCKER_BUILDKIT, PATH, HOME)
  std::optional<std::filesystem::path> skopeo;

  /// One line for the report, e.g. "dockerd 20.10.24 via /usr/bin/docker 20.10.24 (BuildKit built in; no buildx plugin)".
  std::string describe() const;

  /// Runs the client with these arguments; output appended to `log` when given.
  Finished docker(const std::vector<std::string>& args, const std::optional<std::filesystem::path>& log = std::nullopt,
                  bool echo = false) const;
};

/// Finds a client that can build with BuildKit against the daemon in the environment
/// (DOCKER_HOST): one with the buildx plugin, or one older than Docker 23, which still
/// builds with the daemon's own BuildKit (`DOCKER_BUILDKIT=1`); Debian's /usr/bin/docker is
/// tried after the one on PATH. The error says what is missing and how to get it.
std::expected<Engine, std::string> probe_engine(const std::map<std::string, std::string>& environment);

/// Whether a client of this version builds with the daemon's BuildKit without buildx.
bool builds_without_buildx(const std::string& client_version);

}  // namespace forgeline::rehearse
