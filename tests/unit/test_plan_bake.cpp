#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "plan/bake.hpp"

namespace {

using nlohmann::json;
using namespace forgeline::plan;

}  // namespace

TEST_SUITE("plan::bake") {
  TEST_CASE("target names keep letters, digits, '_' and '-'") {
    CHECK(bake_name_safe("6.5.3") == "6_5_3");
    CHECK(bake_name_safe("1.2.0+build-7") == "1_2_0_build-7");
    CHECK(bake_name_safe("qt_6-LTS") == "qt_6-LTS");
  }

  TEST_CASE("a Dockerfile path is given relative to the target's context") {
    CHECK(bake_dockerfile("docker/Dockerfile.arm64", ".") == "docker/Dockerfile.arm64");
    CHECK(bake_dockerfile(".docker/rust-builder/Dockerfile", ".docker/rust-builder") == "Dockerfile");
    CHECK(bake_dockerfile("docker/Dockerfile.app", "src") == "../docker/Dockerfile.app");
  }

  TEST_CASE("values: each matrix value with its tag and target-name forms; absent parts are null") {
    BakeTarget t;
    t.block = "qt";
    t.name = "qt-${qt.id}";
    t.about = {"Stage qt."};
    t.axes = {{"qt", {"6.5.3", "6.8+lts"}}};
    t.context = ".";
    t.dockerfile = "docker/Dockerfile.qt";
    t.platform = "linux/arm64";
    t.args = {{"QT", "${qt.value}"}};
    t.tags = {"${IMAGE}/qt:${qt.tag}"};
    const json v = bake_values({"About."}, {{"IMAGE", "localhost", "Where images go."}}, {"qt"}, {t});
    CHECK(v["about"] == json::array({"About."}));
    CHECK(v["variables"] == json::parse(R"([{"name":"IMAGE","default":"localhost","comment":"Where images go."}])"));
    CHECK(v["group"] == json::array({"qt"}));
    const json& out = v["targets"][0];
    CHECK(out["matrix"] == json::parse(R"({"name":"qt-${qt.id}","axes":[{"key":"qt","values":[
        {"value":"6.5.3","tag":"6.5.3","id":"6_5_3"},{"value":"6.8+lts","tag":"6.8-lts","id":"6_8_lts"}]}]})"));
    CHECK(out["args"] == json::parse(R"({"list":[{"key":"QT","value":"${qt.value}"}]})"));
    CHECK(out["contexts"].is_null());
    CHECK(out["inherits"].is_null());
    CHECK(out["stage"].is_null());
    CHECK(out["cache_from"].is_null());
    CHECK(out["tags"] == json::parse(R"({"list":["${IMAGE}/qt:${qt.tag}"]})"));
  }
}
