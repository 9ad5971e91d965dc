#include "schema/check.hpp"

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "util/json_text.hpp"
#include "util/resources.hpp"

namespace forgeline::schema {

namespace {

// Whether the value at `pointer` is a string, number or boolean (not null, a mapping or a list).
bool scalar_at(const nlohmann::json& root, const std::string& pointer) {
  try {
    const nlohmann::json& v = root.at(nlohmann::json::json_pointer(pointer));
    return v.is_string() || v.is_number() || v.is_boolean();
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace

std::vector<LocatedError> locate_errors(const Schema& schema, const util::YamlDocument& doc) {
  std::vector<LocatedError> out;
  for (SchemaError& e : schema.validate(doc.value)) {
    // A key's own problems point at the key, and so do those of a block value, which starts
    // lines below it, and of an empty one, which has no place of its own.
    const bool about_key = e.message.starts_with("unknown key") || e.message.starts_with("invalid key name") ||
                           !scalar_at(doc.value, e.pointer);
    util::Location where = about_key ? doc.marks.key_at(e.pointer) : doc.marks.value_at(e.pointer);
    // A finding about the document as a whole (an empty file) still gets a line: the first.
    if (where.line <= 0) where = util::Location{doc.marks.file(), 1, 1};
    out.push_back(LocatedError{std::move(e), std::move(where)});
  }
  return out;
}

util::Diagnostics check_against(const Schema& schema, const util::YamlDocument& doc) {
  util::Diagnostics out;
  for (LocatedError& e : locate_errors(schema, doc))
    out.push_back(util::error_at(std::move(e.where),
                                 fmt::format("{}: {}", e.error.pointer.empty() ? "/" : e.error.pointer, e.error.message)));
  util::sort(out);
  return out;
}

const Schema& bundled_schema(std::string_view resource_name) {
  static std::mutex mutex;
  // Never destroyed: freeing the schemas' nodes at exit was about 5% of a `check` run, and
  // the process is ending anyway.
  static auto& cache = *new std::map<std::string, Schema, std::less<>>;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(resource_name); it != cache.end()) return it->second;
  auto text = util::resource(resource_name);
  if (!text) throw std::logic_error(fmt::format("bundled schema {} is missing", resource_name));
  // Compiled as validation reaches each part: every run starts with this, and a document
  // reaches a fraction of the workflow schema. The tests compile each one whole
  // (tests/unit/test_schema_check.cpp), which also rejects reference cycles.
  return cache.emplace(std::string(resource_name), Schema::compile_lazily(util::parse(*text))).first->second;
}

}  // namespace forgeline::schema
