// Fuzz target: the scanner that reads the context paths of `${{ }}` expressions, on any
// string value (with and without `${{`), as the lints give it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "validate/expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& path : forgeline::validate::template_paths(text)) (void)path.text();
  for (const auto& path : forgeline::validate::condition_paths(text)) (void)path.starts_with({"matrix"});
  return 0;
}
