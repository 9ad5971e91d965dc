// Fuzz target: parse_yaml, which reads most texts with the quick block-YAML reader
// (util/yaml_quick), must give exactly what yaml-cpp's reading gives: the same value and
// marks, or the same diagnostics. A difference aborts with both results, like a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "util/yaml_json.hpp"

namespace {

std::string show(const forgeline::util::Result<forgeline::util::YamlDocument>& r) {
  if (r) return r->value.dump();
  std::string out;
  for (const auto& d : r.error()) out += d.where.file + ":" + std::to_string(d.where.line) + ":" +
                                         std::to_string(d.where.column) + ": " + d.message + "\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  forgeline::util::YamlLimits limits;
  limits.max_nodes = 20'000;  // keeps each input fast; the limits are compared like the rest
  const auto quick = forgeline::util::parse_yaml(text, "fuzz.yaml", limits);
  const auto reference = forgeline::util::parse_yaml_with_yaml_cpp(text, "fuzz.yaml", limits);
  bool same = quick.has_value() == reference.has_value();
  // NaN equals nothing, itself included: such values compare by their text and type.
  const auto alike = [](const nlohmann::json& a, const nlohmann::json& b) {
    return a == b || (a.type() == b.type() && a.dump() == b.dump());
  };
  if (same && quick) same = alike(quick->value, reference->value) && quick->marks == reference->marks;
  if (same && !quick) same = show(quick) == show(reference);
  if (!same) {
    std::fprintf(stderr, "yaml_quick: the quick reader and yaml-cpp differ\nquick:     %s\nreference: %s\n",
                 show(quick).c_str(), show(reference).c_str());
    std::abort();
  }
  return 0;
}
