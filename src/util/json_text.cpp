#include "util/json_text.hpp"

namespace forgeline::util {

std::string dump(const nlohmann::json& value, int indent) { return value.dump(indent); }

std::string as_text(const nlohmann::json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

nlohmann::json parse(std::string_view text) { return nlohmann::json::parse(text); }

nlohmann::json parse_or_discarded(std::string_view text) { return nlohmann::json::parse(text, nullptr, false); }

}  // namespace forgeline::util
