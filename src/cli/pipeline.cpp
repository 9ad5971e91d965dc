#include "cli/pipeline.hpp"

#include <algorithm>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "matrix/load.hpp"
#include "model/build.hpp"
#include "output/generated.hpp"
#include "render/render.hpp"
#include "validate/workflow.hpp"

namespace forgeline::cli {

namespace fs = std::filesystem;

std::vector<std::string> default_matrices() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("matrices", ec))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") out.push_back(entry.path().generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

std::string regenerate_command(const Sources& sources, const std::string& matrix) {
  std::string cmd = fmt::format("forgeline generate --matrix {}", matrix);
  if (sources.out != ".") cmd += fmt::format(" --out {}", sources.out);
  if (sources.templates) cmd += fmt::format(" --templates {}", *sources.templates);
  return cmd;
}

}  // namespace

void report(const util::Diagnostics& diagnostics) {
  util::Diagnostics sorted = diagnostics;
  util::sort(sorted);
  for (const auto& d : sorted) std::cerr << util::format(d) << '\n';
}

util::Result<Produced> produce(const Sources& sources, const std::string& command) {
  std::vector<std::string> matrices = sources.matrices.empty() ? default_matrices() : sources.matrices;
  if (matrices.empty())
    return std::unexpected(util::Diagnostics{util::error_at(
        {"matrices", 0, 0}, fmt::format("no matrix files; pass --matrix FILE or add matrices/*.yaml ({})", command))});
  for (auto& m : matrices) m = fs::path(m).lexically_normal().generic_string();

  render::TemplateSource templates(sources.templates ? std::optional<fs::path>(*sources.templates) : std::nullopt);
  Produced produced;
  util::Diagnostics problems;
  std::map<std::string, std::string> owner;  // output path -> matrix that produces it
  for (const std::string& path : matrices) {
    auto loaded = matrix::load_file(path);
    if (!loaded) {
      problems.insert(problems.end(), loaded.error().begin(), loaded.error().end());
      continue;
    }
    auto project = model::build(*loaded);
    if (!project) {
      problems.insert(problems.end(), project.error().begin(), project.error().end());
      continue;
    }
    auto planned = plan::make_plan(*project);
    if (!planned) {
      problems.insert(problems.end(), planned.error().begin(), planned.error().end());
      continue;
    }
    auto rendered = render::render(*planned, templates);
    if (!rendered) {
      problems.insert(problems.end(), rendered.error().begin(), rendered.error().end());
      continue;
    }
    const output::Provenance provenance{path, regenerate_command(sources, path)};
    for (const auto& file : *rendered) {
      const fs::path target = fs::path(sources.out) / file.path;
      const std::string shown = target.lexically_normal().generic_string();
      if (auto [it, fresh] = owner.emplace(shown, path); !fresh) {
        problems.push_back(util::error_at({path, 0, 0}, fmt::format("{} is also produced by {}", shown, it->second)));
        continue;
      }
      std::string text = output::compose(file, provenance);
      if (file.kind == plan::FileKind::workflow) {
        auto findings = validate::check_workflow(text, shown);
        produced.findings.insert(produced.findings.end(), findings.begin(), findings.end());
      }
      produced.files.push_back({target, file.path, std::move(text), path, file.executable});
    }
    produced.plans.push_back(std::move(*planned));
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return produced;
}

}  // namespace forgeline::cli
