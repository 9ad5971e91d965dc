#include "expr/evaluate.hpp"
#include "util/json_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include <fmt/format.h>

namespace forgeline::expr {

namespace {

using nlohmann::json;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// A number as a value: integral numbers stay integers, so toJSON(3) is 3, not 3.0.
Value number_value(double d) {
  if (std::floor(d) == d && std::fabs(d) < 9007199254740992.0) return Value(static_cast<std::int64_t>(d));
  return Value(d);
}

bool primitive(const Value& v) { return !v.is_array() && !v.is_object(); }

/// GitHub matches object keys ignoring case; an exact match wins.
const Value* member(const Value& object, std::string_view key) {
  if (auto it = object.find(key); it != object.end()) return &*it;
  const std::string wanted = lower(key);
  for (auto it = object.begin(); it != object.end(); ++it)
    if (lower(it.key()) == wanted) return &*it;
  return nullptr;
}

/// A value during evaluation: a filter (`.*`, `[*]`) yields an array whose further accesses
/// apply to each element (GitHub's FilteredArray), unlike a plain array.
struct Result {
  Value value;
  bool filtered = false;
};

/// The index of an access: `*`, a property name, or an array position.
struct Index {
  bool star = false;
  std::optional<std::string> key;
  std::optional<std::size_t> position;
};

Index index_of(const Value& v) {
  Index idx;
  if (v.is_string()) {
    idx.key = v.get<std::string>();
  } else if (v.is_number()) {
    const double d = v.get<double>();
    if (d >= 0 && std::floor(d) == d && d < 4e9) idx.position = static_cast<std::size_t>(d);
  }
  return idx;
}

Result access(const Result& base, const Index& idx) {
  const Value& v = base.value;
  if (base.filtered) {
    Value out = Value::array();
    for (const auto& item : v) {
      if (item.is_object()) {
        if (idx.star) {
          for (const auto& x : item) out.push_back(x);
        } else if (idx.key) {
          if (const Value* m = member(item, *idx.key)) out.push_back(*m);
        }
      } else if (item.is_array()) {
        if (idx.star) {
          for (const auto& x : item) out.push_back(x);
        } else if (idx.position && *idx.position < item.size()) {
          out.push_back(item[*idx.position]);
        }
      }
    }
    return {std::move(out), true};
  }
  if (v.is_array()) {
    if (idx.star) return {v, true};
    if (idx.position && *idx.position < v.size()) return {v[*idx.position], false};
    return {Value(nullptr), false};
  }
  if (v.is_object()) {
    if (idx.star) {
      Value out = Value::array();
      for (const auto& x : v) out.push_back(x);
      return {std::move(out), true};
    }
    if (idx.key)
      if (const Value* m = member(v, *idx.key)) return {*m, false};
    return {Value(nullptr), false};
  }
  if (idx.star) return {Value::array(), true};
  return {Value(nullptr), false};
}

/// Brings two values to one type for comparison, as GitHub does: number/string pairs compare
/// as numbers, null and booleans become numbers; arrays and objects are not converted.
std::pair<Value, Value> coerce(Value l, Value r) {
  auto kind = [](const Value& v) {
    if (v.is_null()) return 0;
    if (v.is_boolean()) return 1;
    if (v.is_number()) return 2;
    if (v.is_string()) return 3;
    if (v.is_array()) return 4;
    return 5;
  };
  if (kind(l) == kind(r)) return {l, r};
  if (kind(l) == 2 && kind(r) == 3) return {l, Value(to_number(r))};
  if (kind(l) == 3 && kind(r) == 2) return {Value(to_number(l)), r};
  if (kind(l) <= 1) return coerce(Value(to_number(l)), r);
  if (kind(r) <= 1) return coerce(l, Value(to_number(r)));
  return {l, r};
}

int compare_kind(const Value& l, const Value& r, bool& comparable) {
  comparable = true;
  if (l.is_number() && r.is_number()) {
    const double a = l.get<double>(), b = r.get<double>();
    if (std::isnan(a) || std::isnan(b)) {
      comparable = false;
      return 0;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (l.is_string() && r.is_string()) {
    const std::string a = upper(l.get<std::string>()), b = upper(r.get<std::string>());
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (l.is_boolean() && r.is_boolean()) return static_cast<int>(l.get<bool>()) - static_cast<int>(r.get<bool>());
  comparable = false;
  return 0;
}

bool less_than(const Value& a, const Value& b) {
  auto [l, r] = coerce(a, b);
  bool ok = false;
  const int c = compare_kind(l, r, ok);
  return ok && c < 0;
}

bool greater_than(const Value& a, const Value& b) {
  auto [l, r] = coerce(a, b);
  bool ok = false;
  const int c = compare_kind(l, r, ok);
  return ok && c > 0;
}

/// format('{0} and {{literal}}', x): `{N}` is argument N, doubled braces are literal braces.
std::expected<std::string, std::string> format_string(const std::string& fs, const std::vector<Value>& args) {
  std::string out;
  std::size_t i = 0;
  const auto invalid = [&] { return std::unexpected(fmt::format("the format string is invalid: {}", fs)); };
  while (i < fs.size()) {
    const char c = fs[i];
    if (c == '{') {
      if (i + 1 < fs.size() && fs[i + 1] == '{') {
        out += '{';
        i += 2;
        continue;
      }
      std::size_t j = i + 1;
      while (j < fs.size() && std::isdigit(static_cast<unsigned char>(fs[j]))) ++j;
      if (j == i + 1 || j >= fs.size() || fs[j] != '}') return invalid();
      std::size_t n = 0;
      std::from_chars(fs.data() + i + 1, fs.data() + j, n);
      if (n + 1 >= args.size())
        return std::unexpected(fmt::format("the format string references more arguments than were supplied: {}", fs));
      out += to_string(args[n + 1]);
      i = j + 1;
    } else if (c == '}') {
      if (i + 1 < fs.size() && fs[i + 1] == '}') {
        out += '}';
        i += 2;
        continue;
      }
      return invalid();
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

/// A function's argument count bounds (GitHub's documented functions).
struct Arity {
  std::string_view name;
  std::size_t min, max;
};
constexpr Arity functions[] = {
    {"contains", 2, 2},  {"startswith", 2, 2}, {"endswith", 2, 2}, {"format", 1, 255},
    {"join", 1, 2},      {"tojson", 1, 1},     {"fromjson", 1, 1},  {"hashfiles", 1, 255},
    {"success", 0, 0},   {"always", 0, 0},     {"cancelled", 0, 0}, {"failure", 0, 0},
    {"case", 3, 255},
};

/// What success() means, and what a condition without a status function requires.
bool succeeded(const Scope& s) { return !s.failed && !s.skipped && !s.cancelled; }

bool is_status_function(std::string_view lowered) {
  return lowered == "success" || lowered == "always" || lowered == "cancelled" || lowered == "failure";
}

bool calls_status_function(const Node& n) {
  if (n.kind == Kind::call && is_status_function(lower(n.text))) return true;
  return std::any_of(n.children.begin(), n.children.end(), calls_status_function);
}

class Evaluator {
 public:
  explicit Evaluator(const Scope& scope) : scope_(scope) {}

  std::expected<Result, Error> eval(const Node& n) {
    switch (n.kind) {
      case Kind::null_literal: return Result{Value(nullptr)};
      case Kind::boolean_literal: return Result{Value(n.boolean)};
      case Kind::number_literal: return Result{number_value(n.number)};
      case Kind::string_literal: return Result{Value(n.text)};
      case Kind::context: {
        const Value* v = scope_.contexts.is_object() ? member(scope_.contexts, n.text) : nullptr;
        if (!v) return std::unexpected(Error{fmt::format("unrecognized named-value '{}'", n.text), n.offset});
        return Result{*v};
      }
      case Kind::property:
      case Kind::filter: {
        auto base = eval(n.children[0]);
        if (!base) return base;
        Index idx;
        if (n.kind == Kind::filter) idx.star = true;
        else idx.key = n.text;
        return access(*base, idx);
      }
      case Kind::index: {
        auto base = eval(n.children[0]);
        if (!base) return base;
        auto key = eval(n.children[1]);
        if (!key) return key;
        return access(*base, index_of(key->value));
      }
      case Kind::logical_not: {
        auto v = eval(n.children[0]);
        if (!v) return v;
        return Result{Value(!truthy(v->value))};
      }
      case Kind::binary: return binary(n);
      case Kind::call: return call(n);
    }
    return std::unexpected(Error{"unknown expression node", n.offset});
  }

 private:
  std::expected<Result, Error> binary(const Node& n) {
    auto left = eval(n.children[0]);
    if (!left) return left;
    // && and || return an operand, not a boolean, and stop at the first that decides.
    if (n.text == "&&") return truthy(left->value) ? eval(n.children[1]) : left;
    if (n.text == "||") return truthy(left->value) ? left : eval(n.children[1]);
    auto right = eval(n.children[1]);
    if (!right) return right;
    const Value& l = left->value;
    const Value& r = right->value;
    bool result = false;
    if (n.text == "==") result = loosely_equal(l, r);
    else if (n.text == "!=") result = !loosely_equal(l, r);
    else if (n.text == "<") result = less_than(l, r);
    else if (n.text == "<=") result = less_than(l, r) || loosely_equal(l, r);
    else if (n.text == ">") result = greater_than(l, r);
    else if (n.text == ">=") result = greater_than(l, r) || loosely_equal(l, r);
    return Result{Value(result)};
  }

  std::expected<Result, Error> call(const Node& n) {
    const std::string name = lower(n.text);
    const auto f = std::find_if(std::begin(functions), std::end(functions), [&](const Arity& a) { return a.name == name; });
    if (f == std::end(functions))
      return std::unexpected(Error{fmt::format("unrecognized function '{}'", n.text), n.offset});
    if (n.children.size() < f->min || n.children.size() > f->max)
      return std::unexpected(Error{fmt::format("{}() takes {} argument{}, not {}", n.text,
                                               f->min == f->max ? fmt::format("{}", f->min)
                                                                : fmt::format("{} to {}", f->min, f->max),
                                               f->max == 1 ? "" : "s", n.children.size()),
                                   n.offset});
    if (name == "case" && n.children.size() % 2 == 0)
      return std::unexpected(Error{"case() takes an odd number of arguments", n.offset});
    if (name == "success") return Result{Value(succeeded(scope_))};
    if (name == "failure") return Result{Value(scope_.failed)};
    if (name == "cancelled") return Result{Value(scope_.cancelled)};
    if (name == "always") return Result{Value(true)};

    std::vector<Value> args;
    for (const auto& child : n.children) {
      auto v = eval(child);
      if (!v) return v;
      args.push_back(std::move(v->value));
    }
    auto fail = [&](std::string message) { return std::unexpected(Error{std::move(message), n.offset}); };
    if (name == "contains") {
      if (primitive(args[0]) && primitive(args[1]))
        return Result{Value(upper(to_string(args[0])).find(upper(to_string(args[1]))) != std::string::npos)};
      if (args[0].is_array())
        for (const auto& item : args[0])
          if (loosely_equal(args[1], item)) return Result{Value(true)};
      return Result{Value(false)};
    }
    if (name == "startswith" || name == "endswith") {
      if (!primitive(args[0]) || !primitive(args[1])) return Result{Value(false)};
      const std::string s = upper(to_string(args[0])), p = upper(to_string(args[1]));
      const bool starts = name == "startswith";
      return Result{Value(p.size() <= s.size() &&
                          (starts ? s.compare(0, p.size(), p) == 0 : s.compare(s.size() - p.size(), p.size(), p) == 0))};
    }
    if (name == "format") {
      auto s = format_string(to_string(args[0]), args);
      if (!s) return fail(s.error());
      return Result{Value(*s)};
    }
    if (name == "join") {
      if (primitive(args[0])) return Result{Value(to_string(args[0]))};
      if (!args[0].is_array()) return Result{Value("")};
      const std::string sep = args.size() > 1 && primitive(args[1]) ? to_string(args[1]) : ",";
      std::string out;
      for (std::size_t i = 0; i < args[0].size(); ++i) out += (i ? sep : "") + to_string(args[0][i]);
      return Result{Value(out)};
    }
    if (name == "tojson") return Result{Value(util::dump(args[0], 2))};
    if (name == "fromjson") {
      const std::string text = to_string(args[0]);
      Value parsed = util::parse_or_discarded(text);
      if (parsed.is_discarded()) return fail(fmt::format("fromJSON: the argument is not valid JSON: {}", text));
      return Result{std::move(parsed)};
    }
    if (name == "hashfiles") {
      if (!scope_.hash_files) return fail("hashFiles() is not available here");
      std::vector<std::string> patterns;
      for (const auto& a : args) patterns.push_back(to_string(a));
      auto digest = scope_.hash_files(patterns);
      if (!digest) return fail(fmt::format("hashFiles: {}", digest.error()));
      return Result{Value(*digest)};
    }
    // case(pred1, value1, ..., default): the value of the first true predicate.
    for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
      if (!args[i].is_boolean()) return fail("case(): each predicate must be a boolean");
      if (args[i].get<bool>()) return Result{args[i + 1]};
    }
    return Result{args.back()};
  }

  const Scope& scope_;
};

}  // namespace

bool truthy(const Value& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) {
    const double d = v.get<double>();
    return d != 0 && !std::isnan(d);
  }
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  return true;
}

std::string to_string(const Value& v) {
  if (v.is_null()) return "";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) return "Array";
  if (v.is_object()) return "Object";
  if (v.is_number_integer()) return util::dump(v);
  const double d = v.get<double>();
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";
  // At most 15 decimals (as GitHub rounds), then the shortest text that reads back the same.
  double r = d;
  if (std::fabs(d) < 1e21) {
    char rounded[64];
    std::snprintf(rounded, sizeof rounded, "%.15f", d);
    r = std::strtod(rounded, nullptr);
  }
  char out[64];
  const auto res = std::to_chars(out, out + sizeof out, r);
  return std::string(out, res.ptr);
}

double to_number(const Value& v) {
  if (v.is_null()) return 0;
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return parse_number(v.get_ref<const std::string&>()).value_or(std::nan(""));
  return std::nan("");
}

bool loosely_equal(const Value& a, const Value& b) {
  auto [l, r] = coerce(a, b);
  if (l.is_null() && r.is_null()) return true;
  bool ok = false;
  const int c = compare_kind(l, r, ok);
  return ok && c == 0;
}

std::expected<Value, Error> evaluate(const Node& node, const Scope& scope) {
  auto r = Evaluator(scope).eval(node);
  if (!r) return std::unexpected(r.error());
  return std::move(r->value);
}

std::expected<Value, Error> evaluate(std::string_view expression, const Scope& scope) {
  auto node = parse(expression);
  if (!node) return std::unexpected(node.error());
  return evaluate(*node, scope);
}

std::expected<Value, Error> interpolate(std::string_view value, const Scope& scope) {
  auto parts = split_template(value);
  if (!parts) return std::unexpected(parts.error());
  auto eval_part = [&](const Part& p) -> std::expected<Value, Error> {
    auto v = evaluate(p.text, scope);
    if (!v) return std::unexpected(Error{v.error().message, p.offset + v.error().offset});
    return v;
  };
  if (parts->size() == 1 && parts->front().expression) return eval_part(parts->front());
  std::string out;
  for (const auto& p : *parts) {
    if (!p.expression) {
      out += p.text;
      continue;
    }
    auto v = eval_part(p);
    if (!v) return std::unexpected(v.error());
    out += to_string(*v);
  }
  return Value(out);
}

std::expected<bool, Error> condition(std::string_view text, const Scope& scope) {
  std::string_view body = text;
  std::size_t base = 0;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1), ++base;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.remove_suffix(1);
  if (body.empty()) return succeeded(scope);  // an empty if: is success()
  // `if: ${{ x }}` is x; text around `${{ }}` makes it a non-empty string, which GitHub reads as true.
  if (body.find("${{") != std::string_view::npos) {
    auto parts = split_template(body);
    if (!parts) return std::unexpected(Error{parts.error().message, base + parts.error().offset});
    if (parts->size() != 1 || !parts->front().expression) {
      auto v = interpolate(body, scope);
      if (!v) return std::unexpected(Error{v.error().message, base + v.error().offset});
      return succeeded(scope) && truthy(*v);
    }
    base += parts->front().offset;
    body = std::string_view(body).substr(parts->front().offset, parts->front().text.size());
  }
  auto node = parse(body);
  if (!node) return std::unexpected(Error{node.error().message, base + node.error().offset});
  auto v = evaluate(*node, scope);
  if (!v) return std::unexpected(Error{v.error().message, base + v.error().offset});
  if (calls_status_function(*node)) return truthy(*v);
  return succeeded(scope) && truthy(*v);
}

}  // namespace forgeline::expr
