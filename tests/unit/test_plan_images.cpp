#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "plan/images.hpp"
#include "planned.hpp"
#include "render/render.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace {

namespace fs = std::filesystem;
using forgeline::plan::Plan;

std::string openwrt(const std::string& package, const std::string& image) {
  return "forgeline: 1\nfamily: openwrt-package\npackage: " + package + "\nimage: " + image +
         "\nopenwrt: 24.10.1\narchitectures:\n  - {arch: mips_24kc, sdk: ath79-generic}\n";
}

/// The reference matrices as the repository has them when the test runs, so matrices
/// other families add later are checked without editing this file.
std::vector<std::string> reference_matrices() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(fs::path(FORGELINE_SOURCE_DIR) / "matrices"))
    if (entry.path().extension() == ".yaml") out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> messages(const std::vector<forgeline::plan::CacheConflict>& conflicts) {
  std::vector<std::string> out;
  for (const auto& c : conflicts) out.push_back(c.message);
  return out;
}

}  // namespace

TEST_SUITE("plan::images") {
  TEST_CASE("registry login: the workflow token on ghcr.io; elsewhere two secrets, named for the header") {
    using forgeline::plan::registry_login;
    const auto ghcr = registry_login({"ghcr.io", "${owner}/${repo}"});
    CHECK(ghcr["password"] == "${{ secrets.GITHUB_TOKEN }}");
    CHECK(ghcr["secrets_comment"].is_null());
    const auto quay = registry_login({"quay.io", "acme/tools"});
    CHECK(quay["username"] == "${{ secrets.REGISTRY_USERNAME }}");
    CHECK(quay["password"] == "${{ secrets.REGISTRY_PASSWORD }}");
    CHECK(quay["secrets_comment"] ==
          nlohmann::json::array({"Logging in to quay.io needs the repository secrets REGISTRY_USERNAME and REGISTRY_PASSWORD",
                                 "(Settings → Secrets and variables → Actions): add them before the first run."}));
  }

  TEST_CASE("scope, cache tag and cache package names") {
    using namespace forgeline::plan;
    CHECK(cache_scope("rust-builder") == "rust-builder");
    CHECK(cache_scope("pkg-builder", "mips_24kc") == "pkg-builder-mips_24kc");
    CHECK(cache_tag() == "buildcache");
    CHECK(cache_tag("qt/6.8") == "buildcache-qt-6.8");
    CHECK(cache_package("ghcr.io/a/b") == "ghcr.io/a/b-cache");
  }

  TEST_CASE("an image tagged per branch keeps its registry cache in the sibling package") {
    auto c = forgeline::plan::cache_layers({"rb", "IMG", "buildcache", true});
    CHECK(c.scopes == std::vector<std::string>{"rb-${{ github.ref_name }}", "rb"});
    CHECK(c.registry_ref == "IMG-cache:buildcache");
    CHECK(c.to.back() == "type=registry,ref=IMG-cache:buildcache,mode=max");
    auto fixed = forgeline::plan::cache_layers({"rb", "IMG", "buildcache", false});
    CHECK(fixed.scopes == std::vector<std::string>{"rb"});
    CHECK(fixed.registry_ref == "IMG:buildcache");
  }

  TEST_CASE("conflicts: a scope or cache ref two matrices share, told against the later one") {
    auto a = plan_of(openwrt("pkg", "ghcr.io/${owner}/one"), "a.yaml");
    auto b = plan_of(openwrt("pkg", "ghcr.io/${owner}/one"), "b.yaml");
    const auto conflicts = forgeline::plan::cache_conflicts({a, b});
    for (const auto& c : conflicts) CHECK((c.matrix_path == "b.yaml" && !c.image));
    CHECK(messages(conflicts) ==
          std::vector<std::string>{
              "cache scope 'pkg-builder-mips_24kc-${{ github.ref_name }}' is used by a.yaml and b.yaml",
              "cache scope 'pkg-builder-mips_24kc' is used by a.yaml and b.yaml",
              "registry cache ref 'ghcr.io/${owner}/one-cache:buildcache-mips_24kc' is used by a.yaml and b.yaml"});
    auto other = plan_of(openwrt("other", "ghcr.io/${owner}/two"), "c.yaml");
    CHECK(forgeline::plan::cache_conflicts({a, other}).empty());
  }

  TEST_CASE("conflicts: a cache ref that is an image, or shares a repository with run-time tags") {
    Plan a;
    a.matrix_path = "a.yaml";
    a.image_refs = {"ghcr.io/x/img:buildcache", "ghcr.io/x/img2:${{ github.ref_name }}"};
    Plan b;
    b.matrix_path = "b.yaml";
    b.cache_refs = {"ghcr.io/x/img:buildcache", "ghcr.io/x/img2:buildcache", "ghcr.io/x/img2-cache:buildcache"};
    const auto conflicts = forgeline::plan::cache_conflicts({a, b});
    for (const auto& c : conflicts) CHECK((c.matrix_path == "b.yaml" && c.image));
    CHECK(messages(conflicts) ==
          std::vector<std::string>{
              "registry cache ref 'ghcr.io/x/img:buildcache' of b.yaml is also an image pushed by a.yaml",
              "registry cache ref 'ghcr.io/x/img2:buildcache' of b.yaml is in ghcr.io/x/img2, which a.yaml also "
              "tags from run-time values"});
    Plan same;
    same.matrix_path = "s.yaml";
    same.cache_scopes = {"s", "s"};
    CHECK(messages(forgeline::plan::cache_conflicts({same})) ==
          std::vector<std::string>{"cache scope 's' is used twice by s.yaml"});
  }

  TEST_CASE("every reference matrix: caches filled in, no two share a scope or ref, none is an image") {
    const auto paths = reference_matrices();
    REQUIRE_FALSE(paths.empty());
    std::vector<Plan> plans;
    for (const auto& path : paths) {
      CAPTURE(path);
      auto text = forgeline::util::read_file(path);
      REQUIRE(text);
      Plan plan = plan_of(*text, path);
      // A family that writes buildx caches must list them, or the check below sees nothing.
      auto rendered = forgeline::render::render(plan, forgeline::render::TemplateSource{});
      REQUIRE(rendered);
      bool uses_gha = false, uses_registry = false;
      for (const auto& file : *rendered) {
        uses_gha = uses_gha || forgeline::util::contains(file.body, "type=gha,");
        uses_registry = uses_registry || forgeline::util::contains(file.body, "type=registry,");
      }
      CHECK(uses_gha == !plan.cache_scopes.empty());
      CHECK(uses_registry == !plan.cache_refs.empty());
      if (!plan.cache_refs.empty()) CHECK_FALSE(plan.image_refs.empty());
      plans.push_back(std::move(plan));
    }
    CHECK(forgeline::plan::cache_conflicts(plans).empty());
  }
}
