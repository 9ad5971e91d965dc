#include "rehearse/source.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

#include "rehearse/process.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> git_env() {
  std::map<std::string, std::string> env;
  for (const char* name : {"PATH", "HOME", "LANG"})
    if (const char* v = std::getenv(name)) env[name] = v;
  env["LC_ALL"] = "C";
  return env;
}

std::expected<std::string, std::string> git(const fs::path& root, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", root.string()});
  const Finished done = run_command({args, git_env()});
  if (done.status != 0) return std::unexpected(util::split_lines(done.output).empty() ? "git failed" : util::split_lines(done.output)[0]);
  return done.output;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

/// owner/name of a GitHub remote URL: https://github.com/o/n(.git) or git@github.com:o/n(.git).
std::string github_repository(std::string url) {
  for (const char* prefix : {"https://github.com/", "http://github.com/", "git@github.com:", "ssh://git@github.com/"})
    if (url.starts_with(prefix)) {
      url = url.substr(std::string_view(prefix).size());
      if (url.ends_with(".git")) url.resize(url.size() - 4);
      while (!url.empty() && url.back() == '/') url.pop_back();
      if (std::count(url.begin(), url.end(), '/') == 1) return url;
    }
  return "";
}

}  // namespace

std::expected<Source, std::string> read_source(const fs::path& root) {
  Source s;
  s.root = root;
  auto top = git(root, {"rev-parse", "--show-toplevel"});
  if (!top) return std::unexpected(fmt::format("{} is not a git work tree: rehearse checks out HEAD plus uncommitted changes",
                                               root.string()));
  auto sha = git(root, {"rev-parse", "--verify", "HEAD"});
  if (!sha) return std::unexpected(fmt::format("{} has no commit yet: rehearse needs HEAD", root.string()));
  s.sha = trimmed(*sha);
  s.branch = trimmed(git(root, {"branch", "--show-current"}).value_or(""));
  s.commit_time = trimmed(git(root, {"log", "-1", "--format=%cI"}).value_or(""));
  s.remote = github_repository(trimmed(git(root, {"remote", "get-url", "origin"}).value_or("")));
  s.dirty = !trimmed(git(root, {"status", "--porcelain"}).value_or("")).empty();
  // Paths relative to `root`, which may be a folder inside the repository.
  auto listed = git(root, {"ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."});
  if (!listed) return std::unexpected("git ls-files failed: " + listed.error());
  std::size_t start = 0;
  while (start < listed->size()) {
    std::size_t end = listed->find('\0', start);
    if (end == std::string::npos) end = listed->size();
    if (end > start) s.files.push_back(listed->substr(start, end - start));
    start = end + 1;
  }
  std::sort(s.files.begin(), s.files.end());
  s.files.erase(std::unique(s.files.begin(), s.files.end()), s.files.end());
  return s;
}

std::expected<std::size_t, std::string> copy_source(const Source& source, const fs::path& to) {
  std::size_t copied = 0;
  std::error_code ec;
  fs::create_directories(to, ec);
  for (const auto& file : source.files) {
    const fs::path from = source.root / file;
    const auto status = fs::symlink_status(from, ec);
    if (ec || !fs::exists(status)) continue;  // deleted in the work tree
    const fs::path dest = to / file;
    fs::create_directories(dest.parent_path(), ec);
    if (fs::is_symlink(status)) {
      fs::remove(dest, ec);
      fs::copy_symlink(from, dest, ec);
    } else if (fs::is_regular_file(status)) {
      fs::copy_file(from, dest, fs::copy_options::overwrite_existing, ec);
    } else {
      continue;  // a submodule's folder
    }
    if (ec) return std::unexpected(fmt::format("cannot copy {}: {}", file, ec.message()));
    ++copied;
  }
  return copied;
}

}  // namespace forgeline::rehearse
