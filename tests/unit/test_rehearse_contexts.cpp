#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <unistd.h>

#include "rehearse/contexts.hpp"
#include "util/sha256.hpp"

using forgeline::rehearse::github_context;
using forgeline::rehearse::hash_files;
using forgeline::rehearse::Options;
using forgeline::rehearse::Source;
using forgeline::rehearse::typed_inputs;
using nlohmann::json;

TEST_SUITE("rehearse::contexts") {
  TEST_CASE("github on a push and on a pull request") {
    Options o;
    o.event = {"push", "main"};
    Source s;
    s.sha = "0123456789abcdef0123456789abcdef01234567";
    auto g = github_context(o, s, "Acme/Widget", "arm64 pipeline", ".github/workflows/arm64-pipeline.yml");
    CHECK(g["ref"] == "refs/heads/main");
    CHECK(g["ref_name"] == "main");
    CHECK(g["repository_owner"] == "Acme");
    CHECK(g["event"]["after"] == s.sha);
    CHECK(g["head_ref"] == "");
    o.event = {"pull_request", "feature", "main"};
    g = github_context(o, s, "Acme/Widget", "w", "w.yml");
    CHECK(g["ref"] == "refs/pull/1/merge");
    CHECK(g["ref_name"] == "1/merge");
    CHECK(g["head_ref"] == "feature");
    CHECK(g["base_ref"] == "main");
    CHECK(g["event"]["pull_request"]["head"]["ref"] == "feature");
  }

  TEST_CASE("inputs: given values typed, defaults for the rest") {
    const json declared = json::parse(R"({
      "force": {"type": "boolean", "default": false},
      "qt": {"type": "choice", "options": ["6.5.3", "6.8.4"], "default": "6.5.3"},
      "jobs": {"type": "number", "default": 2},
      "note": {"type": "string"}})");
    auto in = typed_inputs(declared, {{"force", "true"}, {"qt", "6.8.4"}, {"jobs", "4"}});
    REQUIRE(in);
    CHECK(*in == json::parse(R"({"force": true, "qt": "6.8.4", "jobs": 4.0, "note": ""})"));
    CHECK(typed_inputs(declared, {{"force", json(true)}})->at("force") == true);
    CHECK(typed_inputs(declared, {{"qt", "7"}}).error().message == "input 'qt' must be one of 6.5.3, 6.8.4; got '7'");
    CHECK(typed_inputs(declared, {{"force", "yes"}}).error().message == "input 'force' is a boolean; got 'yes'");
    CHECK(typed_inputs(declared, {{"colour", "red"}}).error().message == "no input 'colour' (inputs: force, jobs, note, qt)");
    CHECK(typed_inputs(json::parse(R"({"x": {"required": true}})"), {}).error().message == "input 'x' is required");
  }

  TEST_CASE("hashFiles: SHA-256 over the files' SHA-256, '' when none match") {
    const auto root = std::filesystem::temp_directory_path() / ("forgeline-hash-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root / "d");
    std::ofstream(root / "d/a.lock") << "a";
    std::ofstream(root / "d/b.lock") << "b";
    auto raw = [](const std::string& hex) {
      std::string out;
      for (std::size_t i = 0; i < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
      return out;
    };
    using forgeline::util::sha256_hex;
    CHECK(hash_files(root, {"**/*.lock"}) == sha256_hex(raw(sha256_hex("a")) + raw(sha256_hex("b"))));
    CHECK(hash_files(root, {"*.none"}).empty());
    std::filesystem::remove_all(root);
  }
}
