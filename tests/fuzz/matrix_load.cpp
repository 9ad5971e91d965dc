// Fuzz target: the matrix loader (YAML → JSON with its limits, the unsafe-value scan, the
// bundled matrix schema, duplicate entries), then the entries check names and the model
// built from a matrix that loaded. Any input must give a value or diagnostics: a crash,
// an uncaught exception, a sanitizer report, a hang or a blown memory limit is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "matrix/entries.hpp"
#include "matrix/load.hpp"
#include "model/build.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = forgeline::matrix::load(text, "fuzz.yaml");
  if (!loaded) return 0;
  (void)forgeline::matrix::encode(forgeline::matrix::entries(*loaded));
  (void)forgeline::model::build(*loaded);
  return 0;
}
