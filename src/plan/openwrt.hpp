#pragma once

#include "model/project.hpp"
#include "plan/plan.hpp"

namespace forgeline::plan {

/// The factory (publish-builder-image.yml), the assembly line (build-package.yml), the
/// builder Dockerfile and its .dockerignore for an OpenWrt package.
util::Result<Plan> plan_openwrt(const model::OpenwrtPackage& pkg, const std::string& matrix_path,
                                const Options& options);

/// "ipk" before OpenWrt 25, "apk" from 25 on (OpenWrt moved to apk-tools).
std::string package_extension(const std::string& openwrt_version);

}  // namespace forgeline::plan
