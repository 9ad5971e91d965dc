#include "output/orphans.hpp"

#include <algorithm>

#include "util/files.hpp"

namespace forgeline::output {

namespace fs = std::filesystem;

std::vector<Orphan> find_orphans(const std::set<fs::path>& produced, const std::set<std::string>& matrices) {
  std::set<fs::path> folders;
  for (const auto& p : produced) folders.insert(p.parent_path());
  std::vector<Orphan> out;
  constexpr std::uintmax_t largest_generated_file = 1 << 20;
  for (const auto& folder : folders) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder.empty() ? fs::path(".") : folder, ec)) {
      const fs::path path = folder.empty() ? entry.path().filename() : entry.path();
      if (!entry.is_regular_file(ec) || produced.contains(path) || entry.file_size(ec) > largest_generated_file) continue;
      // A killed run's temporary file carries a header too, but is no output of any matrix.
      if (util::is_temporary_name(path.filename().string())) continue;
      auto text = util::read_file(path);
      if (!text) continue;
      Inspection found = inspect(*text);
      if (found.state == State::foreign) continue;
      if (matrices.contains(found.matrix_path) || !fs::exists(found.matrix_path, ec))
        out.push_back({path, found.matrix_path, found.state});
    }
  }
  std::sort(out.begin(), out.end(), [](const Orphan& a, const Orphan& b) { return a.path < b.path; });
  return out;
}

}  // namespace forgeline::output
