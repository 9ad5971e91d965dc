#pragma once

#include <optional>
#include <string>

// Only the command's own .cpp binds flags, so CLI11 (large and header-only) is compiled there alone.
namespace CLI {
class App;
}

namespace forgeline::cli {

struct AddArchOptions {
  std::string arch;
  std::optional<std::string> matrix;  // default: the one openwrt-package matrix in matrices/
  std::optional<std::string> sdk;
  std::optional<std::string> rust_target;
  std::string out = ".";
  bool force = false;
};

CLI::App* setup_add_arch(CLI::App& app, AddArchOptions& options);
/// Adds an architecture to an OpenWrt matrix (as a text edit) and regenerates, writing the
/// matrix and every output together or nothing.
int run_add_arch(const AddArchOptions& options);

}  // namespace forgeline::cli
