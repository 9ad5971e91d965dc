// Fuzz target: GitHub's expression language as `validate` reads untrusted workflows: the
// parser (expr::parse, with its depth and length limits) on the text as one expression, the
// `${{ }}` splitter, and the context paths the lints take from either.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expr/parse.hpp"
#include "validate/expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto tree = forgeline::expr::parse(text)) (void)forgeline::expr::context_path(*tree);
  (void)forgeline::expr::split_template(text);
  for (const auto& path : forgeline::validate::template_paths(text)) (void)path.text();
  for (const auto& path : forgeline::validate::condition_paths(text)) (void)path.starts_with({"matrix"});
  return 0;
}
