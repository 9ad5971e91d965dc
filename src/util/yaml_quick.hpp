#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/yaml_json.hpp"

namespace forgeline::util {

/// Reads the YAML that workflows and matrices are nearly always written in — block mappings
/// and lists, one-line [...] and {...} collections, plain and one-line quoted strings, `|`
/// and `>` block strings, comments — straight from the text into JSON and source marks,
/// several times faster than yaml-cpp. For anything else (anchors, tags, multi-line plain or
/// quoted strings, several documents, any error or limit) it returns nullopt and the caller
/// reads the text with yaml-cpp, which also words every error. On every text it accepts, it
/// gives exactly what yaml-cpp's reading gives, value and marks: tests/unit/test_util_yaml_quick.cpp
/// and the fuzz target yaml_quick compare the two. `text` is what parse_yaml prepared: UTF-8,
/// no byte order mark, lines ending in LF or CRLF.
std::optional<YamlDocument> read_simple_yaml(std::string_view text, const std::string& file, const YamlLimits& limits);

}  // namespace forgeline::util
