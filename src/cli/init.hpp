#pragma once

#include <optional>
#include <string>

// Only the command's own .cpp binds flags, so CLI11 (large and header-only) is compiled there alone.
namespace CLI {
class App;
}

namespace forgeline::cli {

struct InitOptions {
  std::string family;
  std::optional<std::string> matrix;  // default: matrices/<family>.yaml
};

CLI::App* setup_init(CLI::App& app, InitOptions& options);
/// Writes a commented starting matrix for a family; never overwrites a file.
int run_init(const InitOptions& options);

}  // namespace forgeline::cli
