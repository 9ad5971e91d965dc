#include "plan/plan.hpp"

#include <type_traits>

#include "plan/openwrt.hpp"
#include "plan/rust.hpp"
#include "plan/stages.hpp"

namespace forgeline::plan {

util::Result<Plan> make_plan(const model::Project& project, const Options& options) {
  return std::visit(
      [&](const auto& family) -> util::Result<Plan> {
        using T = std::decay_t<decltype(family)>;
        if constexpr (std::is_same_v<T, model::OpenwrtPackage>) return plan_openwrt(family, project.matrix_path, options);
        else if constexpr (std::is_same_v<T, model::RustBuilder>) return plan_rust_builder(family, project.matrix_path, options);
        else return plan_stage_chain(family, project.matrix_path, options);
      },
      project.family);
}

}  // namespace forgeline::plan
