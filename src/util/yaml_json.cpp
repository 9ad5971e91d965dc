#include "util/yaml_json.hpp"
#include "util/yaml_quick.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <istream>
#include <streambuf>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace forgeline::util {

void SourceMap::set_value(std::string pointer, const Location& where) {
  log_.push_back({Logged::Kind::value, std::move(pointer), {}, {where.line, where.column}});
}
void SourceMap::set_key(std::string pointer, const Location& where) {
  log_.push_back({Logged::Kind::key, std::move(pointer), {}, {where.line, where.column}});
}
void SourceMap::copy_subtree(const std::string& from, const std::string& to) {
  log_.push_back({Logged::Kind::copy, from, to, {}});
}

void SourceMap::index() const {
  for (Logged& entry : log_) {
    switch (entry.kind) {
      case Logged::Kind::value: values_[std::move(entry.pointer)] = entry.mark; break;
      case Logged::Kind::key: keys_[std::move(entry.pointer)] = entry.mark; break;
      case Logged::Kind::copy:
        copy_subtree(values_, entry.pointer, entry.to);
        copy_subtree(keys_, entry.pointer, entry.to);
        break;
    }
  }
  log_.clear();
}

bool operator==(const SourceMap& a, const SourceMap& b) {
  a.index();
  b.index();
  return a.file_ == b.file_ && a.values_ == b.values_ && a.keys_ == b.keys_;
}

Location SourceMap::value_at(std::string_view pointer) const {
  index();
  std::string p(pointer);
  for (;;) {
    if (auto it = values_.find(p); it != values_.end()) return Location{file_, it->second.first, it->second.second};
    if (p.empty()) return Location{file_, 0, 0};
    p.resize(p.rfind('/'));
  }
}

Location SourceMap::key_at(std::string_view pointer) const {
  index();
  if (auto it = keys_.find(pointer); it != keys_.end()) return Location{file_, it->second.first, it->second.second};
  return value_at(pointer);
}

void SourceMap::copy_subtree(Marks& marks, const std::string& from, const std::string& to) {
  // Every pointer under `from` starts with it, so they sit together in the map's order.
  std::vector<std::pair<std::string, std::pair<int, int>>> copies;
  for (auto it = marks.lower_bound(from); it != marks.end() && it->first.starts_with(from); ++it) {
    const std::string_view rest = std::string_view(it->first).substr(from.size());
    if (rest.empty() || rest.front() == '/') copies.emplace_back(to + std::string(rest), it->second);
  }
  for (auto& [pointer, mark] : copies) marks[std::move(pointer)] = mark;
}

std::string pointer_append(std::string_view pointer, std::string_view key) {
  std::string out(pointer);
  out += '/';
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_append(std::string_view pointer, std::size_t index) {
  return fmt::format("{}/{}", pointer, index);
}

namespace {

bool all_of_chars(std::string_view s, std::string_view allowed) {
  return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}

std::optional<nlohmann::json> as_integer(std::string_view s) {
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  int base = 10;
  if (body.starts_with("0x") && s == body) base = 16, body.remove_prefix(2);
  else if (body.starts_with("0o") && s == body) base = 8, body.remove_prefix(2);
  const std::string_view digits = base == 16 ? "0123456789abcdefABCDEF" : base == 8 ? "01234567" : "0123456789";
  if (!all_of_chars(body, digits)) return std::nullopt;
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), magnitude, base);
  if (ec != std::errc{} || end != body.data() + body.size()) return std::nullopt;
  if (negative) {
    if (magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1) return std::nullopt;
    return nlohmann::json(static_cast<std::int64_t>(0 - magnitude));
  }
  if (magnitude <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return nlohmann::json(static_cast<std::int64_t>(magnitude));
  return nlohmann::json(magnitude);
}

/// A plain scalar that the core schema reads as a float but no double can hold.
struct OutOfRange {};

// YAML 1.2 core schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
std::optional<nlohmann::json> as_float(std::string_view s) {
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF")
    return nlohmann::json(std::numeric_limits<double>::infinity());
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return nlohmann::json(-std::numeric_limits<double>::infinity());
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return nlohmann::json(std::nan(""));
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  // strtod rounds as IEEE 754 says: 1e-400 underflows to 0, the nearest double; 1e999
  // overflows, and infinity is no value the user could have meant.
  const std::string copy(s);
  errno = 0;
  const double value = std::strtod(copy.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value)) throw OutOfRange{};
  return nlohmann::json(value);
}

nlohmann::json plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (auto i = as_integer(s)) return *i;
  if (auto f = as_float(s)) return *f;
  return s;
}

}  // namespace

std::optional<nlohmann::json> core_scalar(const std::string& plain) {
  try {
    return plain_scalar(plain);
  } catch (const OutOfRange&) {
    return std::nullopt;
  }
}

namespace {

/// Thrown by the event handler to stop parsing at the first limit it hits; the diagnostic
/// is already recorded.
struct Stop {};

/// One document as yaml-cpp's events describe it, built into JSON without recursion, with
/// every limit counted as the events arrive (aliases by the size of what they copy).
class Builder : public YAML::EventHandler {
 public:
  Builder(const std::string& file, const YamlLimits& limits) : limits_(limits) {
    marks_.set_file(file);
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    seen(mark);
    if (++documents_ > 1)
      stop(at(mark), "a second YAML document starts here; a file holds one document (remove this '---' line or "
                     "split the file)");
  }
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark& /*mark*/, const std::string& name) override {
    // yaml-cpp numbers anchors 1, 2, ... in the order it reads them.
    anchor_names_.push_back(name);
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    seen(mark);
    const Slot slot = next_slot();
    count(1, mark);
    if (slot.role == Role::key) {
      problems_.push_back(error_at(at(mark), "mapping keys must be plain strings"));
      if (anchor != YAML::NullAnchor) anchors_[anchor] = Anchor{Anchor::Kind::lost, {}, {}, 1, 0, false};
      deliver_key(std::nullopt, at(mark));
      return;
    }
    leaf(slot, mark, anchor, nullptr);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    seen(mark);
    const Slot slot = next_slot();
    count(1, mark);
    if (slot.role == Role::key) {
      if (value.size() > limits_.max_key_bytes)
        stop(at(mark), fmt::format("a key of {} bytes; forgeline reads keys of up to {} bytes", value.size(),
                                   limits_.max_key_bytes));
      if (anchor != YAML::NullAnchor) anchors_[anchor] = Anchor{Anchor::Kind::key, {}, value, 1, 0, false};
      deliver_key(value, at(mark));
      return;
    }
    if (value.size() > limits_.max_value_bytes)
      stop(at(mark), fmt::format("a string of {} bytes; forgeline reads strings of up to {} bytes", value.size(),
                                 limits_.max_value_bytes));
    nlohmann::json converted;
    // yaml-cpp tags plain scalars "?" and quoted ones "!": only plain ones are typed.
    if (tag != "?") {
      converted = value;
    } else {
      try {
        converted = plain_scalar(value);
      } catch (const OutOfRange&) {
        problems_.push_back(error_at(
            at(mark), fmt::format("{} is out of range for a number; quote it if it is meant as text", value)));
        converted = value;
      }
    }
    leaf(slot, mark, anchor, std::move(converted));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t id) override {
    seen(mark);
    const Slot slot = next_slot();
    const std::string name = fmt::format("*{}", id >= 1 && id <= anchor_names_.size() ? anchor_names_[id - 1] : "?");
    const auto found = anchors_.find(id);
    if (found == anchors_.end() || found->second.open)
      stop(at(mark), fmt::format("alias '{}' refers to a node that contains it; the copy would never end", name));
    const Anchor& anchor = found->second;
    if (nodes_ + anchor.nodes > limits_.max_nodes)
      stop(at(mark), fmt::format("alias '{}' copies {} values, which makes more than the {} values forgeline reads "
                                 "from one file",
                                 name, anchor.nodes, limits_.max_nodes));
    nodes_ += anchor.nodes;
    if (static_cast<int>(stack_.size()) + anchor.height > limits_.max_depth)
      stop(at(mark), fmt::format("alias '{}' nests collections more than {} levels deep", name, limits_.max_depth));
    if (slot.role == Role::key) {
      std::optional<std::string> key;
      if (anchor.kind == Anchor::Kind::key) key = anchor.key;
      else if (anchor.kind == Anchor::Kind::tree && resolve(anchor).is_string()) key = resolve(anchor).get<std::string>();
      if (!key) problems_.push_back(error_at(at(mark), "mapping keys must be plain strings"));
      deliver_key(key, at(mark));
      return;
    }
    nlohmann::json copy;
    if (!slot.discard && anchor.kind != Anchor::Kind::lost) {
      copy = anchor.kind == Anchor::Kind::key ? nlohmann::json(anchor.key) : resolve(anchor);
      if (anchor.kind == Anchor::Kind::tree) marks_.copy_subtree(anchor.pointer, slot.pointer);
      marks_.set_value(slot.pointer, at(mark));
    }
    deliver(std::move(copy), anchor.height);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(false, mark, anchor, style == YAML::EmitterStyle::Flow);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(true, mark, anchor, style == YAML::EmitterStyle::Flow);
  }
  void OnMapEnd() override { close(); }

  Location at(const YAML::Mark& m) const { return Location{marks_.file(), m.line + 1, m.column + 1}; }
  /// Where the latest event began: yaml-cpp has consumed the text up to about there.
  const YAML::Mark& last_mark() const { return last_; }
  /// Where the outermost flow collection still being read begins, if one is.
  std::optional<Location> open_flow() const {
    for (const auto& f : stack_)
      if (f.flow) return f.at;
    return std::nullopt;
  }
  bool has_root() const { return has_root_; }
  nlohmann::json take_root() { return std::move(root_); }
  SourceMap take_marks() { return std::move(marks_); }
  Diagnostics& problems() { return problems_; }

 private:
  enum class Role { root, key, value };
  /// Where the next node goes. Keys and the values of rejected keys are read (to count
  /// them and find errors) but not kept.
  struct Slot {
    Role role = Role::root;
    std::string pointer;
    bool discard = false;
  };
  struct Frame {
    bool is_map = false;
    bool is_key = false;  // a collection used as a mapping key: an error, read only to skip it
    bool discard = false;
    bool flow = false;  // written [...] or {...}
    Location at;
    nlohmann::json value;
    std::string pointer;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t nodes_before = 0;
    int height = 0;  // of its deepest child collection, counting that child
    std::size_t index = 0;
    bool expect_key = true;
    bool drop_value = false;  // the key was rejected: read its value, keep nothing
    std::string key;
    std::map<std::string, int, std::less<>> keys;  // keys so far, with their lines
  };
  struct Anchor {
    // lost: read where nothing is kept (under a rejected key), so the file is an error anyway
    enum class Kind { tree, key, lost } kind = Kind::tree;
    std::string pointer;  // tree: where the anchored node sits in the document
    std::string key;      // key: the anchored key's text
    std::size_t nodes = 1;
    int height = 0;
    bool open = true;  // still being read: an alias to it refers to itself
  };

  void seen(const YAML::Mark& mark) {
    if (mark.pos > last_.pos) last_ = mark;
  }

  [[noreturn]] void stop(Location where, std::string message) {
    problems_.push_back(error_at(std::move(where), std::move(message)));
    throw Stop{};
  }

  void count(std::size_t n, const YAML::Mark& mark) {
    nodes_ += n;
    if (nodes_ > limits_.max_nodes)
      stop(at(mark), fmt::format("more than {} values (keys, strings, lists and mappings); forgeline reads at most "
                                 "that many from one file",
                                 limits_.max_nodes));
  }

  Slot next_slot() const {
    if (stack_.empty()) return {Role::root, "", false};
    const Frame& f = stack_.back();
    if (!f.is_map) return {Role::value, f.discard ? "" : pointer_append(f.pointer, f.index), f.discard};
    if (f.expect_key) return {Role::key, "", true};
    const bool discard = f.discard || f.drop_value;
    return {Role::value, discard ? "" : pointer_append(f.pointer, f.key), discard};
  }

  void leaf(const Slot& slot, const YAML::Mark& mark, YAML::anchor_t anchor, nlohmann::json value) {
    if (!slot.discard) marks_.set_value(slot.pointer, at(mark));
    if (anchor != YAML::NullAnchor)
      anchors_[anchor] = Anchor{slot.discard ? Anchor::Kind::lost : Anchor::Kind::tree, slot.pointer, {}, 1, 0, false};
    deliver(std::move(value), 0);
  }

  void open(bool is_map, const YAML::Mark& mark, YAML::anchor_t anchor, bool flow) {
    seen(mark);
    const Slot slot = next_slot();
    count(1, mark);
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      stop(at(mark), fmt::format("collections nested more than {} levels deep; forgeline reads at most {}",
                                 limits_.max_depth, limits_.max_depth));
    Frame f;
    f.is_map = is_map;
    f.is_key = slot.role == Role::key;
    f.discard = slot.discard;
    f.pointer = slot.pointer;
    f.anchor = anchor;
    f.nodes_before = nodes_ - 1;
    f.flow = flow;
    f.at = at(mark);
    if (f.is_key) problems_.push_back(error_at(at(mark), "mapping keys must be plain strings"));
    if (!f.discard) {
      f.value = is_map ? nlohmann::json::object() : nlohmann::json::array();
      marks_.set_value(f.pointer, at(mark));
    }
    if (anchor != YAML::NullAnchor)
      anchors_[anchor] = Anchor{f.discard ? Anchor::Kind::lost : Anchor::Kind::tree, f.pointer, {}, 1, 0, true};
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    const int height = f.height + 1;
    if (f.anchor != YAML::NullAnchor) {
      Anchor& a = anchors_[f.anchor];
      a.nodes = nodes_ - f.nodes_before;
      a.height = height;
      a.open = false;
    }
    if (f.is_key) {
      deliver_key(std::nullopt, {});
      return;
    }
    deliver(std::move(f.value), height);
  }

  void deliver(nlohmann::json value, int height) {
    if (stack_.empty()) {
      root_ = std::move(value);
      has_root_ = true;
      return;
    }
    Frame& f = stack_.back();
    f.height = std::max(f.height, height);
    if (!f.is_map) {
      if (!f.discard) f.value.push_back(std::move(value));
      ++f.index;
      return;
    }
    if (!f.discard && !f.drop_value) f.value[f.key] = std::move(value);
    f.expect_key = true;
    f.drop_value = false;
  }

  void deliver_key(std::optional<std::string> name, const Location& where) {
    Frame& f = stack_.back();
    f.expect_key = false;
    if (!name) {
      f.drop_value = true;
      return;
    }
    if (f.discard) return;
    if (auto [it, fresh] = f.keys.emplace(*name, where.line); !fresh) {
      problems_.push_back(
          error_at(where, fmt::format("duplicate key '{}' (first defined at line {})", *name, it->second)));
      f.drop_value = true;
      return;
    }
    f.key = std::move(*name);
    marks_.set_key(pointer_append(f.pointer, f.key), where);
  }

  /// The anchored node, which is complete and sits inside the innermost open collection
  /// whose pointer leads to it (or is the root).
  const nlohmann::json& resolve(const Anchor& anchor) const {
    static const nlohmann::json lost;
    if (anchor.kind != Anchor::Kind::tree) return lost;
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (it->discard) continue;
      const std::string& p = it->pointer;
      if (!anchor.pointer.starts_with(p) || anchor.pointer.size() == p.size() || anchor.pointer[p.size()] != '/')
        continue;
      const nlohmann::json::json_pointer rest(anchor.pointer.substr(p.size()));
      return it->value.contains(rest) ? it->value.at(rest) : lost;
    }
    return lost;
  }

  const YamlLimits& limits_;
  SourceMap marks_;
  Diagnostics problems_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchor> anchors_;
  std::vector<std::string> anchor_names_;
  nlohmann::json root_;
  bool has_root_ = false;
  std::size_t nodes_ = 0;
  int documents_ = 0;
  YAML::Mark last_;
};

/// Hands yaml-cpp the text a few kilobytes at a time and ends the stream early once it has
/// read more than `max_ahead` bytes past the latest event: yaml-cpp reads a whole string or
/// flow collection before its first event, and holds every token of it meanwhile.
class Feed : public std::streambuf {
 public:
  Feed(const std::string& text, const Builder& builder, std::size_t max_ahead)
      : text_(text), builder_(builder), max_ahead_(max_ahead) {}
  bool cut() const { return cut_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const std::size_t given = given_;
    if (given >= text_.size()) return traits_type::eof();
    const auto consumed = static_cast<std::size_t>(std::max(builder_.last_mark().pos, 0));
    if (given > consumed + max_ahead_) {
      cut_ = true;
      return traits_type::eof();
    }
    const std::size_t n = std::min<std::size_t>(4096, text_.size() - given);
    // The get area is only read; std::streambuf merely lacks a const variant.
    char* begin = const_cast<char*>(text_.data()) + given;
    setg(begin, begin, begin + n);
    given_ += n;
    return traits_type::to_int_type(*gptr());
  }

 private:
  const std::string& text_;
  const Builder& builder_;
  std::size_t max_ahead_;
  std::size_t given_ = 0;
  bool cut_ = false;
};

/// Length of a valid UTF-8 sequence at `i` and its code point, or 0 when the bytes there
/// are not one (overlong forms, surrogates and values past U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  std::size_t len;
  char32_t min;
  if (b < 0x80) return cp = b, 1;
  if ((b & 0xE0) == 0xC0) len = 2, cp = b & 0x1F, min = 0x80;
  else if ((b & 0xF0) == 0xE0) len = 3, cp = b & 0x0F, min = 0x800;
  else if ((b & 0xF8) == 0xF0) len = 4, cp = b & 0x07, min = 0x10000;
  else return 0;
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

/// The text yaml-cpp is given: without a UTF-8 byte order mark, and with a lone CR (a line
/// break in YAML, which yaml-cpp does not know) turned into LF, byte for byte, so lines and
/// columns stay those of the file. Anything YAML does not allow in a stream is an error.
Result<std::string> prepare(std::string_view text, const std::string& file, const YamlLimits& limits) {
  auto error = [&](int line, int column, std::string message) {
    return std::unexpected(Diagnostics{error_at(Location{file, line, column}, std::move(message))});
  };
  if (text.size() > limits.max_bytes)
    return error(1, 1, fmt::format("the file is {} bytes; forgeline reads YAML files of up to {} bytes", text.size(),
                                   limits.max_bytes));
  if (text.starts_with("\xFE\xFF") || text.starts_with("\xFF\xFE"))
    return error(1, 1, "the file is UTF-16 or UTF-32 (it starts with that byte order mark); save it as UTF-8");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string out;
  out.reserve(text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const int column = static_cast<int>(i - line_start) + 1;
    if (c == '\n' || c == '\r') {
      const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
      out += crlf ? "\r\n" : "\n";
      i += crlf ? 2 : 1;
      ++line;
      line_start = i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t len = utf8_sequence(text, i, cp);
    if (len == 0)
      return error(line, column, fmt::format("invalid UTF-8 (byte 0x{:02x}); save the file as UTF-8",
                                             static_cast<unsigned char>(c)));
    if (cp == 0) return error(line, column, "a NUL byte, which YAML text cannot contain (is this a binary file?)");
    const bool control = (cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F && cp != 0x85);
    if (control)
      return error(line, column,
                   fmt::format("the control character U+{:04X}, which YAML text cannot contain", static_cast<unsigned>(cp)));
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

}  // namespace

namespace {

/// yaml-cpp's reading of prepared text.
Result<YamlDocument> read_with_yaml_cpp(const std::string& prepared, const std::string& file, const YamlLimits& limits) {
  Builder builder(file, limits);
  // A string or flow collection may be read ahead whole (plus a little for its key).
  Feed feed(prepared, builder, limits.max_value_bytes + 8192);
  std::istream in(&feed);
  auto read_ahead_error = [&] {
    if (auto flow = builder.open_flow())
      return std::unexpected(Diagnostics{error_at(
          *flow, fmt::format("this [...] or {{...}} collection runs past {} bytes; forgeline reads flow collections of "
                             "up to that many bytes (write long lists as block lists, one '- ' item a line)",
                             limits.max_value_bytes))});
    return std::unexpected(Diagnostics{error_at(
        builder.at(builder.last_mark()),
        fmt::format("no complete value in the {} bytes after this point; forgeline reads strings and [...] or {{...}} "
                    "collections of up to that many bytes",
                    limits.max_value_bytes))});
  };
  try {
    YAML::Parser parser(in);
    // The second call only finds out whether a second document follows (an error).
    if (parser.HandleNextDocument(builder)) parser.HandleNextDocument(builder);
  } catch (const Stop&) {
    if (feed.cut()) return read_ahead_error();
    return std::unexpected(std::move(builder.problems()));
  } catch (const YAML::Exception& e) {
    if (feed.cut()) return read_ahead_error();
    // Only the syntax error: what the events showed before it may be yaml-cpp's guesses
    // about text it could not parse (an unclosed '{' read as a key).
    return std::unexpected(Diagnostics{error_at(Location{file, e.mark.line + 1, e.mark.column + 1}, e.msg)});
  }
  if (feed.cut()) return read_ahead_error();
  if (!builder.problems().empty()) return std::unexpected(std::move(builder.problems()));
  nlohmann::json value = builder.has_root() ? builder.take_root() : nlohmann::json();
  SourceMap marks = builder.take_marks();
  // An empty document (or a bare null) is an empty mapping, placed at the top of the file.
  if (value.is_null()) {
    value = nlohmann::json::object();
    marks.set_value("", Location{file, 1, 1});
  }
  return YamlDocument{std::move(value), std::move(marks)};
}

}  // namespace

Result<YamlDocument> parse_yaml(std::string_view text, const std::string& file, const YamlLimits& limits) {
  auto prepared = prepare(text, file, limits);
  if (!prepared) return std::unexpected(std::move(prepared.error()));
  if (auto quick = read_simple_yaml(*prepared, file, limits)) return std::move(*quick);
  return read_with_yaml_cpp(*prepared, file, limits);
}

Result<YamlDocument> parse_yaml_with_yaml_cpp(std::string_view text, const std::string& file, const YamlLimits& limits) {
  auto prepared = prepare(text, file, limits);
  if (!prepared) return std::unexpected(std::move(prepared.error()));
  return read_with_yaml_cpp(*prepared, file, limits);
}

}  // namespace forgeline::util
