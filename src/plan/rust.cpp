#include "plan/rust.hpp"

namespace forgeline::plan {

util::Result<Plan> plan_rust_builder(const model::RustBuilder&, const std::string& matrix_path, const Options&) {
  return std::unexpected(util::Diagnostics{
      util::error_at({matrix_path, 0, 0}, "the rust-builder family is not implemented yet")});
}

}  // namespace forgeline::plan
