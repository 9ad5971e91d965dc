#include "rehearse/command_files.hpp"

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::rehearse {

std::expected<std::vector<std::pair<std::string, std::string>>, std::string> parse_command_file(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> lines = util::split_lines(text);
  for (auto& line : lines)
    if (!line.empty() && line.back() == '\r') line.pop_back();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.empty()) continue;
    const std::size_t equals = line.find('=');
    const std::size_t heredoc = line.find("<<");
    if (equals != std::string::npos && (heredoc == std::string::npos || equals < heredoc)) {
      if (equals == 0) return std::unexpected(fmt::format("line {}: a name is missing before '='", i + 1));
      out.emplace_back(line.substr(0, equals), line.substr(equals + 1));
    } else if (heredoc != std::string::npos) {
      const std::string name = line.substr(0, heredoc);
      const std::string delimiter = line.substr(heredoc + 2);
      if (name.empty() || delimiter.empty())
        return std::unexpected(fmt::format("line {}: expected NAME<<DELIMITER", i + 1));
      std::vector<std::string> value;
      std::size_t k = i + 1;
      while (k < lines.size() && lines[k] != delimiter) value.push_back(lines[k++]);
      if (k == lines.size())
        return std::unexpected(fmt::format("line {}: no line '{}' ends the value of '{}'", i + 1, delimiter, name));
      out.emplace_back(name, util::join(value, "\n"));
      i = k;
    } else {
      return std::unexpected(fmt::format("line {}: expected NAME=VALUE or NAME<<DELIMITER", i + 1));
    }
  }
  return out;
}

}  // namespace forgeline::rehearse
