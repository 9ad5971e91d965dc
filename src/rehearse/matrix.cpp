#include "rehearse/matrix.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "expr/evaluate.hpp"
#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace {

using nlohmann::json;

/// A combination and the keys that came from the axes, which `include` may not change.
/// Combinations an include added are never extended by a later one.
struct Combination {
  json values = json::object();
  std::set<std::string> original;
  bool from_include = false;
};

}  // namespace

std::expected<std::vector<json>, std::string> expand_matrix(const json& matrix) {
  if (!matrix.is_object()) return std::unexpected("the matrix must be a mapping of axes to lists of values");
  std::vector<Combination> combos;
  bool any_axis = false;
  for (const auto& [key, values] : matrix.items()) {
    if (key == "include" || key == "exclude") continue;
    if (!values.is_array()) return std::unexpected(fmt::format("matrix axis '{}' must be a list of values", key));
    if (values.empty()) return std::unexpected(fmt::format("matrix axis '{}' has no values", key));
    if (!any_axis) combos.push_back({});
    any_axis = true;
    std::vector<Combination> next;
    for (const auto& combo : combos)
      for (const auto& v : values) {
        Combination c = combo;
        c.values[key] = v;
        c.original.insert(key);
        next.push_back(std::move(c));
      }
    combos = std::move(next);
  }
  if (matrix.contains("exclude")) {
    const json& exclude = matrix["exclude"];
    if (!exclude.is_array()) return std::unexpected("matrix 'exclude' must be a list of mappings");
    for (const auto& e : exclude) {
      if (!e.is_object()) return std::unexpected("matrix 'exclude' must be a list of mappings");
      std::erase_if(combos, [&](const Combination& c) {
        return std::all_of(e.items().begin(), e.items().end(), [&](const auto& kv) {
          return c.values.contains(kv.key()) && c.values[kv.key()] == kv.value();
        });
      });
    }
  }
  if (matrix.contains("include")) {
    const json& include = matrix["include"];
    if (!include.is_array()) return std::unexpected("matrix 'include' must be a list of mappings");
    for (const auto& entry : include) {
      if (!entry.is_object()) return std::unexpected("matrix 'include' must be a list of mappings");
      bool extended = false;
      for (auto& c : combos) {
        if (c.from_include) continue;
        const bool fits = std::all_of(entry.items().begin(), entry.items().end(), [&](const auto& kv) {
          return !c.original.contains(kv.key()) || c.values[kv.key()] == kv.value();
        });
        if (!fits) continue;
        for (const auto& [k, v] : entry.items()) c.values[k] = v;
        extended = true;
      }
      if (!extended) {
        combos.push_back({entry, {}, true});
      }
    }
  }
  if (combos.empty()) return std::unexpected("the matrix makes no combination");
  std::vector<json> out;
  for (auto& c : combos) out.push_back(std::move(c.values));
  return out;
}

std::string matrix_label(const json& combination) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : combination.items()) parts.push_back(expr::to_string(v));
  return util::join(parts, ", ");
}

}  // namespace forgeline::rehearse
