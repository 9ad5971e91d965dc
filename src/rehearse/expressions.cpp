#include "rehearse/expressions.hpp"

#include <fmt/format.h>

#include "util/yaml_json.hpp"

namespace forgeline::rehearse {

namespace {

using nlohmann::json;

util::Diagnostic error_in(const Workflow& wf, const std::string& pointer, std::string_view value, const expr::Error& e) {
  return util::error_at(locate(wf, pointer, value, e.offset), e.message);
}

/// A condition written as one `${{ }}` and nothing else: the expression inside, and where
/// it starts in the text; otherwise the text itself.
std::pair<std::string_view, std::size_t> bare_condition(std::string_view text) {
  std::size_t start = text.find_first_not_of(" \t\n");
  std::size_t end = text.find_last_not_of(" \t\n");
  if (start == std::string_view::npos) return {text, 0};
  const std::string_view trimmed = text.substr(start, end - start + 1);
  if (trimmed.starts_with("${{") && trimmed.ends_with("}}") && trimmed.find("${{", 3) == std::string_view::npos)
    return {trimmed.substr(3, trimmed.size() - 5), start + 3};
  return {text, 0};
}

}  // namespace

std::expected<json, util::Diagnostic> evaluate_value(const Workflow& wf, const std::string& pointer, const json& value,
                                                     const expr::Scope& scope) {
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text.find("${{") == std::string::npos) return value;
    auto v = expr::interpolate(text, scope);
    if (!v) return std::unexpected(error_in(wf, pointer, text, v.error()));
    return *v;
  }
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : value.items()) {
      auto e = evaluate_value(wf, util::pointer_append(pointer, k), v, scope);
      if (!e) return std::unexpected(e.error());
      out[k] = std::move(*e);
    }
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < value.size(); ++i) {
      auto e = evaluate_value(wf, util::pointer_append(pointer, i), value[i], scope);
      if (!e) return std::unexpected(e.error());
      out.push_back(std::move(*e));
    }
    return out;
  }
  return value;
}

std::expected<std::string, util::Diagnostic> evaluate_string(const Workflow& wf, const std::string& pointer,
                                                             const json& value, const expr::Scope& scope) {
  auto v = evaluate_value(wf, pointer, value, scope);
  if (!v) return std::unexpected(v.error());
  return expr::to_string(*v);
}

std::expected<bool, util::Diagnostic> evaluate_condition(const Workflow& wf, const std::string& pointer,
                                                         std::string_view condition, const expr::Scope& scope) {
  if (condition.find_first_not_of(" \t\n") == std::string_view::npos) return expr::condition("success()", scope).value_or(false);
  auto v = expr::condition(condition, scope);
  if (!v) return std::unexpected(error_in(wf, pointer, condition, v.error()));
  return *v;
}

util::Diagnostics check_expressions(const Workflow& wf, const std::string& pointer, const json& value) {
  util::Diagnostics out;
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (pointer.ends_with("/if")) {
      const auto [expression, at] = bare_condition(text);
      if (expression.find("${{") != std::string_view::npos) {
        // A condition mixing text and `${{ }}` is a string, always truthy: GitHub accepts it.
        if (auto parts = expr::split_template(text); !parts)
          out.push_back(error_in(wf, pointer, text, parts.error()));
      } else if (auto parsed = expr::parse(expression); !parsed) {
        out.push_back(error_in(wf, pointer, text, {parsed.error().message, at + parsed.error().offset}));
      }
      return out;
    }
    if (text.find("${{") == std::string::npos) return out;
    auto parts = expr::split_template(text);
    if (!parts) {
      out.push_back(error_in(wf, pointer, text, parts.error()));
      return out;
    }
    for (const auto& part : *parts)
      if (part.expression)
        if (auto parsed = expr::parse(part.text); !parsed)
          out.push_back(error_in(wf, pointer, text, {parsed.error().message, part.offset + parsed.error().offset}));
  } else if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      auto more = check_expressions(wf, util::pointer_append(pointer, k), v);
      out.insert(out.end(), more.begin(), more.end());
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      auto more = check_expressions(wf, util::pointer_append(pointer, i), value[i]);
      out.insert(out.end(), more.begin(), more.end());
    }
  }
  return out;
}

}  // namespace forgeline::rehearse
