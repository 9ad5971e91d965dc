#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "plan/split.hpp"

using forgeline::plan::Budget;
using forgeline::plan::shard;
using forgeline::plan::split_work;
using forgeline::plan::Work;

namespace {

const Budget hosted{360, 30, "ubuntu-24.04-arm", false};

Work work(std::string name, int minutes, std::vector<forgeline::model::SplitPoint> split = {}) {
  Work w;
  w.name = std::move(name);
  w.estimate_minutes = minutes;
  w.split = std::move(split);
  return w;
}

std::vector<std::string> names(const forgeline::plan::SplitJob& job) {
  std::vector<std::string> out;
  for (const auto& s : job.segments) out.push_back(s.target.empty() ? s.work : s.work + ":" + s.target);
  return out;
}

std::string error_of(const std::vector<Work>& w, const Budget& budget) {
  auto jobs = split_work(w, budget);
  REQUIRE_FALSE(jobs);
  REQUIRE(jobs.error().size() == 1);
  return forgeline::util::format(jobs.error().front());
}

}  // namespace

TEST_SUITE("plan::split") {
  TEST_CASE("a chain that fits the budget is one job") {
    auto jobs = split_work({work("base", 30), work("qt", 90), work("app", 10)}, hosted);
    REQUIRE(jobs);
    REQUIRE(jobs->size() == 1);
    CHECK(names(jobs->at(0)) == std::vector<std::string>{"base", "qt", "app"});
    CHECK(jobs->at(0).estimate_minutes == 130);
    CHECK(jobs->at(0).timeout_minutes == 160);
    CHECK(jobs->at(0).note == "");
    CHECK(jobs->at(0).segments.back().ends_work);
  }

  TEST_CASE("a chain past the budget is packed greedily into consecutive jobs") {
    std::vector<Work> w = {work("tools/install", 45), work("toolchain/install", 90), work("rust-host", 240)};
    for (auto& x : w) x.kind = "factory stage";
    auto jobs = split_work(w, hosted);
    REQUIRE(jobs);
    REQUIRE(jobs->size() == 2);
    CHECK(names(jobs->at(0)) == std::vector<std::string>{"tools/install", "toolchain/install"});
    CHECK(jobs->at(0).estimate_minutes == 135);
    CHECK(jobs->at(0).timeout_minutes == 165);
    CHECK(names(jobs->at(1)) == std::vector<std::string>{"rust-host"});
    CHECK(jobs->at(1).timeout_minutes == 270);
    CHECK(jobs->at(1).note ==
          "new job: factory stage 'rust-host' (4h) would take the previous job from 2h 15m past the 5h 30m budget");
  }

  TEST_CASE("three jobs when every pair passes the budget") {
    auto jobs = split_work({work("a", 200), work("b", 200), work("c", 200)}, hosted);
    REQUIRE(jobs);
    REQUIRE(jobs->size() == 3);
    CHECK(names(jobs->at(2)) == std::vector<std::string>{"c"});
  }

  TEST_CASE("a job filled to exactly the budget takes the next stage no more") {
    auto jobs = split_work({work("a", 300), work("b", 30), work("c", 1)}, hosted);
    REQUIRE(jobs);
    REQUIRE(jobs->size() == 2);
    CHECK(jobs->at(0).estimate_minutes == 330);
    CHECK(jobs->at(0).timeout_minutes == 360);
    CHECK(names(jobs->at(1)) == std::vector<std::string>{"c"});
  }

  TEST_CASE("a stage over the budget is cut at its split points, the rest after the last") {
    auto jobs = split_work({work("base", 30), work("qt", 450, {{"qt-configure", 60, {}}, {"qtbase", 240, {}}})},
                           hosted);
    REQUIRE(jobs);
    REQUIRE(jobs->size() == 2);
    CHECK(names(jobs->at(0)) == std::vector<std::string>{"base", "qt:qt-configure", "qt:qtbase"});
    CHECK(jobs->at(0).estimate_minutes == 330);
    CHECK_FALSE(jobs->at(0).segments.back().ends_work);
    CHECK(jobs->at(0).note == "stage 'qt' needs 7h 30m, over the 5h 30m budget: this job builds it up to target 'qtbase'");
    CHECK(names(jobs->at(1)) == std::vector<std::string>{"qt"});
    CHECK(jobs->at(1).estimate_minutes == 150);
    CHECK(jobs->at(1).segments.back().ends_work);
    CHECK(jobs->at(1).note ==
          "stage 'qt' needs 7h 30m, over the 5h 30m budget: this job builds it from target 'qtbase' to its end");
  }

  TEST_CASE("split points that cover the whole estimate: the last one ends the stage") {
    auto jobs = split_work({work("qt", 400, {{"one", 200, {}}, {"two", 200, {}}})}, hosted);
    REQUIRE(jobs);
    REQUIRE(jobs->size() == 2);
    CHECK(names(jobs->at(1)) == std::vector<std::string>{"qt:two"});
    CHECK(jobs->at(1).segments.back().ends_work);
    CHECK(jobs->at(1).note ==
          "stage 'qt' needs 6h 40m, over the 5h 30m budget: this job builds it from target 'one' to its end");
  }

  TEST_CASE("an indivisible stage over the budget names itself, its estimate and the budget") {
    Work qt = work("qt", 450);
    qt.pointer = "/stages/1";
    qt.where = {"matrices/x.yaml", 7, 5};
    CHECK(error_of({work("base", 30), qt}, hosted) ==
          "matrices/x.yaml:7:5: error: /stages/1: stage 'qt' needs 7h 30m but a job on ubuntu-24.04-arm may run 5h 30m "
          "(6h limit − 30m margin); declare split points or use a self-hosted runner with a larger job_limit");
  }

  TEST_CASE("a split segment over the budget points at its split point") {
    Work qt = work("qt", 500, {{"qtbase", 400, {"m.yaml", 9, 11}}});
    qt.pointer = "/stages/1";
    CHECK(error_of({qt}, hosted) ==
          "m.yaml:9:11: error: /stages/1/split/0: split point 'qtbase' of stage 'qt' needs 6h 40m but a job on "
          "ubuntu-24.04-arm may run 5h 30m (6h limit − 30m margin); add split points inside it or use a self-hosted "
          "runner with a larger job_limit");
  }

  TEST_CASE("the rest after the last split point over the budget points at the stage") {
    Work qt = work("qt", 500, {{"configure", 30, {}}});
    qt.pointer = "/stages/0";
    qt.where = {"m.yaml", 4, 5};
    CHECK(error_of({qt}, hosted) ==
          "m.yaml:4:5: error: /stages/0: stage 'qt' after its last split point 'configure' needs 7h 50m but a job on "
          "ubuntu-24.04-arm may run 5h 30m (6h limit − 30m margin); declare split points closer to its end or use a "
          "self-hosted runner with a larger job_limit");
  }

  TEST_CASE("a self-hosted runner with a larger limit takes the stage in one job") {
    const Budget big{12 * 60, 30, "[self-hosted, linux, arm64]", true};
    auto jobs = split_work({work("base", 30), work("qt", 450), work("app", 10)}, big);
    REQUIRE(jobs);
    REQUIRE(jobs->size() == 1);
    CHECK(jobs->at(0).timeout_minutes == 520);
  }

  TEST_CASE("a self-hosted runner that is still too short suggests raising its limit") {
    const Budget small{4 * 60, 60, "[self-hosted, linux]", true};
    Work qt = work("qt", 200);
    qt.pointer = "/stages/0";
    qt.where = {"m.yaml", 6, 5};
    CHECK(error_of({qt}, small) ==
          "m.yaml:6:5: error: /stages/0: stage 'qt' needs 3h 20m but a job on [self-hosted, linux] may run 3h (4h limit "
          "− 1h margin); declare split points or raise the runner's job_limit");
  }

  TEST_CASE("every problem is reported, not only the first") {
    Work a = work("a", 400), b = work("b", 500);
    a.pointer = "/stages/0", b.pointer = "/stages/1";
    auto jobs = split_work({a, b}, hosted);
    REQUIRE_FALSE(jobs);
    CHECK(jobs.error().size() == 2);
  }

  TEST_CASE("timeouts: estimate plus margin, capped at the limit") {
    CHECK(forgeline::plan::timeout_for(90, hosted) == 120);
    CHECK(forgeline::plan::timeout_for(340, hosted) == 360);
    CHECK(forgeline::plan::timeout_for(0, hosted) == 30);
  }

  TEST_CASE("600 combinations: three shards of 200, contiguous, each at most 256") {
    auto shards = shard(600);
    REQUIRE(shards.size() == 3);
    std::size_t next = 0;
    for (const auto& s : shards) {
      CHECK(s.begin == next);
      CHECK(s.end - s.begin == 200);
      next = s.end;
    }
    CHECK(next == 600);
  }

  TEST_CASE("shard sizes at the edges") {
    CHECK(shard(0).empty());
    REQUIRE(shard(256).size() == 1);
    CHECK(shard(256)[0].end == 256);
    auto two = shard(257);
    REQUIRE(two.size() == 2);
    CHECK(two[0].end - two[0].begin == 129);
    CHECK(two[1].end - two[1].begin == 128);
    auto small = shard(7, 3);
    REQUIRE(small.size() == 3);
    CHECK(small[0].end == 3);
    CHECK(small[1].end == 5);
    CHECK(small[2].end == 7);
  }
}
