// Fuzz target: everything `forgeline validate` runs on one workflow text — YAML with its
// limits, the bundled workflow schema, then the lints. Local reusable calls are not
// resolved, so no file is read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "validate/workflow.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)forgeline::validate::check_workflow(text, "fuzz.yml");
  return 0;
}
