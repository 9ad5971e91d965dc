#pragma once

#include <optional>
#include <string>

#include "cli/command.hpp"

namespace forgeline::cli {

struct AddArchOptions {
  std::string arch;
  std::optional<std::string> matrix;  // default: the one openwrt-package matrix in matrices/
  std::optional<std::string> sdk;
  std::optional<std::string> rust_target;
  std::string out = ".";
  bool force = false;
};

Command setup_add_arch(AddArchOptions& options);
/// Adds an architecture to an OpenWrt matrix (as a text edit) and regenerates, writing the
/// matrix and every output together or nothing.
int run_add_arch(const AddArchOptions& options);

}  // namespace forgeline::cli
