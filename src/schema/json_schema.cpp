#include "schema/json_schema.hpp"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "util/json_text.hpp"
#include "util/strings.hpp"
#include "schema/regex.hpp"

namespace forgeline::schema {

using nlohmann::json;

namespace detail {

enum class JsonType : std::uint8_t { null, boolean, object, array, number, string, integer };

/// A "pattern" or "patternProperties" entry: the source for messages, the compiled form for matching.
struct Pattern {
  std::string source;
  Regex regex;
  int schema = -1;  // patternProperties only
};

/// One "dependencies" entry: keys that must accompany `key`, or a schema the object must then match.
struct Dependency {
  std::string key;
  std::vector<std::string> required;
  int schema = -1;
};

/// One compiled (sub)schema. Subschemas are indices into the node table; -1 means absent.
struct SchemaNode {
  std::string where;  // JSON pointer into the schema document
  std::optional<bool> boolean;
  std::optional<std::string> error_message;
  std::optional<bool> expressions;     // extension: whether a `${{` string is accepted here and below
  std::optional<bool> scalars_as_strings;  // extension: null, booleans and numbers read as their text
  int ref = -1;
  std::vector<JsonType> types;
  std::optional<json> const_value;
  std::optional<std::vector<json>> enum_values;

  std::map<std::string, int> properties;
  std::vector<Pattern> pattern_properties;
  int additional_properties = -1;
  std::vector<std::string> required;
  int property_names = -1;
  std::optional<std::uint64_t> min_properties;
  std::optional<std::uint64_t> max_properties;
  std::vector<Dependency> dependencies;

  int items = -1;
  std::optional<std::vector<int>> tuple_items;
  int additional_items = -1;
  std::optional<std::uint64_t> min_items;
  std::optional<std::uint64_t> max_items;
  bool unique_items = false;
  int contains = -1;

  std::optional<std::uint64_t> min_length;
  std::optional<std::uint64_t> max_length;
  std::optional<Pattern> pattern;

  std::optional<json> minimum;
  std::optional<json> maximum;
  std::optional<json> exclusive_minimum;
  std::optional<json> exclusive_maximum;
  std::optional<json> multiple_of;

  std::vector<int> all_of;
  std::vector<int> any_of;
  std::vector<int> one_of;
  int not_schema = -1;
  int if_schema = -1;
  int then_schema = -1;
  int else_schema = -1;
};

}  // namespace detail

namespace {

using detail::Dependency;
using detail::JsonType;
using detail::Pattern;
using detail::SchemaNode;

// Instance nesting times same-value applicators; deep enough for any real document, shallow
// enough that the recursive validator cannot exhaust the stack.
constexpr int kMaxDepth = 500;
constexpr std::size_t kShownValueLength = 60;

struct CompileError {
  std::string message;
};

std::string_view type_name(JsonType t) {
  switch (t) {
    case JsonType::null: return "null";
    case JsonType::boolean: return "boolean";
    case JsonType::object: return "object";
    case JsonType::array: return "array";
    case JsonType::number: return "number";
    case JsonType::string: return "string";
    case JsonType::integer: return "integer";
  }
  return "?";
}

std::optional<JsonType> type_from_name(std::string_view name) {
  for (const JsonType t : {JsonType::null, JsonType::boolean, JsonType::object, JsonType::array, JsonType::number,
                           JsonType::string, JsonType::integer}) {
    if (type_name(t) == name) return t;
  }
  return std::nullopt;
}

// Users write numbers, not "integers"; "integer" only appears on the expected side.
std::string_view instance_type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    default: return "number";
  }
}

bool is_integral(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool has_type(const json& v, JsonType t) {
  switch (t) {
    case JsonType::null: return v.is_null();
    case JsonType::boolean: return v.is_boolean();
    case JsonType::object: return v.is_object();
    case JsonType::array: return v.is_array();
    case JsonType::number: return v.is_number();
    case JsonType::string: return v.is_string();
    case JsonType::integer: return is_integral(v);
  }
  return false;
}

bool is_negative_integer(const json& v) {
  return v.is_number_integer() && !v.is_number_unsigned() && v.get<std::int64_t>() < 0;
}

std::uint64_t integer_magnitude(const json& v) {
  if (!is_negative_integer(v)) return v.get<std::uint64_t>();
  return static_cast<std::uint64_t>(-(v.get<std::int64_t>() + 1)) + 1;
}

// Exact for integers of either signedness, so large ids are not rounded through double.
int compare_numbers(const json& a, const json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    const bool a_negative = is_negative_integer(a);
    if (a_negative != is_negative_integer(b)) return a_negative ? -1 : 1;
    const std::uint64_t x = integer_magnitude(a);
    const std::uint64_t y = integer_magnitude(b);
    if (x == y) return 0;
    return (x < y) != a_negative ? -1 : 1;
  }
  const double x = a.get<double>();
  const double y = b.get<double>();
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool is_multiple_of(const json& value, const json& divisor) {
  if (value.is_number_integer() && divisor.is_number_integer()) {
    return integer_magnitude(value) % integer_magnitude(divisor) == 0;
  }
  const double quotient = value.get<double>() / divisor.get<double>();
  if (!std::isfinite(quotient)) return false;
  // Decimal divisors such as 0.01 are inexact in binary, so allow the rounding error of one division.
  return std::fabs(quotient - std::round(quotient)) <= std::max(1e-9, std::fabs(quotient) * 4 * DBL_EPSILON);
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Strings unquoted, as a user would type them in YAML.
std::string value_text(const json& v) {
  if (!v.is_string()) return util::dump(v);
  const auto& s = v.get_ref<const std::string&>();
  return s.empty() ? "''" : s;
}

std::string shorten(const std::string& s) {
  if (code_points(s) <= kShownValueLength) return s;
  std::size_t end = 0;
  for (std::size_t seen = 0; seen < kShownValueLength - 3; ++end) {
    if ((static_cast<unsigned char>(s[end + 1]) & 0xC0) != 0x80) ++seen;
  }
  return s.substr(0, end) + "...";
}

std::string join_with_or(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

void append_token(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (const char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto hex = [&](std::size_t k) -> int {
      if (k >= s.size()) return -1;
      const char c = s[k];
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (s[i] == '%' && hex(i + 1) >= 0 && hex(i + 2) >= 0) {
      out += static_cast<char>(hex(i + 1) * 16 + hex(i + 2));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // the leading '/'
    const std::size_t end = std::min(pointer.find('/'), pointer.size());
    std::string token;
    for (std::size_t i = 0; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[++i] == '0' ? '~' : '/';
      } else {
        token += pointer[i];
      }
    }
    tokens.push_back(std::move(token));
    pointer.remove_prefix(end);
  }
  return tokens;
}

// Drops "." and ".." segments so "folder/../x" and "x" name the same schema.
std::string remove_dot_segments(std::string_view path) {
  const bool rooted = path.starts_with('/');
  if (rooted) path.remove_prefix(1);
  std::vector<std::string_view> kept;
  while (true) {
    const std::size_t end = std::min(path.find('/'), path.size());
    const std::string_view segment = path.substr(0, end);
    const bool last = end == path.size();
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (segment != ".") {
      kept.push_back(segment);
    }
    if (last) {
      if (segment == "." || segment == "..") kept.emplace_back();  // "a/.." is the directory "a/"
      break;
    }
    path.remove_prefix(end + 1);
  }
  std::string out = rooted ? "/" : "";
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += '/';
    out += kept[i];
  }
  return out;
}

// RFC 3986 reference resolution, reduced to what $id and $ref need: fragments, absolute
// references and relative paths against a hierarchical base.
std::string resolve_uri(const std::string& base, const std::string& ref) {
  const std::size_t colon = ref.find(':');
  const bool has_scheme = colon != std::string::npos && colon > 0 && ref.find_first_of("/?#") > colon;
  if (has_scheme || base.empty()) return ref;
  const std::string document = base.substr(0, base.find('#'));
  if (ref.empty()) return document;
  if (ref.starts_with('#')) return document + ref;
  const std::size_t authority = document.find("://");
  if (ref.starts_with("//")) return authority == std::string::npos ? ref : document.substr(0, authority + 1) + ref;
  const std::size_t path_start =
      authority == std::string::npos ? 0 : std::min(document.find('/', authority + 3), document.size());
  const std::string base_path = document.substr(path_start);
  std::string path;
  if (ref.starts_with('/')) {
    path = ref;
  } else if (base_path.empty() && authority != std::string::npos) {
    path = "/" + ref;
  } else {
    path = base_path.substr(0, base_path.rfind('/') + 1) + ref;  // npos + 1 == 0: no directory part
  }
  const std::size_t suffix = std::min(path.find_first_of("?#"), path.size());
  return document.substr(0, path_start) + remove_dot_segments(std::string_view(path).substr(0, suffix)) +
         path.substr(suffix);
}

std::string without_empty_fragment(std::string uri) {
  if (uri.ends_with('#')) uri.pop_back();
  return uri;
}

}  // namespace

/// Turns the schema document into the node table: checks keyword shapes, compiles patterns,
/// resolves $ref and $id, and rejects reference cycles that would never consume instance data.
/// Compiled eagerly, every node is built and checked up front; lazily, a node is built the
/// first time validation reaches it (a document reaches a fraction of a large schema), and
/// the schema must have passed an eager compile before (the bundled ones do, in their tests).
class detail::Compiler {
public:
  Compiler(json root, bool lazy) : root_(std::move(root)), lazy_(lazy) {
    ids_[""] = "";
    compile(root_, "", "");
    if (!lazy_) reject_cycles();
  }

  /// The node, built now if it has not been yet. References stay valid as nodes are added
  /// (a deque), so a caller may hold one while it asks for others.
  const SchemaNode& node(int id) {
    const auto i = static_cast<std::size_t>(id);
    if (!built_[i]) build(id);
    return nodes_[i];
  }

private:
  [[noreturn]] static void fail(const std::string& where, const std::string& message) {
    throw CompileError{"#" + where + ": " + message};
  }

  // Draft-07 ignores every sibling of $ref, $id included.
  static std::string scope_of(const json& schema, const std::string& base) {
    if (!schema.is_object() || schema.contains("$ref")) return base;
    const auto id = schema.find("$id");
    if (id == schema.end() || !id->is_string()) return base;
    return without_empty_fragment(resolve_uri(base, id->get<std::string>()));
  }

  // Calls visit(subschema, pointer) for each place the draft-07 vocabulary holds a schema.
  template <class Visit>
  static void for_each_subschema(const json& schema, const std::string& where, Visit&& visit) {
    for (const char* keyword : {"additionalItems", "additionalProperties", "contains", "propertyNames", "not", "if",
                                "then", "else", "items"}) {
      if (const auto it = schema.find(keyword); it != schema.end() && !it->is_array()) {
        visit(*it, where + "/" + keyword);
      }
    }
    for (const char* keyword : {"items", "allOf", "anyOf", "oneOf"}) {
      if (const auto it = schema.find(keyword); it != schema.end() && it->is_array()) {
        for (std::size_t i = 0; i < it->size(); ++i) visit((*it)[i], where + "/" + keyword + "/" + std::to_string(i));
      }
    }
    for (const char* keyword : {"properties", "patternProperties", "definitions", "dependencies"}) {
      if (const auto it = schema.find(keyword); it != schema.end() && it->is_object()) {
        for (const auto& [name, value] : it->items()) {
          if (value.is_array()) continue;  // a "dependencies" key list
          std::string pointer = where + "/" + keyword;
          append_token(pointer, name);
          visit(value, pointer);
        }
      }
    }
  }

  // The pointer of the schema a $ref's URI names, or null. Every $id is recorded the first
  // time a $ref names one not seen yet (it may appear later in the document); a schema that
  // has none, as the bundled ones, is never walked for them.
  const std::string* find_id(const std::string& uri) {
    auto it = ids_.find(uri);
    if (it == ids_.end() && !indexed_) {
      indexed_ = true;
      index(root_, "", "");
      it = ids_.find(uri);
    }
    return it == ids_.end() ? nullptr : &it->second;
  }

  void index(const json& schema, const std::string& where, const std::string& base) {
    if (!schema.is_object()) return;
    const std::string scope = scope_of(schema, base);
    if (scope != base) ids_.emplace(scope, where);
    for_each_subschema(schema, where, [&](const json& sub, const std::string& pointer) { index(sub, pointer, scope); });
  }

  // The base URI that the schema at `pointer` resolves its own $id against, for $ref targets
  // reached by pointer rather than by descent.
  std::string base_at(const std::string& pointer) const {
    const json* at = &root_;
    std::string scope;
    for (const std::string& token : pointer_tokens(pointer)) {
      scope = scope_of(*at, scope);
      if (at->is_object() && at->contains(token)) {
        at = &(*at)[token];
        continue;
      }
      std::size_t position = 0;
      const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), position);
      if (!at->is_array() || error != std::errc() || end != token.data() + token.size() || position >= at->size()) {
        break;
      }
      at = &(*at)[position];
    }
    return scope;
  }

  int resolve_ref(const std::string& ref, const std::string& base, const std::string& where) {
    const std::string uri = resolve_uri(base, ref);
    const std::size_t hash = uri.find('#');
    const std::string document = uri.substr(0, hash);
    const std::string fragment = hash == std::string::npos ? "" : percent_decode(uri.substr(hash + 1));
    std::string target;
    if (fragment.empty() || fragment[0] == '/') {
      const std::string* at = find_id(document);
      if (!at) fail(where, "unsupported remote $ref '" + ref + "' (only references within the same document work)");
      target = *at + fragment;
    } else {
      const std::string* at = find_id(document + "#" + fragment);
      if (!at) fail(where, "$ref '" + ref + "' names no schema in this document");
      target = *at;
    }
    const json* value = nullptr;
    try {
      value = &root_.at(json::json_pointer(target));
    } catch (const json::exception&) {
      fail(where, "$ref '" + ref + "' points to nothing");
    }
    return compile(*value, target, base_at(target));
  }

  static std::uint64_t count(const json& v, const std::string& where) {
    if (!v.is_number() || !is_integral(v) || compare_numbers(v, json(0)) < 0) {
      fail(where, "must be a non-negative integer");
    }
    return static_cast<std::uint64_t>(v.get<double>() >= 1.8e19 ? UINT64_MAX : v.get<std::uint64_t>());
  }

  static json number(const json& v, const std::string& where) {
    if (!v.is_number()) fail(where, "must be a number");
    return v;
  }

  static std::vector<std::string> strings(const json& v, const std::string& where) {
    if (!v.is_array()) fail(where, "must be an array of strings");
    std::vector<std::string> out;
    for (const json& item : v) {
      if (!item.is_string()) fail(where, "must be an array of strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  static Regex regex(const std::string& source, const std::string& where) {
    auto compiled = Regex::compile(source);
    if (!compiled) fail(where, "invalid pattern: " + compiled.error());
    return std::move(*compiled);
  }

  std::vector<int> schema_list(const json& v, const std::string& where, const std::string& scope) {
    if (!v.is_array() || v.empty()) fail(where, "must be a non-empty array of schemas");
    std::vector<int> out;
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(compile(v[i], where + "/" + std::to_string(i), scope));
    return out;
  }

  int compile(const json& schema, const std::string& where, const std::string& base) {
    if (const auto it = by_pointer_.find(where); it != by_pointer_.end()) return it->second;
    const int id = static_cast<int>(nodes_.size());
    by_pointer_.emplace(where, id);
    nodes_.emplace_back();
    nodes_.back().where = where;
    sources_.push_back({&schema, base});
    built_.push_back(false);
    if (!lazy_) build(id);
    return id;
  }

  void build(int id) {
    const auto index = static_cast<std::size_t>(id);
    built_[index] = true;
    const json& schema = *sources_[index].schema;
    const std::string base = sources_[index].base;
    const std::string where = nodes_[index].where;
    // Built aside, then moved into its place.
    SchemaNode node;
    node.where = where;
    if (schema.is_boolean()) {
      node.boolean = schema.get<bool>();
      nodes_[index] = std::move(node);
      return;
    }
    if (!schema.is_object()) fail(where, "a schema must be an object or a boolean");
    const std::string scope = scope_of(schema, base);
    const auto at = [&](const char* keyword) { return where + "/" + keyword; };
    const auto sub = [&](const char* keyword) { return compile(schema[keyword], at(keyword), scope); };
    // A schema has a few of the forty keywords: its own keys are listed once, so testing for
    // each keyword compares lengths instead of looking it up in the object's map.
    std::vector<std::string_view> keys;
    keys.reserve(schema.size());
    for (auto it = schema.begin(); it != schema.end(); ++it) keys.emplace_back(it.key());
    const auto has = [&](std::string_view keyword) { return std::find(keys.begin(), keys.end(), keyword) != keys.end(); };
    const auto find = [&](const char* keyword) { return has(keyword) ? schema.find(keyword) : schema.end(); };

    if (const auto it = find("errorMessage"); it != schema.end()) {
      if (!it->is_string()) fail(at("errorMessage"), "must be a string");
      node.error_message = it->get<std::string>();
    }
    if (const auto it = find("expressions"); it != schema.end()) {
      if (!it->is_boolean()) fail(at("expressions"), "must be a boolean");
      node.expressions = it->get<bool>();
    }
    if (const auto it = find("scalarsAsStrings"); it != schema.end()) {
      if (!it->is_boolean()) fail(at("scalarsAsStrings"), "must be a boolean");
      node.scalars_as_strings = it->get<bool>();
    }
    if (const auto it = find("$ref"); it != schema.end()) {
      if (!it->is_string()) fail(at("$ref"), "must be a string");
      node.ref = resolve_ref(it->get<std::string>(), scope, at("$ref"));
      nodes_[index] = std::move(node);
      return;
    }

    if (const auto it = find("type"); it != schema.end()) {
      const json names = it->is_array() ? *it : json::array({*it});
      for (const json& name : names) {
        const auto type = name.is_string() ? type_from_name(name.get<std::string>()) : std::nullopt;
        if (!type) fail(at("type"), "unknown type " + util::dump(name));
        node.types.push_back(*type);
      }
    }
    if (has("const")) node.const_value = schema["const"];
    if (const auto it = find("enum"); it != schema.end()) {
      if (!it->is_array()) fail(at("enum"), "must be an array");
      node.enum_values = it->get<std::vector<json>>();
    }

    if (const auto it = find("properties"); it != schema.end()) {
      if (!it->is_object()) fail(at("properties"), "must be an object");
      for (const auto& [name, value] : it->items()) {
        std::string pointer = at("properties");
        append_token(pointer, name);
        node.properties.emplace(name, compile(value, pointer, scope));
      }
    }
    if (const auto it = find("patternProperties"); it != schema.end()) {
      if (!it->is_object()) fail(at("patternProperties"), "must be an object");
      for (const auto& [source, value] : it->items()) {
        std::string pointer = at("patternProperties");
        append_token(pointer, source);
        Regex compiled = regex(source, pointer);
        node.pattern_properties.push_back({source, std::move(compiled), compile(value, pointer, scope)});
      }
    }
    if (has("additionalProperties")) node.additional_properties = sub("additionalProperties");
    if (has("required")) node.required = strings(schema["required"], at("required"));
    if (has("propertyNames")) node.property_names = sub("propertyNames");
    if (has("minProperties")) node.min_properties = count(schema["minProperties"], at("minProperties"));
    if (has("maxProperties")) node.max_properties = count(schema["maxProperties"], at("maxProperties"));
    if (const auto it = find("dependencies"); it != schema.end()) {
      if (!it->is_object()) fail(at("dependencies"), "must be an object");
      for (const auto& [key, value] : it->items()) {
        std::string pointer = at("dependencies");
        append_token(pointer, key);
        Dependency dependency{key, {}, -1};
        if (value.is_array()) {
          dependency.required = strings(value, pointer);
        } else {
          dependency.schema = compile(value, pointer, scope);
        }
        node.dependencies.push_back(std::move(dependency));
      }
    }

    if (const auto it = find("items"); it != schema.end()) {
      if (it->is_array()) {
        node.tuple_items = schema_list(*it, at("items"), scope);
      } else {
        node.items = sub("items");
      }
    }
    if (has("additionalItems")) node.additional_items = sub("additionalItems");
    if (has("minItems")) node.min_items = count(schema["minItems"], at("minItems"));
    if (has("maxItems")) node.max_items = count(schema["maxItems"], at("maxItems"));
    if (const auto it = find("uniqueItems"); it != schema.end()) {
      if (!it->is_boolean()) fail(at("uniqueItems"), "must be a boolean");
      node.unique_items = it->get<bool>();
    }
    if (has("contains")) node.contains = sub("contains");

    if (has("minLength")) node.min_length = count(schema["minLength"], at("minLength"));
    if (has("maxLength")) node.max_length = count(schema["maxLength"], at("maxLength"));
    if (const auto it = find("pattern"); it != schema.end()) {
      if (!it->is_string()) fail(at("pattern"), "must be a string");
      node.pattern = Pattern{it->get<std::string>(), regex(it->get<std::string>(), at("pattern")), -1};
    }

    if (has("minimum")) node.minimum = number(schema["minimum"], at("minimum"));
    if (has("maximum")) node.maximum = number(schema["maximum"], at("maximum"));
    if (has("exclusiveMinimum")) {
      node.exclusive_minimum = number(schema["exclusiveMinimum"], at("exclusiveMinimum"));
    }
    if (has("exclusiveMaximum")) {
      node.exclusive_maximum = number(schema["exclusiveMaximum"], at("exclusiveMaximum"));
    }
    if (has("multipleOf")) {
      node.multiple_of = number(schema["multipleOf"], at("multipleOf"));
      if (compare_numbers(*node.multiple_of, json(0)) <= 0) fail(at("multipleOf"), "must be greater than 0");
    }

    if (has("allOf")) node.all_of = schema_list(schema["allOf"], at("allOf"), scope);
    if (has("anyOf")) node.any_of = schema_list(schema["anyOf"], at("anyOf"), scope);
    if (has("oneOf")) node.one_of = schema_list(schema["oneOf"], at("oneOf"), scope);
    if (has("not")) node.not_schema = sub("not");
    if (has("if")) node.if_schema = sub("if");
    if (has("then")) node.then_schema = sub("then");
    if (has("else")) node.else_schema = sub("else");

    // Unreferenced definitions are compiled too, so their mistakes surface now rather than never.
    if (const auto it = find("definitions"); it != schema.end()) {
      if (!it->is_object()) fail(at("definitions"), "must be an object");
      for (const auto& [name, value] : it->items()) {
        std::string pointer = at("definitions");
        append_token(pointer, name);
        compile(value, pointer, scope);
      }
    }

    nodes_[index] = std::move(node);
  }

  // Subschemas applied to the same value as their parent: a cycle among these never terminates.
  static std::vector<int> same_value_edges(const SchemaNode& n) {
    std::vector<int> edges{n.ref, n.not_schema, n.if_schema, n.then_schema, n.else_schema};
    edges.insert(edges.end(), n.all_of.begin(), n.all_of.end());
    edges.insert(edges.end(), n.any_of.begin(), n.any_of.end());
    edges.insert(edges.end(), n.one_of.begin(), n.one_of.end());
    for (const Dependency& d : n.dependencies) edges.push_back(d.schema);
    std::erase(edges, -1);
    return edges;
  }

  void reject_cycles() const {
    enum class Mark : std::uint8_t { unseen, open, done };
    std::vector<Mark> marks(nodes_.size(), Mark::unseen);
    for (std::size_t start = 0; start < nodes_.size(); ++start) {
      if (marks[start] != Mark::unseen) continue;
      std::vector<std::pair<int, std::vector<int>>> stack;  // node, edges still to follow
      marks[start] = Mark::open;
      stack.emplace_back(static_cast<int>(start), same_value_edges(nodes_[start]));
      while (!stack.empty()) {
        auto& [node, edges] = stack.back();
        if (edges.empty()) {
          marks[static_cast<std::size_t>(node)] = Mark::done;
          stack.pop_back();
          continue;
        }
        const int next = edges.back();
        edges.pop_back();
        const auto index = static_cast<std::size_t>(next);
        if (marks[index] == Mark::open) {
          fail(nodes_[index].where, "circular $ref that never moves into the instance");
        }
        if (marks[index] == Mark::unseen) {
          marks[index] = Mark::open;
          stack.emplace_back(next, same_value_edges(nodes_[index]));
        }
      }
    }
  }

  struct Source {
    const json* schema;  // inside root_
    std::string base;    // the URI its $id and $ref resolve against
  };
  json root_;
  bool lazy_;
  std::deque<SchemaNode> nodes_;
  std::vector<Source> sources_;  // by node
  std::vector<bool> built_;      // by node
  std::unordered_map<std::string, int> by_pointer_;
  std::map<std::string, std::string> ids_;  // absolute URI (or URI#name) → schema pointer
  bool indexed_ = false;                    // ids_ holds every $id of the document
};

using detail::Compiler;

namespace {

/// A SchemaError plus, for type mismatches, the expected types, so anyOf can merge them.
struct Issue {
  std::string pointer;
  std::string message;
  std::vector<JsonType> expected;
};

/// Walks one instance against the node table. Every check takes `out`: when null, only validity
/// is wanted and the walk stops at the first failure; otherwise every issue is recorded.
class Validator {
public:
  explicit Validator(Compiler& nodes) : nodes_(nodes) {}

  bool check(int id, const json& value, std::string& pointer, std::vector<Issue>* out) {
    const SchemaNode& s = node(id);
    if (s.boolean) {
      if (!*s.boolean) report(out, pointer, "not allowed");
      return *s.boolean;
    }
    if (depth_ >= kMaxDepth) {
      report(out, pointer, "nested too deeply to validate");
      return false;
    }
    // The extensions hold for this value and everything inside it, until a deeper node says otherwise.
    const Scope scope(*this, s);
    if (expressions_ && value.is_string() && value.get_ref<const std::string&>().find("${{") != std::string::npos) {
      if (*expressions_) return true;
      report(out, pointer, "a ${{ }} expression is not allowed here: GitHub evaluates none in this key");
      return false;
    }
    ++depth_;
    bool ok = false;
    if (s.error_message && out) {
      std::vector<Issue> inner;
      ok = check_keywords(s, value, pointer, &inner);
      // A replaced type mismatch stays one, so anyOf can still merge it with its siblings.
      if (!ok) {
        report(out, pointer, *s.error_message,
               type_only(inner, pointer) ? merged_types(inner) : std::vector<JsonType>{});
      }
    } else {
      ok = check_keywords(s, value, pointer, out);
    }
    --depth_;
    return ok;
  }

private:
  const SchemaNode& node(int id) const { return nodes_.node(id); }

  /// Sets the extension state a node declares, and restores the outer state when it ends.
  class Scope {
  public:
    // A `$ref` and its target apply to one value, so the nearest declaration along the chain holds.
    Scope(Validator& v, const SchemaNode& s)
        : v_(v), expressions_(v.expressions_), scalars_as_strings_(v.scalars_as_strings_) {
      std::optional<bool> expressions;
      std::optional<bool> scalars;
      for (const SchemaNode* n = &s;; n = &v.node(n->ref)) {
        if (!expressions) expressions = n->expressions;
        if (!scalars) scalars = n->scalars_as_strings;
        if (n->ref < 0 || n->boolean) break;
      }
      if (expressions) v.expressions_ = expressions;
      if (scalars) v.scalars_as_strings_ = *scalars;
    }
    ~Scope() {
      v_.expressions_ = expressions_;
      v_.scalars_as_strings_ = scalars_as_strings_;
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

  private:
    Validator& v_;
    std::optional<bool> expressions_;
    bool scalars_as_strings_;
  };

  // How GitHub writes a scalar it reads as a string: null as '', true/false, numbers as written.
  static json as_string(const json& v) {
    if (v.is_null()) return json("");
    if (v.is_boolean()) return json(v.get<bool>() ? "true" : "false");
    return json(util::dump(v));
  }

  static void report(std::vector<Issue>* out, const std::string& pointer, std::string message,
                     std::vector<JsonType> expected = {}) {
    if (out) out->push_back({pointer, std::move(message), std::move(expected)});
  }

  // True when the only complaint is that the value itself has the wrong type.
  static bool type_only(const std::vector<Issue>& issues, const std::string& pointer) {
    return !issues.empty() && std::all_of(issues.begin(), issues.end(),
                                          [&](const Issue& i) { return !i.expected.empty() && i.pointer == pointer; });
  }

  static std::vector<JsonType> merged_types(const std::vector<Issue>& issues) {
    std::vector<JsonType> types;
    for (const Issue& i : issues) {
      for (const JsonType t : i.expected) {
        if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
      }
    }
    return types;
  }

  static std::string type_message(const std::vector<JsonType>& expected, const json& value) {
    std::vector<std::string> names;
    for (const JsonType t : expected) names.emplace_back(type_name(t));
    return "expected " + join_with_or(names) + ", got " + std::string(instance_type_name(value));
  }

  bool check_keywords(const SchemaNode& s, const json& value, std::string& pointer, std::vector<Issue>* out) {
    if (s.ref >= 0) return check(s.ref, value, pointer, out);
    if (!s.types.empty() &&
        std::none_of(s.types.begin(), s.types.end(), [&](JsonType t) { return has_type(value, t); })) {
      const bool takes_string = std::find(s.types.begin(), s.types.end(), JsonType::string) != s.types.end();
      if (scalars_as_strings_ && takes_string && value.is_primitive() && !value.is_string()) {
        return check_keywords(s, as_string(value), pointer, out);
      }
      // The remaining keywords would only restate the mismatch.
      report(out, pointer, type_message(s.types, value), s.types);
      return false;
    }
    bool ok = true;
    // Notes a failed group of checks; false means stop, which only happens when nobody wants details.
    const auto keep_going = [&](bool passed) {
      ok = ok && passed;
      return passed || out != nullptr;
    };
    if (s.const_value && *s.const_value != value) {
      report(out, pointer, "expected " + value_text(*s.const_value));
      if (!keep_going(false)) return false;
    }
    if (s.enum_values && std::find(s.enum_values->begin(), s.enum_values->end(), value) == s.enum_values->end()) {
      report(out, pointer, enum_message(*s.enum_values));
      if (!keep_going(false)) return false;
    }
    if (value.is_object() && !keep_going(check_object(s, value, pointer, out))) return false;
    if (value.is_array() && !keep_going(check_array(s, value, pointer, out))) return false;
    if (value.is_string() && !keep_going(check_string(s, value.get_ref<const std::string&>(), pointer, out))) {
      return false;
    }
    if (value.is_number() && !keep_going(check_number(s, value, pointer, out))) return false;
    keep_going(check_combinators(s, value, pointer, out));
    return ok;
  }

  static std::string enum_message(const std::vector<json>& values) {
    if (values.size() == 1) return "expected " + value_text(values.front());
    std::vector<std::string> texts;
    for (const json& v : values) texts.push_back(value_text(v));
    return "expected one of: " + util::join(texts, ", ");
  }

  bool check_object(const SchemaNode& s, const json& object, std::string& pointer, std::vector<Issue>* out) {
    bool ok = true;
    for (const std::string& key : s.required) {
      if (object.contains(key)) continue;
      if (!out) return false;
      ok = false;
      report(out, pointer, "missing required key '" + key + "'");
    }
    if (s.min_properties && object.size() < *s.min_properties) {
      if (!out) return false;
      ok = false;
      report(out, pointer, "must have at least " + plural(*s.min_properties, "property", "properties"));
    }
    if (s.max_properties && object.size() > *s.max_properties) {
      if (!out) return false;
      ok = false;
      report(out, pointer, "must have at most " + plural(*s.max_properties, "property", "properties"));
    }
    for (const Dependency& d : s.dependencies) {
      if (!object.contains(d.key)) continue;
      for (const std::string& key : d.required) {
        if (object.contains(key)) continue;
        if (!out) return false;
        ok = false;
        report(out, pointer, "missing key '" + key + "' (required when '" + d.key + "' is present)");
      }
      if (d.schema >= 0 && !check(d.schema, object, pointer, out)) {
        if (!out) return false;
        ok = false;
      }
    }
    const std::size_t length = pointer.size();
    for (const auto& [key, value] : object.items()) {
      append_token(pointer, key);
      const bool passed = check_property(s, key, value, pointer, out);
      pointer.resize(length);
      if (!passed) {
        if (!out) return false;
        ok = false;
      }
    }
    return ok;
  }

  // `pointer` already names the property.
  bool check_property(const SchemaNode& s, const std::string& key, const json& value, std::string& pointer,
                      std::vector<Issue>* out) {
    bool ok = true;
    bool covered = false;
    if (s.property_names >= 0) {
      std::vector<Issue> name_issues;
      if (!check(s.property_names, json(key), pointer, out ? &name_issues : nullptr)) {
        if (!out) return false;
        ok = false;
        for (Issue& i : name_issues) report(out, i.pointer, "invalid key name: " + i.message);
      }
    }
    if (const auto it = s.properties.find(key); it != s.properties.end()) {
      covered = true;
      if (!check(it->second, value, pointer, out)) {
        if (!out) return false;
        ok = false;
      }
    }
    for (const Pattern& p : s.pattern_properties) {
      if (!p.regex.search(key)) continue;
      covered = true;
      if (!check(p.schema, value, pointer, out)) {
        if (!out) return false;
        ok = false;
      }
    }
    if (covered || s.additional_properties < 0) return ok;
    if (node(s.additional_properties).boolean == false) {
      report(out, pointer, unknown_key_message(s, key));
      return false;
    }
    return check(s.additional_properties, value, pointer, out) && ok;
  }

  std::string unknown_key_message(const SchemaNode& s, const std::string& key) const {
    std::vector<std::string> names;  // std::map keeps them sorted
    for (const auto& [name, id] : s.properties) {
      if (node(id).boolean != false) names.push_back(name);
    }
    if (names.empty()) return "unknown key";
    const auto folded = [](std::string_view text) {
      std::string out = util::to_lower(text);
      std::replace(out.begin(), out.end(), '_', '-');
      return out;
    };
    const std::string* best = nullptr;
    std::size_t best_distance = 3;
    for (const std::string& name : names) {
      if (folded(name) == folded(key)) return "unknown key (did you mean " + name + "?)";
      const std::size_t distance = util::edit_distance(name, key);
      if (distance < best_distance) {
        best = &name;
        best_distance = distance;
      }
    }
    // A one- or two-letter key is within distance 2 of everything; only suggest real near-misses.
    if (best && best_distance < key.size()) return "unknown key (did you mean " + *best + "?)";
    return "unknown key (expected one of: " + util::join(names, ", ") + ")";
  }

  // (index, index of its first equal item) for every item equal to an earlier one, by index.
  // Sorting indices by value keeps this O(n log n): 20,000 items compared pairwise took minutes.
  // nlohmann's < orders numbers by value across integer and float, as == compares them.
  static std::vector<std::pair<std::size_t, std::size_t>> duplicates(const json& array) {
    std::vector<std::size_t> order(array.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return array[a] < array[b]; });
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t k = 1, first = 0; k < order.size(); ++k) {
      if (array[order[k]] == array[order[first]]) out.emplace_back(order[k], order[first]);
      else first = k;
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  bool check_array(const SchemaNode& s, const json& array, std::string& pointer, std::vector<Issue>* out) {
    bool ok = true;
    const auto fail = [&](std::string message) {
      ok = false;
      report(out, pointer, std::move(message));
      return out != nullptr;
    };
    if (s.min_items && array.size() < *s.min_items &&
        !fail("must have at least " + plural(*s.min_items, "item", "items"))) {
      return false;
    }
    if (s.max_items && array.size() > *s.max_items &&
        !fail("must have at most " + plural(*s.max_items, "item", "items"))) {
      return false;
    }
    const std::size_t length = pointer.size();
    const auto element = [&](std::size_t i, int id) {
      append_token(pointer, std::to_string(i));
      const bool passed = check(id, array[i], pointer, out);
      pointer.resize(length);
      ok = ok && passed;
      return passed || out != nullptr;
    };
    if (s.unique_items) {
      for (const auto& [item, first] : duplicates(array)) {
        if (!out) return false;
        ok = false;
        append_token(pointer, std::to_string(item));
        report(out, pointer, "duplicate of item " + std::to_string(first) + " (items must be unique)");
        pointer.resize(length);
      }
    }
    if (s.tuple_items) {
      const std::vector<int>& tuple = *s.tuple_items;
      for (std::size_t i = 0; i < std::min(tuple.size(), array.size()); ++i) {
        if (!element(i, tuple[i])) return false;
      }
      if (s.additional_items >= 0 && array.size() > tuple.size()) {
        if (node(s.additional_items).boolean == false) {
          ok = false;
          append_token(pointer, std::to_string(tuple.size()));
          report(out, pointer, "unexpected item (at most " + plural(tuple.size(), "item", "items") + " allowed)");
          pointer.resize(length);
          if (!out) return false;
        } else {
          for (std::size_t i = tuple.size(); i < array.size(); ++i) {
            if (!element(i, s.additional_items)) return false;
          }
        }
      }
    } else if (s.items >= 0) {
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (!element(i, s.items)) return false;
      }
    }
    if (s.contains >= 0) {
      bool found = false;
      for (std::size_t i = 0; i < array.size() && !found; ++i) {
        append_token(pointer, std::to_string(i));
        found = check(s.contains, array[i], pointer, nullptr);
        pointer.resize(length);
      }
      if (!found && !fail("must contain an item that matches the 'contains' schema")) return false;
    }
    return ok;
  }

  static bool check_string(const SchemaNode& s, const std::string& text, const std::string& pointer,
                           std::vector<Issue>* out) {
    bool ok = true;
    const auto fail = [&](std::string message) {
      ok = false;
      report(out, pointer, std::move(message));
      return out != nullptr;
    };
    if (s.min_length || s.max_length) {
      const std::size_t length = code_points(text);
      if (s.min_length && length < *s.min_length &&
          !fail("must be at least " + plural(*s.min_length, "character", "characters") + " long")) {
        return false;
      }
      if (s.max_length && length > *s.max_length &&
          !fail("must be at most " + plural(*s.max_length, "character", "characters") + " long")) {
        return false;
      }
    }
    if (s.pattern && !s.pattern->regex.search(text) &&
        !fail("'" + shorten(text) + "' does not match pattern " + s.pattern->source)) {
      return false;
    }
    return ok;
  }

  static bool check_number(const SchemaNode& s, const json& number, const std::string& pointer,
                           std::vector<Issue>* out) {
    bool ok = true;
    const auto fail = [&](std::string message) {
      ok = false;
      report(out, pointer, std::move(message));
      return out != nullptr;
    };
    if (s.minimum && compare_numbers(number, *s.minimum) < 0 && !fail("must be at least " + s.minimum->dump())) {
      return false;
    }
    if (s.maximum && compare_numbers(number, *s.maximum) > 0 && !fail("must be at most " + s.maximum->dump())) {
      return false;
    }
    if (s.exclusive_minimum && compare_numbers(number, *s.exclusive_minimum) <= 0 &&
        !fail("must be greater than " + s.exclusive_minimum->dump())) {
      return false;
    }
    if (s.exclusive_maximum && compare_numbers(number, *s.exclusive_maximum) >= 0 &&
        !fail("must be less than " + s.exclusive_maximum->dump())) {
      return false;
    }
    if (s.multiple_of && !is_multiple_of(number, *s.multiple_of) &&
        !fail("must be a multiple of " + s.multiple_of->dump())) {
      return false;
    }
    return ok;
  }

  bool check_combinators(const SchemaNode& s, const json& value, std::string& pointer, std::vector<Issue>* out) {
    bool ok = true;
    for (const int id : s.all_of) {
      if (check(id, value, pointer, out)) continue;
      if (!out) return false;
      ok = false;
    }
    if (!s.any_of.empty()) {
      const bool any =
          std::any_of(s.any_of.begin(), s.any_of.end(), [&](int id) { return check(id, value, pointer, nullptr); });
      if (!any) {
        if (!out) return false;
        ok = false;
        report_alternatives(s.any_of, value, pointer, *out);
      }
    }
    if (!s.one_of.empty()) {
      std::size_t matches = 0;
      for (const int id : s.one_of) {
        if (check(id, value, pointer, nullptr) && ++matches > 1) break;
      }
      if (matches != 1) {
        if (!out) return false;
        ok = false;
        if (matches > 1) {
          report(out, pointer, "matches more than one alternative");
        } else {
          report_alternatives(s.one_of, value, pointer, *out);
        }
      }
    }
    if (s.not_schema >= 0 && check(s.not_schema, value, pointer, nullptr)) {
      if (!out) return false;
      ok = false;
      report(out, pointer, "must not match the 'not' schema");
    }
    if (s.if_schema >= 0) {
      const int branch = check(s.if_schema, value, pointer, nullptr) ? s.then_schema : s.else_schema;
      if (branch >= 0 && !check(branch, value, pointer, out)) {
        if (!out) return false;
        ok = false;
      }
    }
    return ok;
  }

  // Every alternative failed. Listing all of their errors buries the useful one, so report the
  // alternative that got furthest into the value; if all failed on type alone, merge the types.
  void report_alternatives(const std::vector<int>& alternatives, const json& value, std::string& pointer,
                           std::vector<Issue>& out) {
    std::vector<std::vector<Issue>> failures(alternatives.size());
    for (std::size_t i = 0; i < alternatives.size(); ++i) check(alternatives[i], value, pointer, &failures[i]);
    const std::vector<Issue>* best = nullptr;
    std::size_t best_depth = 0;
    std::vector<Issue> type_failures;
    for (const std::vector<Issue>& issues : failures) {
      if (type_only(issues, pointer)) {
        type_failures.insert(type_failures.end(), issues.begin(), issues.end());
        continue;
      }
      std::size_t depth = 0;
      for (const Issue& i : issues) {
        depth = std::max<std::size_t>(depth, std::count(i.pointer.begin(), i.pointer.end(), '/'));
      }
      if (!best || depth > best_depth || (depth == best_depth && issues.size() < best->size())) {
        best = &issues;
        best_depth = depth;
      }
    }
    if (best) {
      out.insert(out.end(), best->begin(), best->end());
      return;
    }
    const std::vector<JsonType> expected = merged_types(type_failures);
    out.push_back({pointer, type_message(expected, value), expected});
  }

  Compiler& nodes_;
  int depth_ = 0;
  std::optional<bool> expressions_;  // unset: `${{` is an ordinary string
  bool scalars_as_strings_ = false;
};

}  // namespace

std::expected<Schema, std::string> Schema::compile(json schema_document) {
  try {
    return Schema(std::make_shared<Compiler>(std::move(schema_document), false));
  } catch (const CompileError& e) {
    return std::unexpected(e.message);
  }
}

Schema Schema::compile_lazily(json schema_document) {
  return Schema(std::make_shared<Compiler>(std::move(schema_document), true));
}

std::vector<SchemaError> Schema::validate(const json& instance) const {
  std::vector<Issue> issues;
  std::string pointer;
  Validator(*nodes_).check(0, instance, pointer, &issues);
  std::vector<SchemaError> errors;
  errors.reserve(issues.size());
  for (Issue& i : issues) errors.push_back({std::move(i.pointer), std::move(i.message)});
  return errors;
}

}  // namespace forgeline::schema
