#pragma once

namespace forgeline::cli {

/// `git describe --always --dirty` of the source tree forgeline was built from, or "unknown"
/// when it was built outside a git checkout.
extern const char* const build_commit;

}  // namespace forgeline::cli
