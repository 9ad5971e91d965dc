#include "validate/expression.hpp"

#include "util/strings.hpp"

namespace forgeline::validate {

namespace {

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
// GitHub's property names may contain '-' (`inputs.node-version`); expressions have no minus operator.
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '-'; }

// Index just past a '...' literal that starts at `i` ('' is an escaped quote); the end of
// `s` when it is not closed.
std::size_t skip_string(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] != '\'') continue;
    if (i + 1 < s.size() && s[i + 1] == '\'') ++i;
    else return i + 1;
  }
  return s.size();
}

std::string unquote(std::string_view literal) {
  std::string out;
  for (std::size_t i = 1; i + 1 < literal.size(); ++i) {
    out += literal[i];
    if (literal[i] == '\'') ++i;
  }
  return out;
}

std::size_t read_ident(std::string_view s, std::size_t i) {
  while (i < s.size() && ident_char(s[i])) ++i;
  return i;
}

// Reads the property accesses after a root identifier, starting at `i`; returns the index
// after the last one it could resolve.
std::size_t read_accesses(std::string_view s, std::size_t i, std::vector<std::string>& segments) {
  while (i + 1 < s.size()) {
    if (s[i] == '.' && s[i + 1] == '*') {
      segments.emplace_back("*");
      i += 2;
    } else if (s[i] == '.' && ident_start(s[i + 1])) {
      const std::size_t end = read_ident(s, i + 1);
      segments.emplace_back(s.substr(i + 1, end - i - 1));
      i = end;
    } else if (s[i] == '[' && s[i + 1] == '*' && i + 2 < s.size() && s[i + 2] == ']') {
      segments.emplace_back("*");
      i += 3;
    } else if (s[i] == '[' && s[i + 1] == '\'') {
      const std::size_t end = skip_string(s, i + 1);
      if (end >= s.size() || s[end] != ']') break;
      segments.push_back(unquote(s.substr(i + 1, end - i - 1)));
      i = end + 1;
    } else {
      break;
    }
  }
  return i;
}

// `base` is the offset of `s` in the text the paths are reported against.
void expression_paths(std::string_view s, std::size_t base, std::vector<ContextPath>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\'') {
      i = skip_string(s, i);
    } else if (ident_start(c)) {
      const bool property = i > 0 && s[i - 1] == '.';  // of a call's or index's result
      const std::size_t root_start = i;
      const std::size_t root_end = read_ident(s, i);
      std::vector<std::string> segments{util::to_lower(s.substr(i, root_end - i))};
      i = read_accesses(s, root_end, segments);
      std::size_t next = i;
      while (next < s.size() && s[next] == ' ') ++next;
      const bool call = segments.size() == 1 && next < s.size() && s[next] == '(';
      if (!property && !call) out.push_back(ContextPath{std::move(segments), base + root_start});
    } else if (c >= '0' && c <= '9') {
      // Numbers (1.5, 0xff, 1e3) are skipped whole so their letters are not names.
      while (i < s.size() && (ident_char(s[i]) || s[i] == '.')) ++i;
    } else {
      ++i;
    }
  }
}

}  // namespace

std::string ContextPath::text() const { return util::join(segments, "."); }

bool ContextPath::starts_with(std::initializer_list<std::string_view> prefix) const {
  if (segments.size() < prefix.size()) return false;
  std::size_t i = 0;
  for (std::string_view p : prefix)
    if (segments[i++] != p) return false;
  return true;
}

std::vector<ContextPath> template_paths(std::string_view text) {
  std::vector<ContextPath> out;
  std::size_t open = text.find("${{");
  while (open != std::string_view::npos) {
    std::size_t i = open + 3;
    // The closing }} may not sit inside a string literal (format('{{0}}', x) is one expression).
    while (i + 1 < text.size() && !(text[i] == '}' && text[i + 1] == '}'))
      i = text[i] == '\'' ? skip_string(text, i) : i + 1;
    const std::size_t close = i + 1 < text.size() ? i : text.size();  // unclosed: to the end
    expression_paths(text.substr(open + 3, close - open - 3), open + 3, out);
    open = text.find("${{", close);
  }
  return out;
}

std::vector<ContextPath> condition_paths(std::string_view text) {
  if (text.find("${{") != std::string_view::npos) return template_paths(text);
  std::vector<ContextPath> out;
  expression_paths(text, 0, out);
  return out;
}

}  // namespace forgeline::validate
