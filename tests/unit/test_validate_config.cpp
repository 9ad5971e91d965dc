#include "validate/config.hpp"

#include "workflow_check.hpp"

using namespace workflow_check;
using forgeline::validate::find_config;
using forgeline::validate::load_config;

TEST_SUITE("validate::config") {
  TEST_CASE("load_config: disable, enable and strict") {
    Folder folder;
    folder.write(".forgeline.yaml", "validate:\n  disable: [permissions]\n  enable: [action-pin]\n  strict: true\n");
    const auto config = load_config(folder.path / ".forgeline.yaml");
    REQUIRE(config);
    CHECK(config->strict);
    CHECK(config->rules.disabled.contains("permissions"));
    CHECK(config->rules.enabled.contains("action-pin"));
  }

  TEST_CASE("load_config: an unknown key or rule is an error at its place") {
    Folder folder;
    folder.write("c.yaml", "validate:\n  disable: [permission]\n  stric: true\n");
    const auto config = load_config(folder.path / "c.yaml");
    REQUIRE_FALSE(config);
    const std::string shown = (folder.path / "c.yaml").generic_string();
    CHECK(formatted(config.error()) ==
          Lines{shown + ":3:3: error: /validate/stric: unknown key (did you mean strict?)"});
    folder.write("d.yaml", "validate:\n  disable: [permission]\n");
    const auto unknown = load_config(folder.path / "d.yaml");
    REQUIRE_FALSE(unknown);
    REQUIRE(unknown.error().size() == 1);
    CHECK(forgeline::util::format(unknown.error()[0])
              .starts_with((folder.path / "d.yaml").generic_string() +
                           ":2:13: error: /validate/disable/0: unknown rule 'permission' (rules: yaml, "));
  }

  TEST_CASE("find_config: the nearest .forgeline.yaml, no further up than the repository root") {
    Folder folder;
    std::filesystem::create_directories(folder.path / "repo/.git");
    std::filesystem::create_directories(folder.path / "repo/sub/dir");
    CHECK(find_config(folder.path / "repo/sub/dir") == std::nullopt);
    folder.write(".forgeline.yaml", "{}\n");  // above the repository: never read
    CHECK(find_config(folder.path / "repo/sub/dir") == std::nullopt);
    folder.write("repo/.forgeline.yaml", "{}\n");
    CHECK(find_config(folder.path / "repo/sub/dir") == folder.path / "repo/.forgeline.yaml");
  }
}
