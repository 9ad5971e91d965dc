#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "rehearse/source.hpp"
#include "util/files.hpp"

namespace fs = std::filesystem;
using forgeline::rehearse::copy_source;
using forgeline::rehearse::read_source;

TEST_SUITE("rehearse::source") {
  TEST_CASE("HEAD plus uncommitted changes and untracked files; ignored and deleted files left out") {
    const fs::path root = fs::temp_directory_path() / ("forgeline-source-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "repo/docker");
    const std::string git = "git -C " + root.string() + "/repo -c user.name=t -c user.email=t@t ";
    std::ofstream(root / "repo/docker/Dockerfile") << "FROM a\n";
    std::ofstream(root / "repo/gone.txt") << "x\n";
    std::ofstream(root / "repo/.gitignore") << "build/\n";
    REQUIRE(std::system((git + "init -q -b main && " + git + "add -A && " + git + "commit -qm one").c_str()) == 0);
    std::ofstream(root / "repo/docker/Dockerfile") << "FROM b\n";  // uncommitted
    std::ofstream(root / "repo/new.txt") << "new\n";                  // untracked
    fs::create_directories(root / "repo/build");
    std::ofstream(root / "repo/build/out.o") << "ignored\n";
    fs::remove(root / "repo/gone.txt");
    REQUIRE(std::system((git + "remote add origin git@github.com:Acme/Widget.git").c_str()) == 0);

    auto s = read_source(root / "repo");
    REQUIRE(s);
    CHECK(s->sha.size() == 40);
    CHECK(s->branch == "main");
    CHECK(s->remote == "Acme/Widget");
    CHECK(s->dirty);
    auto copied = copy_source(*s, root / "copy");
    REQUIRE(copied);
    CHECK(*copied == 3);
    CHECK(forgeline::util::read_file(root / "copy/docker/Dockerfile").value() == "FROM b\n");
    CHECK(fs::exists(root / "copy/new.txt"));
    CHECK_FALSE(fs::exists(root / "copy/gone.txt"));
    CHECK_FALSE(fs::exists(root / "copy/build"));
    CHECK(read_source(root / "copy").error() == (root / "copy").string() +
                                                    " is not a git work tree: rehearse checks out HEAD plus uncommitted changes");
    fs::remove_all(root);
  }
}
