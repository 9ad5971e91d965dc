#include "matrix/edit.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::matrix {

namespace {

using util::Diagnostics;

/// The line break the file uses (its first one), so inserted lines match it: LF, CRLF, or
/// a lone CR, which YAML also reads as a line break.
std::string line_break_of(std::string_view text) {
  const auto at = text.find_first_of("\r\n");
  if (at == std::string_view::npos || text[at] == '\n') return "\n";
  return at + 1 < text.size() && text[at + 1] == '\n' ? "\r\n" : "\r";
}

/// Offset just past the line break at or after `at`; the end of the text when there is none.
std::size_t line_end(std::string_view text, std::size_t at) {
  const auto brk = text.find_first_of("\r\n", at);
  if (brk == std::string_view::npos) return text.size();
  return text[brk] == '\r' && brk + 1 < text.size() && text[brk + 1] == '\n' ? brk + 2 : brk + 1;
}

/// Byte offset of a 1-based line and column, counting line breaks as YAML does; past the
/// end of the text when the mark is not in it.
std::size_t offset_of(std::string_view text, int line, int column) {
  std::size_t at = 0;
  for (int l = 1; l < line && at < text.size(); ++l) at = line_end(text, at);
  return at + static_cast<std::size_t>(std::max(column, 1) - 1);
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

util::Result<std::string> append_to_list(std::string_view original, const Matrix& m, const std::string& list,
                                         const std::vector<std::pair<std::string, std::string>>& fields) {
  // Marks do not count a byte order mark, so the edit works on the text after it.
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  const bool has_bom = original.starts_with(bom);
  const std::string_view text = has_bom ? original.substr(bom.size()) : original;
  const std::string brk = line_break_of(text);

  const std::string pointer = "/" + list;
  const auto found = m.doc.value.find(list);
  const util::Location list_at = m.doc.marks.value_at(pointer);
  if (found == m.doc.value.end() || !found->is_array() || found->empty())
    return std::unexpected(refuse(list_at, "it is empty or not a list"));
  const auto& items = *found;

  std::string out(text);
  const std::size_t list_offset = offset_of(text, list_at.line, list_at.column);
  const std::string last_pointer = util::pointer_append(pointer, items.size() - 1);
  const util::Location last_at = m.doc.marks.value_at(last_pointer);
  const std::size_t last_offset = offset_of(text, last_at.line, last_at.column);
  if (list_offset >= text.size() || last_offset >= text.size())
    return std::unexpected(refuse(list_at, "its place in the file was not found"));
  if (text[list_offset] == '*') return std::unexpected(refuse(list_at, "it is an alias"));
  const bool flow_item = text[last_offset] == '{';
  const bool padded = flow_item && last_offset + 1 < text.size() && text[last_offset + 1] == ' ';

  if (text[list_offset] == '[') {
    // [a, b] → [a, b, new]
    const std::size_t end = closing(text, list_offset);
    if (end == std::string_view::npos) return std::unexpected(refuse(list_at, "its end was not found"));
    out.insert(end - 1, ", " + flow_mapping(fields, padded));
  } else {
    const auto column = static_cast<std::size_t>(last_at.column - 1);
    if (column > last_offset) return std::unexpected(refuse(last_at, "its place in the file was not found"));
    const std::size_t line_start = last_offset - column;
    const std::string prefix(text.substr(line_start, last_offset - line_start));
    if (prefix.find_first_not_of(" -") != std::string::npos || prefix.find('-') == std::string::npos)
      return std::unexpected(refuse(last_at, "the last entry does not start its line with '- '"));
    std::size_t insert_at;
    std::string entry;
    if (flow_item) {
      const std::size_t end = closing(text, last_offset);
      if (end == std::string_view::npos) return std::unexpected(refuse(last_at, "its end was not found"));
      insert_at = line_end(text, end);
      entry = prefix + flow_mapping(fields, padded) + brk;
    } else if (items.back().is_object()) {
      // A block mapping: the next entry starts after the last line that holds one of its marks.
      int last_line = last_at.line;
      for (const auto& [key, _] : items.back().items())
        last_line = std::max(last_line, m.doc.marks.value_at(util::pointer_append(last_pointer, key)).line);
      insert_at = line_end(text, offset_of(text, last_line, 1));
      const std::string indent(prefix.size(), ' ');
      for (std::size_t i = 0; i < fields.size(); ++i)
        entry += fmt::format("{}{}: {}{}", i == 0 ? prefix : indent, fields[i].first, fields[i].second, brk);
    } else {
      return std::unexpected(refuse(last_at, "its entries are not mappings"));
    }
    if (insert_at > text.size()) return std::unexpected(refuse(last_at, "its place in the file was not found"));
    if (insert_at == text.size() && !text.empty() && text.back() != '\n' && text.back() != '\r') entry = brk + entry;
    out.insert(insert_at, entry);
  }
  if (has_bom) out.insert(0, bom);

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
