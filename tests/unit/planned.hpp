#pragma once

#include <doctest/doctest.h>

#include <string>

#include "matrix/load.hpp"
#include "model/build.hpp"
#include "plan/plan.hpp"

/// Test support: matrix text taken through load, model and plan; a problem on the way
/// fails the test case with its message.
inline forgeline::plan::Plan plan_of(const std::string& text, const std::string& path) {
  auto m = forgeline::matrix::load(text, path);
  REQUIRE_MESSAGE(m, forgeline::util::format(m.error().front()));
  auto p = forgeline::model::build(*m);
  REQUIRE_MESSAGE(p, forgeline::util::format(p.error().front()));
  auto plan = forgeline::plan::make_plan(*p);
  REQUIRE_MESSAGE(plan, forgeline::util::format(plan.error().front()));
  return *plan;
}
