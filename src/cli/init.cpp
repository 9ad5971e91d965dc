#include "cli/init.hpp"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "util/files.hpp"
#include "util/resources.hpp"

namespace forgeline::cli {

Command setup_init(InitOptions& options) {
  Command cmd{"init", "Write a commented starting matrix for a family"};
  cmd.option("FAMILY", options.family, "openwrt-package or stage-chain").required().one_of({"openwrt-package", "stage-chain"});
  cmd.option("--matrix", options.matrix, "Where to write it (default: matrices/FAMILY.yaml)");
  return cmd;
}

int run_init(const InitOptions& options) {
  const std::string path = options.matrix.value_or(fmt::format("matrices/{}.yaml", options.family));
  const auto scaffold = util::resource(fmt::format("templates/init/{}.yaml.mustache", options.family));
  if (std::filesystem::exists(path)) {
    std::cerr << fmt::format("forgeline: error: {} already exists; init never overwrites a matrix\n", path);
    return 2;
  }
  std::vector<util::FileWrite> writes = {{path, std::string(*scaffold)}};
  // The scaffold's yaml-language-server line points at the schema beside it.
  const auto schema = std::filesystem::path(path).parent_path() / "matrix.schema.json";
  if (!std::filesystem::exists(schema)) writes.push_back({schema, std::string(*util::resource("schemas/matrix.schema.json"))});
  if (auto written = util::write_all(writes); !written) {
    std::cerr << "forgeline: error: " << written.error() << '\n';
    return 2;
  }
  for (const auto& w : writes) std::cout << "wrote " << w.path.generic_string() << '\n';
  std::cout << fmt::format("next: edit {}, then run forgeline generate --matrix {}\n", path, path);
  return 0;
}

}  // namespace forgeline::cli
