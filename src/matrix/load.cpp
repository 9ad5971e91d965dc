#include "matrix/load.hpp"

#include <map>

#include <fmt/format.h>

#include "util/files.hpp"
#include "schema/check.hpp"

namespace forgeline::matrix {

namespace {

using util::Diagnostics;
using util::error_at;

/// Text that would change meaning once placed in a workflow, a Dockerfile or a shell line.
std::string unsafe_reason(const std::string& s) {
  if (s.find("${{") != std::string::npos) return "contains '${{', which GitHub would evaluate as an expression";
  if (s.find('\n') != std::string::npos || s.find('\r') != std::string::npos) return "contains a line break";
  if (s.find('"') != std::string::npos || s.find('\'') != std::string::npos) return "contains a quote";
  if (s.find('`') != std::string::npos || s.find("$(") != std::string::npos)
    return "contains shell command substitution";
  if (s.find('\\') != std::string::npos) return "contains a backslash";
  return {};
}

void scan_unsafe(const nlohmann::json& value, const std::string& pointer, const util::SourceMap& marks,
                 Diagnostics& out) {
  if (value.is_string()) {
    if (auto why = unsafe_reason(value.get_ref<const std::string&>()); !why.empty())
      out.push_back(error_at(marks.value_at(pointer), fmt::format("{}: {}", pointer, why)));
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) scan_unsafe(value[i], util::pointer_append(pointer, i), marks, out);
  } else if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      const std::string p = util::pointer_append(pointer, key);
      if (auto why = unsafe_reason(key); !why.empty())
        out.push_back(error_at(marks.key_at(p), fmt::format("{}: key {}", p, why)));
      scan_unsafe(child, p, marks, out);
    }
  }
}

/// Entries of a list that must be unique by one field (architectures by arch, stages by name).
void check_unique(const util::YamlDocument& doc, const char* list, const char* field, const char* what,
                  Diagnostics& out) {
  const auto it = doc.value.find(list);
  if (it == doc.value.end() || !it->is_array()) return;
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& entry = (*it)[i];
    if (!entry.is_object() || !entry.contains(field) || !entry[field].is_string()) continue;
    const std::string name = entry[field].get<std::string>();
    const std::string pointer = util::pointer_append(util::pointer_append(fmt::format("/{}", list), i), field);
    const util::Location at = doc.marks.value_at(pointer);
    if (auto [seen, fresh] = first_line.emplace(name, at.line); !fresh)
      out.push_back(error_at(at, fmt::format("{}: duplicate {} '{}' (first listed at line {})", pointer, what, name,
                                             seen->second)));
  }
}

}  // namespace

util::Result<Matrix> load(std::string_view text, const std::string& path, util::CleanCache* clean) {
  auto parsed = util::parse_yaml(text, path);
  if (!parsed) return std::unexpected(std::move(parsed.error()));
  util::YamlDocument doc = std::move(*parsed);
  if (!doc.value.is_object())
    return std::unexpected(Diagnostics{error_at(doc.marks.value_at(""), "a matrix must be a mapping of keys")});
  if (doc.value.empty())
    return std::unexpected(Diagnostics{error_at(doc.marks.value_at(""),
                                                "the matrix is empty; it needs at least 'forgeline: 1' and 'family:' "
                                                "(forgeline init FAMILY writes a commented one)")});

  const auto family_it = doc.value.find("family");
  std::string family = family_it != doc.value.end() && family_it->is_string() ? family_it->get<std::string>() : "";
  if (clean && clean->contains("matrix", text)) return Matrix{path, std::move(family), std::move(doc)};

  Diagnostics problems;
  scan_unsafe(doc.value, "", doc.marks, problems);
  if (problems.empty()) problems = schema::check_against(schema::bundled_schema("schemas/matrix.schema.json"), doc);
  if (problems.empty()) {
    check_unique(doc, "architectures", "arch", "architecture", problems);
    check_unique(doc, "stages", "name", "stage", problems);
    check_unique(doc, "tools", "name", "tool", problems);
    check_unique(doc, "prewarm", "crate", "crate", problems);
  }
  if (!problems.empty()) {
    util::sort(problems);
    return std::unexpected(std::move(problems));
  }
  if (clean) clean->remember("matrix", text);
  return Matrix{path, std::move(family), std::move(doc)};
}

util::Result<Matrix> load_file(const std::string& path, util::CleanCache* clean) {
  auto text = util::read_file(path);
  if (!text) return std::unexpected(Diagnostics{error_at(util::Location{path, 0, 0}, fmt::format("cannot read matrix: {}", text.error()))});
  return load(*text, path, clean);
}

}  // namespace forgeline::matrix
