#pragma once

#include <string>

#include "model/project.hpp"

namespace forgeline::plan {

/// The `runs-on:` value as YAML: a bare label, or a flow list of labels.
std::string runs_on(const model::Runner& runner);

}  // namespace forgeline::plan
