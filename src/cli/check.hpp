#pragma once

#include "cli/pipeline.hpp"

// Only the command's own .cpp binds flags, so CLI11 (large and header-only) is compiled there alone.
namespace CLI {
class App;
}

namespace forgeline::cli {

struct CheckOptions {
  Sources sources;
  std::string format = "text";
};

CLI::App* setup_check(CLI::App& app, CheckOptions& options);
/// 0 when every generated file is current, 1 when one is stale, missing, edited by hand,
/// foreign or an orphan (explained in the maintainer's terms, with a diff), 2 on an input
/// error. Writes nothing.
int run_check(const CheckOptions& options);

}  // namespace forgeline::cli
