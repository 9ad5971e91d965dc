#include "cli/add_arch.hpp"

#include <iostream>

#include <fmt/format.h>

#include "cli/pipeline.hpp"
#include "matrix/edit.hpp"
#include "model/architectures.hpp"
#include "model/build.hpp"
#include "util/strings.hpp"

namespace forgeline::cli {

namespace {

int usage_error(const std::string& message) {
  std::cerr << "forgeline: error: " << message << '\n';
  return 2;
}

/// The matrix to edit: the one named, or the only openwrt-package matrix in matrices/.
std::expected<std::string, std::string> pick_matrix(const std::optional<std::string>& named) {
  if (named) return *named;
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("matrices", ec)) {
    if (entry.path().extension() != ".yaml") continue;
    auto m = matrix::load_file(entry.path().generic_string());
    if (m && m->family == "openwrt-package") found.push_back(entry.path().generic_string());
  }
  std::sort(found.begin(), found.end());
  if (found.size() == 1) return found.front();
  if (found.empty()) return std::unexpected(std::string("no openwrt-package matrix here; pass --matrix FILE"));
  return std::unexpected(fmt::format("several openwrt-package matrices ({}); pass --matrix FILE", util::join(found, ", ")));
}

}  // namespace

Command setup_add_arch(AddArchOptions& options) {
  Command cmd{"add-arch", "Add an OpenWrt architecture to a matrix and regenerate, in one step"};
  cmd.option("ARCH", options.arch, "OpenWrt package architecture, e.g. mipsel_24kc").required();
  cmd.option("--matrix", options.matrix, "Matrix file (default: the openwrt-package matrix in matrices/)");
  cmd.option("--sdk", options.sdk, "SDK image target, e.g. ramips-mt7621 (needed when several build ARCH)");
  cmd.option("--rust-target", options.rust_target, "Rust target triple (needed for architectures forgeline does not know)");
  cmd.option("--out", options.out, "Directory the outputs go under (default: .)");
  cmd.flag("--force", options.force, "Overwrite generated files that were edited by hand");
  return cmd;
}

/// The characters the matrix schema's `name` allows, checked before anything else so a
/// typo is not reported as an unknown architecture.
bool is_name(const std::string& s) {
  return !s.empty() && std::isalnum(static_cast<unsigned char>(s[0])) &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") == std::string::npos;
}

namespace {

/// The SDK targets of forgeline's table that build `arch`, and the architecture `sdk`
/// builds when the table knows it: every OpenWrt target-subtarget builds packages for
/// exactly one architecture (its ARCH_PACKAGES), so an SDK listed under another one cannot.
std::optional<std::string_view> architecture_of_sdk(std::string_view sdk) {
  for (const auto& known : model::known_architecture_table())
    for (std::string_view s : known.sdks)
      if (s == sdk) return known.arch;
  return std::nullopt;
}

int matrix_error(const util::Location& where, const std::string& message) {
  report({util::error_at(where, message)});
  return 2;
}

}  // namespace

int run_add_arch(const AddArchOptions& options) {
  for (const auto* value : {&options.arch, options.sdk ? &*options.sdk : nullptr,
                            options.rust_target ? &*options.rust_target : nullptr})
    if (value && !is_name(*value))
      return usage_error(fmt::format("'{}' is not a name: use letters, digits, '.', '_', '+' and '-'", *value));
  auto path = pick_matrix(options.matrix);
  if (!path) return matrix_error({"matrices", 0, 0}, path.error());
  auto text = util::read_file(*path);
  if (!text) return matrix_error({*path, 0, 0}, fmt::format("cannot read matrix: {}", text.error()));
  auto loaded = matrix::load(*text, *path);
  if (!loaded) {
    report(loaded.error());
    return 2;
  }
  if (loaded->family != "openwrt-package")
    return matrix_error(loaded->doc.marks.value_at("/family"),
                        fmt::format("this is a {} matrix; add-arch edits openwrt-package matrices", loaded->family));

  const auto& archs = loaded->doc.value["architectures"];
  for (std::size_t i = 0; i < archs.size(); ++i) {
    if (archs[i].value("arch", "") != options.arch) continue;
    const auto where = loaded->doc.marks.value_at(util::pointer_append(util::pointer_append("/architectures", i), "arch"));
    return matrix_error(where, fmt::format("architecture '{}' is already listed", options.arch));
  }

  // Problems with the new entry point at the list it would join.
  const util::Location list = loaded->doc.marks.key_at("/architectures");
  const model::KnownArchitecture* known = model::find_architecture(options.arch);
  std::vector<std::string> choices;
  if (known) choices.assign(known->sdks.begin(), known->sdks.end());
  std::string sdk;
  if (options.sdk) {
    sdk = *options.sdk;
    if (auto builds = architecture_of_sdk(sdk); builds && *builds != options.arch)
      return matrix_error(list, known ? fmt::format("SDK target '{}' builds {} packages, not {}; pass --sdk with one of: {}",
                                                    sdk, *builds, options.arch, util::join(choices, ", "))
                                      : fmt::format("SDK target '{}' builds {} packages, not {}; pass the SDK target "
                                                    "that builds {}",
                                                    sdk, *builds, options.arch, options.arch));
  } else if (!known) {
    return matrix_error(list, fmt::format("forgeline does not know the SDK target for '{}'; pass --sdk (and "
                                          "--rust-target). Known architectures: {}",
                                          options.arch, util::join(model::known_architectures(), ", ")));
  } else if (choices.size() > 1) {
    return matrix_error(list, fmt::format("several SDK targets build {}; pass --sdk with one of: {}", options.arch,
                                          util::join(choices, ", ")));
  } else {
    sdk = choices.front();
  }
  std::vector<std::pair<std::string, std::string>> fields = {{"arch", options.arch}, {"sdk", sdk}};
  const bool wants_rust = loaded->doc.value.value("/toolchain/rust"_json_pointer, true);
  if (options.rust_target) fields.emplace_back("rust_target", *options.rust_target);
  else if (auto target = model::rust_target_for(options.arch)) fields.emplace_back("rust_target", *target);
  else if (wants_rust)
    return matrix_error(list, fmt::format("forgeline does not know the Rust target for '{}'; pass --rust-target. "
                                          "Known architectures: {}",
                                          options.arch, util::join(model::known_architectures(), ", ")));

  auto edited = matrix::append_to_list(*text, *loaded, "architectures", fields);
  if (!edited) {
    report(edited.error());
    return 2;
  }

  Sources sources;
  sources.matrices = {*path};
  sources.out = options.out;
  sources.overrides[std::filesystem::path(*path).lexically_normal().generic_string()] = *edited;
  return generate_and_write(sources, "add-arch", options.force, {{*path, *edited}});
}

}  // namespace forgeline::cli
