#include "plan/bake.hpp"

#include <cctype>
#include <filesystem>

#include "plan/images.hpp"
#include "util/json_object.hpp"

namespace forgeline::plan {

using nlohmann::json;

std::string bake_name_safe(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) c = '_';
  return out;
}

std::string bake_dockerfile(const std::string& dockerfile, const std::string& context) {
  return std::filesystem::path(dockerfile).lexically_relative(context).generic_string();
}

namespace {

json pairs(const std::vector<std::pair<std::string, std::string>>& list) {
  if (list.empty()) return nullptr;
  json out = json::array();
  for (const auto& [key, value] : list) out.push_back(util::object({{"key", key}, {"value", value}}));
  return util::object({{"list", out}});
}

json optional(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json optional_list(const std::vector<std::string>& list) {
  return list.empty() ? json(nullptr) : util::object({{"list", list}});
}

}  // namespace

json bake_values(const std::vector<std::string>& about, const std::vector<BakeVariable>& variables,
                 const std::vector<std::string>& group, const std::vector<BakeTarget>& targets) {
  json vars = json::array();
  for (const auto& v : variables)
    vars.push_back(util::object({{"name", v.name}, {"default", v.default_value}, {"comment", v.about}}));
  json out_targets = json::array();
  for (const auto& t : targets) {
    json matrix = nullptr;
    if (!t.axes.empty()) {
      json axes = json::array();
      for (const auto& axis : t.axes) {
        json values = json::array();
        for (const auto& v : axis.values)
          values.push_back(util::object({{"value", v}, {"tag", tag_safe(v)}, {"id", bake_name_safe(v)}}));
        axes.push_back(util::object({{"key", axis.key}, {"values", values}}));
      }
      matrix = util::object({{"name", t.name}, {"axes", axes}});
    }
    out_targets.push_back(util::object({{"block", t.block},
                                        {"comment", t.about},
                                        {"matrix", matrix},
                                        {"inherits", optional_list(t.inherits)},
                                        {"context", optional(t.context)},
                                        {"dockerfile", optional(t.dockerfile)},
                                        {"stage", optional(t.target)},
                                        {"platform", optional(t.platform)},
                                        {"args", pairs(t.args)},
                                        {"contexts", pairs(t.contexts)},
                                        {"tags", optional_list(t.tags)},
                                        {"cache_from", optional_list(t.cache_from)},
                                        {"cache_to", optional_list(t.cache_to)}}));
  }
  return util::object({{"about", about}, {"variables", vars}, {"group", group}, {"targets", out_targets}});
}

}  // namespace forgeline::plan
