#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "util/clean_cache.hpp"

namespace {

namespace fs = std::filesystem;

struct TempFile {
  fs::path path = fs::temp_directory_path() / ("forgeline-clean-" + std::to_string(::getpid())) / "clean.d";
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

  TEST_CASE("one file per key in 256 folders, each keeping its most recently used keys") {
    TempFile dir;
    {
      forgeline::util::CleanCache cache(dir.path, "id", 2);
      for (int i = 0; i < 2000; ++i) cache.remember("workflow", std::to_string(i));
      cache.save();
    }
    std::size_t folders = 0, keys = 0, fullest = 0;
    for (const auto& folder : fs::directory_iterator(dir.path)) {
      ++folders;
      CHECK(folder.path().filename().string().size() == 2);
      std::size_t here = 0;
      for (const auto& key : fs::directory_iterator(folder.path())) {
        CHECK(key.path().filename().string().size() == 62);
        ++here;
      }
      keys += here;
      fullest = std::max(fullest, here);
    }
    CHECK(folders == 256);
    CHECK(fullest == 2);
    CHECK(keys == 512);
    // The last key saved into a folder is kept; a later run finds it without reading the rest.
    forgeline::util::CleanCache again(dir.path, "id", 2);
    CHECK(again.contains("workflow", "1999"));
  }

  TEST_CASE("a full folder drops its least recently used key; a hit makes a key recently used") {
    TempFile dir;
    auto save_one = [&](const std::string& text, std::size_t keep) {
      forgeline::util::CleanCache cache(dir.path, "id", keep);
      cache.remember("workflow", text);
      cache.save();
    };
    save_one("dropped", 1);
    bool dropped = false;
    for (int i = 0; i < 4000 && !dropped; ++i) {
      save_one("a" + std::to_string(i), 1);
      dropped = !forgeline::util::CleanCache(dir.path, "id", 1).contains("workflow", "dropped");
    }
    CHECK(dropped);

    save_one("used", 2);
    bool kept = true;
    for (int i = 0; i < 3000 && kept; ++i) {
      kept = forgeline::util::CleanCache(dir.path, "id", 2).contains("workflow", "used");
      save_one("b" + std::to_string(i), 2);
    }
    CHECK(kept);
  }

  TEST_CASE("an unreadable or garbled cache is ignored") {
    TempFile file;
    fs::create_directories(file.path.parent_path());
    { std::ofstream(file.path) << "not a key\n" << std::string(63, 'a') << '\n'; }
    forgeline::util::CleanCache cache(file.path, "id");
    CHECK_FALSE(cache.contains("workflow", "not a key"));
  }
}
