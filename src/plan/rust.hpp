#pragma once

#include "model/project.hpp"
#include "plan/plan.hpp"

namespace forgeline::plan {

/// The Rust builder image workflow (build-rust-image.yml), its Dockerfile and cargo
/// configuration, the cache cleanup (cleanup-cache.yml), and CI inside the image (rust-ci.yml).
util::Result<Plan> plan_rust_builder(const model::RustBuilder& builder, const std::string& matrix_path,
                                     const Options& options);

}  // namespace forgeline::plan
