#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "schema/regex.hpp"

using forgeline::schema::Regex;

namespace {

bool search(std::string_view pattern, std::string_view text) {
  const auto re = Regex::compile(pattern);
  REQUIRE_MESSAGE(re.has_value(), "pattern " << pattern << ": " << (re ? "" : re.error()));
  return re->search(text);
}

std::string compile_error(std::string_view pattern) {
  const auto re = Regex::compile(pattern);
  return re ? "(compiled)" : re.error();
}

constexpr std::size_t kMiB = 1024 * 1024;

}  // namespace

TEST_SUITE("schema::Regex") {
  TEST_CASE("search is unanchored unless the pattern anchors it") {
    CHECK(search("abc", "xxabcxx"));
    CHECK_FALSE(search("abd", "xxabcxx"));
    CHECK_FALSE(search("^abc", "xabc"));
    CHECK_FALSE(search("abc$", "abcx"));
    CHECK(search("^abc$", "abc"));
    CHECK(search("", "anything"));
    CHECK(search("^$", ""));
    CHECK_FALSE(search("^$", "a"));
    CHECK(search("^a|b$", "xxb"));
    CHECK(search("^a|b$", "axx"));
    CHECK_FALSE(search("^a|b$", "xax"));
  }

  TEST_CASE("$ matches only at the very end, as ECMAScript without the m flag") {
    CHECK_FALSE(search("^abc$", "abc\n"));
    CHECK_FALSE(search("^b", "a\nb"));
  }

  TEST_CASE("dot matches any code point except line terminators") {
    CHECK(search("^a.c$", "abc"));
    const std::string_view grinning = "\xF0\x9F\x98\x80";  // U+1F600, one code point in four bytes
    CHECK(search("^a.c$", "a" + std::string(grinning) + "c"));
    CHECK_FALSE(search("a.c", "a\nc"));
    CHECK_FALSE(search("a.c", "a\rc"));
    CHECK_FALSE(search("a.c", "a\u2028c"));
    CHECK(search("^.{3}$", "\xC3\xA4\xC3\xB6\xC3\xBC"));  // äöü
    CHECK_FALSE(search("^.{6}$", "\xC3\xA4\xC3\xB6\xC3\xBC"));
  }

  TEST_CASE("character classes") {
    CHECK(search("^[a-c]+$", "abcab"));
    CHECK_FALSE(search("^[a-c]+$", "abd"));
    CHECK(search("^[^0-9]+$", "abc"));
    CHECK_FALSE(search("^[^0-9]+$", "a1"));
    CHECK(search("^[\\d.]+$", "1.2.3"));
    CHECK(search("^[\\w-.]+$", "a-b.c_d"));  // \w at a range end makes '-' literal
    CHECK_FALSE(search("^[\\w-.]+$", "a/b"));
    CHECK(search("^[a\\-z]+$", "-az"));
    CHECK_FALSE(search("^[a\\-z]+$", "b"));
    CHECK(search("^[-a]+$", "-a"));
    CHECK(search("^[a-]+$", "-a"));
    CHECK(search("^[\\]\\[]+$", "[]"));
    CHECK_FALSE(search("[]", "anything"));
    CHECK(search("^[^]$", "\n"));
    CHECK(search("^[\\u00e0-\\u00ff]$", "\xC3\xA9"));  // é
    CHECK(search("^[^\\s]+$", "x"));
    CHECK(search("[\\b]", "\b"));
  }

  TEST_CASE("class escapes") {
    CHECK(search("^\\d+$", "0123456789"));
    CHECK_FALSE(search("\\d", "\xD9\xA3"));  // Arabic-Indic three: \d is ASCII only
    CHECK(search("^\\w+$", "az_AZ09"));
    CHECK_FALSE(search("\\w", "-"));
    CHECK(search("^\\s+$", " \t\n\r\v\f\xC2\xA0\xE3\x80\x80\xEF\xBB\xBF"));  // incl. U+00A0, U+3000, U+FEFF
    CHECK(search("^\\D\\W\\S$", "a-b"));
    CHECK_FALSE(search("\\D", "123"));
  }

  TEST_CASE("character escapes") {
    CHECK(search("^\\t\\n\\r$", "\t\n\r"));
    CHECK(search("^\\u0041\\x42$", "AB"));
    CHECK(search("^\\uD83D\\uDE00$", "\xF0\x9F\x98\x80"));  // a surrogate pair is one code point
    CHECK(search("^\\$\\{\\{ .* \\}\\}$", "${{ matrix.os }}"));
    CHECK(search("^\\.\\*\\+\\?\\(\\)\\|\\/\\^$", ".*+?()|/^"));
    CHECK(search("\\0", std::string_view("\0", 1)));
  }

  TEST_CASE("braces that do not form a quantifier are literal, as in browsers") {
    CHECK(search("^a{,3}$", "a{,3}"));
    CHECK(search("^{foo}$", "{foo}"));
    CHECK(search("^a}$", "a}"));
    CHECK(search("^a]$", "a]"));
  }

  TEST_CASE("groups and alternation") {
    CHECK(search("^(ab)+$", "ababab"));
    CHECK_FALSE(search("^(ab)+$", "aba"));
    CHECK(search("^(?:ab|cd)*$", "abcdab"));
    CHECK(search("^(?<word>[a-z]+)-\\d$", "abc-1"));
    CHECK(search("^(a|)+$", "aaa"));
    CHECK(search("^(|a)b$", "b"));
    CHECK(search("^(^a)$", "a"));
    CHECK(search("(^)*a", "ba"));
  }

  TEST_CASE("quantifiers, greedy and lazy alike") {
    CHECK(search("^a{2}$", "aa"));
    CHECK_FALSE(search("^a{2}$", "aaa"));
    CHECK(search("^a{2,}$", "aaaa"));
    CHECK_FALSE(search("^a{2,}$", "a"));
    CHECK(search("^a{1,3}$", "aaa"));
    CHECK_FALSE(search("^a{1,3}$", "aaaa"));
    CHECK(search("^a{0,1}b$", "b"));
    CHECK(search("^(ab){2}$", "abab"));
    CHECK(search("^a*?b+?c??d{1,2}?$", "aabbdd"));
    CHECK(search("^a{0}$", ""));
    CHECK(search("^x{1000}$", std::string(1000, 'x')));
    CHECK_FALSE(search("^x{1000}$", std::string(999, 'x')));
  }

  TEST_CASE("word boundaries") {
    CHECK(search("\\bfoo\\b", "a foo b"));
    CHECK_FALSE(search("\\bfoo\\b", "afoob"));
    CHECK(search("\\Boo\\B", "afoob"));
    CHECK(search("^\\b", "a"));
    CHECK_FALSE(search("^\\b", " a"));
  }

  TEST_CASE("unsupported and malformed syntax names the construct and its byte offset") {
    CHECK(compile_error("(?=a)") == "unsupported lookahead '(?=' at offset 0");
    CHECK(compile_error("a(?!b)") == "unsupported lookahead '(?!' at offset 1");
    CHECK(compile_error("(?<=a)b") == "unsupported lookbehind '(?<=' at offset 0");
    CHECK(compile_error("(?<!a)b") == "unsupported lookbehind '(?<!' at offset 0");
    CHECK(compile_error("(a)\\1") == "unsupported backreference '\\1' at offset 3");
    CHECK(compile_error("(?<n>a)\\k<n>") == "unsupported named backreference '\\k' at offset 7");
    CHECK(compile_error("\\p{L}") == "unsupported Unicode property escape '\\p' at offset 0");
    CHECK(compile_error("(?i)abc") == "unsupported group syntax '(?i' at offset 0");
    CHECK(compile_error("\\cA") == "unsupported control escape '\\c' at offset 0");
    CHECK(compile_error("\\01") == "unsupported octal escape at offset 0");
    CHECK(compile_error("\\a") == "unknown escape '\\a' at offset 0");
    CHECK(compile_error("[\\B]") == "unknown escape '\\B' at offset 1");
    CHECK(compile_error("\\u12") == "malformed '\\u' escape (expected 4 hex digits) at offset 0");
    CHECK(compile_error("\\xZ1") == "malformed '\\x' escape (expected 2 hex digits) at offset 0");
    CHECK(compile_error("[abc") == "unterminated character class at offset 0");
    CHECK(compile_error("(ab") == "missing ')' for the group opened at offset 0");
    CHECK(compile_error("ab)") == "unmatched ')' at offset 2");
    CHECK(compile_error("*a") == "nothing to repeat at offset 0");
    CHECK(compile_error("a**") == "nothing to repeat at offset 2");
    CHECK(compile_error("a{2}{3}") == "nothing to repeat at offset 4");
    CHECK(compile_error("^*") == "nothing to repeat at offset 1");
    CHECK(compile_error("a{1001}") == "repetition count above 1000 at offset 1");
    CHECK(compile_error("a{2,1001}") == "repetition count above 1000 at offset 1");
    CHECK(compile_error("a{3,2}") == "repetition range out of order at offset 1");
    CHECK(compile_error("[z-a]") == "character class range out of order at offset 2");
    CHECK(compile_error("abc\\") == "pattern ends with '\\' at offset 3");
    CHECK(compile_error("(?<1>a)") == "malformed group name at offset 0");
    CHECK(compile_error("\xC3\xA9(?=x)") == "unsupported lookahead '(?=' at offset 2");  // bytes, not code points
    CHECK(compile_error("(a{1000}){1000}") == "pattern too large once counted repetitions are expanded");
    CHECK(compile_error(std::string(300, '(')) == "groups nested too deeply at offset 200");
  }

  TEST_CASE("1 MiB inputs run without backtracking blow-up or stack exhaustion") {
    const std::string as(kMiB, 'a');
    const std::string as_then_b = as + "b";
    CHECK(search("^(a+)+$", as));
    CHECK_FALSE(search("^(a+)+$", as_then_b));
    CHECK_FALSE(search("(a|aa)*c", as));
    CHECK_FALSE(search("(x+x+)+y", std::string(kMiB, 'x')));
    CHECK(search("a{20}b", as_then_b));
    CHECK(search("^(?:a|b)*$", as_then_b));
    CHECK(search("b$", as_then_b));
    CHECK_FALSE(search("^[^a]", as));
  }
}
