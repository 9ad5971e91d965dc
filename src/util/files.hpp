#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forgeline::util {

/// The largest file forgeline reads (matrices, workflows, templates, generated files).
inline constexpr std::uintmax_t max_read_bytes = 8 * 1024 * 1024;

/// The whole file as bytes, or why not ("No such file or directory", "is a directory",
/// "not a regular file (a FIFO)", "10485760 bytes, more than the 8388608 forgeline reads").
/// Only regular files are read, since a FIFO or a device such as /dev/zero may never end.
std::expected<std::string, std::string> read_file(const std::filesystem::path& path,
                                                  std::uintmax_t max_bytes = max_read_bytes);

/// One file a command intends to write.
struct FileWrite {
  std::filesystem::path path;
  std::string content;
  bool executable = false;  // scripts: exec bits wherever the umask left read bits
};

/// Writes every file and removes every file in `removals`, or changes nothing. Each file
/// goes to a temporary file beside its target; only when all of them are complete are they
/// renamed into place (rename is atomic) and the removals made, so a failure never leaves
/// half a file or half a set. With a `journal` path, the planned renames and removals are
/// recorded there before the first one, so that finish_interrupted() can complete a set
/// whose run was killed half-way. Returns the first failure's message. (Tests simulate a
/// crash at a chosen point with FORGELINE_TEST_KILL_AT; see files.cpp.)
std::expected<void, std::string> write_all(const std::vector<FileWrite>& files,
                                           const std::vector<std::filesystem::path>& removals = {},
                                           const std::filesystem::path& journal = {});

/// The journal write_all keeps in an output folder while it replaces files.
std::filesystem::path journal_in(const std::filesystem::path& folder);

/// What finish_interrupted() completed.
struct Finished {
  std::size_t renamed = 0;  // files that were still to be put in place
  std::size_t removed = 0;  // files that were still to be removed
};

/// Completes the write a killed run recorded in `journal`: renames the temporary files that
/// are still there into place, makes the removals, deletes the backups and the journal.
/// Nothing when there is no journal.
std::expected<std::optional<Finished>, std::string> finish_interrupted(const std::filesystem::path& journal);

/// How many renames and removals `journal` records, when it exists and reads as one.
std::optional<std::size_t> interrupted_changes(const std::filesystem::path& journal);

/// Whether a file name is one of write_all's temporary files (`.NAME.forgeline-PID.tmp`,
/// its `.bak` link to the file it replaces, or the journal's own temporary file).
bool is_temporary_name(std::string_view filename);

/// Removes the temporary files in `folder` that runs which are no longer alive left behind
/// (a run killed before its journal was complete changed no target, so they are only
/// clutter). Returns what it removed.
std::vector<std::filesystem::path> remove_leftovers(const std::filesystem::path& folder);

/// An advisory lock (flock) on an output folder, so concurrent runs do not write into one
/// folder at once: generate holds it exclusively, check shared. It locks the directory
/// itself, so no lock file is left in the user's repository.
class FolderLock {
 public:
  enum class Mode { shared, exclusive };
  /// Takes the lock, waiting as long as another run holds it (calling `waiting` once
  /// first). An exclusive lock creates a missing folder and adds what it created to
  /// `created`, outermost first; a shared lock on a missing folder holds nothing.
  static std::expected<FolderLock, std::string> acquire(const std::filesystem::path& folder, Mode mode,
                                                        const std::function<void()>& waiting,
                                                        std::vector<std::filesystem::path>* created = nullptr);
  FolderLock() = default;
  FolderLock(FolderLock&& other) noexcept;
  FolderLock& operator=(FolderLock&& other) noexcept;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock();

 private:
  explicit FolderLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

/// Whether the owner may execute the file (false when it does not exist).
bool is_executable(const std::filesystem::path& path);

}  // namespace forgeline::util
