#include "validate/config.hpp"

#include <system_error>

#include "schema/check.hpp"
#include "util/files.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::validate {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

}  // namespace

util::Result<Config> load_config(const fs::path& path) {
  const std::string shown = path.generic_string();
  auto text = util::read_file(path);
  if (!text) return std::unexpected(util::Diagnostics{util::error_at({shown, 0, 0}, "cannot read config: " + text.error())});
  auto doc = util::parse_yaml(*text, shown);
  if (!doc) return std::unexpected(doc.error());
  util::Diagnostics problems = schema::check_against(schema::bundled_schema("schemas/config.schema.json"), *doc);
  if (!problems.empty()) return std::unexpected(std::move(problems));
  Config config;
  const json& validate = doc->value.value("validate", json::object());
  config.strict = validate.value("strict", false);
  for (const char* list : {"disable", "enable"}) {
    if (!validate.contains(list)) continue;
    const json& names = validate[list];
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string name = names[i].get<std::string>();
      if (auto known = check_rule_name(name); !known) {
        const std::string pointer = util::pointer_append(util::pointer_append("/validate", list), i);
        problems.push_back(util::error_at(doc->marks.value_at(pointer), pointer + ": " + known.error()));
        continue;
      }
      (std::string_view(list) == "disable" ? config.rules.disabled : config.rules.enabled).insert(name);
    }
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return config;
}

std::optional<fs::path> find_config(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return std::nullopt;
  for (;;) {
    if (fs::is_regular_file(dir / kConfigName, ec)) return dir / kConfigName;
    if (fs::exists(dir / ".git", ec) || !dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

}  // namespace forgeline::validate
