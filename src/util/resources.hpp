#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace forgeline::util {

/// Files compiled into the binary at build time (templates/, schemas/), by their path
/// relative to the repository root, e.g. "templates/openwrt/build-package.yml.mustache".
std::optional<std::string_view> resource(std::string_view name);

/// Every embedded resource name, sorted.
const std::vector<std::string_view>& resource_names();

}  // namespace forgeline::util
