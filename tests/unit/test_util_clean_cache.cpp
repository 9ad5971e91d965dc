#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "util/clean_cache.hpp"

namespace {

namespace fs = std::filesystem;

struct TempFile {
  fs::path path = fs::temp_directory_path() / ("forgeline-clean-" + std::to_string(::getpid())) / "clean-workflows";
  ~TempFile() { fs::remove_all(path.parent_path()); }
};

}  // namespace

TEST_SUITE("util::clean_cache") {
  TEST_CASE("a text remembered by one binary is known to the next run of the same binary only") {
    TempFile file;
    {
      forgeline::util::CleanCache cache(file.path, "forgeline\n1\n2");
      CHECK_FALSE(cache.contains("workflow", "name: x\n"));
      cache.remember("workflow", "name: x\n");
      cache.save();
    }
    forgeline::util::CleanCache again(file.path, "forgeline\n1\n2");
    CHECK(again.contains("workflow", "name: x\n"));
    CHECK_FALSE(again.contains("workflow", "name: y\n"));
    CHECK_FALSE(again.contains("matrix", "name: x\n"));
    forgeline::util::CleanCache rebuilt(file.path, "forgeline\n1\n3");
    CHECK_FALSE(rebuilt.contains("workflow", "name: x\n"));
  }

  TEST_CASE("a disabled cache knows nothing and writes nothing") {
    TempFile file;
    forgeline::util::CleanCache none;
    none.remember("workflow", "name: x\n");
    CHECK_FALSE(none.contains("workflow", "name: x\n"));
    none.save();
    CHECK_FALSE(fs::exists(file.path));
  }

  TEST_CASE("an unreadable or garbled cache is ignored") {
    TempFile file;
    fs::create_directories(file.path.parent_path());
    { std::ofstream(file.path) << "not a key\n" << std::string(63, 'a') << '\n'; }
    forgeline::util::CleanCache cache(file.path, "id");
    CHECK_FALSE(cache.contains("workflow", "not a key"));
  }
}
