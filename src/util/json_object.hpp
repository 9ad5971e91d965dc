#pragma once

#include <initializer_list>
#include <string_view>

#include <nlohmann/json.hpp>

namespace forgeline::util {

/// One member of a JSON object built by util::object or util::set; the value is moved out.
struct Member {
  std::string_view key;
  mutable nlohmann::json value;
};

/// A JSON object of `members` (the first of equal keys wins, as with nlohmann's own
/// initializer lists), built in one out-of-line call. nlohmann's `json{{"key", value}, …}`
/// expands each pair inline into a two-element array, a shape check and a conversion; the
/// planners build their values that way member by member, and it made them the slowest files
/// to compile (issue 12).
nlohmann::json object(std::initializer_list<Member> members);

/// Sets `members` in the object `into`, replacing members it has, values moved (json::update
/// copies them).
void set(nlohmann::json& into, std::initializer_list<Member> members);

}  // namespace forgeline::util
