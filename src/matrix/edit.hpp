#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matrix/load.hpp"

namespace forgeline::matrix {

/// Appends a mapping to the list under a top-level key by editing the text: every byte of
/// the file outside the inserted entry (comments, key order, quoting, indentation, anchors)
/// stays as it was. The new entry copies the style of the last one (flow `{a: 1}` or block
/// mapping, its `- ` prefix and indentation). The result is loaded again and must equal the
/// old document plus the new entry, or the edit is refused.
util::Result<std::string> append_to_list(std::string_view text, const Matrix& m, const std::string& list,
                                         const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace forgeline::matrix
