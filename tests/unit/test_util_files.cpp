#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/files.hpp"

namespace fs = std::filesystem;

namespace {

/// A fresh directory under the system temp dir, removed when the test ends.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("forgeline-files-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

fs::perms perms_of(const fs::path& p) { return fs::status(p).permissions(); }

void put(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::string text_of(const fs::path& p) { return forgeline::util::read_file(p).value_or("(unreadable)"); }

/// The folder's file names, sorted, so a test can tell what was left behind.
std::string listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir)) names.push_back(fs::relative(e.path(), dir).generic_string());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + "\n";
  return out;
}

/// Runs write_all in a child process that FORGELINE_TEST_KILL_AT kills at `point`; true when
/// it died of SIGKILL, as a crash would leave things.
bool killed_at(const std::string& point, const std::vector<forgeline::util::FileWrite>& files,
               const std::vector<fs::path>& removals, const fs::path& journal) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::setenv("FORGELINE_TEST_KILL_AT", point.c_str(), 1);
    (void)forgeline::util::write_all(files, removals, journal);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

}  // namespace

TEST_SUITE("util::files") {
  TEST_CASE("write_all: scripts get exec bits, other files do not") {
    TempDir dir;
    const mode_t old = ::umask(022);
    auto written = forgeline::util::write_all({{dir.path / "s/run.sh", "#!/bin/sh\n", true},
                                               {dir.path / "s/notes.txt", "text\n", false}});
    ::umask(old);
    REQUIRE(written);
    CHECK(forgeline::util::is_executable(dir.path / "s/run.sh"));
    CHECK_FALSE(forgeline::util::is_executable(dir.path / "s/notes.txt"));
    CHECK(perms_of(dir.path / "s/run.sh") == (fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                              fs::perms::others_read | fs::perms::others_exec));
    CHECK(forgeline::util::read_file(dir.path / "s/run.sh").value() == "#!/bin/sh\n");
  }

  TEST_CASE("write_all: the umask still decides who may execute") {
    TempDir dir;
    const mode_t old = ::umask(077);
    auto written = forgeline::util::write_all({{dir.path / "run.sh", "#!/bin/sh\n", true}});
    ::umask(old);
    REQUIRE(written);
    CHECK(perms_of(dir.path / "run.sh") == fs::perms::owner_all);
  }

  TEST_CASE("write_all: replacing a file keeps the mode the write asks for") {
    TempDir dir;
    REQUIRE(forgeline::util::write_all({{dir.path / "run.sh", "old\n", false}}));
    CHECK_FALSE(forgeline::util::is_executable(dir.path / "run.sh"));
    REQUIRE(forgeline::util::write_all({{dir.path / "run.sh", "new\n", true}}));
    CHECK(forgeline::util::is_executable(dir.path / "run.sh"));
    CHECK_FALSE(forgeline::util::is_executable(dir.path / "missing.sh"));
  }

  TEST_CASE("read_file reads regular files only, and only up to a size") {
    TempDir dir;
    put(dir.path / "a.yaml", "a: 1\n");
    CHECK(text_of(dir.path / "a.yaml") == "a: 1\n");
    CHECK(forgeline::util::read_file(dir.path / "a.yaml", 4).error() == "5 bytes, more than the 4 forgeline reads");
    CHECK(forgeline::util::read_file(dir.path).error() == "is a directory");
    CHECK(forgeline::util::read_file(dir.path / "missing").error() == "No such file or directory");
    REQUIRE(::mkfifo((dir.path / "fifo").c_str(), 0600) == 0);
    CHECK(forgeline::util::read_file(dir.path / "fifo").error() == "not a regular file (a FIFO)");
    fs::create_symlink("/dev/zero", dir.path / "zero");
    CHECK(forgeline::util::read_file(dir.path / "zero").error() == "not a regular file (a character device)");
  }

  TEST_CASE("write_all with a journal: removals are part of the set, nothing is left behind") {
    TempDir dir;
    put(dir.path / "old.txt", "old\n");
    put(dir.path / "gone.txt", "orphan\n");
    const fs::path journal = forgeline::util::journal_in(dir.path);
    REQUIRE(forgeline::util::write_all({{dir.path / "old.txt", "new\n"}, {dir.path / "sub/b.txt", "b\n"}},
                                       {dir.path / "gone.txt"}, journal));
    CHECK(listing(dir.path) == "old.txt\nsub\nsub/b.txt\n");
    CHECK(text_of(dir.path / "old.txt") == "new\n");
  }

  TEST_CASE("a run killed between renames is finished by the next one") {
    TempDir dir;
    put(dir.path / "a.txt", "old a\n");
    put(dir.path / "b.txt", "old b\n");
    put(dir.path / "gone.txt", "orphan\n");
    const fs::path journal = forgeline::util::journal_in(dir.path);
    const std::vector<forgeline::util::FileWrite> files = {
        {dir.path / "a.txt", "new a\n"}, {dir.path / "b.txt", "new b\n"}, {dir.path / "c.txt", "new c\n"}};
    REQUIRE(killed_at("1", files, {dir.path / "gone.txt"}, journal));
    // The crash left a mixed set: one new file, the others old, and the journal.
    CHECK(text_of(dir.path / "a.txt") == "new a\n");
    CHECK(text_of(dir.path / "b.txt") == "old b\n");
    CHECK(forgeline::util::interrupted_changes(journal) == 4);
    auto finished = forgeline::util::finish_interrupted(journal);
    REQUIRE(finished);
    REQUIRE(*finished);
    CHECK((*finished)->renamed == 2);
    CHECK((*finished)->removed == 1);
    CHECK(listing(dir.path) == "a.txt\nb.txt\nc.txt\n");
    CHECK(text_of(dir.path / "b.txt") == "new b\n");
    CHECK(text_of(dir.path / "c.txt") == "new c\n");
    CHECK_FALSE(forgeline::util::interrupted_changes(journal));
    CHECK_FALSE(*forgeline::util::finish_interrupted(journal));
  }

  TEST_CASE("a run killed after its last rename only leaves its journal and backups to tidy") {
    TempDir dir;
    put(dir.path / "a.txt", "old a\n");
    const fs::path journal = forgeline::util::journal_in(dir.path);
    REQUIRE(killed_at("removals", {{dir.path / "a.txt", "new a\n"}}, {}, journal));
    auto finished = forgeline::util::finish_interrupted(journal);
    REQUIRE(finished);
    REQUIRE(*finished);
    CHECK((*finished)->renamed == 0);
    CHECK(listing(dir.path) == "a.txt\n");
  }

  TEST_CASE("a run killed before its journal changed nothing; its temporary files are leftovers") {
    TempDir dir;
    put(dir.path / "a.txt", "old a\n");
    const fs::path journal = forgeline::util::journal_in(dir.path);
    REQUIRE(killed_at("temps", {{dir.path / "a.txt", "new a\n"}, {dir.path / "b.txt", "b\n"}}, {}, journal));
    CHECK(text_of(dir.path / "a.txt") == "old a\n");
    CHECK_FALSE(fs::exists(dir.path / "b.txt"));
    CHECK_FALSE(*forgeline::util::finish_interrupted(journal));
    put(dir.path / ".notes.forgeline-x.tmp", "not ours: no process id\n");
    const auto removed = forgeline::util::remove_leftovers(dir.path);
    CHECK(removed.size() == 3);  // two temporary files and the backup link of a.txt
    CHECK(listing(dir.path) == ".notes.forgeline-x.tmp\na.txt\n");
  }

  TEST_CASE("a target replaced after the crash is not overwritten by the interrupted write") {
    TempDir dir;
    put(dir.path / "a.txt", "old a\n");
    put(dir.path / "b.txt", "old b\n");
    const fs::path journal = forgeline::util::journal_in(dir.path);
    REQUIRE(killed_at("0", {{dir.path / "a.txt", "new a\n"}, {dir.path / "b.txt", "new b\n"}}, {}, journal));
    fs::remove(dir.path / "b.txt");
    put(dir.path / "b.txt", "the user's b\n");
    auto finished = forgeline::util::finish_interrupted(journal);
    REQUIRE_FALSE(finished);
    CHECK(finished.error() == (journal.string() + ": cannot finish the write an interrupted forgeline run began: " +
                               (dir.path / "b.txt").string() + " changed after that run was killed; move it aside and run again"));
    CHECK(text_of(dir.path / "b.txt") == "the user's b\n");
  }

  TEST_CASE("temporary names") {
    CHECK(forgeline::util::is_temporary_name(".build.yml.forgeline-123.tmp"));
    CHECK(forgeline::util::is_temporary_name(".build.yml.forgeline-123.tmp.bak"));
    CHECK(forgeline::util::is_temporary_name("..forgeline-journal.forgeline-7.tmp"));
    CHECK_FALSE(forgeline::util::is_temporary_name("build.yml.forgeline-123.tmp"));
    CHECK_FALSE(forgeline::util::is_temporary_name(".build.yml.forgeline-.tmp"));
    CHECK_FALSE(forgeline::util::is_temporary_name(".forgeline-123.tmp"));
    CHECK_FALSE(forgeline::util::is_temporary_name(".build.yml.tmp"));
  }

  TEST_CASE("a folder lock makes a second writer wait, and says so once") {
    TempDir dir;
    const fs::path out = dir.path / "out";
    std::vector<fs::path> created;
    auto first = forgeline::util::FolderLock::acquire(out, forgeline::util::FolderLock::Mode::exclusive, {}, &created);
    REQUIRE(first);
    CHECK(created == std::vector<fs::path>{out});
    std::atomic<int> waited{0};
    std::atomic<bool> second_has_it{false};
    std::thread second([&] {
      auto lock = forgeline::util::FolderLock::acquire(out, forgeline::util::FolderLock::Mode::shared, [&] { ++waited; });
      second_has_it = static_cast<bool>(lock);
    });
    while (waited == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK_FALSE(second_has_it);
    *first = forgeline::util::FolderLock();  // release
    second.join();
    CHECK(second_has_it);
    CHECK(waited == 1);
  }

  TEST_CASE("a shared lock on a missing folder creates nothing") {
    TempDir dir;
    auto lock = forgeline::util::FolderLock::acquire(dir.path / "missing", forgeline::util::FolderLock::Mode::shared, {});
    REQUIRE(lock);
    CHECK_FALSE(fs::exists(dir.path / "missing"));
  }
}
