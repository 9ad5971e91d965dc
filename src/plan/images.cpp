#include "plan/images.hpp"

#include <map>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::plan {

std::string image_path_shell(const model::Image& image) {
  const std::string path = util::replace_all(util::replace_all(image.path, "${owner}", "${owner,,}"), "${repo}",
                                             "${repo,,}");
  return fmt::format("{}/{}", image.registry, path);
}

std::vector<std::string> image_name_script(const model::Image& image) {
  std::vector<std::string> lines;
  if (util::contains(image.path, "${owner}")) lines.push_back("owner=\"${GITHUB_REPOSITORY_OWNER}\"");
  if (util::contains(image.path, "${repo}")) lines.push_back("repo=\"${GITHUB_REPOSITORY#*/}\"");
  lines.push_back(fmt::format("echo \"name={}\" >> \"$GITHUB_OUTPUT\"", image_path_shell(image)));
  return lines;
}

// The workflow token can push to ghcr.io only; every other registry needs credentials the
// repository provides as secrets under these names.
constexpr const char* username_secret = "REGISTRY_USERNAME";
constexpr const char* password_secret = "REGISTRY_PASSWORD";

nlohmann::json registry_login(const model::Image& image) {
  if (image.registry == "ghcr.io")
    return {{"registry", image.registry},
            {"username", "${{ github.actor }}"},
            {"password", "${{ secrets.GITHUB_TOKEN }}"},
            {"secrets_comment", nullptr}};
  return {{"registry", image.registry},
          {"username", fmt::format("${{{{ secrets.{} }}}}", username_secret)},
          {"password", fmt::format("${{{{ secrets.{} }}}}", password_secret)},
          {"secrets_comment",
           {fmt::format("Logging in to {} needs the repository secrets {} and {}", image.registry, username_secret,
                        password_secret),
            "(Settings → Secrets and variables → Actions): add them before the first run."}}};
}

std::string cache_scope(std::string_view image_key, std::string_view variant) {
  return variant.empty() ? std::string(image_key) : fmt::format("{}-{}", image_key, variant);
}

std::string cache_tag(std::string_view variant) {
  return variant.empty() ? std::string("buildcache") : tag_safe(fmt::format("buildcache-{}", variant));
}

std::string cache_package(std::string_view image) { return fmt::format("{}-cache", image); }

CacheLayers cache_layers(const CacheSpec& spec) {
  CacheLayers c;
  if (spec.per_branch) c.scopes.push_back(fmt::format("{}-{}", spec.scope, spec.ref_name));
  c.scopes.push_back(spec.scope);
  for (const auto& scope : c.scopes) {
    c.from.push_back(fmt::format("type=gha,scope={}", scope));
    c.to.push_back(fmt::format("type=gha,scope={},mode=max", scope));
  }
  c.registry_ref = fmt::format("{}:{}", spec.per_branch ? cache_package(spec.image_expr) : spec.image_expr, spec.cache_tag);
  c.from.push_back(fmt::format("type=registry,ref={}", c.registry_ref));
  c.to.push_back(fmt::format("type=registry,ref={},mode=max", c.registry_ref));
  return c;
}

std::string matrix_name(const model::Image& image) { return fmt::format("{}/{}", image.registry, image.path); }

void record_caches(Plan& plan, const CacheLayers& concrete) {
  plan.cache_scopes.insert(plan.cache_scopes.end(), concrete.scopes.begin(), concrete.scopes.end());
  plan.cache_refs.push_back(concrete.registry_ref);
}

namespace {

/// "host/path" of "host/path:tag" (a registry port's ':' comes before the last '/').
std::string_view repository_of(std::string_view ref) {
  const auto colon = ref.rfind(':');
  return colon != std::string_view::npos && colon > ref.rfind('/') ? ref.substr(0, colon) : ref;
}

}  // namespace

std::vector<CacheConflict> cache_conflicts(const std::vector<Plan>& plans) {
  std::vector<CacheConflict> out;
  // Each value is checked against the first matrix that used it, in plan order.
  auto check_unique = [&](const char* what, auto member) {
    std::map<std::string, std::string> first;
    for (const Plan& plan : plans) {
      for (const std::string& value : plan.*member) {
        auto [seen, fresh] = first.emplace(value, plan.matrix_path);
        if (!fresh)
          out.push_back({plan.matrix_path,
                         seen->second == plan.matrix_path
                             ? fmt::format("{} '{}' is used twice by {}", what, value, plan.matrix_path)
                             : fmt::format("{} '{}' is used by {} and {}", what, value, seen->second, plan.matrix_path)});
      }
    }
  };
  check_unique("cache scope", &Plan::cache_scopes);
  check_unique("registry cache ref", &Plan::cache_refs);

  std::map<std::string, std::string, std::less<>> images, run_time_repositories;  // ref or repository -> matrix
  for (const Plan& plan : plans) {
    for (const std::string& ref : plan.image_refs) {
      images.emplace(ref, plan.matrix_path);
      if (util::contains(ref, "${{")) run_time_repositories.emplace(std::string(repository_of(ref)), plan.matrix_path);
    }
  }
  for (const Plan& plan : plans) {
    for (const std::string& ref : plan.cache_refs) {
      if (auto image = images.find(ref); image != images.end())
        out.push_back({plan.matrix_path,
                       fmt::format("registry cache ref '{}' of {} is also an image pushed by {}", ref,
                                   plan.matrix_path, image->second),
                       true});
      else if (auto repo = run_time_repositories.find(repository_of(ref)); repo != run_time_repositories.end())
        out.push_back({plan.matrix_path,
                       fmt::format("registry cache ref '{}' of {} is in {}, which {} also tags from run-time values",
                                   ref, plan.matrix_path, repo->first, repo->second),
                       true});
    }
  }
  return out;
}

std::string tag_safe(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) c = '-';
  return out;
}

}  // namespace forgeline::plan
