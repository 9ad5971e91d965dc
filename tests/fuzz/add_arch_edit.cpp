// Fuzz target: add-arch's text edit. Its promise: the edited text reads back as the old
// document plus the new entry, every byte outside the inserted text is kept, or nothing
// changes (an error). A broken promise aborts, which libFuzzer reports as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include "matrix/edit.hpp"
#include "matrix/load.hpp"

namespace {

[[noreturn]] void broken(const char* promise) {
  std::fprintf(stderr, "add-arch edit broke its promise: %s\n", promise);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto before = forgeline::matrix::load(text, "fuzz.yaml");
  if (!before) return 0;
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"arch", "mipsel_24kc"}, {"sdk", "ramips-mt7621"}, {"rust_target", "mipsel-unknown-linux-musl"}};
  auto edited = forgeline::matrix::append_to_list(text, *before, "architectures", fields);
  if (!edited) return 0;

  auto after = forgeline::matrix::load(*edited, "fuzz.yaml");
  if (!after) broken("the edited text loads");
  nlohmann::json expected = before->doc.value;
  nlohmann::json entry = nlohmann::json::object();
  for (const auto& [key, value] : fields) entry[key] = value;
  expected["architectures"].push_back(entry);
  if (after->doc.value != expected) broken("the edited text reads as the old document plus the entry");

  // One insertion: the old text is a prefix of the new one up to some point, and the rest
  // of the old text is its suffix.
  std::size_t same = 0;
  while (same < text.size() && same < edited->size() && text[same] == (*edited)[same]) ++same;
  const std::string_view rest = text.substr(same);
  if (edited->size() < text.size() || std::string_view(*edited).substr(edited->size() - rest.size()) != rest)
    broken("every byte outside the inserted entry is kept");
  return 0;
}
