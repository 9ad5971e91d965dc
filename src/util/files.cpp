#include "util/files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>
#include <unistd.h>

namespace forgeline::util {

namespace fs = std::filesystem;

std::expected<std::string, std::string> read_file(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return std::unexpected(std::string("is a directory"));
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(std::string(std::strerror(errno)));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::unexpected(std::string("read failed"));
  return out.str();
}

namespace {

fs::path temp_beside(const fs::path& target) {
  return target.parent_path() / fmt::format(".{}.forgeline-{}.tmp", target.filename().string(), ::getpid());
}

/// Adds an exec bit for each read bit, so a script is as executable as it is readable and
/// the user's umask still decides who may do either.
void make_executable(const fs::path& path, std::error_code& ec) {
  const fs::perms p = fs::status(path, ec).permissions();
  if (ec) return;
  fs::perms add = fs::perms::none;
  if ((p & fs::perms::owner_read) != fs::perms::none) add |= fs::perms::owner_exec;
  if ((p & fs::perms::group_read) != fs::perms::none) add |= fs::perms::group_exec;
  if ((p & fs::perms::others_read) != fs::perms::none) add |= fs::perms::others_exec;
  fs::permissions(path, add, fs::perm_options::add, ec);
}

void remove_quietly(const std::vector<fs::path>& paths) {
  std::error_code ignored;
  for (const auto& p : paths) fs::remove(p, ignored);
}

/// Creates a file's missing parent directories, recording them (outermost first) so a
/// failed run can remove them again.
void create_parents(const fs::path& file, std::vector<fs::path>& created, std::error_code& ec) {
  std::vector<fs::path> missing;
  for (fs::path dir = file.parent_path(); !dir.empty() && !fs::exists(dir, ec); dir = dir.parent_path())
    missing.push_back(dir);
  for (auto it = missing.rbegin(); it != missing.rend() && !ec; ++it)
    if (fs::create_directory(*it, ec)) created.push_back(*it);
}

}  // namespace

std::expected<void, std::string> write_all(const std::vector<FileWrite>& files) {
  std::vector<fs::path> temps, created_dirs;
  // Directories this call created are removed again on failure, innermost first.
  auto undo_dirs = [&] {
    std::error_code ignored;
    for (auto it = created_dirs.rbegin(); it != created_dirs.rend(); ++it) fs::remove(*it, ignored);
  };
  for (const auto& f : files) {
    std::error_code ec;
    create_parents(f.path, created_dirs, ec);
    if (ec) {
      remove_quietly(temps);
      undo_dirs();
      return std::unexpected(fmt::format("{}: cannot create directory: {}", f.path.parent_path().string(), ec.message()));
    }
    const fs::path temp = temp_beside(f.path);
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << f.content;
    out.close();
    if (!out) {
      const std::string why = std::strerror(errno);
      temps.push_back(temp);
      remove_quietly(temps);
      undo_dirs();
      return std::unexpected(fmt::format("{}: cannot write: {}", f.path.string(), why));
    }
    temps.push_back(temp);
    if (f.executable) make_executable(temp, ec);
    if (ec) {
      remove_quietly(temps);
      undo_dirs();
      return std::unexpected(fmt::format("{}: cannot make executable: {}", f.path.string(), ec.message()));
    }
  }
  // Keep each existing target under a second name until every rename has succeeded, so
  // a failure part-way through can put the earlier files back.
  std::vector<fs::path> backups(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    if (fs::is_regular_file(files[i].path, ec)) {
      backups[i] = temp_beside(files[i].path).concat(".bak");
      fs::create_hard_link(files[i].path, backups[i], ec);
      if (ec) {
        remove_quietly(temps);
        remove_quietly(backups);
        undo_dirs();
        return std::unexpected(fmt::format("{}: cannot keep a backup: {}", files[i].path.string(), ec.message()));
      }
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    fs::rename(temps[i], files[i].path, ec);
    if (ec) {
      const std::string why = ec.message();
      for (std::size_t j = 0; j < i; ++j) {
        std::error_code ignored;
        if (backups[j].empty()) fs::remove(files[j].path, ignored);
        else fs::rename(backups[j], files[j].path, ignored);
      }
      remove_quietly(temps);
      remove_quietly(backups);
      undo_dirs();
      return std::unexpected(fmt::format("{}: cannot replace: {}", files[i].path.string(), why));
    }
  }
  remove_quietly(backups);
  return {};
}

bool is_executable(const fs::path& path) {
  std::error_code ec;
  const fs::perms p = fs::status(path, ec).permissions();
  return !ec && fs::is_regular_file(path, ec) && (p & fs::perms::owner_exec) != fs::perms::none;
}

}  // namespace forgeline::util
