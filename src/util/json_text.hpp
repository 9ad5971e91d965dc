#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace forgeline::util {

// JSON text to and from values, compiled once here: nlohmann's serializer and parser are
// templates, which every file calling json::dump or json::parse compiled again (issue 12).

/// json::dump(indent): compact when indent is -1.
std::string dump(const nlohmann::json& value, int indent = -1);
/// Not for ordered_json, which would convert to json and lose its key order.
std::string dump(const nlohmann::ordered_json& value, int indent = -1) = delete;

/// A string's own text, anything else as compact JSON text: a value as GitHub passes it where
/// it expects text (an input's default, a matrix value in a job name).
std::string as_text(const nlohmann::json& value);

/// json::parse(text): throws nlohmann::json::parse_error when `text` is not JSON.
nlohmann::json parse(std::string_view text);

/// json::parse(text, nullptr, false): a discarded value when `text` is not JSON.
nlohmann::json parse_or_discarded(std::string_view text);

}  // namespace forgeline::util
