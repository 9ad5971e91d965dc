#include <doctest/doctest.h>

#include <string>

#include "util/yaml_quick.hpp"

using forgeline::util::parse_yaml_with_yaml_cpp;
using forgeline::util::read_simple_yaml;

namespace {

/// Whether the quick reader takes the text, and if it does, that yaml-cpp reads the same
/// value and the same marks from it.
bool read_alike(const std::string& text) {
  const auto quick = read_simple_yaml(text, "w.yml", {});
  if (!quick) return false;
  const auto reference = parse_yaml_with_yaml_cpp(text, "w.yml");
  REQUIRE(reference);
  CHECK(quick->value == reference->value);
  CHECK(quick->marks == reference->marks);
  return true;
}

std::string where(const forgeline::util::Location& l) { return std::to_string(l.line) + ":" + std::to_string(l.column); }

}  // namespace

TEST_SUITE("util::yaml_quick") {
  TEST_CASE("a workflow as people write it is read quickly, exactly as yaml-cpp reads it") {
    CHECK(read_alike(R"(---
# CI
name: CI
on:
  push:
    branches: [main, 'release/**']
  pull_request:
  workflow_dispatch:
    inputs:
      level: {type: choice, default: info, options: [info, debug]}
permissions:
  contents: read
jobs:
  build:
    runs-on: ${{ matrix.os }}  # from the matrix
    strategy:
      matrix:
        os: [ubuntu-24.04, windows-2025]
        include:
        - os: ubuntu-24.04
          coverage: true
    steps:
      - uses: actions/checkout@v5
      - name: "Build \"all\""
        env: {A: 1, B: 'it''s', C: -DFOO=ON}
        run: |
          make all
            indented

          make test
      - run: >-
          folded
          into one line

          and a second
      - run: |+
          kept

  empty:
)"));
  }

  TEST_CASE("an empty value is placed where yaml-cpp's next token begins") {
    const auto doc = read_simple_yaml("on:\n  push:\n  pull_request:\n\n# later\njobs:\n  a:\n", "w.yml", {});
    REQUIRE(doc);
    CHECK(doc->value["on"]["push"].is_null());
    CHECK(where(doc->marks.value_at("/on/push")) == "3:3");
    CHECK(where(doc->marks.key_at("/on/push")) == "2:3");
    CHECK(where(doc->marks.value_at("/on/pull_request")) == "6:1");
    CHECK(where(doc->marks.value_at("/jobs/a")) == "8:1");
  }

  TEST_CASE("a list may sit at its key's indentation, and list items may hold mappings") {
    CHECK(read_alike("a:\n- x\n- k: 1\n  l: [2]\n-\nb: 1\n"));
  }

  TEST_CASE("whatever lies outside the subset is left to yaml-cpp") {
    for (const char* text : {
             "",                                  // empty: yaml-cpp decides
             "a: &x 1\nb: *x\n",                  // anchors and aliases
             "a: !!str 1\n",                      // tags
             "a: b\n  c\n",                       // a plain string over two lines
             "a: \"b\n  c\"\n",                   // a quoted one
             "a: [b,\n  c]\n",                    // a flow list over two lines
             "a: 1\n---\nb: 2\n",                 // a second document
             "a: 1\na: 2\n",                      // a duplicate key: yaml-cpp's path words the error
             "a: b: c\n",                         // an error
             "a: 1\n\tb: 2\n",                    // a tab in the indentation
             "a: |2\n   x\n",                     // an indentation indicator
             "a: 1e999\n",                        // out of range
             "a: \"\\u00e9\"\n",                  // an escape the reader does not decode
             "a: 1",                              // no line break at the end
             "null: 1\n",                         // a key yaml-cpp reads as null
         })
      CHECK_MESSAGE(!read_simple_yaml(text, "w.yml", {}), text);
  }

  TEST_CASE("limits are left to yaml-cpp's reading, which words them") {
    forgeline::util::YamlLimits limits;
    limits.max_depth = 2;
    CHECK(read_simple_yaml("a:\n  b: 1\n", "w.yml", limits));
    CHECK(!read_simple_yaml("a:\n  b:\n    c: 1\n", "w.yml", limits));
    limits = {};
    limits.max_nodes = 5;
    CHECK(read_simple_yaml("a: 1\nb: 2\n", "w.yml", limits));  // the mapping, two keys, two values
    CHECK(!read_simple_yaml("a: 1\nb: 2\nc: 3\n", "w.yml", limits));
    limits = {};
    limits.max_value_bytes = 4;
    CHECK(!read_simple_yaml("a: 12345\n", "w.yml", limits));
    limits = {};
    limits.max_key_bytes = 4;
    CHECK(!read_simple_yaml("abcde: 1\n", "w.yml", limits));
  }
}
