#include "validate/pins.hpp"

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::validate {

util::Diagnostics check_pinned(std::string_view text, const std::string& file, const std::string& lock_path) {
  util::Diagnostics out;
  const auto lines = util::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const auto key = line.find("uses: ");
    if (key == std::string::npos || line.find_first_not_of(" -") != key) continue;
    const std::size_t value = key + 6;
    std::string ref = line.substr(value, line.find(' ', value) - value);
    if (ref.starts_with("./") || ref.starts_with("docker://")) continue;
    const auto at = ref.find('@');
    const std::string version = at == std::string::npos ? "" : ref.substr(at + 1);
    if (version.size() == 40 && version.find_first_not_of("0123456789abcdef") == std::string::npos) continue;
    out.push_back(util::error_at({file, static_cast<int>(i + 1), static_cast<int>(value + 1)},
                                 fmt::format("{} is not pinned: add it to {} with its commit SHA", ref, lock_path)));
  }
  return out;
}

}  // namespace forgeline::validate
