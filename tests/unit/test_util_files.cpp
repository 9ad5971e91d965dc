#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <sys/stat.h>
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
}
