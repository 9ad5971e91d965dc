#include "rehearse/images.hpp"

#include <algorithm>

namespace forgeline::rehearse {

std::expected<void, std::string> ImageMap::add(std::string_view rule) {
  const std::size_t eq = rule.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == rule.size())
    return std::unexpected("expected FROM=TO, e.g. openwrt/sdk=127.0.0.1:5000/stand-in/sdk");
  add(std::string(rule.substr(0, eq)), std::string(rule.substr(eq + 1)));
  return {};
}

void ImageMap::add(std::string from, std::string to) {
  std::erase_if(rules_, [&](const auto& r) { return r.first == from; });
  rules_.emplace_back(std::move(from), std::move(to));
  std::stable_sort(rules_.begin(), rules_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

namespace {

bool applies(std::string_view from, std::string_view name) {
  if (!name.starts_with(from)) return false;
  if (name.size() == from.size()) return true;
  const char next = name[from.size()];
  return next == '/' || next == ':' || next == '@';
}

}  // namespace

std::string ImageMap::map(std::string_view name) const {
  for (const auto& [from, to] : rules_)
    if (applies(from, name)) return to + std::string(name.substr(from.size()));
  return std::string(name);
}

bool ImageMap::maps(std::string_view name) const {
  return std::any_of(rules_.begin(), rules_.end(), [&](const auto& r) { return applies(r.first, name); });
}

std::string platform_of_arch(std::string_view arch) {
  if (arch == "x86_64" || arch == "amd64") return "linux/amd64";
  if (arch == "aarch64" || arch == "arm64") return "linux/arm64";
  if (arch == "armv7l" || arch == "arm") return "linux/arm/v7";
  if (arch == "riscv64") return "linux/riscv64";
  if (arch == "s390x") return "linux/s390x";
  if (arch == "ppc64le") return "linux/ppc64le";
  return "linux/" + std::string(arch);
}

}  // namespace forgeline::rehearse
