#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/load.hpp"
#include "model/project.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::model {

/// Turns a loaded matrix into the domain, filling in defaults (Rust targets, runner limits).
util::Result<Project> build(const matrix::Matrix& m);

/// The matrix's `runner` (a label, or an object with labels and job_limit), or the fallback
/// label, with the job limit those labels allow. Shared by the family builders.
Runner runner_from(const nlohmann::json& doc, const char* fallback_label);

/// Registry host and path of a matrix `image` value, static parts lowercased.
Image image_from(const std::string& reference);

/// The Rust target OpenWrt's lang/rust uses for a package architecture, when known.
std::optional<std::string> rust_target_for(std::string_view openwrt_arch);

/// Every OpenWrt architecture forgeline knows, sorted, for error messages and add-arch.
std::vector<std::string> known_architectures();

/// Minutes in a duration such as "1h30m" (the matrix schema has checked its shape).
int parse_minutes(std::string_view duration);

/// "7h 30m", "6h", "45m", "5d", "1d 2h": how messages and `forgeline plan` show durations.
std::string format_minutes(int minutes);

/// Job limit GitHub enforces on these runner labels: 15 min on ubuntu-slim, 5 days
/// self-hosted, 6 h on other hosted runners.
int default_job_limit(const std::vector<std::string>& labels);

}  // namespace forgeline::model
