// Fuzz target: the schema's linear-time regex engine. The first line of the input is a
// pattern, the rest a text. The pattern is compiled (errors are fine, crashes are not) and
// searched over the start of the text; the whole text is searched with every pattern of
// the bundled schemas, which is what users' input meets. A search takes time in proportion
// to the text times the program, and a fuzzed pattern may expand to 100,000 instructions
// (`(a{1,100}){1,300}`), so arbitrary patterns only see 64 bytes; bundled ones are small.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "schema/regex.hpp"
#include "util/resources.hpp"

namespace {

void collect(const nlohmann::json& node, std::vector<std::string>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "pattern" && value.is_string()) out.push_back(value.get<std::string>());
      if (key == "patternProperties" && value.is_object())
        for (const auto& [pattern, schema] : value.items()) out.push_back(pattern);
      collect(value, out);
    }
  } else if (node.is_array()) {
    for (const auto& value : node) collect(value, out);
  }
}

const std::vector<forgeline::schema::Regex>& bundled_patterns() {
  static const std::vector<forgeline::schema::Regex> compiled = [] {
    std::vector<std::string> patterns;
    for (const char* schema : {"schemas/matrix.schema.json", "schemas/workflow.schema.json"})
      collect(nlohmann::json::parse(*forgeline::util::resource(schema)), patterns);
    std::vector<forgeline::schema::Regex> out;
    for (const auto& p : patterns) {
      auto regex = forgeline::schema::Regex::compile(p);
      if (!regex) std::abort();  // the schemas' own patterns always compile
      out.push_back(*regex);
    }
    return out;
  }();
  return compiled;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string_view pattern = input.substr(0, newline);
  const std::string_view text = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  if (auto regex = forgeline::schema::Regex::compile(pattern)) (void)regex->search(text.substr(0, 64));
  for (const auto& regex : bundled_patterns()) (void)regex.search(text);
  return 0;
}
