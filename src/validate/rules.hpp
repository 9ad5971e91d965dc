#pragma once

#include <expected>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "util/diagnostic.hpp"

namespace forgeline::validate {

/// One check `forgeline validate` can make, as users name it in `--disable`, the config file
/// and `# forgeline-ignore:` comments.
struct Rule {
  std::string_view id;
  util::Severity severity;
  std::string_view family;  // the lint file that implements it (`yaml` and `schema` are no lints)
  std::string_view summary;
  bool on_by_default = true;
};

/// Every rule, in the order the README lists them.
std::span<const Rule> rules();

/// The rule with this id, or null.
const Rule* find_rule(std::string_view id);

/// Which rules run, after `--enable`/`--disable` and the config file.
struct RuleSettings {
  std::set<std::string, std::less<>> enabled;   // rules that are off by default, turned on
  std::set<std::string, std::less<>> disabled;  // turned off (wins over enabled)

  bool runs(std::string_view rule) const;
};

/// An error naming the unknown rule and the known ones, when `id` is not a rule.
std::expected<void, std::string> check_rule_name(std::string_view id);

}  // namespace forgeline::validate
