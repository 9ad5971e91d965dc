#include "rehearse/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace fs = std::filesystem;

std::optional<fs::path> find_program(const std::string& name, const std::string& path_variable) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return fs::path(name);
    return std::nullopt;
  }
  std::size_t start = 0;
  while (start <= path_variable.size()) {
    std::size_t end = path_variable.find(':', start);
    if (end == std::string::npos) end = path_variable.size();
    const std::string dir = path_variable.substr(start, end - start);
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

Finished run_command(const Command& command, const std::optional<fs::path>& log, bool echo) {
  Finished done;
  const auto env_path = command.env.find("PATH");
  const auto program = find_program(command.argv.at(0), env_path == command.env.end() ? "" : env_path->second);
  if (!program) {
    done.status = 127;
    done.output = command.argv[0] + ": command not found\n";
    if (log) {
      if (FILE* f = std::fopen(log->c_str(), "a")) {
        std::fputs(done.output.c_str(), f);
        std::fclose(f);
      }
    }
    return done;
  }
  int out_pipe[2], in_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(in_pipe, O_CLOEXEC) != 0) {
    done.status = 127;
    done.output = std::string("cannot create a pipe: ") + std::strerror(errno) + "\n";
    return done;
  }
  // Everything the child needs is prepared before fork: only async-signal-safe calls after.
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : command.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = command.argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  const std::string exe = program->string();
  const std::string cwd = command.cwd.string();

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(out_pipe[1], 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
    ::execve(exe.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(in_pipe[0]);
  if (pid < 0) {
    ::close(out_pipe[0]);
    ::close(in_pipe[1]);
    done.status = 127;
    done.output = std::string("cannot start a process: ") + std::strerror(errno) + "\n";
    return done;
  }
  // The input is small (a script or a password); a child that does not read it gets EPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  for (std::size_t written = 0; written < command.input.size();) {
    const ssize_t n = ::write(in_pipe[1], command.input.data() + written, command.input.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(in_pipe[1]);
  FILE* log_file = log ? std::fopen(log->c_str(), "a") : nullptr;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(out_pipe[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done.output.append(buffer, static_cast<std::size_t>(n));
    if (log_file) std::fwrite(buffer, 1, static_cast<std::size_t>(n), log_file);
    if (echo) std::fwrite(buffer, 1, static_cast<std::size_t>(n), stderr);
  }
  ::close(out_pipe[0]);
  if (log_file) std::fclose(log_file);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  done.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return done;
}

std::string last_lines(const std::string& text, std::size_t count) {
  auto lines = util::split_lines(text);
  if (lines.size() > count) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(count));
  return util::join(lines, "\n");
}

}  // namespace forgeline::rehearse
