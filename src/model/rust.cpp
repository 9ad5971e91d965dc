#include "model/rust.hpp"

#include <fmt/format.h>

#include "model/build.hpp"
#include "util/strings.hpp"

namespace forgeline::model {

namespace {

using nlohmann::json;

std::vector<std::string> string_list(const json& object, const char* key, std::vector<std::string> fallback = {}) {
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  std::vector<std::string> out;
  for (const auto& v : *it) out.push_back(v.get<std::string>());
  return out;
}

/// The install method each tool gets, and the entries whose keys contradict each other or
/// the rest of the matrix.
void choose_install_methods(RustBuilder& b, const json& tools, const util::SourceMap& marks,
                            util::Diagnostics& problems) {
  bool have_binstall = false;
  for (const auto& t : tools) have_binstall = have_binstall || t["name"] == "cargo-binstall";
  for (std::size_t i = 0; i < tools.size(); ++i) {
    const json& t = tools[i];
    const std::string pointer = util::pointer_append("/tools", i);
    RustTool tool{t["name"].get<std::string>(), t["version"].get<std::string>(), RustTool::Install::cargo,
                  t.value("url", ""), t.value("bin", t["name"].get<std::string>()), marks.value_at(pointer)};
    const std::string install = t.value("install", "");
    if (!tool.url.empty()) {
      tool.install = RustTool::Install::prebuilt;
      if (!install.empty())
        problems.push_back(util::error_at(marks.value_at(pointer + "/install"),
                                          fmt::format("{}/install: a tool with a url is downloaded from it; remove "
                                                      "install or url",
                                                      pointer)));
      if (!util::contains(tool.url, "${version}"))
        problems.push_back(util::error_at(marks.value_at(pointer + "/url"),
                                          fmt::format("{}/url: must contain ${{version}}, so that the version pins "
                                                      "what is downloaded",
                                                      pointer)));
    } else if (install == "binstall") {
      tool.install = RustTool::Install::binstall;
      if (!have_binstall)
        problems.push_back(util::error_at(marks.value_at(pointer + "/install"),
                                          fmt::format("{}/install: binstall needs cargo-binstall in tools", pointer)));
    }
    // mold and sccache are also configured for cargo, so they have keys of their own.
    for (const char* own : {"mold", "sccache"})
      if (tool.name == own)
        problems.push_back(util::error_at(
            marks.value_at(pointer + "/name"),
            fmt::format("{}/name: {} has its own key ({}: <version>), which also configures cargo for it; remove "
                        "this entry",
                        pointer, own, own)));
    b.tools.push_back(std::move(tool));
  }
}

}  // namespace

util::Result<RustBuilder> rust_builder_from(const matrix::Matrix& m) {
  const json& doc = m.doc.value;
  util::Diagnostics problems;
  RustBuilder b;
  b.image = image_from(doc["image"].get<std::string>());
  b.platform = doc.value("platform", b.platform);
  b.toolchain = doc.value("rust", b.toolchain);
  b.components = string_list(doc, "components", {"clippy", "rustfmt"});
  b.packages = string_list(doc, "packages");
  b.mold = doc.value("mold", "");
  b.sccache = doc.value("sccache", "");
  // The image is built natively: an arm64 image on a hosted arm64 runner, without emulation.
  b.runner = runner_from(doc, b.platform == "linux/arm64" ? "ubuntu-24.04-arm" : "ubuntu-24.04");
  if (auto c = doc.find("cleanup"); c != doc.end()) b.retention_days = c->value("retention_days", b.retention_days);
  if (auto tools = doc.find("tools"); tools != doc.end()) choose_install_methods(b, *tools, m.doc.marks, problems);
  if (auto crates = doc.find("prewarm"); crates != doc.end())
    for (const auto& c : *crates)
      b.prewarm.push_back({c["crate"].get<std::string>(), c["version"].get<std::string>(), string_list(c, "features")});

  if (auto runner = doc.find("runner"); runner != doc.end() && runner->is_object()) {
    if (auto v = runner->find("volumes"); v != runner->end()) {
      b.volumes = {v->value("cargo", ""), v->value("sccache", "")};
      // Hosted runners start empty every time: there is nothing to mount.
      if (!b.runner.self_hosted)
        problems.push_back(util::error_at(m.doc.marks.value_at("/runner/volumes"),
                                          "/runner/volumes: persistent volumes need a self-hosted runner; add "
                                          "self-hosted to /runner/labels"));
      if (!b.volumes.sccache.empty() && b.sccache.empty())
        problems.push_back(util::error_at(m.doc.marks.value_at("/runner/volumes/sccache"),
                                          "/runner/volumes/sccache: needs sccache: <version>, which installs and "
                                          "configures sccache"));
    }
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return b;
}

}  // namespace forgeline::model
