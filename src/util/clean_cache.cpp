#include "util/clean_cache.hpp"

#include <cstdlib>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "util/files.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace forgeline::util {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t largest_cache_file = 1 << 20;  // past this it starts over

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
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
  return CleanCache(dir / "forgeline" / "clean",
                    fmt::format("{}\n{}\n{}", self.string(), size, mtime.time_since_epoch().count()));
}

CleanCache::CleanCache(fs::path file, std::string identity) : file_(std::move(file)), identity_(std::move(identity)) {
  std::error_code ec;
  if (fs::file_size(file_, ec) > largest_cache_file || ec) return;
  auto text = read_file(file_);
  if (!text) return;
  for (auto& line : split_lines(*text))
    if (line.size() == 64) known_.insert(std::move(line));
}

std::string CleanCache::key(std::string_view kind, std::string_view text) const {
  return sha256_hex(fmt::format("{}\n{}\n", identity_, kind) + std::string(text));
}

bool CleanCache::contains(std::string_view kind, std::string_view text) const {
  return !identity_.empty() && known_.contains(key(kind, text));
}

void CleanCache::remember(std::string_view kind, std::string_view text) {
  if (!identity_.empty()) learnt_.insert(key(kind, text));
}

void CleanCache::save() const {
  if (identity_.empty() || learnt_.empty()) return;
  std::error_code ec;
  fs::create_directories(file_.parent_path(), ec);
  const bool start_over = fs::file_size(file_, ec) > largest_cache_file && !ec;
  // Short appends of whole lines, so concurrent runs interleave without tearing a key.
  std::ofstream out(file_, start_over ? std::ios::trunc : std::ios::app);
  for (const auto& k : learnt_) out << k << '\n';
}

}  // namespace forgeline::util
