#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forgeline::rehearse {

/// Where image names of the workflows live during a rehearsal: `ghcr.io/…` on the local
/// registry, images that cannot be pulled here (an SDK) on stand-ins. A rule `FROM=TO`
/// applies to a name equal to FROM or continuing it at a `/`, `:` or `@`; the longest FROM
/// wins. Names stay as written everywhere in the report; only the engine sees mapped ones.
class ImageMap {
 public:
  /// Adds `from=to`; an error text when either side is empty or `=` is missing.
  std::expected<void, std::string> add(std::string_view rule);
  void add(std::string from, std::string to);

  /// The name the engine uses; the name itself when no rule applies.
  std::string map(std::string_view name) const;
  bool maps(std::string_view name) const;

  const std::vector<std::pair<std::string, std::string>>& rules() const { return rules_; }

 private:
  std::vector<std::pair<std::string, std::string>> rules_;
};

/// Docker's platform name for a machine (`uname -m` or Go's GOARCH): linux/amd64, linux/arm64.
std::string platform_of_arch(std::string_view arch);

}  // namespace forgeline::rehearse
