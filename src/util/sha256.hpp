#pragma once

#include <string>
#include <string_view>

namespace forgeline::util {

/// Lowercase hex SHA-256 of the bytes: the digest generated files carry so hand edits show.
std::string sha256_hex(std::string_view bytes);

}  // namespace forgeline::util
