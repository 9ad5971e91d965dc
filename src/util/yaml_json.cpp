#include "util/yaml_json.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace forgeline::util {

void SourceMap::set_value(std::string pointer, Location where) { values_[std::move(pointer)] = std::move(where); }
void SourceMap::set_key(std::string pointer, Location where) { keys_[std::move(pointer)] = std::move(where); }

Location SourceMap::value_at(std::string_view pointer) const {
  std::string p(pointer);
  for (;;) {
    if (auto it = values_.find(p); it != values_.end()) return it->second;
    if (p.empty()) return Location{file_, 0, 0};
    p.resize(p.rfind('/'));
  }
}

Location SourceMap::key_at(std::string_view pointer) const {
  if (auto it = keys_.find(pointer); it != keys_.end()) return it->second;
  return value_at(pointer);
}

std::string pointer_append(std::string_view pointer, std::string_view key) {
  std::string out(pointer);
  out += '/';
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_append(std::string_view pointer, std::size_t index) {
  return fmt::format("{}/{}", pointer, index);
}

namespace {

bool all_of_chars(std::string_view s, std::string_view allowed) {
  return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}

std::optional<nlohmann::json> as_integer(std::string_view s) {
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  int base = 10;
  if (body.starts_with("0x") && s == body) base = 16, body.remove_prefix(2);
  else if (body.starts_with("0o") && s == body) base = 8, body.remove_prefix(2);
  const std::string_view digits = base == 16 ? "0123456789abcdefABCDEF" : base == 8 ? "01234567" : "0123456789";
  if (!all_of_chars(body, digits)) return std::nullopt;
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), magnitude, base);
  if (ec != std::errc{} || end != body.data() + body.size()) return std::nullopt;
  if (negative) {
    if (magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1) return std::nullopt;
    return nlohmann::json(static_cast<std::int64_t>(0 - magnitude));
  }
  if (magnitude <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return nlohmann::json(static_cast<std::int64_t>(magnitude));
  return nlohmann::json(magnitude);
}

// YAML 1.2 core schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
std::optional<nlohmann::json> as_float(std::string_view s) {
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF")
    return nlohmann::json(std::numeric_limits<double>::infinity());
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return nlohmann::json(-std::numeric_limits<double>::infinity());
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return nlohmann::json(std::nan(""));
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return nlohmann::json(std::stod(std::string(s)));
}

nlohmann::json plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (auto i = as_integer(s)) return *i;
  if (auto f = as_float(s)) return *f;
  return s;
}

class Converter {
 public:
  explicit Converter(const std::string& file) { marks_.set_file(file); }

  nlohmann::json convert(const YAML::Node& node, const std::string& pointer) {
    marks_.set_value(pointer, where(node.Mark()));
    switch (node.Type()) {
      case YAML::NodeType::Null:
        return nullptr;
      case YAML::NodeType::Scalar:
        // yaml-cpp tags plain scalars "?" and quoted ones "!": only plain ones are typed.
        if (node.Tag() == "?") return plain_scalar(node.Scalar());
        return node.Scalar();
      case YAML::NodeType::Sequence: {
        auto out = nlohmann::json::array();
        std::size_t i = 0;
        for (const auto& item : node) out.push_back(convert(item, pointer_append(pointer, i++)));
        return out;
      }
      case YAML::NodeType::Map: {
        auto out = nlohmann::json::object();
        std::map<std::string, Location> seen;
        for (const auto& entry : node) {
          const YAML::Node& key = entry.first;
          if (!key.IsScalar()) {
            problems_.push_back(error_at(where(key.Mark()), "mapping keys must be plain strings"));
            continue;
          }
          const std::string& name = key.Scalar();
          const Location at = where(key.Mark());
          if (auto [it, fresh] = seen.emplace(name, at); !fresh) {
            problems_.push_back(error_at(
                at, fmt::format("duplicate key '{}' (first defined at line {})", name, it->second.line)));
            continue;
          }
          const std::string child = pointer_append(pointer, name);
          marks_.set_key(child, at);
          out[name] = convert(entry.second, child);
        }
        return out;
      }
      case YAML::NodeType::Undefined:
        break;
    }
    return nullptr;
  }

  Location where(const YAML::Mark& m) const { return Location{marks_.file(), m.line + 1, m.column + 1}; }
  SourceMap take_marks() { return std::move(marks_); }
  Diagnostics& problems() { return problems_; }

 private:
  SourceMap marks_;
  Diagnostics problems_;
};

}  // namespace

Result<YamlDocument> parse_yaml(std::string_view text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return std::unexpected(Diagnostics{error_at(Location{file, e.mark.line + 1, e.mark.column + 1}, e.msg)});
  }
  Converter converter(file);
  nlohmann::json value = root.IsNull() ? nlohmann::json::object() : converter.convert(root, "");
  if (!converter.problems().empty()) return std::unexpected(std::move(converter.problems()));
  return YamlDocument{std::move(value), converter.take_marks()};
}

}  // namespace forgeline::util
