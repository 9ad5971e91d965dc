#pragma once

#include "cli/command.hpp"
#include "cli/pipeline.hpp"

namespace forgeline::cli {

struct CheckOptions {
  Sources sources;
  std::string format = "text";
};

Command setup_check(CheckOptions& options);
/// 0 when every generated file is current, 1 when one is stale, missing, edited by hand,
/// foreign or an orphan (explained in the maintainer's terms, with a diff), 2 on an input
/// error. Writes nothing.
int run_check(const CheckOptions& options);

}  // namespace forgeline::cli
