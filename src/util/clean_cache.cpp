#include "util/clean_cache.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/sha256.hpp"

namespace forgeline::util {

namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

/// Keeps the `keep` most recently used keys of one folder (by modification time, which a hit
/// renews), so the cache stays bounded; a folder never holds more than a few dozen names.
void prune(const fs::path& bucket, std::size_t keep) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> keys;
  for (const auto& entry : fs::directory_iterator(bucket, ec)) {
    const auto when = entry.last_write_time(ec);
    if (!ec) keys.emplace_back(when, entry.path());
  }
  if (keys.size() <= keep) return;
  std::sort(keys.begin(), keys.end());
  for (std::size_t i = 0; i + keep < keys.size(); ++i) fs::remove(keys[i].second, ec);
}

/// Now, to the nanosecond: the kernel's own "now" for file times ticks in milliseconds, too
/// coarse to tell a hit from the key written just after it.
struct timespec now() {
  struct timespec t {};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return t;
}

}  // namespace

CleanCache CleanCache::for_this_binary() {
  if (env("FORGELINE_CACHE") == "off") return {};
  fs::path dir = env("XDG_CACHE_HOME");
  if (dir.empty()) {
    const std::string home = env("HOME");
    if (home.empty()) return {};
    dir = fs::path(home) / ".cache";
  }
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const auto size = fs::file_size(self, ec);
  const auto mtime = fs::last_write_time(self, ec);
  if (ec) return {};
  return CleanCache(dir / "forgeline" / "clean.d",
                    fmt::format("{}\n{}\n{}", self.string(), size, mtime.time_since_epoch().count()));
}

CleanCache::CleanCache(fs::path dir, std::string identity, std::size_t keep)
    : dir_(std::move(dir)), identity_(std::move(identity)), keep_(keep) {}

fs::path CleanCache::path_of(std::string_view kind, std::string_view text) const {
  std::string keyed = fmt::format("{}\n{}\n", identity_, kind);
  keyed += text;
  const std::string key = sha256_hex(keyed);
  return dir_ / key.substr(0, 2) / key.substr(2);
}

bool CleanCache::contains(std::string_view kind, std::string_view text) const {
  if (identity_.empty()) return false;
  // Renewing the time is the hit itself: a key that is gone cannot be renewed.
  const struct timespec times[2] = {now(), now()};
  return ::utimensat(AT_FDCWD, path_of(kind, text).c_str(), times, 0) == 0;
}

void CleanCache::remember(std::string_view kind, std::string_view text) {
  if (!identity_.empty()) learnt_.push_back(path_of(kind, text));
}

void CleanCache::save() const {
  for (const fs::path& key : learnt_) {
    std::error_code ec;
    fs::create_directories(key.parent_path(), ec);
    const int fd = ::open(key.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) continue;
    const struct timespec times[2] = {now(), now()};
    ::futimens(fd, times);
    ::close(fd);
    prune(key.parent_path(), keep_);
  }
}

}  // namespace forgeline::util
