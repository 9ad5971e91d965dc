#include "rehearse/glob.hpp"

#include <algorithm>
#include <set>
#include <system_error>

namespace forgeline::rehearse {

namespace {

namespace fs = std::filesystem;

/// One piece of a filter pattern: a literal character, a class, `*` or `**`, and how often
/// it may repeat (`?` zero or one, `+` one or more, else exactly once).
struct Token {
  enum Kind { literal, any_but_slash, any, set } kind = literal;
  char c = 0;
  std::string members;  // for set: the characters it accepts, ranges expanded
  int min = 1, max = 1;  // max -1: unbounded
};

std::vector<Token> tokens_of(std::string_view pattern) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '*') {
      const bool two = i + 1 < pattern.size() && pattern[i + 1] == '*';
      out.push_back({two ? Token::any : Token::any_but_slash, 0, "", 0, -1});
      if (two) ++i;
    } else if ((c == '?' || c == '+') && !out.empty() && out.back().kind != Token::any &&
               out.back().kind != Token::any_but_slash) {
      if (c == '?') out.back().min = 0;
      else out.back().max = -1;
    } else if (c == '[' && pattern.find(']', i + 1) != std::string_view::npos) {
      const std::size_t close = pattern.find(']', i + 1);
      Token t{Token::set};
      for (std::size_t k = i + 1; k < close; ++k) {
        if (k + 2 < close && pattern[k + 1] == '-') {
          for (char x = pattern[k]; x <= pattern[k + 2]; ++x) t.members += x;
          k += 2;
        } else {
          t.members += pattern[k];
        }
      }
      out.push_back(t);
      i = close;
    } else if (c == '\\' && i + 1 < pattern.size()) {
      out.push_back({Token::literal, pattern[++i]});
    } else {
      out.push_back({Token::literal, c});
    }
  }
  return out;
}

bool accepts(const Token& t, char c) {
  switch (t.kind) {
    case Token::literal: return t.c == c;
    case Token::any_but_slash: return c != '/';
    case Token::any: return true;
    case Token::set: return t.members.find(c) != std::string::npos;
  }
  return false;
}

/// Backtracking over tokens; patterns in workflows are short, names are short.
bool match_from(const std::vector<Token>& tokens, std::size_t ti, std::string_view name, std::size_t ni) {
  if (ti == tokens.size()) return ni == name.size();
  const Token& t = tokens[ti];
  std::size_t n = 0;
  // Take as many as allowed, then give back one at a time.
  while (ni + n < name.size() && (t.max < 0 || static_cast<int>(n) < t.max) && accepts(t, name[ni + n])) ++n;
  for (;;) {
    if (static_cast<int>(n) >= t.min && match_from(tokens, ti + 1, name, ni + n)) return true;
    if (n == 0) return false;
    --n;
  }
}

std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) out.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

/// One path segment against one glob segment: `*`, `?` and `[...]`, nothing crossing `/`.
bool segment_match(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '[' && pattern.find(']', p + 1) != std::string_view::npos) {
      const std::size_t close = pattern.find(']', p + 1);
      const std::string_view body = pattern.substr(p + 1, close - p - 1);
      const bool negate = !body.empty() && (body[0] == '!' || body[0] == '^');
      bool in = false;
      for (std::size_t k = negate ? 1 : 0; k < body.size(); ++k) {
        if (k + 2 < body.size() && body[k + 1] == '-') {
          in = in || (name[n] >= body[k] && name[n] <= body[k + 2]);
          k += 2;
        } else {
          in = in || name[n] == body[k];
        }
      }
      if (in != negate) {
        p = close + 1, ++n;
        continue;
      }
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p, ++n;
      continue;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, mark = n;
      continue;
    }
    if (star == std::string_view::npos) return false;
    p = star + 1, n = ++mark;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool segments_match(const std::vector<std::string>& pattern, std::size_t pi, const std::vector<std::string>& path,
                    std::size_t si) {
  if (pi == pattern.size()) return si == path.size();
  if (pattern[pi] == "**") {
    for (std::size_t k = si; k <= path.size(); ++k)
      if (segments_match(pattern, pi + 1, path, k)) return true;
    return false;
  }
  return si < path.size() && segment_match(pattern[pi], path[si]) && segments_match(pattern, pi + 1, path, si + 1);
}

bool has_wildcard(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

void add_tree(const fs::path& p, std::set<fs::path>& out) {
  std::error_code ec;
  if (fs::is_regular_file(p, ec)) {
    out.insert(p);
    return;
  }
  if (!fs::is_directory(p, ec)) return;
  for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) out.insert(it->path());
}

}  // namespace

bool filter_match(std::string_view pattern, std::string_view name) {
  return match_from(tokens_of(pattern), 0, name, 0);
}

bool filter_selects(const std::vector<std::string>& patterns, std::string_view name) {
  bool selected = false;
  for (const auto& p : patterns) {
    if (!p.empty() && p[0] == '!') {
      if (filter_match(std::string_view(p).substr(1), name)) selected = false;
    } else if (filter_match(p, name)) {
      selected = true;
    }
  }
  return selected;
}

bool glob_match(std::string_view pattern, std::string_view path) {
  return segments_match(segments(pattern), 0, segments(path), 0);
}

namespace {

/// An absolute pattern split where @actions/glob starts searching: the literal folders before
/// the first segment with a wildcard, and the segments from there on.
std::pair<std::string, std::vector<std::string>> search_path(const std::string& pattern) {
  std::string root = "/";
  std::vector<std::string> rest;
  for (const auto& seg : segments(pattern)) {
    if (rest.empty() && !has_wildcard(seg)) root = (fs::path(root) / seg).generic_string();
    else rest.push_back(seg);
  }
  return {root, rest};
}

std::string absolute_pattern(const fs::path& base, const std::string& line) {
  return (fs::path(line).is_absolute() ? fs::path(line) : base / line).lexically_normal().generic_string();
}

}  // namespace

std::vector<fs::path> glob_files(const fs::path& base, const std::vector<std::string>& patterns) {
  std::set<fs::path> selected;
  for (const auto& line : patterns) {
    if (line.empty() || line[0] == '#') continue;
    const bool exclude = line[0] == '!';
    const std::string pattern = absolute_pattern(base, exclude ? line.substr(1) : line);
    const auto [root, rest] = search_path(pattern);
    std::set<fs::path> matched;
    if (rest.empty()) {
      add_tree(root, matched);
    } else {
      std::error_code ec;
      for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        const std::string relative = it->path().lexically_relative(root).generic_string();
        if (segments_match(rest, 0, segments(relative), 0)) add_tree(it->path(), matched);
      }
    }
    for (const auto& m : matched) {
      if (exclude) selected.erase(m);
      else selected.insert(m);
    }
  }
  return {selected.begin(), selected.end()};
}

fs::path upload_root(const fs::path& base, const std::vector<std::string>& patterns, const std::vector<fs::path>& files) {
  std::vector<fs::path> searched;
  for (const auto& line : patterns) {
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    fs::path p = search_path(absolute_pattern(base, line)).first;
    if (std::find(searched.begin(), searched.end(), p) == searched.end()) searched.push_back(p);
  }
  auto below = [](const fs::path& p, const fs::path& of) {
    const std::string s = p.generic_string(), o = of.generic_string();
    return s.size() > o.size() && s.starts_with(o) && (o == "/" || s[o.size()] == '/');
  };
  std::erase_if(searched, [&](const fs::path& p) {
    return std::any_of(searched.begin(), searched.end(), [&](const fs::path& q) { return below(p, q); });
  });
  if (searched.empty()) return base;
  if (searched.size() > 1) {
    fs::path common = searched[0];
    for (const auto& p : searched)
      while (p != common && !below(p, common) && common.has_relative_path()) common = common.parent_path();
    return common;
  }
  if (files.size() == 1 && files[0] == searched[0]) return files[0].parent_path();
  return searched[0];
}

}  // namespace forgeline::rehearse
