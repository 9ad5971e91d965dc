#include "matrix/edit.hpp"

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::matrix {

namespace {

using util::Diagnostics;

/// Byte offset of a 1-based line and column.
std::size_t offset_of(std::string_view text, int line, int column) {
  std::size_t at = 0;
  for (int l = 1; l < line && at < text.size(); ++l) at = text.find('\n', at) + 1;
  return at + static_cast<std::size_t>(column - 1);
}

std::size_t line_end(std::string_view text, std::size_t at) {
  const auto end = text.find('\n', at);
  return end == std::string_view::npos ? text.size() : end + 1;
}

/// Offset just past the flow collection that opens at `open` ('{' or '['), skipping quoted text.
std::size_t closing(std::string_view text, std::size_t open) {
  int depth = 0;
  char quote = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

std::string flow_mapping(const std::vector<std::pair<std::string, std::string>>& fields, bool padded) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : fields) parts.push_back(fmt::format("{}: {}", k, v));
  return padded ? fmt::format("{{ {} }}", util::join(parts, ", ")) : fmt::format("{{{}}}", util::join(parts, ", "));
}

Diagnostics refuse(const util::Location& where, const std::string& why) {
  return {util::error_at(where, fmt::format("cannot add to this list automatically: {}; add the entry by hand", why))};
}

}  // namespace

util::Result<std::string> append_to_list(std::string_view text, const Matrix& m, const std::string& list,
                                         const std::vector<std::pair<std::string, std::string>>& fields) {
  const std::string pointer = "/" + list;
  const auto& items = m.doc.value[list];
  const util::Location list_at = m.doc.marks.value_at(pointer);
  if (!items.is_array() || items.empty()) return std::unexpected(refuse(list_at, "it is empty or not a list"));

  std::string out(text);
  const std::size_t list_offset = offset_of(text, list_at.line, list_at.column);
  if (text[list_offset] == '*') return std::unexpected(refuse(list_at, "it is an alias"));
  const std::string last_pointer = util::pointer_append(pointer, items.size() - 1);
  const util::Location last_at = m.doc.marks.value_at(last_pointer);
  const std::size_t last_offset = offset_of(text, last_at.line, last_at.column);
  const bool flow_item = text[last_offset] == '{';
  const bool padded = flow_item && last_offset + 1 < text.size() && text[last_offset + 1] == ' ';

  if (text[list_offset] == '[') {
    // [a, b] → [a, b, new]
    const std::size_t end = closing(text, list_offset);
    if (end == std::string_view::npos) return std::unexpected(refuse(list_at, "its end was not found"));
    out.insert(end - 1, ", " + flow_mapping(fields, padded));
  } else {
    const std::size_t line_start = last_offset - static_cast<std::size_t>(last_at.column - 1);
    const std::string prefix(text.substr(line_start, last_offset - line_start));
    if (util::to_lower(prefix).find_first_not_of(" -") != std::string::npos || prefix.find('-') == std::string::npos)
      return std::unexpected(refuse(last_at, "the last entry does not start its line with '- '"));
    std::size_t insert_at;
    std::string entry;
    if (flow_item) {
      const std::size_t end = closing(text, last_offset);
      if (end == std::string_view::npos) return std::unexpected(refuse(last_at, "its end was not found"));
      insert_at = line_end(text, end);
      entry = prefix + flow_mapping(fields, padded) + "\n";
    } else if (items.back().is_object()) {
      // A block mapping: the next entry starts after the last line that holds one of its marks.
      int last_line = last_at.line;
      for (const auto& [key, _] : items.back().items())
        last_line = std::max(last_line, m.doc.marks.value_at(util::pointer_append(last_pointer, key)).line);
      insert_at = line_end(text, offset_of(text, last_line, 1));
      const std::string indent(prefix.size(), ' ');
      for (std::size_t i = 0; i < fields.size(); ++i)
        entry += fmt::format("{}{}: {}\n", i == 0 ? prefix : indent, fields[i].first, fields[i].second);
    } else {
      return std::unexpected(refuse(last_at, "its entries are not mappings"));
    }
    if (insert_at == text.size() && !text.empty() && text.back() != '\n') entry = "\n" + entry;
    out.insert(insert_at, entry);
  }

  // The edit must mean exactly "one more entry": anything else is refused.
  auto reloaded = load(out, m.path);
  if (!reloaded) return std::unexpected(std::move(reloaded.error()));
  nlohmann::json expected = m.doc.value;
  nlohmann::json added = nlohmann::json::object();
  for (const auto& [k, v] : fields) added[k] = v;
  expected[list].push_back(added);
  if (reloaded->doc.value != expected) return std::unexpected(refuse(list_at, "the edited file did not read back as intended"));
  return out;
}

}  // namespace forgeline::matrix
