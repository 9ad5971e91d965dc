#include "expr/parse.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace forgeline::expr {

namespace {

// GitHub's own limits on one expression (actions/languageservices, expressions/src/errors.ts:
// MAX_PARSER_DEPTH, MAX_EXPRESSION_LENGTH). They also bound this parser's recursion.
constexpr int max_depth = 50;
constexpr std::size_t max_length = 21000;

enum class Tok {
  lparen, rparen, lbracket, rbracket, comma, dot, bang, star,
  eq, ne, lt, le, gt, ge, and_, or_,
  number, string, identifier, true_, false_, null_, end,
};

struct Token {
  Tok type = Tok::end;
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string text;   // identifier or operator as written; string literal's value
  double number = 0;  // number literals
};

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
// Property names may contain '-' (`inputs.node-version`): the language has no minus operator.
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'; }
bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
// Characters that end a number or an identifier (the lexer of actions/languageservices).
bool boundary(char c) {
  return space(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == '.' || c == '!' ||
         c == '<' || c == '>' || c == '=' || c == '&' || c == '|';
}

}  // namespace

std::optional<double> parse_number(std::string_view s) {
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  if (s.empty()) return 0.0;
  auto radix = [](std::string_view digits, int base) -> std::optional<double> {
    if (digits.empty()) return std::nullopt;
    double v = 0;
    for (char c : digits) {
      int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
              : std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                                              : base;
      if (d >= base) return std::nullopt;
      v = v * base + d;
    }
    return v;
  };
  if (s.size() > 2 && s[0] == '0') {
    const char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
    if (p == 'x') return radix(s.substr(2), 16);
    if (p == 'o') return radix(s.substr(2), 8);
    if (p == 'b') return radix(s.substr(2), 2);
  }
  std::string_view body = s;
  bool negative = false;
  if (body.front() == '+' || body.front() == '-') {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  // Digits, at most one '.', an optional exponent; at least one digit before the exponent.
  std::size_t i = 0, digits = 0;
  while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    const std::size_t exp_start = i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i;
    if (i == exp_start) return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;
  // strtod reads exactly this grammar; overflow gives ±HUGE_VAL and underflow 0, as in JavaScript.
  const std::string copy(s);
  return std::strtod(copy.c_str(), nullptr);
}

namespace {

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::expected<std::vector<Token>, Error> run() {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s_.size()) {
      const char c = s_[i];
      if (space(c)) {
        ++i;
        continue;
      }
      Token t;
      t.offset = i;
      auto two = [&](char next) { return i + 1 < s_.size() && s_[i + 1] == next; };
      auto op = [&](Tok type, std::size_t len) {
        t.type = type;
        t.length = len;
        t.text = std::string(s_.substr(i, len));
        i += len;
      };
      const Tok prev = out.empty() ? Tok::end : out.back().type;
      const bool after_value = prev == Tok::identifier || prev == Tok::rbracket || prev == Tok::rparen || prev == Tok::star;
      switch (c) {
        case '(': op(Tok::lparen, 1); break;
        case ')': op(Tok::rparen, 1); break;
        case '[': op(Tok::lbracket, 1); break;
        case ']': op(Tok::rbracket, 1); break;
        case ',': op(Tok::comma, 1); break;
        case '*': op(Tok::star, 1); break;
        case '!': two('=') ? op(Tok::ne, 2) : op(Tok::bang, 1); break;
        case '<': two('=') ? op(Tok::le, 2) : op(Tok::lt, 1); break;
        case '>': two('=') ? op(Tok::ge, 2) : op(Tok::gt, 1); break;
        case '=':
          if (!two('=')) return unexpected(i);
          op(Tok::eq, 2);
          break;
        case '&':
          if (!two('&')) return unexpected(i);
          op(Tok::and_, 2);
          break;
        case '|':
          if (!two('|')) return unexpected(i);
          op(Tok::or_, 2);
          break;
        case '\'': {
          std::size_t j = i + 1;
          for (;; ++j) {
            if (j >= s_.size()) return std::unexpected(Error{"unterminated string literal", i});
            if (s_[j] != '\'') {
              t.text += s_[j];
            } else if (j + 1 < s_.size() && s_[j + 1] == '\'') {
              t.text += '\'';
              ++j;
            } else {
              break;
            }
          }
          t.type = Tok::string;
          t.length = j + 1 - i;
          i = j + 1;
          break;
        }
        default:
          if (c == '.' && after_value) {
            op(Tok::dot, 1);
          } else if (c == '.' || c == '-' || c == '+' || std::isdigit(static_cast<unsigned char>(c))) {
            std::size_t j = i + 1;
            while (j < s_.size() && (!boundary(s_[j]) || s_[j] == '.')) ++j;
            const auto value = parse_number(s_.substr(i, j - i));
            if (!value) return unexpected(i, j);
            t.type = Tok::number;
            t.number = *value;
            t.length = j - i;
            t.text = std::string(s_.substr(i, j - i));
            i = j;
          } else {
            std::size_t j = i;
            while (j < s_.size() && !boundary(s_[j])) ++j;
            const std::string_view word = s_.substr(i, j - i);
            if (word.empty() || !ident_start(word.front())) return unexpected(i, j == i ? i + 1 : j);
            for (char w : word)
              if (!ident_char(w)) return unexpected(i, j);
            t.text = std::string(word);
            t.length = j - i;
            t.type = Tok::identifier;
            if (prev != Tok::dot) {
              if (word == "true") t.type = Tok::true_;
              else if (word == "false") t.type = Tok::false_;
              else if (word == "null") t.type = Tok::null_;
              else if (word == "NaN" || word == "Infinity") {
                t.type = Tok::number;
                t.number = word == "NaN" ? std::nan("") : HUGE_VAL;
              }
            }
            i = j;
          }
      }
      out.push_back(std::move(t));
    }
    Token end;
    end.offset = s_.size();
    out.push_back(end);
    return out;
  }

 private:
  std::unexpected<Error> unexpected(std::size_t at, std::size_t end = 0) const {
    if (end <= at) end = at + 1;
    return std::unexpected(Error{fmt::format("unexpected symbol '{}'", s_.substr(at, end - at)), at});
  }

  std::string_view s_;
};

/// Recursive descent over GitHub's precedence, lowest first: ||, &&, == !=, < <= > >=, !,
/// then property/index access on a call, a context or a parenthesised expression.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  std::expected<Node, Error> run() {
    if (peek().type == Tok::end) return std::unexpected(Error{"empty expression", 0});
    auto node = expression();
    if (!node) return node;
    if (peek().type != Tok::end) return unexpected();
    return node;
  }

 private:
  using Result = std::expected<Node, Error>;

  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
  bool match(Tok type) {
    if (peek().type != type) return false;
    ++pos_;
    return true;
  }

  std::unexpected<Error> unexpected() const {
    const Token& t = peek();
    if (t.type == Tok::end) return std::unexpected(Error{"unexpected end of expression", t.offset});
    return std::unexpected(Error{fmt::format("unexpected symbol '{}'", t.text), t.offset});
  }

  /// Guards recursion: GitHub rejects expressions nested deeper than max_depth.
  struct Depth {
    explicit Depth(int& d) : d_(d) { ++d_; }
    ~Depth() { --d_; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;
    int& d_;
  };
  std::optional<std::unexpected<Error>> too_deep() const {
    if (depth_ > max_depth)
      return std::unexpected(Error{fmt::format("expression nested more than {} levels deep", max_depth), peek().offset});
    return std::nullopt;
  }

  static Node make(Kind kind, std::string text, std::size_t offset, std::size_t end) {
    Node n;
    n.kind = kind;
    n.text = std::move(text);
    n.offset = offset;
    n.length = end - offset;
    return n;
  }
  static std::size_t end_of(const Node& n) { return n.offset + n.length; }

  static Node binary(Node left, const std::string& op, Node right) {
    Node n = make(Kind::binary, op, left.offset, end_of(right));
    n.children.push_back(std::move(left));
    n.children.push_back(std::move(right));
    return n;
  }

  Result expression() {
    Depth guard(depth_);
    if (auto e = too_deep()) return *e;
    return logical_or();
  }

  template <class Next>
  Result left_assoc(Next next_level, std::initializer_list<Tok> ops) {
    auto left = (this->*next_level)();
    if (!left) return left;
    for (;;) {
      const Tok type = peek().type;
      if (std::find(ops.begin(), ops.end(), type) == ops.end()) return left;
      const std::string op = next().text;
      Depth guard(depth_);
      if (auto e = too_deep()) return *e;
      auto right = (this->*next_level)();
      if (!right) return right;
      left = binary(std::move(*left), op, std::move(*right));
    }
  }

  Result logical_or() { return left_assoc(&Parser::logical_and, {Tok::or_}); }
  Result logical_and() { return left_assoc(&Parser::equality, {Tok::and_}); }
  Result equality() { return left_assoc(&Parser::comparison, {Tok::eq, Tok::ne}); }
  Result comparison() { return left_assoc(&Parser::unary, {Tok::lt, Tok::le, Tok::gt, Tok::ge}); }

  Result unary() {
    if (peek().type != Tok::bang) return access();
    const std::size_t start = next().offset;
    Depth guard(depth_);
    if (auto e = too_deep()) return *e;
    auto operand = unary();
    if (!operand) return operand;
    Node n = make(Kind::logical_not, "!", start, end_of(*operand));
    n.children.push_back(std::move(*operand));
    return n;
  }

  /// Property access and indexing apply to contexts, calls and groups, not to literals.
  Result access() {
    const bool accessible = peek().type == Tok::identifier || peek().type == Tok::lparen;
    auto base = primary();
    if (!base || !accessible) return base;
    Node node = std::move(*base);
    int levels = 0;
    for (;; ++levels) {
      if (peek().type != Tok::dot && peek().type != Tok::lbracket) break;
      depth_++;
      if (auto e = too_deep()) {
        depth_ -= levels + 1;
        return *e;
      }
      if (match(Tok::dot)) {
        if (peek().type == Tok::identifier) {
          const Token& name = next();
          Node n = make(Kind::property, name.text, node.offset, name.offset + name.length);
          n.children.push_back(std::move(node));
          node = std::move(n);
        } else if (peek().type == Tok::star) {
          const Token& star = next();
          Node n = make(Kind::filter, "*", node.offset, star.offset + 1);
          n.children.push_back(std::move(node));
          node = std::move(n);
        } else {
          depth_ -= levels + 1;
          return unexpected();
        }
      } else {
        next();  // [
        if (match(Tok::star)) {
          if (peek().type != Tok::rbracket) {
            depth_ -= levels + 1;
            return unexpected();
          }
          const std::size_t end = next().offset + 1;
          Node n = make(Kind::filter, "*", node.offset, end);
          n.children.push_back(std::move(node));
          node = std::move(n);
        } else {
          auto index = expression();
          if (!index || peek().type != Tok::rbracket) {
            depth_ -= levels + 1;
            if (!index) return index;
            return unexpected();
          }
          const std::size_t end = next().offset + 1;
          Node n = make(Kind::index, "[]", node.offset, end);
          n.children.push_back(std::move(node));
          n.children.push_back(std::move(*index));
          node = std::move(n);
        }
      }
    }
    depth_ -= levels;
    return node;
  }

  Result primary() {
    const Token& t = peek();
    switch (t.type) {
      case Tok::null_: next(); return make(Kind::null_literal, t.text, t.offset, t.offset + t.length);
      case Tok::true_:
      case Tok::false_: {
        next();
        Node n = make(Kind::boolean_literal, t.text, t.offset, t.offset + t.length);
        n.boolean = t.type == Tok::true_;
        return n;
      }
      case Tok::number: {
        next();
        Node n = make(Kind::number_literal, t.text, t.offset, t.offset + t.length);
        n.number = t.number;
        return n;
      }
      case Tok::string: next(); return make(Kind::string_literal, t.text, t.offset, t.offset + t.length);
      case Tok::lparen: {
        next();
        auto inner = expression();
        if (!inner) return inner;
        if (peek().type != Tok::rparen) return unexpected();
        next();
        return inner;
      }
      case Tok::identifier: {
        const Token& name = next();
        if (!match(Tok::lparen)) return make(Kind::context, name.text, name.offset, name.offset + name.length);
        Node call = make(Kind::call, name.text, name.offset, name.offset);
        if (!match(Tok::rparen)) {
          for (;;) {
            auto arg = expression();
            if (!arg) return arg;
            call.children.push_back(std::move(*arg));
            if (match(Tok::rparen)) break;
            if (!match(Tok::comma)) return unexpected();
          }
        }
        call.length = t_[pos_ - 1].offset + 1 - call.offset;
        return call;
      }
      default: return unexpected();
    }
  }

  std::vector<Token> t_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

std::expected<Node, Error> parse(std::string_view expression) {
  if (expression.size() > max_length)
    return std::unexpected(Error{fmt::format("expression is longer than {} characters", max_length), 0});
  auto tokens = Lexer(expression).run();
  if (!tokens) return std::unexpected(tokens.error());
  return Parser(std::move(*tokens)).run();
}

std::expected<std::vector<Part>, Error> split_template(std::string_view value) {
  std::vector<Part> parts;
  std::size_t i = 0;
  while (i < value.size()) {
    const std::size_t open = value.find("${{", i);
    if (open == std::string_view::npos) {
      parts.push_back({false, std::string(value.substr(i)), i});
      break;
    }
    if (open > i) parts.push_back({false, std::string(value.substr(i, open - i)), i});
    // The expression ends at the first `}}` outside a string literal.
    std::size_t j = open + 3;
    bool in_string = false;
    for (; j < value.size(); ++j) {
      if (value[j] == '\'') in_string = !in_string;  // '' toggles twice: still one literal
      else if (!in_string && value[j] == '}' && j + 1 < value.size() && value[j + 1] == '}') break;
    }
    if (j >= value.size()) return std::unexpected(Error{"'${{' is not closed by '}}'", open});
    parts.push_back({true, std::string(value.substr(open + 3, j - open - 3)), open + 3});
    i = j + 2;
  }
  return parts;
}

std::vector<std::string> context_path(const Node& node) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  switch (node.kind) {
    case Kind::context: return {lower(node.text)};
    case Kind::property:
    case Kind::filter:
    case Kind::index: {
      std::vector<std::string> path = context_path(node.children[0]);
      if (path.empty()) return {};
      if (node.kind == Kind::property) path.push_back(lower(node.text));
      else if (node.kind == Kind::filter) path.push_back("*");
      else if (node.children[1].kind == Kind::string_literal) path.push_back(lower(node.children[1].text));
      else return {};
      return path;
    }
    default: return {};
  }
}

}  // namespace forgeline::expr
