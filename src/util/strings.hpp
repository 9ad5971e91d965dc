#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace forgeline::util {

std::string to_lower(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::vector<std::string> split_lines(std::string_view text);
bool contains(std::string_view haystack, std::string_view needle);
/// `text` with every occurrence of `from` replaced by `to`, left to right.
std::string replace_all(std::string text, std::string_view from, std::string_view to);
/// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace forgeline::util
