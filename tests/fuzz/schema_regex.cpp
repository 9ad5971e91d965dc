// Fuzz target: the schema's linear-time regex engine. The first line of the input is the
// pattern, the rest the text searched; compile errors are fine, crashes and blow-ups not.
// A search takes time proportional to the text times the program (up to 100,000
// instructions once repeats are expanded); patterns only come from the bundled schemas,
// while texts come from users, so the text is cut to keep one run well under a second.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/regex.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string_view pattern = input.substr(0, newline);
  constexpr std::size_t max_text = 1024;
  const std::string_view text =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1, max_text);
  auto regex = forgeline::util::Regex::compile(pattern);
  if (regex) (void)regex->search(text);
  return 0;
}
