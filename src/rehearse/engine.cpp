#include "rehearse/engine.hpp"

#include <fmt/format.h>

#include "rehearse/images.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace fs = std::filesystem;

namespace {

std::string first_line(const std::string& text) {
  const auto lines = util::split_lines(text);
  return lines.empty() ? "" : lines[0];
}

}  // namespace

bool builds_without_buildx(const std::string& client_version) {
  // Docker 23.0 made `docker build` an alias of `docker buildx build` and dropped the
  // client's own BuildKit session (docs.docker.com, "Docker Engine 23.0 release notes").
  try {
    return std::stoi(client_version) < 23;
  } catch (...) {
    return false;
  }
}

std::string Engine::describe() const {
  return fmt::format("dockerd {} via {} {} ({})", server_version, client.string(), client_version,
                     buildx ? "buildx plugin" : "the daemon's built-in BuildKit; no buildx plugin");
}

Finished Engine::docker(const std::vector<std::string>& args, const std::optional<fs::path>& log, bool echo) const {
  Command c{{client.string()}, env};
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  return run_command(c, log, echo);
}

std::expected<Engine, std::string> probe_engine(const std::map<std::string, std::string>& environment) {
  std::map<std::string, std::string> env;
  for (const char* name : {"PATH", "HOME", "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"})
    if (auto it = environment.find(name); it != environment.end()) env[name] = it->second;
  env["DOCKER_BUILDKIT"] = "1";
  const std::string path = env.contains("PATH") ? env["PATH"] : "/usr/bin:/bin";
  std::vector<fs::path> candidates;
  if (auto on_path = find_program("docker", path)) candidates.push_back(*on_path);
  if (auto debian = find_program("/usr/bin/docker", path); debian && (candidates.empty() || candidates[0] != *debian))
    candidates.push_back(*debian);
  if (candidates.empty()) return std::unexpected("no docker client found: install docker.io (scripts/bootstrap does)");

  std::vector<std::string> refused;
  for (const auto& client : candidates) {
    Engine e;
    e.client = client;
    e.env = env;
    const Finished version = e.docker({"version", "--format", "{{.Client.Version}}|{{.Server.Version}}|{{.Server.Arch}}"});
    const auto fields = util::split_lines(util::replace_all(first_line(version.output), "|", "\n"));
    if (version.status != 0 || fields.size() < 3 || fields[1].empty()) {
      const std::string where = env.contains("DOCKER_HOST") ? env["DOCKER_HOST"] : "the default socket";
      return std::unexpected(fmt::format("cannot reach the Docker daemon at {} with {}: {}", where, client.string(),
                                         first_line(version.output)));
    }
    e.client_version = fields[0];
    e.server_version = fields[1];
    e.native_platform = platform_of_arch(fields[2]);
    e.buildx = e.docker({"buildx", "version"}).status == 0;
    if (!e.buildx && !builds_without_buildx(e.client_version)) {
      refused.push_back(fmt::format("{} {} has no buildx plugin", client.string(), e.client_version));
      continue;
    }
    e.skopeo = find_program("skopeo", path);
    return e;
  }
  return std::unexpected(fmt::format("no docker client here can build with BuildKit: {}; install docker-buildx, or "
                                     "Debian's docker.io (its /usr/bin/docker uses the daemon's BuildKit)",
                                     util::join(refused, "; ")));
}

}  // namespace forgeline::rehearse
