#pragma once

#include <cstddef>

namespace forgeline::util {

/// What parse_yaml accepts at most, so hostile input (a bomb of aliases, a thousand levels
/// of nesting, a 10 MB line) ends in an error within milliseconds instead of exhausting the
/// stack, the memory or the user's patience. A 10,000-line workflow holds about 24,000
/// values, a dozen levels and strings of a few kilobytes, far below these.
struct YamlLimits {
  std::size_t max_bytes = 8 * 1024 * 1024;  // the whole text (8 MiB)
  int max_depth = 64;                       // collections inside collections
  std::size_t max_nodes = 100'000;          // keys, scalars and collections, aliases expanded
  /// One string, or one collection written in flow style ([...] or {...}), from its first
  /// byte to its last: yaml-cpp reads such a value whole before handing it over, holding
  /// about 100 bytes of memory per byte of it.
  std::size_t max_value_bytes = 256 * 1024;
  std::size_t max_key_bytes = 1024;  // one mapping key
};

}  // namespace forgeline::util
