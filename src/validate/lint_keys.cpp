#include "validate/lint_keys.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

// GitHub's template reader compares mapping keys in upper case and rejects a second one as
// "'X' is already defined" (actions/languageservices, workflow-parser/src/templates/template-reader.ts).
void check_mapping(Linter& linter, const std::string& pointer, const json& object) {
  // Keys are unique as written, so without an upper-case letter none can fold onto another.
  bool upper = false;
  for (const auto& [key, value] : object.items())
    upper = upper || std::any_of(key.begin(), key.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!upper) return;
  std::map<std::string, std::vector<std::string>> by_folded;
  for (const auto& [key, value] : object.items()) by_folded[util::to_lower(key)].push_back(key);
  for (const auto& [folded, keys] : by_folded) {
    if (keys.size() < 2) continue;
    // The first in the file is the one GitHub keeps; the others are reported.
    std::vector<std::pair<util::Location, std::string>> placed;
    for (const std::string& k : keys) placed.emplace_back(linter.doc().marks.key_at(pointer_append(pointer, k)), k);
    std::sort(placed.begin(), placed.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first.line, a.first.column) < std::tie(b.first.line, b.first.column);
    });
    for (std::size_t i = 1; i < placed.size(); ++i)
      linter.report("duplicate-key", pointer_append(pointer, placed[i].second),
                    fmt::format("'{}' is the key '{}' (line {}) again: GitHub reads keys ignoring case and rejects the "
                                "second",
                                placed[i].second, placed[0].second, placed[0].first.line),
                    true);
  }
}

void walk(Linter& linter, const std::string& pointer, const json& value) {
  if (value.is_object()) {
    check_mapping(linter, pointer, value);
    for (const auto& [key, item] : value.items()) walk(linter, pointer_append(pointer, key), item);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) walk(linter, pointer_append(pointer, i), value[i]);
  }
}

// '=' ends a name in the environment block every process gets, and blanks or control
// characters make a name no shell can read.
void check_env(Linter& linter, const std::string& pointer, const json* env) {
  if (!env || !env->is_object()) return;
  for (const auto& [name, value] : env->items()) {
    if (name.find("${{") != std::string::npos) continue;
    const auto bad = std::find_if(name.begin(), name.end(), [](char c) {
      return c == '=' || c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20;
    });
    if (bad == name.end()) continue;
    linter.report("env-name", pointer_append(pointer, name),
                  fmt::format("'{}' cannot be an environment variable name: it contains {}", name,
                              *bad == '=' ? std::string("'='") : *bad == ' ' ? std::string("a space") : std::string("a control character")),
                  true);
  }
}

}  // namespace

void lint_keys(Linter& linter) {
  walk(linter, "", linter.root());
  check_env(linter, "/env", member(linter.root(), "env"));
  for (const auto& [id, job] : linter.jobs().items()) {
    const std::string at = pointer_append("/jobs", id);
    check_env(linter, pointer_append(at, "env"), member(job, "env"));
    check_env(linter, at + "/container/env", member(member(job, "container"), "env"));
    if (const json* services = member(job, "services"); services && services->is_object())
      for (const auto& [name, service] : services->items())
        check_env(linter, pointer_append(pointer_append(at, "services"), name) + "/env", member(service, "env"));
    const json* steps = member(job, "steps");
    if (!steps || !steps->is_array()) continue;
    for (std::size_t i = 0; i < steps->size(); ++i)
      check_env(linter, pointer_append(pointer_append(pointer_append(at, "steps"), i), "env"), member((*steps)[i], "env"));
  }
}

}  // namespace forgeline::validate
