// Fuzz target: the schema's linear-time regex engine. The first line of the input is the
// pattern, the rest the text searched; compile errors are fine, crashes and blow-ups not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/regex.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string_view pattern = input.substr(0, newline);
  const std::string_view text = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  auto regex = forgeline::util::Regex::compile(pattern);
  if (regex) (void)regex->search(text);
  return 0;
}
