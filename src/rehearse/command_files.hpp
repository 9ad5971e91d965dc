#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forgeline::rehearse {

/// The name-value pairs a step wrote to `$GITHUB_OUTPUT` or `$GITHUB_ENV`, in order, as the
/// runner reads them (actions/runner, FileCommandManager.cs): `name=value` lines, and
/// `name<<DELIMITER` followed by lines up to one that is exactly the delimiter; whichever of
/// `=` and `<<` comes first decides. Empty lines are skipped. A missing delimiter or a line
/// with neither is an error naming its line.
std::expected<std::vector<std::pair<std::string, std::string>>, std::string> parse_command_file(std::string_view text);

}  // namespace forgeline::rehearse
