#include <doctest/doctest.h>

#include <string>

#include "cli/plan.hpp"

namespace {

/// A small hand-made plan: a factory without estimates, then a sharded build.
forgeline::plan::Plan sample() {
  forgeline::plan::Plan p;
  p.matrix_path = "m.yaml";
  p.family = "openwrt-package";
  p.runner = "ubuntu-24.04";
  p.job_limit_minutes = 360;
  p.margin_minutes = 30;
  p.budget_minutes = 330;
  p.jobs.push_back({"f.yml", "factory", {"toolchain/install"}, {}, 0, 360, 3, "", std::nullopt});
  p.jobs.push_back({"b.yml", "build-shard-1", {"compile"}, {"factory"}, 60, 90, 200, "shard 1 of 2", 5});
  p.jobs.push_back({"b.yml", "build-shard-2", {"compile"}, {"factory"}, 45, 75, 199, "shard 2 of 2", std::nullopt});
  return p;
}

}  // namespace

TEST_SUITE("cli::plan") {
  TEST_CASE("text: aligned table, unknown estimates named, every note listed") {
    CHECK(forgeline::cli::plan_text(sample()) ==
          "m.yaml (openwrt-package): jobs on ubuntu-24.04 may run 6h; with a 30m safety margin each job is planned "
          "within 5h 30m\n"
          "\n"
          "JOB            WORKFLOW  RUNS  ESTIMATE        TIMEOUT  NEEDS    CONTAINS\n"
          "factory        f.yml     3     unknown         6h       -        toolchain/install\n"
          "build-shard-1  b.yml     200   1h (5m cached)  1h 30m   factory  compile\n"
          "build-shard-2  b.yml     199   45m             1h 15m   factory  compile\n"
          "\n"
          "critical path: factory → build-shard-1 (1h cold)\n"
          "no estimate for factory: not split, and allowed the whole 6h limit\n"
          "splits:\n"
          "  build-shard-1: shard 1 of 2\n"
          "  build-shard-2: shard 2 of 2\n");
  }

  TEST_CASE("mermaid: one subgraph per workflow, needs as edges, the critical path bold") {
    CHECK(forgeline::cli::plan_mermaid(sample()) ==
          "graph LR\n"
          "  subgraph w1[\"f.yml\"]\n"
          "    j1[\"factory ×3<br/>toolchain/install<br/>unknown, timeout 6h\"]\n"
          "  end\n"
          "  subgraph w2[\"b.yml\"]\n"
          "    j2[\"build-shard-1 ×200<br/>compile<br/>1h (5m cached), timeout 1h 30m\"]\n"
          "    j3[\"build-shard-2 ×199<br/>compile<br/>45m, timeout 1h 15m\"]\n"
          "  end\n"
          "  j1 --> j2\n"
          "  j1 --> j3\n"
          "  classDef critical stroke-width:3px\n"
          "  class j1,j2 critical\n");
  }

  TEST_CASE("json: fixed key order, null for a missing cached estimate") {
    const std::string out = forgeline::cli::plan_json({sample()});
    CHECK(out.find(R"("matrix": "m.yaml",
    "family": "openwrt-package",
    "runner": "ubuntu-24.04",
    "job_limit_minutes": 360,
    "safety_margin_minutes": 30,
    "budget_minutes": 330,
    "jobs": [)") != std::string::npos);
    CHECK(out.find(R"("cached_minutes": null,)") != std::string::npos);
    CHECK(out.find(R"("cached_minutes": 5,)") != std::string::npos);
    CHECK(out.find(R"("critical_path": {
      "jobs": [
        "factory",
        "build-shard-1"
      ],
      "minutes": 60
    },)") != std::string::npos);
  }
}
