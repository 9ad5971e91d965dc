#pragma once

#include <string>
#include <string_view>

#include "model/project.hpp"
#include "plan/plan.hpp"

namespace forgeline::plan {

/// The Rust builder image workflow (build-rust-image.yml), its Dockerfile and cargo
/// configuration, the cache cleanup (cleanup-cache.yml), and CI inside the image (rust-ci.yml).
util::Result<Plan> plan_rust_builder(const model::RustBuilder& builder, const std::string& matrix_path,
                                     const Options& options);

/// The Dockerfile ARG that pins a tool: "cargo-chef" → "CARGO_CHEF_VERSION".
std::string version_arg(std::string_view tool);

/// A tool's release URL as the Dockerfile downloads it: ${version} becomes the tool's ARG,
/// ${target} the Rust host triple and ${arch} the CPU name of the image's platform.
std::string download_url(const model::RustTool& tool, const std::string& platform);

/// Rust host triple of an image platform: linux/amd64 → x86_64-unknown-linux-gnu.
std::string host_triple(const std::string& platform);

}  // namespace forgeline::plan
