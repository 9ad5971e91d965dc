#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "rehearse/glob.hpp"

namespace fs = std::filesystem;
using forgeline::rehearse::filter_match;
using forgeline::rehearse::filter_selects;
using forgeline::rehearse::glob_files;
using forgeline::rehearse::glob_match;
using forgeline::rehearse::upload_root;

TEST_SUITE("rehearse::glob") {
  TEST_CASE("filter patterns: * stops at /, ** does not") {
    CHECK(filter_match("docker/*", "docker/Dockerfile.arm64"));
    CHECK_FALSE(filter_match("docker/*", "docker/qt/Dockerfile"));
    CHECK(filter_match("docker/**", "docker/qt/Dockerfile"));
    CHECK(filter_match("**.yaml", "matrices/arm64-qt.yaml"));
    CHECK_FALSE(filter_match("*.yaml", "matrices/arm64-qt.yaml"));
    CHECK(filter_match("main", "main"));
    CHECK_FALSE(filter_match("main", "main2"));
    CHECK(filter_match("releases/**", "releases/v1/rc"));
  }

  TEST_CASE("filter patterns: ? and + repeat the character before them, [] is a class") {
    CHECK(filter_match("v1?.0", "v.0"));
    CHECK(filter_match("v1?.0", "v1.0"));
    CHECK_FALSE(filter_match("v1?.0", "v11.0"));
    CHECK(filter_match("v1+.0", "v111.0"));
    CHECK_FALSE(filter_match("v1+.0", "v.0"));
    CHECK(filter_match("v[12].[0-9]", "v2.7"));
    CHECK_FALSE(filter_match("v[12].[0-9]", "v3.7"));
  }

  TEST_CASE("filter lists: a later ! pattern takes back what earlier ones selected") {
    const std::vector<std::string> patterns = {"docker/**", "!docker/**.md", "docker/README.md"};
    CHECK(filter_selects(patterns, "docker/Dockerfile"));
    CHECK_FALSE(filter_selects(patterns, "docker/notes.md"));
    CHECK(filter_selects(patterns, "docker/README.md"));
    CHECK_FALSE(filter_selects(patterns, "src/main.cpp"));
  }

  TEST_CASE("glob patterns match segment by segment") {
    CHECK(glob_match("artifacts/*.ipk", "artifacts/pkg_1.0_x86_64.ipk"));
    CHECK_FALSE(glob_match("artifacts/*.ipk", "artifacts/sub/pkg.ipk"));
    CHECK(glob_match("artifacts/**/*.ipk", "artifacts/sub/deep/pkg.ipk"));
    CHECK(glob_match("artifacts/**/*.ipk", "artifacts/pkg.ipk"));
    CHECK(glob_match("a/?.txt", "a/b.txt"));
    CHECK_FALSE(glob_match("a/?.txt", "a/bc.txt"));
    CHECK(glob_match("a/[!x]*", "a/yes"));
    CHECK_FALSE(glob_match("a/[!x]*", "a/xno"));
  }

  TEST_CASE("glob_files: files, folders, patterns and exclusions") {
    const fs::path root = fs::temp_directory_path() / ("forgeline-glob-" + std::to_string(::getpid()));
    fs::remove_all(root);
    for (const char* f : {"out/a.ipk", "out/b.ipk", "out/notes.txt", "out/sub/c.ipk", "dir/x", "dir/y/z"}) {
      fs::create_directories((root / f).parent_path());
      std::ofstream(root / f) << f;
    }
    auto rel = [&](const std::vector<fs::path>& files) {
      std::vector<std::string> out;
      for (const auto& f : files) out.push_back(f.lexically_relative(root).generic_string());
      return out;
    };
    CHECK(rel(glob_files(root, {"out/*.ipk"})) == std::vector<std::string>{"out/a.ipk", "out/b.ipk"});
    CHECK(rel(glob_files(root, {"dir"})) == std::vector<std::string>{"dir/x", "dir/y/z"});
    CHECK(rel(glob_files(root, {(root / "dir/").string()})) == std::vector<std::string>{"dir/x", "dir/y/z"});
    CHECK(rel(glob_files(root, {"out/**", "!out/*.txt"})) ==
          std::vector<std::string>{"out/a.ipk", "out/b.ipk", "out/sub/c.ipk"});
    CHECK(glob_files(root, {"missing/*"}).empty());
    fs::remove_all(root);
  }

  TEST_CASE("upload_root: the search path, not the folder the files happen to share") {
    const fs::path w = "/w";
    // A folder keeps the paths below it, however deep the files are.
    CHECK(upload_root(w, {"out/logs/"}, {"/w/out/logs/package/feeds/a/b/check.txt"}) == "/w/out/logs");
    CHECK(upload_root(w, {"/w/out/logs"}, {"/w/out/logs/x/1", "/w/out/logs/x/2"}) == "/w/out/logs");
    // A wildcard: the folders before it.
    CHECK(upload_root(w, {"out/*/bin/*.ipk"}, {"/w/out/x86/bin/a.ipk"}) == "/w/out");
    // One file named without a wildcard: its folder.
    CHECK(upload_root(w, {"out/a.ipk"}, {"/w/out/a.ipk"}) == "/w/out");
    // Several search paths: their common ancestor; a path below another counts once; exclusions do not count.
    CHECK(upload_root(w, {"out/a/", "out/b/c/*", "!out/b/c/x"}, {"/w/out/a/1", "/w/out/b/c/2"}) == "/w/out");
    CHECK(upload_root(w, {"out/", "out/sub/*"}, {"/w/out/sub/1", "/w/out/sub/2"}) == "/w/out");
  }
}
