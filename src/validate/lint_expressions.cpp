#include "validate/lint_expressions.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "util/json_text.hpp"
#include "util/strings.hpp"
#include "expr/evaluate.hpp"
#include "validate/availability.hpp"

namespace forgeline::validate {

namespace {

using expr::Kind;
using expr::Node;
using nlohmann::json;
using util::pointer_append;

// GitHub turns a value with text around its `${{ }}` into format('text{0}text', ...), a
// string, and a non-empty string is true (actions/languageservices,
// workflow-parser/src/templates/template-reader.ts, parseScalar; model/converter/if-condition.ts).
void check_condition(Linter& linter, const std::string& pointer, const json* condition) {
  if (condition && (condition->is_boolean() || condition->is_number()))
    return linter.report("if-constant", pointer,
                         fmt::format("the condition is always {}: remove the if: (or what it guards)",
                                     expr::truthy(*condition) ? "true" : "false"));
  const std::string* text = text_of(condition);
  if (!text) return;
  if (text->find("${{") == std::string::npos || (text->starts_with("${{") && text->ends_with("}}"))) {
    const std::vector<Expression> parsed = expressions_of(*text, true);
    if (parsed.size() == 1 && parsed[0].tree && parsed[0].tree->children.empty() &&
        parsed[0].tree->kind != Kind::context && parsed[0].tree->kind != Kind::call) {
      // A literal: GitHub evaluates it to the same value on every run.
      const auto value = expr::evaluate(*parsed[0].tree, expr::Scope{});
      if (value)
        linter.report("if-constant", pointer,
                      fmt::format("the condition is always {}: remove the if: (or what it guards)",
                                  expr::truthy(*value) ? "true" : "false"));
    }
  }
  const std::size_t open = text->find("${{");
  if (open == std::string::npos) return;
  const std::size_t close = text->rfind("}}");
  const bool whole = open == 0 && close != std::string::npos && close + 2 == text->size() &&
                     text->find("${{", open + 3) == std::string::npos;
  if (whole) return;
  std::string shown = *text;
  for (std::size_t at = shown.find('\n'); at != std::string::npos; at = shown.find('\n', at)) shown.replace(at, 1, "\\n");
  linter.report("if-always-true", pointer,
                fmt::format("'{}' has text around its ${{{{ }}}}, which makes it a non-empty string: the condition is "
                            "always true; write the whole condition inside one ${{{{ }}}}, or leave ${{{{ }}}} out",
                            shown));
}

// The functions every expression may call, with how many arguments (actions/languageservices,
// expressions/src/funcs.ts and funcs/*.ts).
struct Function {
  std::string_view name;  // lowercase
  std::size_t min;
  std::size_t max;
};
constexpr std::size_t kMany = 255;
constexpr std::array<Function, 8> kFunctions{
    Function{"contains", 2, 2},   Function{"startswith", 2, 2}, Function{"endswith", 2, 2},
    Function{"format", 1, kMany}, Function{"join", 1, 2},       Function{"tojson", 1, 1},
    Function{"fromjson", 1, 1},   Function{"case", 3, kMany},
};
constexpr std::array<std::string_view, 4> kStatusFunctions{"success", "failure", "cancelled", "always"};

// What an expression yields, as far as it is known without running it.
enum class Type { any, null, boolean, number, string, array, object };

std::string_view type_name(Type t) {
  switch (t) {
    case Type::any: return "value";
    case Type::null: return "null";
    case Type::boolean: return "boolean";
    case Type::number: return "number";
    case Type::string: return "string";
    case Type::array: return "array";
    case Type::object: return "object";
  }
  return "value";
}

std::string with_article(Type t) {
  const std::string_view name = type_name(t);
  return std::string(name.front() == 'a' || name.front() == 'o' ? "an " : "a ") + std::string(name);
}

bool primitive(Type t) { return t == Type::null || t == Type::boolean || t == Type::number || t == Type::string; }
bool composite(Type t) { return t == Type::array || t == Type::object; }

Type type_of_json(const json& v) {
  if (v.is_null()) return Type::null;
  if (v.is_boolean()) return Type::boolean;
  if (v.is_number()) return Type::number;
  if (v.is_string()) return Type::string;
  if (v.is_array()) return Type::array;
  return Type::object;
}

// The context path a chain of property accesses and indexes reads (lowercased; a computed or
// number index reads as any element); empty when it is no chain.
std::vector<std::string> chain_of(const Node& n) {
  std::vector<std::string> path;
  if (n.kind == Kind::context) return {util::to_lower(n.text)};
  if ((n.kind != Kind::property && n.kind != Kind::index && n.kind != Kind::filter) || n.children.empty()) return {};
  path = chain_of(n.children[0]);
  if (path.empty()) return {};
  if (n.kind == Kind::property) path.push_back(util::to_lower(n.text));
  else if (n.kind == Kind::filter) path.emplace_back("*");
  else if (n.children.size() == 2 && n.children[1].kind == Kind::string_literal)
    path.push_back(util::to_lower(n.children[1].text));
  else path.emplace_back("*");
  return path;
}

// The job-specific types: matrix keys and the workflow's inputs.
using TypeMap = std::map<std::string, Type>;

struct Types {
  TypeMap matrix;                 // lowercased key → type of all its values, when one
  const TypeMap* inputs = nullptr;  // lowercased name → declared type; the workflow's, shared by its jobs
};

// The type of a context path's prefix of `length` segments.
Type path_type(const std::vector<std::string>& s, std::size_t length, const Types& types) {
  if (length == 1) return Type::object;
  const std::string& root = s[0];
  const std::string& key = s[1];
  if (root == "vars" || root == "secrets" || root == "env" || root == "runner")
    return length == 2 ? Type::string : Type::any;
  if (root == "inputs") {
    if (!types.inputs) return Type::any;
    auto it = types.inputs->find(key);
    return length == 2 && it != types.inputs->end() ? it->second : Type::any;
  }
  if (root == "matrix") {
    auto it = types.matrix.find(key);
    return length == 2 && it != types.matrix.end() ? it->second : Type::any;
  }
  if (root == "strategy" && length == 2) {
    if (key == "fail-fast") return Type::boolean;
    if (key == "job-index" || key == "job-total" || key == "max-parallel") return Type::number;
    return Type::any;
  }
  if (root == "steps" || root == "needs" || root == "jobs") {
    if (length == 2) return Type::object;
    const std::string& field = s[2];
    if (field == "outputs") return length == 3 ? Type::object : length == 4 ? Type::string : Type::any;
    if (length == 3 && (field == "result" || field == "conclusion" || field == "outcome")) return Type::string;
    return Type::any;
  }
  if (root == "github") {
    if (key == "event") return length == 2 ? Type::object : Type::any;
    return length == 2 ? Type::string : Type::any;
  }
  return Type::any;
}

// The type of a matrix value written as one `${{ }}`: a literal's, or a context path's (the
// matrix cannot read itself); anything else is unknown.
Type expression_value_type(const std::string& value) {
  const std::vector<Expression> parsed = expressions_of(value, false);
  if (parsed.size() != 1 || !parsed[0].tree || !value.starts_with("${{") || !value.ends_with("}}")) return Type::any;
  const Node& n = *parsed[0].tree;
  switch (n.kind) {
    case Kind::null_literal: return Type::null;
    case Kind::boolean_literal: return Type::boolean;
    case Kind::number_literal: return Type::number;
    case Kind::string_literal: return Type::string;
    default: break;
  }
  const std::vector<std::string> path = chain_of(n);
  if (path.empty() || path[0] == "matrix") return Type::any;
  return path_type(path, path.size(), Types{});
}

// The declared types of the workflow's dispatch and call inputs: read once per workflow, so
// that the per-job types below cost the job's matrix only.
TypeMap input_types(const json& root) {
  TypeMap out;
  const json* on = member(root, "on");
  for (const char* event : {"workflow_dispatch", "workflow_call"}) {
    const json* inputs = member(member(on, event), "inputs");
    if (!inputs || !inputs->is_object()) continue;
    for (const auto& [name, spec] : inputs->items()) {
      const std::string* type = text_of(member(spec, "type"));
      const Type t = !type || *type == "string" || *type == "choice" || *type == "environment" ? Type::string
                     : *type == "boolean"                                                      ? Type::boolean
                     : *type == "number"                                                       ? Type::number
                                                                                               : Type::any;
      out.emplace(util::to_lower(name), t);
    }
  }
  return out;
}

Types types_for(const TypeMap& inputs, const json* job) {
  Types out;
  out.inputs = &inputs;
  const json* matrix = member(member(job, "strategy"), "matrix");
  if (!matrix || !matrix->is_object()) return out;
  std::map<std::string, std::optional<Type>> seen;
  const auto add = [&](const std::string& key, const json& value) {
    const std::string k = util::to_lower(key);
    const Type t = value.is_string() && value.get_ref<const std::string&>().find("${{") != std::string::npos
                       ? expression_value_type(value.get_ref<const std::string&>())
                       : type_of_json(value);
    auto [it, fresh] = seen.emplace(k, t);
    if (!fresh && it->second != t) it->second = Type::any;
  };
  for (const auto& [key, value] : matrix->items()) {
    if (key == "include" || key == "exclude") continue;
    if (!value.is_array()) {
      seen[util::to_lower(key)] = Type::any;
      continue;
    }
    for (const json& v : value) add(key, v);
  }
  if (const json* include = member(matrix, "include"); include && include->is_array())
    for (const json& entry : *include)
      if (entry.is_object())
        for (const auto& [key, value] : entry.items()) add(key, value);
  for (const auto& [key, type] : seen) out.matrix.emplace(key, type.value_or(Type::any));
  return out;
}

class ExpressionChecker {
 public:
  ExpressionChecker(Linter& linter, const Site& site, const Expression& e, const Types& types)
      : linter_(linter), site_(site), e_(e), types_(types), allowed_(availability_at(site.pointer)) {}

  Type check(const Node& n) {
    switch (n.kind) {
      case Kind::null_literal: return Type::null;
      case Kind::boolean_literal: return Type::boolean;
      case Kind::number_literal: return Type::number;
      case Kind::string_literal: return Type::string;
      case Kind::context: return context(n);
      case Kind::property:
      case Kind::index:
      case Kind::filter: return access(n);
      case Kind::call: return call(n);
      case Kind::logical_not:
        for (const Node& c : n.children) check(c);
        return Type::boolean;
      case Kind::binary: return binary(n);
    }
    return Type::any;
  }

 private:
  void report(std::string_view rule, const Node& n, std::string message) {
    linter_.report_at(rule, site_.pointer, e_.offset + n.offset, std::move(message), site_.key);
  }

  std::string source(const Node& n) const { return e_.source.substr(n.offset, n.length); }

  Type context(const Node& n) {
    const std::string name = util::to_lower(n.text);
    const auto& known = context_names();
    const auto& here = allowed_.contexts;
    if (std::find(known.begin(), known.end(), name) == known.end())
      report("context-availability", n,
             fmt::format("'{}' is no context GitHub knows (contexts here: {})", n.text, list(here)));
    else if (std::find(here.begin(), here.end(), name) == here.end())
      report("context-availability", n,
             fmt::format("the {} context is not available here (contexts here: {})", name, list(here)));
    return Type::object;
  }

  static std::string list(const std::vector<std::string_view>& names) {
    if (names.empty()) return "none";
    std::string out;
    for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
  }

  // Property, index and filter chains: typed along their context path.
  Type access(const Node& n) {
    if (n.kind == Kind::index && n.children.size() == 2) check(n.children[1]);
    const Type base = check(n.children[0]);
    if (n.kind == Kind::filter) return Type::array;
    if (n.kind == Kind::property && primitive(base)) {
      report("expression-type", n,
             fmt::format("{} reads property '{}' of a {}, which is always null", source(n), n.text, type_name(base)));
      return Type::null;
    }
    const std::vector<std::string> path = chain_of(n);
    if (path.empty()) return Type::any;
    return path_type(path, path.size(), types_);
  }

  Type call(const Node& n) {
    std::vector<Type> args;
    for (const Node& c : n.children) args.push_back(check(c));
    const std::string name = util::to_lower(n.text);
    const std::size_t count = n.children.size();
    const bool status = std::find(kStatusFunctions.begin(), kStatusFunctions.end(), name) != kStatusFunctions.end();
    if (status || name == "hashfiles") {
      const bool available = status ? allowed_.status_functions : allowed_.hash_files;
      if (!available) {
        report("context-availability", n, fmt::format("{}() is not available here; {}", n.text, status_hint(status)));
      } else if (name == "hashfiles" && (count < 1 || count > kMany)) {
        report("expression", n, fmt::format("hashFiles() takes 1 to {} patterns, not {}", kMany, count));
      } else if (status && count > 0 && !(allowed_.status_arguments && (name == "success" || name == "failure"))) {
        report("expression", n, fmt::format("{}() takes no arguments here", n.text));
      }
      return name == "hashfiles" ? Type::string : Type::boolean;
    }
    const auto f = std::find_if(kFunctions.begin(), kFunctions.end(), [&](const Function& x) { return x.name == name; });
    if (f == kFunctions.end()) {
      report("expression", n, fmt::format("'{}' is no function GitHub knows", n.text));
      return Type::any;
    }
    if (count < f->min || count > f->max) {
      report("expression", n,
             f->min == f->max ? fmt::format("{}() takes {} argument{}, not {}", n.text, f->min, f->min == 1 ? "" : "s", count)
                              : fmt::format("{}() takes at least {} arguments, not {}", n.text, f->min, count));
      return Type::any;
    }
    if (name == "case" && count % 2 == 0)
      report("expression", n, "case() takes pairs of condition and value, then a default: an odd number of arguments");
    if (name == "contains" || name == "startswith" || name == "endswith") return Type::boolean;
    if (name == "format" || name == "join" || name == "tojson") return Type::string;
    if (name == "fromjson") return from_json(n);
    return Type::any;
  }

  static std::string status_hint(bool status) {
    return status ? "status functions work only in if: of a job or step"
                  : "it works only in a step's keys and a step's if:";
  }

  Type from_json(const Node& n) {
    const Node& arg = n.children[0];
    if (arg.kind != Kind::string_literal) return Type::any;
    const json parsed = util::parse_or_discarded(arg.text);
    if (parsed.is_discarded()) {
      report("fromjson", arg, fmt::format("fromJSON() of '{}' fails: it is not JSON", arg.text));
      return Type::any;
    }
    return type_of_json(parsed);
  }

  Type binary(const Node& n) {
    const Type left = check(n.children[0]);
    const Type right = check(n.children[1]);
    const std::string& op = n.text;
    if (op == "&&" || op == "||") return left == right ? left : Type::any;
    const bool ordering = op == "<" || op == "<=" || op == ">" || op == ">=";
    // GitHub compares arrays and objects by identity and orders them as NaN (docs.github.com,
    // "Evaluate expressions": operators), so these never hold.
    if (ordering && (composite(left) || composite(right)))
      report("expression-type", n,
             fmt::format("{} orders an {}, so it is always false", source(n), type_name(composite(left) ? left : right)));
    // Against null it is the usual test for a value that may be missing, so it stays quiet.
    else if (!ordering && left != Type::null && right != Type::null &&
             ((composite(left) && primitive(right)) || (primitive(left) && composite(right))))
      report("expression-type", n,
             fmt::format("{} compares {} with {}, so it is always {}", source(n), with_article(left),
                         with_article(right), op == "==" ? "false" : "true"));
    return Type::boolean;
  }

  Linter& linter_;
  const Site& site_;
  const Expression& e_;
  const Types& types_;
  Availability allowed_;
};

// What a key takes when its whole value is one expression: text (a script, a name, an
// environment variable, an action input, an output), a runner label or list, or anything.
enum class Slot { any, text, labels };

Slot slot_of(const std::string& pointer) {
  std::vector<std::string> t;
  for (std::size_t start = 1; start <= pointer.size();) {
    const std::size_t end = std::min(pointer.find('/', start), pointer.size());
    t.push_back(pointer.substr(start, end - start));
    start = end + 1;
  }
  const std::size_t n = t.size();
  if (n < 2 || t[0] != "jobs") return Slot::any;
  if (n == 3 && t[2] == "runs-on") return Slot::labels;
  if (n == 3 && t[2] == "name") return Slot::text;
  if (n == 4 && (t[2] == "outputs" || t[2] == "env")) return Slot::text;
  if (n == 5 && t[2] == "steps" && (t[4] == "run" || t[4] == "name")) return Slot::text;
  if (n == 6 && t[2] == "steps" && (t[4] == "env" || t[4] == "with")) return Slot::text;
  return Slot::any;
}

// Whether an object given to runs-on may be a runner mapping, which GitHub's runs-on takes
// besides labels (`group` and `labels` keys: workflow-v1.0.json, runs-on-mapping): true unless
// every value the expression can have is known and one has another key. Known are a constant
// fromJSON() and a matrix key's values; other objects (github.event, steps) are no runner.
bool may_be_runner_mapping(const Node& n, const json* job) {
  const auto runner_keys_only = [](const json& v) {
    if (!v.is_object()) return true;
    return std::all_of(v.items().begin(), v.items().end(), [](const auto& item) {
      const std::string key = util::to_lower(item.key());
      return key == "group" || key == "labels";
    });
  };
  if (n.kind == Kind::call && util::to_lower(n.text) == "fromjson" && n.children.size() == 1 &&
      n.children[0].kind == Kind::string_literal) {
    const json parsed = util::parse_or_discarded(n.children[0].text);
    return !parsed.is_discarded() && runner_keys_only(parsed);
  }
  const std::vector<std::string> path = chain_of(n);
  if (path.size() != 2 || path[0] != "matrix") return false;
  const json* matrix = member(member(job, "strategy"), "matrix");
  if (!matrix || !matrix->is_object()) return true;
  bool all = true;
  for (const auto& [key, values] : matrix->items()) {
    if (key == "include" || key == "exclude") continue;
    if (util::to_lower(key) == path[1] && values.is_array())
      for (const json& v : values) all = all && runner_keys_only(v);
  }
  if (const json* include = member(matrix, "include"); include && include->is_array())
    for (const json& entry : *include)
      if (entry.is_object())
        for (const auto& [key, v] : entry.items())
          if (util::to_lower(key) == path[1]) all = all && runner_keys_only(v);
  return all;
}

void check_sites(Linter& linter) {
  const TypeMap inputs = input_types(linter.root());
  std::map<std::string, Types> types;  // by job id
  for (const Site& site : linter.sites()) {
    auto it = types.find(site.job);
    if (it == types.end())
      it = types.emplace(site.job, types_for(inputs, site.job.empty() ? nullptr : member(linter.jobs(), site.job))).first;
    const bool several = site.literal_text || site.expressions.size() > 1;
    for (const Expression& e : site.expressions) {
      if (!e.tree) {
        linter.report_at("expression", site.pointer, e.tree.error().offset,
                         fmt::format("GitHub cannot read this expression: {}", e.tree.error().message), site.key);
        continue;
      }
      ExpressionChecker checker(linter, site, e, it->second);
      const Type t = checker.check(*e.tree);
      const std::string shown = e.source.substr(e.tree->offset, e.tree->length);
      if (several && composite(t)) {
        linter.report_at("expression-type", site.pointer, e.offset + e.tree->offset,
                         fmt::format("{} is an {} written into a string, where GitHub writes '{}'; use toJSON() to "
                                     "write its contents",
                                     shown, type_name(t), t == Type::array ? "Array" : "Object"));
        continue;
      }
      const Slot slot = several ? Slot::any : slot_of(site.pointer);
      const json* job = site.job.empty() ? nullptr : member(linter.jobs(), site.job);
      if ((slot == Slot::text && composite(t)) ||
          (slot == Slot::labels && t == Type::object && !may_be_runner_mapping(*e.tree, job)))
        linter.report_at("expression-type", site.pointer, e.offset + e.tree->offset,
                         fmt::format("{} is an {}, but this key takes {}", shown, type_name(t),
                                     slot == Slot::text ? "text"
                                                        : "a runner label, a list of labels, or a mapping of group "
                                                          "and labels"));
    }
  }
}

}  // namespace

void lint_expressions(Linter& linter) {
  for (const auto& [id, job] : linter.jobs().items()) {
    const std::string at = pointer_append("/jobs", id);
    check_condition(linter, pointer_append(at, "if"), member(job, "if"));
    const json* steps = member(job, "steps");
    if (!steps || !steps->is_array()) continue;
    for (std::size_t i = 0; i < steps->size(); ++i)
      check_condition(linter, pointer_append(pointer_append(pointer_append(at, "steps"), i), "if"),
                      member((*steps)[i], "if"));
  }
  check_sites(linter);
}

}  // namespace forgeline::validate
