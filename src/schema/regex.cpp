#include "schema/regex.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace forgeline::schema {
namespace {

constexpr char32_t kNoChar = 0xFFFFFFFF;  // the position before the text or after it
constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr std::uint32_t kMaxRepeat = 1000;
constexpr std::uint32_t kUnbounded = 0xFFFFFFFF;
// Counted repetition is expanded, so nesting like (a{1000}){1000} must hit a ceiling.
constexpr std::size_t kMaxInstructions = 100000;
// The parser recurses per group; this keeps hostile patterns off the end of the stack.
constexpr int kMaxGroupDepth = 200;

char32_t decode_utf8(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, smallest = 0x10000;
  }
  if (length == 0 || i + length > s.size()) {
    ++i;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < smallest || cp > kMaxCodePoint || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += length;
  return cp;
}

std::string encode_utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

struct Range {
  char32_t lo;
  char32_t hi;
};

/// Code points as sorted, disjoint, non-adjacent ranges once normalized.
using CharSet = std::vector<Range>;

CharSet normalized(CharSet set) {
  std::sort(set.begin(), set.end(), [](const Range& a, const Range& b) { return a.lo < b.lo; });
  CharSet out;
  for (const Range& r : set) {
    if (!out.empty() && r.lo <= out.back().hi + 1) {
      out.back().hi = std::max(out.back().hi, r.hi);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

CharSet complement(const CharSet& set) {
  CharSet out;
  char32_t next = 0;
  for (const Range& r : set) {
    if (r.lo > next) out.push_back({next, r.lo - 1});
    next = r.hi + 1;
  }
  if (next <= kMaxCodePoint) out.push_back({next, kMaxCodePoint});
  return out;
}

bool contains(const CharSet& set, char32_t c) {
  const auto after =
      std::upper_bound(set.begin(), set.end(), c, [](char32_t value, const Range& r) { return value < r.lo; });
  return after != set.begin() && c <= std::prev(after)->hi;
}

CharSet digits() { return {{'0', '9'}}; }
CharSet word_chars() { return {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}; }
// ECMAScript WhiteSpace and LineTerminator, which is what \s means there.
CharSet white_space() {
  return {{0x09, 0x0D},     {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200A},
          {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};
}
CharSet line_terminators() { return {{0x0A, 0x0A}, {0x0D, 0x0D}, {0x2028, 0x2029}}; }

bool is_word(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

int hex_value(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}

enum class Op : std::uint8_t {
  literal,  // x = code point
  set,      // x = index into Program::sets
  split,    // continue at both x and y
  jump,     // x = target
  match,
  text_start,
  text_end,
  word_boundary,
  not_word_boundary,
};

struct Inst {
  Op op;
  std::uint32_t x = 0;
  std::uint32_t y = 0;
};

/// Parsed pattern, before it is flattened into instructions.
struct Node {
  enum class Kind : std::uint8_t { sequence, alternation, repeat, set, assertion };
  Kind kind = Kind::sequence;
  Op assertion = Op::match;
  std::uint32_t set = 0;
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  std::vector<Node> children;
};

struct SyntaxError {
  std::string message;
};

/// Recursive descent over the pattern's code points; errors carry byte offsets.
class Parser {
public:
  Parser(std::string_view pattern, std::vector<CharSet>& sets) : sets_(sets) {
    for (std::size_t i = 0; i < pattern.size();) {
      offsets_.push_back(i);
      chars_.push_back(decode_utf8(pattern, i));
    }
    offsets_.push_back(pattern.size());
  }

  Node parse() {
    Node root = alternation();
    if (!at_end()) fail("unmatched ')'", pos_);  // the only thing that stops alternation early
    return root;
  }

private:
  /// One side of a class range: a single code point, or a class escape such as \d.
  struct ClassAtom {
    char32_t c = 0;
    std::optional<CharSet> set;
  };

  bool at_end() const { return pos_ >= chars_.size(); }
  char32_t peek(std::size_t ahead = 0) const { return pos_ + ahead < chars_.size() ? chars_[pos_ + ahead] : kNoChar; }
  bool eat(char32_t c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  [[noreturn]] void fail(const std::string& what, std::size_t at) const {
    throw SyntaxError{what + " at offset " + std::to_string(offsets_[at])};
  }

  Node set_node(CharSet set) {
    sets_.push_back(normalized(std::move(set)));
    Node n;
    n.kind = Node::Kind::set;
    n.set = static_cast<std::uint32_t>(sets_.size() - 1);
    return n;
  }
  Node literal(char32_t c) { return set_node({{c, c}}); }
  static Node assertion(Op op) {
    Node n;
    n.kind = Node::Kind::assertion;
    n.assertion = op;
    return n;
  }

  Node alternation() {
    Node first = sequence();
    if (peek() != '|') return first;
    Node n;
    n.kind = Node::Kind::alternation;
    n.children.push_back(std::move(first));
    while (eat('|')) n.children.push_back(sequence());
    return n;
  }

  Node sequence() {
    Node n;
    while (!at_end() && peek() != '|' && peek() != ')') n.children.push_back(quantified());
    return n;
  }

  Node quantified() {
    Node operand = atom();
    const std::size_t at = pos_;
    std::uint32_t min = 0;
    std::uint32_t max = 0;
    if (!quantifier(min, max)) return operand;
    if (operand.kind == Node::Kind::assertion) fail("nothing to repeat", at);
    eat('?');  // lazy and greedy accept the same strings
    Node n;
    n.kind = Node::Kind::repeat;
    n.min = min;
    n.max = max;
    n.children.push_back(std::move(operand));
    return n;
  }

  // Consumes a quantifier if one starts here. A '{' that does not form {n}, {n,} or {n,m} is a
  // plain character, as in browsers (ECMAScript Annex B), so such patterns keep working.
  bool quantifier(std::uint32_t& min, std::uint32_t& max) {
    switch (peek()) {
      case '*': ++pos_, min = 0, max = kUnbounded; return true;
      case '+': ++pos_, min = 1, max = kUnbounded; return true;
      case '?': ++pos_, min = 0, max = 1; return true;
      case '{': break;
      default: return false;
    }
    const std::size_t start = pos_;
    std::size_t i = pos_ + 1;
    const auto number = [&](std::uint32_t& out) {
      const std::size_t first = i;
      std::uint64_t value = 0;
      for (; i < chars_.size() && chars_[i] >= '0' && chars_[i] <= '9'; ++i) {
        value = std::min<std::uint64_t>(value * 10 + (chars_[i] - '0'), kUnbounded - 1);
      }
      out = static_cast<std::uint32_t>(value);
      return i > first;
    };
    if (!number(min)) return false;
    max = min;
    if (i < chars_.size() && chars_[i] == ',') {
      ++i;
      if (!number(max)) max = kUnbounded;
    }
    if (i >= chars_.size() || chars_[i] != '}') return false;
    pos_ = i + 1;
    if (min > kMaxRepeat || (max != kUnbounded && max > kMaxRepeat)) {
      fail("repetition count above " + std::to_string(kMaxRepeat), start);
    }
    if (max < min) fail("repetition range out of order", start);
    return true;
  }

  Node atom() {
    const std::size_t at = pos_;
    const char32_t c = chars_[pos_++];
    switch (c) {
      case '.': return set_node(complement(line_terminators()));
      case '^': return assertion(Op::text_start);
      case '$': return assertion(Op::text_end);
      case '(': return group(at);
      case '[': return char_class(at);
      case '\\': return escape(at);
      case '*':
      case '+':
      case '?': fail("nothing to repeat", at);
      case '{': {
        --pos_;
        std::uint32_t min = 0;
        std::uint32_t max = 0;
        if (quantifier(min, max)) fail("nothing to repeat", at);
        ++pos_;
        return literal(c);
      }
      default: return literal(c);  // including a lone ']' or '}', as browsers allow
    }
  }

  Node group(std::size_t at) {
    if (eat('?')) {
      const char32_t kind = peek();
      if (kind == '=' || kind == '!') {
        fail(std::string("unsupported lookahead '(?") + static_cast<char>(kind) + "'", at);
      }
      if (kind == '<' && (peek(1) == '=' || peek(1) == '!')) {
        fail(std::string("unsupported lookbehind '(?<") + static_cast<char>(peek(1)) + "'", at);
      }
      if (eat(':')) {
      } else if (eat('<')) {
        // Capture names are ECMAScript identifiers; ASCII ones are enough for schemas.
        const auto name_char = [this](bool first) {
          const char32_t c = peek();
          return (is_word(c) && !(first && c >= '0' && c <= '9')) || c == '$';
        };
        if (!name_char(true)) fail("malformed group name", at);
        while (name_char(false)) ++pos_;
        if (!eat('>')) fail("malformed group name", at);
      } else {
        const std::string shown = at_end() ? "" : encode_utf8(peek());
        fail("unsupported group syntax '(?" + shown + "'", at);
      }
    }
    if (++depth_ > kMaxGroupDepth) fail("groups nested too deeply", at);
    Node inner = alternation();
    --depth_;
    if (!eat(')')) fail("missing ')' for the group opened", at);
    if (inner.kind != Node::Kind::assertion) return inner;
    Node wrapper;  // a group is an atom, so (^)* is legal even though ^* is not
    wrapper.children.push_back(std::move(inner));
    return wrapper;
  }

  Node escape(std::size_t at) {
    if (at_end()) fail("pattern ends with '\\'", at);
    const char32_t c = chars_[pos_++];
    if (c == 'b') return assertion(Op::word_boundary);
    if (c == 'B') return assertion(Op::not_word_boundary);
    if (auto set = class_escape(c)) return set_node(std::move(*set));
    return literal(char_escape(c, at, false));
  }

  static std::optional<CharSet> class_escape(char32_t c) {
    switch (c) {
      case 'd': return digits();
      case 'D': return complement(digits());
      case 'w': return word_chars();
      case 'W': return complement(word_chars());
      case 's': return normalized(white_space());
      case 'S': return complement(normalized(white_space()));
      default: return std::nullopt;
    }
  }

  // The escape's letter has been consumed; `at` is the offset of its backslash.
  char32_t char_escape(char32_t c, std::size_t at, bool in_class) {
    switch (c) {
      case 't': return '\t';
      case 'n': return '\n';
      case 'r': return '\r';
      case 'v': return '\v';
      case 'f': return '\f';
      case '0':
        if (peek() >= '0' && peek() <= '9') fail("unsupported octal escape", at);
        return 0;
      case 'x': {
        const int hi = hex_value(peek());
        const int lo = hex_value(peek(1));
        if (hi < 0 || lo < 0) fail("malformed '\\x' escape (expected 2 hex digits)", at);
        pos_ += 2;
        return static_cast<char32_t>(hi * 16 + lo);
      }
      case 'u': return unicode_escape(at);
      case 'c': fail("unsupported control escape '\\c'", at);
      case 'k': fail("unsupported named backreference '\\k'", at);
      case 'p':
      case 'P': fail(std::string("unsupported Unicode property escape '\\") + static_cast<char>(c) + "'", at);
      default: break;
    }
    if (c >= '1' && c <= '9') {
      fail(std::string(in_class ? "unsupported octal escape '\\" : "unsupported backreference '\\") +
               static_cast<char>(c) + "'",
           at);
    }
    if (c < 0x80 && std::isalnum(static_cast<int>(c))) {
      fail(std::string("unknown escape '\\") + static_cast<char>(c) + "'", at);
    }
    return c;  // escaped punctuation stands for itself
  }

  char32_t unicode_escape(std::size_t at) {
    const auto four_hex = [&]() -> std::optional<char32_t> {
      char32_t value = 0;
      for (std::size_t k = 0; k < 4; ++k) {
        const int digit = hex_value(peek(k));
        if (digit < 0) return std::nullopt;
        value = value * 16 + static_cast<char32_t>(digit);
      }
      pos_ += 4;
      return value;
    };
    const auto unit = four_hex();
    if (!unit) fail("malformed '\\u' escape (expected 4 hex digits)", at);
    // JSON Schema authors write astral characters as UTF-16 surrogate pairs.
    if (*unit >= 0xD800 && *unit <= 0xDBFF && peek() == '\\' && peek(1) == 'u') {
      const std::size_t saved = pos_;
      pos_ += 2;
      if (const auto low = four_hex(); low && *low >= 0xDC00 && *low <= 0xDFFF) {
        return 0x10000 + ((*unit - 0xD800) << 10) + (*low - 0xDC00);
      }
      pos_ = saved;
    }
    return *unit;
  }

  ClassAtom class_atom() {
    const std::size_t at = pos_;
    const char32_t c = chars_[pos_++];
    if (c != '\\') return {c, std::nullopt};
    if (at_end()) fail("pattern ends with '\\'", at);
    const char32_t e = chars_[pos_++];
    if (e == 'b') return {'\b', std::nullopt};
    if (e == '-') return {'-', std::nullopt};
    if (auto set = class_escape(e)) return {0, std::move(set)};
    return {char_escape(e, at, true), std::nullopt};
  }

  Node char_class(std::size_t at) {
    const bool negated = eat('^');
    CharSet set;
    const auto add = [&set](const ClassAtom& a) {
      if (a.set) {
        set.insert(set.end(), a.set->begin(), a.set->end());
      } else {
        set.push_back({a.c, a.c});
      }
    };
    while (true) {
      if (at_end()) fail("unterminated character class", at);
      if (eat(']')) break;
      const ClassAtom lo = class_atom();
      if (peek() != '-' || peek(1) == ']' || peek(1) == kNoChar) {
        add(lo);
        continue;
      }
      const std::size_t dash = pos_++;
      const ClassAtom hi = class_atom();
      if (lo.set || hi.set) {  // as in browsers, [\w-.] means \w, '-' or '.'
        add(lo);
        add({'-', std::nullopt});
        add(hi);
      } else if (lo.c > hi.c) {
        fail("character class range out of order", dash);
      } else {
        set.push_back({lo.c, hi.c});
      }
    }
    set = normalized(std::move(set));
    return set_node(negated ? complement(set) : std::move(set));
  }

  std::vector<CharSet>& sets_;
  std::vector<char32_t> chars_;
  std::vector<std::size_t> offsets_;  // byte offset of each code point, plus the end
  std::size_t pos_ = 0;
  int depth_ = 0;
};

/// Flattens the parse tree into Thompson-NFA instructions, expanding counted repetition.
class Emitter {
public:
  Emitter(std::vector<Inst>& out, const std::vector<CharSet>& sets) : out_(out), sets_(sets) {}

  void emit(const Node& n) {
    switch (n.kind) {
      case Node::Kind::set: {
        const CharSet& set = sets_[n.set];
        if (set.size() == 1 && set[0].lo == set[0].hi) {
          push({Op::literal, set[0].lo});
        } else {
          push({Op::set, n.set});
        }
        break;
      }
      case Node::Kind::assertion: push({n.assertion}); break;
      case Node::Kind::sequence:
        for (const Node& child : n.children) emit(child);
        break;
      case Node::Kind::alternation: {
        std::vector<std::size_t> exits;
        for (std::size_t i = 0; i < n.children.size(); ++i) {
          if (i + 1 == n.children.size()) {
            emit(n.children[i]);
            break;
          }
          const std::size_t split = push({Op::split});
          out_[split].x = here();
          emit(n.children[i]);
          exits.push_back(push({Op::jump}));
          out_[split].y = here();
        }
        for (const std::size_t exit : exits) out_[exit].x = here();
        break;
      }
      case Node::Kind::repeat: emit_repeat(n); break;
    }
  }

  std::size_t push(Inst inst) {
    if (out_.size() >= kMaxInstructions) {
      throw SyntaxError{"pattern too large once counted repetitions are expanded"};
    }
    out_.push_back(inst);
    return out_.size() - 1;
  }

private:
  std::uint32_t here() const { return static_cast<std::uint32_t>(out_.size()); }

  void emit_repeat(const Node& n) {
    const Node& body = n.children.front();
    if (n.max == kUnbounded) {
      if (n.min == 0) {
        const std::size_t loop = push({Op::split});
        out_[loop].x = here();
        emit(body);
        push({Op::jump, static_cast<std::uint32_t>(loop)});
        out_[loop].y = here();
        return;
      }
      for (std::uint32_t i = 1; i < n.min; ++i) emit(body);
      const std::uint32_t start = here();
      emit(body);
      push({Op::split, start, here() + 1});
      return;
    }
    for (std::uint32_t i = 0; i < n.min; ++i) emit(body);
    std::vector<std::size_t> skips;
    for (std::uint32_t i = n.min; i < n.max; ++i) {
      skips.push_back(push({Op::split}));
      out_[skips.back()].x = here();
      emit(body);
    }
    for (const std::size_t skip : skips) out_[skip].y = here();
  }

  std::vector<Inst>& out_;
  const std::vector<CharSet>& sets_;
};

/// The live NFA states at one text position: a sparse set, so clearing and membership are O(1).
class StateSet {
public:
  explicit StateSet(std::size_t capacity) : index_(capacity), states_(capacity) {}

  bool insert(std::uint32_t pc) {
    if (index_[pc] < size_ && states_[index_[pc]] == pc) return false;
    index_[pc] = size_;
    states_[size_++] = pc;
    return true;
  }
  void clear() { size_ = 0; }
  bool empty() const { return size_ == 0; }
  const std::uint32_t* begin() const { return states_.data(); }
  const std::uint32_t* end() const { return states_.data() + size_; }

private:
  std::vector<std::uint32_t> index_;
  std::vector<std::uint32_t> states_;
  std::uint32_t size_ = 0;
};

}  // namespace

struct Regex::Program {
  std::vector<Inst> insts;
  std::vector<CharSet> sets;
  bool anchored = false;  // starts with ^, so only position 0 can begin a match
};

std::expected<Regex, std::string> Regex::compile(std::string_view pattern) {
  auto program = std::make_shared<Program>();
  try {
    const Node root = Parser(pattern, program->sets).parse();
    Emitter emitter(program->insts, program->sets);
    emitter.emit(root);
    emitter.push({Op::match});
    const Node* first = &root;
    while (first->kind == Node::Kind::sequence && !first->children.empty()) first = &first->children.front();
    program->anchored = first->kind == Node::Kind::assertion && first->assertion == Op::text_start;
  } catch (const SyntaxError& e) {
    return std::unexpected(e.message);
  }
  return Regex(std::move(program));
}

bool Regex::search(std::string_view utf8_text) const {
  const Program& p = *program_;
  StateSet current(p.insts.size());
  StateSet next(p.insts.size());
  std::vector<std::uint32_t> pending;

  // Adds pc and every state reachable from it without consuming input; true on reaching a match.
  const auto add = [&](StateSet& set, std::uint32_t pc, char32_t before, char32_t after) {
    pending.assign(1, pc);
    while (!pending.empty()) {
      const std::uint32_t at = pending.back();
      pending.pop_back();
      if (!set.insert(at)) continue;
      const Inst& inst = p.insts[at];
      switch (inst.op) {
        case Op::match: return true;
        case Op::jump: pending.push_back(inst.x); break;
        case Op::split:
          pending.push_back(inst.y);
          pending.push_back(inst.x);
          break;
        case Op::text_start:
          if (before == kNoChar) pending.push_back(at + 1);
          break;
        case Op::text_end:
          if (after == kNoChar) pending.push_back(at + 1);
          break;
        case Op::word_boundary:
        case Op::not_word_boundary:
          if ((is_word(before) != is_word(after)) == (inst.op == Op::word_boundary)) pending.push_back(at + 1);
          break;
        case Op::literal:
        case Op::set: break;  // waits for the next character
      }
    }
    return false;
  };

  std::size_t i = 0;
  char32_t before = kNoChar;
  char32_t c = utf8_text.empty() ? kNoChar : decode_utf8(utf8_text, i);
  while (true) {
    // Starting a thread at every position is what makes this a search rather than a full match.
    if ((before == kNoChar || !p.anchored) && add(current, 0, before, c)) return true;
    if (c == kNoChar || (p.anchored && current.empty())) return false;
    const char32_t after = i < utf8_text.size() ? decode_utf8(utf8_text, i) : kNoChar;
    next.clear();
    for (const std::uint32_t pc : current) {
      const Inst& inst = p.insts[pc];
      const bool step = (inst.op == Op::literal && inst.x == c) || (inst.op == Op::set && contains(p.sets[inst.x], c));
      if (step && add(next, pc + 1, c, after)) return true;
    }
    std::swap(current, next);
    before = c;
    c = after;
  }
}

}  // namespace forgeline::schema
