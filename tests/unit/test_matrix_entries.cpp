#include <doctest/doctest.h>

#include <string>

#include "matrix/entries.hpp"

namespace {

std::vector<forgeline::matrix::Entry> entries_of(const std::string& text) {
  auto m = forgeline::matrix::load(text, "m.yaml");
  REQUIRE(m);
  return forgeline::matrix::entries(*m);
}

constexpr const char* base = R"(forgeline: 1
family: openwrt-package
package: p
image: ghcr.io/a/b
openwrt: 24.10.1
architectures:
  - {arch: mips_24kc, sdk: ath79-generic}
  - {arch: x86_64, sdk: x86-64}
)";

std::string with(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

}  // namespace

TEST_SUITE("matrix::entries") {
  TEST_CASE("one entry per architecture plus the settings, in document order") {
    auto e = entries_of(base);
    REQUIRE(e.size() == 3);
    CHECK(e[0].kind == "architecture");
    CHECK(e[0].name == "mips_24kc");
    CHECK(e[0].digest.size() == 8);
    CHECK(forgeline::util::format(e[0].where) == "m.yaml:7:5");
    CHECK(e[2].kind == "settings");
  }

  TEST_CASE("encode and decode round-trip") {
    auto e = entries_of(base);
    auto back = forgeline::matrix::decode(forgeline::matrix::encode(e));
    REQUIRE(back.size() == e.size());
    for (std::size_t i = 0; i < e.size(); ++i) {
      CHECK(back[i].kind == e[i].kind);
      CHECK(back[i].name == e[i].name);
      CHECK(back[i].digest == e[i].digest);
    }
  }

  TEST_CASE("changes are named in the maintainer's terms") {
    using forgeline::matrix::describe_changes;
    auto before = entries_of(base);
    CHECK(describe_changes(before, before).empty());
    auto added = entries_of(with(base, "  - {arch: x86_64, sdk: x86-64}\n",
                                 "  - {arch: x86_64, sdk: x86-64}\n  - {arch: mipsel_24kc, sdk: ramips-mt7621}\n"));
    CHECK(describe_changes(before, added) == std::vector<std::string>{"architecture 'mipsel_24kc' added (m.yaml:9:5)"});
    auto changed = entries_of(with(base, "sdk: ath79-generic", "sdk: ath79-nand"));
    CHECK(describe_changes(before, changed) == std::vector<std::string>{"architecture 'mips_24kc' changed (m.yaml:7:5)"});
    auto removed = entries_of(with(base, "  - {arch: mips_24kc, sdk: ath79-generic}\n", ""));
    CHECK(describe_changes(before, removed) == std::vector<std::string>{"architecture 'mips_24kc' removed"});
    auto settings = entries_of(with(base, "package: p", "package: q"));
    CHECK(describe_changes(before, settings) == std::vector<std::string>{"settings changed"});
  }

  TEST_CASE("stage axis values are entries of their own") {
    auto e = entries_of(R"(forgeline: 1
family: stage-chain
name: arm64
stages:
  - {name: base, dockerfile: d/base, estimate: 30m}
  - {name: qt, from: base, dockerfile: d/qt, estimate: 90m, axes: {qt: ["6.5.3", "6.8.4"]}}
)");
    REQUIRE(e.size() == 5);
    CHECK(e[1].kind == "qt");
    CHECK(e[1].name == "6.5.3");
    CHECK(e[3].kind == "stage");
    CHECK(e[3].name == "qt");
  }

  TEST_CASE("pre-warm crates are entries, so a crate change is named") {
    const std::string rust = "forgeline: 1\nfamily: rust-builder\nimage: ghcr.io/a/b\n"
                             "prewarm:\n  - {crate: tokio, version: \"1\", features: [full]}\n  - {crate: serde, version: \"1\"}\n";
    using forgeline::matrix::describe_changes;
    auto before = entries_of(rust);
    REQUIRE(before.size() == 3);
    CHECK(before[0].kind == "crate");
    CHECK(before[0].name == "tokio");
    auto changed = entries_of(with(rust, "features: [full]", "features: [rt]"));
    CHECK(describe_changes(before, changed) == std::vector<std::string>{"crate 'tokio' changed (m.yaml:5:5)"});
  }
}
