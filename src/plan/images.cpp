#include "plan/images.hpp"

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::plan {

std::vector<std::string> image_name_script(const model::Image& image) {
  std::string path = image.path;
  std::vector<std::string> lines;
  const bool owner = util::contains(path, "${owner}"), repo = util::contains(path, "${repo}");
  auto replace_all = [&](std::string_view from, std::string_view to) {
    for (auto at = path.find(from); at != std::string::npos; at = path.find(from, at + to.size()))
      path.replace(at, from.size(), to);
  };
  if (owner) {
    lines.push_back("owner=\"${GITHUB_REPOSITORY_OWNER}\"");
    replace_all("${owner}", "${owner,,}");
  }
  if (repo) {
    lines.push_back("repo=\"${GITHUB_REPOSITORY#*/}\"");
    replace_all("${repo}", "${repo,,}");
  }
  lines.push_back(fmt::format("echo \"name={}/{}\" >> \"$GITHUB_OUTPUT\"", image.registry, path));
  return lines;
}

nlohmann::json registry_login(const model::Image& image) {
  if (image.registry == "ghcr.io")
    return {{"registry", image.registry}, {"username", "${{ github.actor }}"}, {"password", "${{ secrets.GITHUB_TOKEN }}"}};
  return {{"registry", image.registry},
          {"username", "${{ secrets.REGISTRY_USERNAME }}"},
          {"password", "${{ secrets.REGISTRY_PASSWORD }}"}};
}

CacheLayers cache_layers(const CacheSpec& spec) {
  CacheLayers c;
  const std::string registry = fmt::format("type=registry,ref={}:{}", spec.image_expr, spec.cache_tag);
  if (spec.per_branch) {
    const std::string branch_scope = fmt::format("type=gha,scope={}-${{{{ github.ref_name }}}}", spec.scope);
    c.from.push_back(branch_scope);
    c.to.push_back(branch_scope + ",mode=max");
  }
  c.from.push_back(fmt::format("type=gha,scope={}", spec.scope));
  c.to.push_back(fmt::format("type=gha,scope={},mode=max", spec.scope));
  c.from.push_back(registry);
  c.to.push_back(registry + ",mode=max");
  return c;
}

std::string tag_safe(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) c = '-';
  return out;
}

}  // namespace forgeline::plan
