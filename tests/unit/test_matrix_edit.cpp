#include <doctest/doctest.h>

#include <string>

#include "matrix/edit.hpp"

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

forgeline::util::Result<std::string> append(const std::string& text, const Fields& fields) {
  auto m = forgeline::matrix::load(text, "m.yaml");
  REQUIRE(m);
  return forgeline::matrix::append_to_list(text, *m, "architectures", fields);
}

constexpr const char* head = "forgeline: 1\nfamily: openwrt-package\npackage: p\nimage: ghcr.io/a/b\nopenwrt: 24.10.1\n";

}  // namespace

TEST_SUITE("matrix::edit") {
  TEST_CASE("flow items: the new one copies the last one's prefix and padding") {
    const std::string text = std::string(head) + "architectures:\n    - { arch: x86_64, sdk: x86-64 }  # note\n# end\n";
    auto out = append(text, {{"arch", "mips_24kc"}, {"sdk", "ath79-generic"}});
    REQUIRE(out);
    CHECK(*out == std::string(head) +
                      "architectures:\n    - { arch: x86_64, sdk: x86-64 }  # note\n    - { arch: mips_24kc, sdk: ath79-generic }\n# end\n");
  }

  TEST_CASE("block mappings keep their indentation; comments between entries stay") {
    const std::string text = std::string(head) + "architectures:\n- arch: x86_64\n  sdk: x86-64\n\n# tail\nsafety_margin: 30m\n";
    auto out = append(text, {{"arch", "mips_24kc"}, {"sdk", "ath79-generic"}});
    REQUIRE(out);
    CHECK(*out == std::string(head) +
                      "architectures:\n- arch: x86_64\n  sdk: x86-64\n- arch: mips_24kc\n  sdk: ath79-generic\n\n# tail\nsafety_margin: 30m\n");
  }

  TEST_CASE("an inline list gets one more item before its bracket") {
    const std::string text = std::string(head) + "architectures: [{arch: x86_64, sdk: x86-64}]\n";
    auto out = append(text, {{"arch", "mips_24kc"}, {"sdk", "ath79-generic"}});
    REQUIRE(out);
    CHECK(*out == std::string(head) + "architectures: [{arch: x86_64, sdk: x86-64}, {arch: mips_24kc, sdk: ath79-generic}]\n");
  }

  TEST_CASE("a file without a final newline") {
    const std::string text = std::string(head) + "architectures:\n  - {arch: x86_64, sdk: x86-64}";
    auto out = append(text, {{"arch", "mips_24kc"}, {"sdk", "ath79-generic"}});
    REQUIRE(out);
    CHECK(*out == std::string(head) + "architectures:\n  - {arch: x86_64, sdk: x86-64}\n  - {arch: mips_24kc, sdk: ath79-generic}\n");
  }

  TEST_CASE("a value that would not read back as text is refused with the loader's error") {
    const std::string text = std::string(head) + "architectures:\n  - {arch: x86_64, sdk: x86-64}\n";
    auto out = append(text, {{"arch", "mips 24kc"}, {"sdk", "ath79-generic"}});
    REQUIRE_FALSE(out);
    CHECK(forgeline::util::format(out.error().front()) ==
          "m.yaml:8:12: error: /architectures/1/arch: must be a name: letters, digits, '.', '_', '+' and '-', starting "
          "with a letter or digit");
  }

  TEST_CASE("the new entry ends its lines as the file does: CRLF, or a lone CR") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"architectures:\n  - {arch: x86_64, sdk: x86-64}\n# end\n",
         "architectures:\n  - {arch: x86_64, sdk: x86-64}\n  - {arch: mips_24kc, sdk: ath79-generic}\n# end\n"},
        {"architectures:\n  - arch: x86_64\n    sdk: x86-64\n# end\n",
         "architectures:\n  - arch: x86_64\n    sdk: x86-64\n  - arch: mips_24kc\n    sdk: ath79-generic\n# end\n"},
        {"architectures:\n  - {arch: x86_64, sdk: x86-64}", "architectures:\n  - {arch: x86_64, sdk: x86-64}\n  - {arch: mips_24kc, sdk: ath79-generic}\n"},
    };
    for (const std::string brk : {"\r\n", "\r"}) {
      auto with_breaks = [&](const std::string& lf) {
        std::string out;
        for (char c : lf) out += c == '\n' ? brk : std::string(1, c);
        return out;
      };
      for (const auto& [before, after] : cases) {
        auto out = append(with_breaks(std::string(head) + before), {{"arch", "mips_24kc"}, {"sdk", "ath79-generic"}});
        REQUIRE(out);
        CHECK(*out == with_breaks(std::string(head) + after));
      }
    }
  }

  TEST_CASE("a byte order mark stays in front and does not shift the edit") {
    const std::string text = "\xEF\xBB\xBF" "architectures: [{arch: x86_64, sdk: x86-64}]\n" + std::string(head);
    auto out = append(text, {{"arch", "mips_24kc"}, {"sdk", "ath79-generic"}});
    REQUIRE(out);
    CHECK(*out == "\xEF\xBB\xBF" "architectures: [{arch: x86_64, sdk: x86-64}, {arch: mips_24kc, sdk: ath79-generic}]\n" +
                      std::string(head));
  }
}
