#include "util/files.hpp"
#include "util/json_text.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace forgeline::util {

namespace fs = std::filesystem;

namespace {

/// Closes a file descriptor when it goes out of scope.
struct Descriptor {
  int fd = -1;
  explicit Descriptor(int f) : fd(f) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::string kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

std::expected<std::string, std::string> read_file(const fs::path& path, std::uintmax_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return std::unexpected(std::string(std::strerror(errno)));
  Descriptor guard(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::unexpected(std::string(std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) return std::unexpected(std::string("is a directory"));
  if (!S_ISREG(st.st_mode)) return std::unexpected(fmt::format("not a regular file ({})", kind_of(st.st_mode)));
  auto too_large = [&](std::uintmax_t size) {
    return std::unexpected(fmt::format("{} bytes, more than the {} forgeline reads", size, max_bytes));
  };
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) return too_large(static_cast<std::uintmax_t>(st.st_size));
  std::string out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::unexpected(std::string(std::strerror(errno)));
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
    // The file may have grown since fstat.
    if (out.size() > max_bytes) return too_large(out.size());
  }
  return out;
}

namespace {

constexpr std::string_view temp_marker = ".forgeline-";
constexpr std::string_view journal_file = ".forgeline-journal";

fs::path temp_beside(const fs::path& target) {
  return target.parent_path() / fmt::format(".{}{}{}.tmp", target.filename().string(), temp_marker, ::getpid());
}

/// The process id in a temporary file's name, 0 when the name is not one.
long pid_in(std::string_view name) {
  if (!name.starts_with('.')) return 0;
  if (name.ends_with(".bak")) name.remove_suffix(4);
  if (!name.ends_with(".tmp")) return 0;
  name.remove_suffix(4);
  const auto at = name.rfind(temp_marker);
  if (at == std::string_view::npos || at == 0) return 0;
  const std::string_view digits = name.substr(at + temp_marker.size());
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string_view::npos) return 0;
  return std::stol(std::string(digits));
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
  for (const auto& p : paths)
    if (!p.empty()) fs::remove(p, ignored);
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

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(p, ec));
}

/// A path as the journal keeps it: relative to the journal's folder when inside it (so a
/// moved checkout still recovers), else absolute.
std::string journal_path(const fs::path& p, const fs::path& base) {
  const fs::path absolute = fs::absolute(p).lexically_normal();
  const fs::path relative = absolute.lexically_relative(fs::absolute(base).lexically_normal());
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return absolute.generic_string();
}

fs::path from_journal(const nlohmann::json& value, const fs::path& base) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) return {};
  const fs::path p = value.get<std::string>();
  return p.is_absolute() ? p : base / p;
}

fs::path base_of(const fs::path& journal) {
  return journal.parent_path().empty() ? fs::path(".") : journal.parent_path();
}

/// Writes text to `path` through a temporary file and a rename, so it exists whole or not at all.
std::expected<void, std::string> write_whole(const fs::path& path, const std::string& text) {
  const fs::path temp = temp_beside(path);
  std::ofstream out(temp, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  std::error_code ec;
  if (!out) {
    const std::string why = std::strerror(errno);
    fs::remove(temp, ec);
    return std::unexpected(why);
  }
  fs::rename(temp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return std::unexpected(ec.message());
  }
  return {};
}

std::expected<nlohmann::json, std::string> read_journal(const fs::path& journal) {
  auto text = read_file(journal);
  if (!text) return std::unexpected(text.error());
  auto doc = parse_or_discarded(*text);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("renames") || !doc["renames"].is_array() ||
      !doc.contains("removals") || !doc["removals"].is_array())
    return std::unexpected(std::string("not a forgeline write journal"));
  return doc;
}

/// For tests only: FORGELINE_TEST_KILL_AT=<point> ends the process with SIGKILL at that
/// point of write_all, as a crash or `kill -9` would: "temps" (temporary files and backups
/// written, no journal yet), "0" (journal written), N (after N renames), "removals".
void test_kill_point(const std::string& point) {
  const char* at = std::getenv("FORGELINE_TEST_KILL_AT");
  if (at != nullptr && point == at) ::raise(SIGKILL);
}

}  // namespace

fs::path journal_in(const fs::path& folder) { return folder / journal_file; }

bool is_temporary_name(std::string_view filename) { return pid_in(filename) > 0; }

std::vector<fs::path> remove_leftovers(const fs::path& folder) {
  std::vector<fs::path> removed;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder.empty() ? fs::path(".") : folder, ec)) {
    const std::string name = entry.path().filename().string();
    const long pid = pid_in(name);
    if (pid <= 0) continue;
    // A live process other than this one may still be writing it (a run on another folder).
    if (pid != ::getpid() && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) continue;
    std::error_code ignored;
    const fs::path path = folder.empty() ? fs::path(name) : folder / name;
    if (fs::remove(path, ignored)) removed.push_back(path);
  }
  return removed;
}

std::expected<void, std::string> write_all(const std::vector<FileWrite>& files, const std::vector<fs::path>& removals,
                                           const fs::path& journal) {
  std::vector<fs::path> temps, created_dirs;
  std::vector<fs::path> backups(files.size()), removal_backups(removals.size());
  // Everything this call made besides the targets is removed again, directories innermost first.
  auto clean_up = [&] {
    remove_quietly(temps);
    remove_quietly(backups);
    remove_quietly(removal_backups);
    std::error_code ignored;
    for (auto it = created_dirs.rbegin(); it != created_dirs.rend(); ++it) fs::remove(*it, ignored);
  };
  for (const auto& f : files) {
    std::error_code ec;
    create_parents(f.path, created_dirs, ec);
    if (ec) {
      clean_up();
      return std::unexpected(fmt::format("{}: cannot create directory: {}", f.path.parent_path().string(), ec.message()));
    }
    const fs::path temp = temp_beside(f.path);
    temps.push_back(temp);
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << f.content;
    out.close();
    if (!out) {
      const std::string why = std::strerror(errno);
      clean_up();
      return std::unexpected(fmt::format("{}: cannot write: {}", f.path.string(), why));
    }
    if (f.executable) make_executable(temp, ec);
    if (ec) {
      clean_up();
      return std::unexpected(fmt::format("{}: cannot make executable: {}", f.path.string(), ec.message()));
    }
  }
  // Keep each existing target (and each file to remove) under a second name until every
  // change has succeeded, so a failure part-way through can put the earlier files back.
  auto keep = [&](const fs::path& path, fs::path& backup) -> std::expected<void, std::string> {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return {};
    backup = temp_beside(path).concat(".bak");
    fs::create_hard_link(path, backup, ec);
    if (!ec) return {};
    backup.clear();
    return std::unexpected(fmt::format("{}: cannot keep a backup: {}", path.string(), ec.message()));
  };
  for (std::size_t i = 0; i < files.size(); ++i)
    if (auto kept = keep(files[i].path, backups[i]); !kept) {
      clean_up();
      return kept;
    }
  for (std::size_t i = 0; i < removals.size(); ++i)
    if (auto kept = keep(removals[i], removal_backups[i]); !kept) {
      clean_up();
      return kept;
    }

  test_kill_point("temps");
  if (!journal.empty()) {
    const fs::path base = base_of(journal);
    nlohmann::json renames = nlohmann::json::array(), removed = nlohmann::json::array();
    for (std::size_t i = 0; i < files.size(); ++i)
      renames.push_back({journal_path(temps[i], base), journal_path(files[i].path, base),
                         backups[i].empty() ? std::string() : journal_path(backups[i], base)});
    for (std::size_t i = 0; i < removals.size(); ++i)
      removed.push_back({journal_path(removals[i], base),
                         removal_backups[i].empty() ? std::string() : journal_path(removal_backups[i], base)});
    const nlohmann::json record = {{"forgeline-journal", 1}, {"renames", renames}, {"removals", removed}};
    if (auto recorded = write_whole(journal, dump(record, 1) + "\n"); !recorded) {
      clean_up();
      return std::unexpected(
          fmt::format("{}: cannot record the planned renames: {}", journal.string(), recorded.error()));
    }
  }
  test_kill_point("0");
  auto drop_journal = [&] {
    std::error_code ignored;
    if (!journal.empty()) fs::remove(journal, ignored);
  };

  // Puts back the first `renamed` targets and the first `removed` removals.
  auto roll_back = [&](std::size_t renamed, std::size_t removed) {
    std::error_code ignored;
    for (std::size_t j = 0; j < removed; ++j)
      if (!removal_backups[j].empty()) fs::rename(removal_backups[j], removals[j], ignored);
    for (std::size_t j = 0; j < renamed; ++j) {
      if (backups[j].empty()) fs::remove(files[j].path, ignored);
      else fs::rename(backups[j], files[j].path, ignored);
    }
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    fs::rename(temps[i], files[i].path, ec);
    if (ec) {
      const std::string why = ec.message();
      roll_back(i, 0);
      clean_up();
      drop_journal();
      return std::unexpected(fmt::format("{}: cannot replace: {}", files[i].path.string(), why));
    }
    test_kill_point(std::to_string(i + 1));
  }
  for (std::size_t i = 0; i < removals.size(); ++i) {
    std::error_code ec;
    fs::remove(removals[i], ec);
    if (ec) {
      const std::string why = ec.message();
      roll_back(files.size(), i);
      clean_up();
      drop_journal();
      return std::unexpected(fmt::format("{}: cannot remove: {}", removals[i].string(), why));
    }
  }
  test_kill_point("removals");
  remove_quietly(backups);
  remove_quietly(removal_backups);
  drop_journal();
  return {};
}

std::expected<std::optional<Finished>, std::string> finish_interrupted(const fs::path& journal) {
  if (!present(journal)) return std::nullopt;
  auto fail = [&](const std::string& why) {
    return std::unexpected(fmt::format("{}: cannot finish the write an interrupted forgeline run began: {}",
                                       journal.string(), why));
  };
  auto doc = read_journal(journal);
  if (!doc) return fail(doc.error());
  const fs::path base = base_of(journal);
  Finished done;
  std::vector<fs::path> backups;
  // A target replaced or created since the run was killed is someone's newer work.
  for (const auto& r : (*doc)["renames"]) {
    if (!r.is_array() || r.size() != 3) return fail("not a forgeline write journal");
    const fs::path temp = from_journal(r[0], base), target = from_journal(r[1], base), backup = from_journal(r[2], base);
    if (temp.empty() || target.empty() || !present(temp)) continue;
    std::error_code ec;
    const bool replaced = backup.empty() ? present(target)
                                         : present(target) && !fs::equivalent(target, backup, ec);
    if (replaced) return fail(fmt::format("{} changed after that run was killed; move it aside and run again", target.string()));
  }
  for (const auto& r : (*doc)["renames"]) {
    const fs::path temp = from_journal(r[0], base), target = from_journal(r[1], base), backup = from_journal(r[2], base);
    if (!backup.empty()) backups.push_back(backup);
    if (temp.empty() || target.empty() || !present(temp)) continue;
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) return fail(fmt::format("{}: {}", target.string(), ec.message()));
    ++done.renamed;
  }
  for (const auto& r : (*doc)["removals"]) {
    if (!r.is_array() || r.size() != 2) return fail("not a forgeline write journal");
    const fs::path path = from_journal(r[0], base), backup = from_journal(r[1], base);
    if (!backup.empty()) backups.push_back(backup);
    if (path.empty() || !present(path)) continue;
    std::error_code ec;
    fs::remove(path, ec);
    if (ec) return fail(fmt::format("{}: {}", path.string(), ec.message()));
    ++done.removed;
  }
  remove_quietly(backups);
  std::error_code ec;
  fs::remove(journal, ec);
  if (ec) return fail(ec.message());
  return done;
}

std::optional<std::size_t> interrupted_changes(const fs::path& journal) {
  if (!present(journal)) return std::nullopt;
  auto doc = read_journal(journal);
  if (!doc) return std::size_t{0};
  return (*doc)["renames"].size() + (*doc)["removals"].size();
}

std::expected<FolderLock, std::string> FolderLock::acquire(const fs::path& folder, Mode mode,
                                                          const std::function<void()>& waiting,
                                                          std::vector<fs::path>* created) {
  const fs::path dir = folder.empty() ? fs::path(".") : folder;
  bool announced = false;
  for (;;) {
    if (mode == Mode::exclusive) {
      std::vector<fs::path> made;
      std::error_code ec;
      create_parents(dir / "x", made, ec);
      if (created) created->insert(created->end(), made.begin(), made.end());
      if (ec) return std::unexpected(fmt::format("{}: cannot create directory: {}", dir.string(), ec.message()));
    }
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      if (mode == Mode::shared && errno == ENOENT) return FolderLock();
      return std::unexpected(fmt::format("{}: cannot lock: {}", dir.string(), std::strerror(errno)));
    }
    FolderLock lock(fd);
    const int operation = mode == Mode::exclusive ? LOCK_EX : LOCK_SH;
    int result = ::flock(fd, operation | LOCK_NB);
    if (result != 0 && errno == EWOULDBLOCK) {
      if (!announced && waiting) waiting();
      announced = true;
      do result = ::flock(fd, operation);
      while (result != 0 && errno == EINTR);
    }
    // A file system without flock (some network mounts) leaves only the journal's protection.
    if (result != 0) return FolderLock();
    // The folder may have been removed (a failed run cleaning up) while this one waited.
    struct stat locked {}, now {};
    if (::fstat(fd, &locked) == 0 && ::stat(dir.c_str(), &now) == 0 && locked.st_dev == now.st_dev &&
        locked.st_ino == now.st_ino)
      return lock;
    if (mode == Mode::shared && !fs::exists(dir)) return FolderLock();
  }
}

FolderLock::FolderLock(FolderLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);
}

bool is_executable(const fs::path& path) {
  std::error_code ec;
  const fs::perms p = fs::status(path, ec).permissions();
  return !ec && fs::is_regular_file(path, ec) && (p & fs::perms::owner_exec) != fs::perms::none;
}

}  // namespace forgeline::util
