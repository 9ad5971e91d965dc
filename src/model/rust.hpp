#pragma once

#include "matrix/load.hpp"
#include "model/project.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::model {

/// A `rust-builder` matrix as the domain: defaults filled in, each tool's install method
/// chosen, and the combinations the schema cannot see rejected with their place.
util::Result<RustBuilder> rust_builder_from(const matrix::Matrix& m);

}  // namespace forgeline::model
