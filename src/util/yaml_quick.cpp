#include "util/yaml_quick.hpp"

#include <utility>
#include <vector>

namespace forgeline::util {

namespace {

/// Thrown where the text leaves the subset this reader knows; yaml-cpp reads it instead.
struct Decline {};

[[noreturn]] void decline() { throw Decline{}; }

bool is_null_word(std::string_view s) { return s == "~" || s == "null" || s == "Null" || s == "NULL"; }

/// YAML's indicator characters: a plain string cannot start with one (but '-' can start
/// one when something other than a space follows).
constexpr std::string_view indicators = "-?:,[]{}#&*!|>'\"%@`";

/// What holds a value: how far a plain string on the next line would continue it, and whether
/// a `key: value` pair may start there (a compact mapping in a list item).
enum class Holder { map_value, list_item };

class Reader {
 public:
  Reader(std::string_view text, const std::string& file, const YamlLimits& limits) : text_(text), limits_(limits) {
    marks_.set_file(file);
    std::size_t begin = 0;
    while (begin < text.size()) {
      std::size_t end = text.find('\n', begin);
      const bool last = end == std::string_view::npos;
      if (last) end = text.size();
      std::size_t stop = end;
      if (stop > begin && text[stop - 1] == '\r') --stop;
      Line line{begin, stop, 0, false};
      std::size_t i = begin;
      while (i < stop && text[i] == ' ') ++i;
      line.indent = static_cast<int>(i - begin);
      line.content = i < stop && text[i] != '#';
      if (i < stop && text[i] == '\t') line.content = true;  // declined where it matters
      const std::string_view whole = text.substr(begin, stop - begin);
      if ((whole.starts_with("---") || whole.starts_with("...")) &&
          (whole.size() == 3 || whole[3] == ' ' || whole[3] == '\t'))
        markers_.push_back(lines_.size());
      lines_.push_back(line);
      begin = last ? end : end + 1;
    }
    ends_with_break_ = !text.empty() && text.back() == '\n';
  }

  YamlDocument read() {
    // Where a file's last line has no line break, yaml-cpp's marks at its end differ.
    if (!ends_with_break_) decline();
    // A byte order mark after the one parse_yaml removed: yaml-cpp's stream treats it apart.
    if (text_.find("\xEF\xBB\xBF") != std::string_view::npos) decline();
    std::size_t first = next_content(0);
    // A `---` line may open the document; the marks of what follows do not change.
    if (!markers_.empty() && markers_.front() == first && rest(first, 0).starts_with("---")) {
      only_comment_after(rest(first, 3));
      first = next_content(first + 1);
      markers_.erase(markers_.begin());
    }
    if (!markers_.empty()) decline();  // a document that ends, or a second one
    if (first == lines_.size()) decline();  // empty: yaml-cpp's path decides what that is
    // yaml-cpp's reading stops where it must look this far ahead of its latest value.
    for (std::size_t li = first, next = next_content(li + 1); next < lines_.size(); li = next, next = next_content(li + 1))
      if (lines_[next].begin - lines_[li].begin > limits_.max_value_bytes) decline();
    const std::string_view head = rest(first, 0);
    if (head.starts_with("---") || head.starts_with("...") || head.starts_with('%')) decline();
    auto [value, next] = block_node(first, -1, "");
    if (next_content(next) != lines_.size()) decline();
    return YamlDocument{std::move(value), std::move(marks_)};
  }

 private:
  struct Line {
    std::size_t begin, end;  // the text without its line break
    int indent;              // leading spaces
    bool content;            // neither blank nor only a comment
  };
  struct Parsed {
    nlohmann::json value;
    std::size_t next;  // the first line after the value
  };

  std::string_view line(std::size_t li) const { return text_.substr(lines_[li].begin, lines_[li].end - lines_[li].begin); }
  std::string_view rest(std::size_t li, std::size_t col) const { return line(li).substr(col); }
  std::size_t next_content(std::size_t li) const {
    while (li < lines_.size() && !lines_[li].content) ++li;
    return li;
  }
  Location at(std::size_t li, std::size_t col) const {
    return Location{marks_.file(), static_cast<int>(li) + 1, static_cast<int>(col) + 1};
  }
  /// Where yaml-cpp's next token is: the first content at or after line `li`, else the end.
  Location next_token(std::size_t li) const {
    li = next_content(li);
    if (li < lines_.size()) return at(li, static_cast<std::size_t>(lines_[li].indent));
    return at(lines_.size(), 0);
  }
  void count() {
    if (++nodes_ > limits_.max_nodes) decline();
  }
  /// A line's content must start at its indentation with no tab before it.
  void require_clean_indent(std::size_t li) const {
    const std::string_view l = line(li);
    const auto indent = static_cast<std::size_t>(lines_[li].indent);
    if (indent < l.size() && l[indent] == '\t') decline();
  }

  struct Open {
    explicit Open(Reader& r) : reader(r) {
      if (reader.depth_ >= reader.limits_.max_depth) decline();
      ++reader.depth_;
      reader.count();
    }
    ~Open() { --reader.depth_; }
    Reader& reader;
  };

  /// A collection starting at the content of line `li`, indented more than `parent`.
  Parsed block_node(std::size_t li, int parent, const std::string& pointer) {
    require_clean_indent(li);
    const auto indent = static_cast<std::size_t>(lines_[li].indent);
    if (static_cast<int>(indent) <= parent) decline();
    if (list_item_at(rest(li, indent))) return sequence(li, indent, pointer);
    return mapping(li, indent, pointer);  // which declines a string on a line of its own
  }

  /// Whether a list item (`- ` or a lone `-`) starts `r`, which is not empty.
  static bool list_item_at(std::string_view r) { return r[0] == '-' && (r.size() == 1 || r[1] == ' '); }

  /// Whether the scalar ending at `end` of `r` is a key: a ':' follows, then a space or nothing.
  static bool key_ends_at(std::string_view r, std::size_t end) {
    return end < r.size() && r[end] == ':' && (end + 1 == r.size() || r[end + 1] == ' ');
  }

  /// A scalar written on one line at the start of `r`, quoted or plain as a block reads it.
  struct Scalar {
    std::string text;
    std::size_t end;  // where it ends in the text read: after the closing quote or the last non-space
    bool quoted;
  };
  static Scalar scalar_at(std::string_view r) {
    Scalar s{{}, 0, r[0] == '"' || r[0] == '\''};
    if (s.quoted) {
      s.end = quoted(r, s.text);
      if (s.end == 0) decline();
      return s;
    }
    if (!plain_start(r)) decline();
    s.end = plain_end(r);
    s.text = std::string(r.substr(0, s.end));
    return s;
  }

  /// Reads a one-line quoted string at the start of `r` into `out`; the index after its
  /// closing quote, or 0 when it does not close on this line or has an escape this reader
  /// leaves to yaml-cpp.
  static std::size_t quoted(std::string_view r, std::string& out) {
    out.clear();
    const char quote = r[0];
    for (std::size_t i = 1; i < r.size(); ++i) {
      const char c = r[i];
      if (c == '\t') return 0;
      if (quote == '\'') {
        if (c != '\'') {
          out += c;
          continue;
        }
        if (i + 1 < r.size() && r[i + 1] == '\'') {
          out += '\'';
          ++i;
          continue;
        }
        return i + 1;
      }
      if (c == '"') return i + 1;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (++i == r.size()) return 0;
      switch (r[i]) {
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case '/': out += '/'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '0': out += '\0'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'e': out += '\x1b'; break;
        case ' ': out += ' '; break;
        default: return 0;  // \x, \u, \N, ... and errors
      }
    }
    return 0;
  }

  /// Whether a plain string may start `r` (in a block, where only '-' of the indicators
  /// may start one, when a non-space follows it).
  static bool plain_start(std::string_view r) {
    if (r.empty() || r[0] == ' ' || r[0] == '\t') return false;
    if (indicators.find(r[0]) == std::string_view::npos) return true;
    return r[0] == '-' && r.size() > 1 && r[1] != ' ' && r[1] != '\t';
  }

  /// Where a plain string in a block ends: at ": ", a ':' ending the line, or " #".
  static std::size_t plain_end(std::string_view r) {
    std::size_t i = 0;
    for (; i < r.size(); ++i) {
      const char c = r[i];
      if (c == '\t') decline();
      if (c == ':' && (i + 1 == r.size() || r[i + 1] == ' ' || r[i + 1] == '\t')) break;
      if (c == '#' && i > 0 && r[i - 1] == ' ') break;
    }
    while (i > 0 && r[i - 1] == ' ') --i;
    return i;
  }

  /// After a value that ended on line `li`: the next content line must not be indented
  /// more than the value's holder (that would continue a plain string, or be an error).
  void ends_here(std::size_t li, int holder) const {
    const std::size_t next = next_content(li + 1);
    if (next < lines_.size() && lines_[next].indent > holder) decline();
  }

  /// Only spaces and a comment may follow a value on its line.
  static void only_comment_after(std::string_view r) {
    std::size_t i = 0;
    while (i < r.size() && r[i] == ' ') ++i;
    if (i == r.size()) return;
    if (r[i] != '#' || i == 0) decline();
  }

  Parsed mapping(std::size_t li, std::size_t col, const std::string& pointer) {
    Open open(*this);
    nlohmann::json object = nlohmann::json::object();
    marks_.set_value(pointer, at(li, col));
    const auto indent = static_cast<int>(col);
    for (;;) {
      const std::string_view r = rest(li, col);
      Scalar key = scalar_at(r);
      // An empty plain key, or one yaml-cpp reads as null, is an error there.
      if (!key.quoted && (key.end == 0 || is_null_word(key.text))) decline();
      if (!key_ends_at(r, key.end)) decline();
      if (key.text.size() > limits_.max_key_bytes || object.contains(key.text)) decline();
      count();
      std::string child = pointer_append(pointer, key.text);
      marks_.set_key(child, at(li, col));
      Parsed value = value_after(li, col + key.end + 1, indent, Holder::map_value, child);
      object[std::move(key.text)] = std::move(value.value);
      li = next_content(value.next);
      if (li == lines_.size() || lines_[li].indent < indent) return {std::move(object), li};
      if (lines_[li].indent > indent) decline();
      require_clean_indent(li);
    }
  }

  Parsed sequence(std::size_t li, std::size_t col, const std::string& pointer) {
    Open open(*this);
    nlohmann::json array = nlohmann::json::array();
    marks_.set_value(pointer, at(li, col));
    const auto indent = static_cast<int>(col);
    for (std::size_t index = 0;; ++index) {
      Parsed item = value_after(li, col + 1, indent, Holder::list_item, pointer_append(pointer, index));
      array.push_back(std::move(item.value));
      li = next_content(item.next);
      if (li == lines_.size() || lines_[li].indent < indent) return {std::move(array), li};
      if (lines_[li].indent > indent) decline();
      require_clean_indent(li);
      // A key at the list's indentation ends a list that is a mapping's value.
      if (!list_item_at(rest(li, col))) return {std::move(array), li};
    }
  }

  /// The value after `key:` or `- ` on line `li`, from column `col`.
  Parsed value_after(std::size_t li, std::size_t col, int holder, Holder kind, const std::string& pointer) {
    const std::string_view l = line(li);
    while (col < l.size() && l[col] == ' ') ++col;
    const std::string_view r = l.substr(col);
    if (r.empty() || r[0] == '#') {
      const std::size_t next = next_content(li + 1);
      if (next < lines_.size()) {
        if (lines_[next].indent > holder) return block_node(next, holder, pointer);
        if (kind == Holder::map_value && lines_[next].indent == holder &&
            list_item_at(rest(next, static_cast<std::size_t>(holder))))
          return sequence(next, static_cast<std::size_t>(holder), pointer);
      }
      count();
      marks_.set_value(pointer, next_token(li + 1));
      return {nullptr, li + 1};
    }
    if (r[0] == '\t') decline();
    if (r[0] == '|' || r[0] == '>') return block_string(li, col, holder, pointer);
    if (r[0] == '[' || r[0] == '{') {
      std::size_t i = col;
      nlohmann::json value = flow(li, i, pointer);
      only_comment_after(l.substr(i));
      ends_here(li, holder);
      return {std::move(value), li + 1};
    }
    Scalar scalar = scalar_at(r);
    if (key_ends_at(r, scalar.end)) {
      // `- key: value`: a mapping inside the list item, its keys at this column.
      if (kind != Holder::list_item) decline();
      return mapping(li, col, pointer);
    }
    only_comment_after(r.substr(scalar.end));
    if (scalar.text.size() > limits_.max_value_bytes) decline();
    nlohmann::json value;
    if (scalar.quoted) {
      value = std::move(scalar.text);
    } else {
      auto typed = core_scalar(scalar.text);
      if (!typed) decline();
      value = std::move(*typed);
    }
    count();
    marks_.set_value(pointer, at(li, col));
    ends_here(li, holder);
    return {std::move(value), li + 1};
  }

  /// A `|` or `>` string whose header is at (li, col), its lines indented more than `holder`.
  Parsed block_string(std::size_t li, std::size_t col, int holder, const std::string& pointer) {
    const std::string_view header = rest(li, col);
    const bool folded = header[0] == '>';
    enum class Chomp { clip, strip, keep } chomp = Chomp::clip;
    std::size_t i = 1;
    if (i < header.size() && header[i] == '-') chomp = Chomp::strip, ++i;
    else if (i < header.size() && header[i] == '+') chomp = Chomp::keep, ++i;
    only_comment_after(header.substr(i));
    if (i < header.size() && header[i] != ' ') decline();  // an indentation digit, or more
    // The first line with text sets the indentation; blank lines before it are left to yaml-cpp.
    std::size_t k = li + 1;
    if (k == lines_.size()) decline();
    const std::string_view first = line(k);
    const std::size_t indent = first.find_first_not_of(' ');
    if (indent == std::string_view::npos || static_cast<int>(indent) <= holder || first[indent] == '\t') decline();
    std::vector<std::string_view> rows;  // text without the indentation; empty for a blank line
    std::size_t trailing = 0;            // blank lines after the last line of text
    for (; k < lines_.size(); ++k) {
      const std::string_view l = line(k);
      const std::size_t spaces = std::min(l.find_first_not_of(' '), l.size());
      if (spaces == l.size()) {
        if (spaces > indent) decline();  // spaces beyond the indentation: text in YAML's eyes
        rows.emplace_back();
        ++trailing;
        continue;
      }
      if (spaces < indent) {
        if (l[spaces] == '\t') decline();
        break;
      }
      if (folded && (l[indent] == ' ' || l[indent] == '\t')) decline();  // a more indented line
      rows.push_back(l.substr(indent));
      trailing = 0;
    }
    rows.resize(rows.size() - trailing);
    std::string text;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (r > 0) {
        if (!folded) text += '\n';
        else if (!rows[r].empty() && !rows[r - 1].empty()) text += ' ';
        else if (rows[r].empty()) text += '\n';
      }
      text += rows[r];
    }
    if (chomp != Chomp::strip) text += '\n';
    if (chomp == Chomp::keep) text.append(trailing, '\n');
    if (text.size() > limits_.max_value_bytes) decline();
    count();
    marks_.set_value(pointer, at(li, col));
    return {std::move(text), k};
  }

  /// A [...] or {...} collection that starts at (li, i) and ends on the same line; `i` ends
  /// after it.
  nlohmann::json flow(std::size_t li, std::size_t& i, const std::string& pointer) {
    Open open(*this);
    const std::string_view l = line(li);
    if (l.size() > limits_.max_value_bytes) decline();
    const bool is_map = l[i] == '{';
    const char close = is_map ? '}' : ']';
    nlohmann::json value = is_map ? nlohmann::json::object() : nlohmann::json::array();
    marks_.set_value(pointer, at(li, i));
    ++i;
    const auto skip = [&] {
      while (i < l.size() && l[i] == ' ') ++i;
      if (i == l.size()) decline();  // continues on the next line
    };
    skip();
    if (l[i] == close) {
      ++i;
      return value;
    }
    for (std::size_t index = 0;; ++index) {
      if (is_map) {
        const std::size_t start = i;
        Scalar key = flow_scalar(l, i);
        if (!key.quoted && is_null_word(key.text)) decline();
        if (i + 1 >= l.size() || l[i] != ':' || l[i + 1] != ' ') decline();
        if (key.text.size() > limits_.max_key_bytes || value.contains(key.text)) decline();
        count();
        std::string child = pointer_append(pointer, key.text);
        marks_.set_key(child, at(li, start));
        ++i;
        skip();
        nlohmann::json item = flow_item(li, i, child);
        value[std::move(key.text)] = std::move(item);
      } else {
        value.push_back(flow_item(li, i, pointer_append(pointer, index)));
      }
      skip();
      if (l[i] == close) {
        ++i;
        return value;
      }
      if (l[i] != ',') decline();
      ++i;
      skip();
      if (l[i] == close) decline();  // a trailing comma
    }
  }

  nlohmann::json flow_item(std::size_t li, std::size_t& i, const std::string& pointer) {
    const std::string_view l = line(li);
    if (l[i] == '[' || l[i] == '{') return flow(li, i, pointer);
    const std::size_t start = i;
    Scalar scalar = flow_scalar(l, i);
    if (scalar.text.size() > limits_.max_value_bytes) decline();
    nlohmann::json value;
    if (scalar.quoted) {
      value = std::move(scalar.text);
    } else {
      auto typed = core_scalar(scalar.text);
      if (!typed) decline();
      value = std::move(*typed);
    }
    count();
    marks_.set_value(pointer, at(li, start));
    return value;
  }

  /// A scalar inside [...] or {...} at l[i], quoted or plain; `i` ends after it.
  static Scalar flow_scalar(std::string_view l, std::size_t& i) {
    Scalar s{{}, 0, l[i] == '"' || l[i] == '\''};
    if (s.quoted) {
      const std::size_t end = quoted(l.substr(i), s.text);
      if (end == 0) decline();
      i += end;
    } else {
      s.text = flow_plain(l, i);
    }
    s.end = i;
    return s;
  }

  /// A plain string inside [...] or {...}: up to ',', the closing bracket or ": ". An
  /// indicator character inside it, or a comment, is left to yaml-cpp.
  static std::string flow_plain(std::string_view l, std::size_t& i) {
    const bool dash = l[i] == '-' && i + 1 < l.size() && std::string_view(" \t,[]{}").find(l[i + 1]) == std::string_view::npos;
    if ((indicators.find(l[i]) != std::string_view::npos && !dash) || l[i] == '\t') decline();
    const std::size_t start = i;
    for (; i < l.size(); ++i) {
      const char c = l[i];
      if (c == ',' || c == ']' || c == '}') break;
      if (c == ':') {
        if (i + 1 < l.size() && l[i + 1] == ' ') break;
        decline();
      }
      // yaml-cpp reads some of these inside [...] or {...} as tokens of their own.
      if (std::string_view("[]{}#?!&*|>'\"%@`\t").find(c) != std::string_view::npos) decline();
    }
    std::size_t end = i;
    while (end > start && l[end - 1] == ' ') --end;
    return std::string(l.substr(start, end - start));
  }

  std::string_view text_;
  const YamlLimits& limits_;
  std::vector<Line> lines_;
  bool ends_with_break_ = false;
  std::vector<std::size_t> markers_;  // lines that start or end a document (--- or ...)
  SourceMap marks_;
  std::size_t nodes_ = 0;
  int depth_ = 0;
};

}  // namespace

std::optional<YamlDocument> read_simple_yaml(std::string_view text, const std::string& file, const YamlLimits& limits) {
  try {
    return Reader(text, file, limits).read();
  } catch (const Decline&) {
    return std::nullopt;
  }
}

}  // namespace forgeline::util
