#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::render {

/// Where template text comes from: the templates compiled into the binary, each replaced
/// by the file at the same relative path under the override directory when one exists.
class TemplateSource {
 public:
  explicit TemplateSource(std::optional<std::filesystem::path> override_dir = std::nullopt);
  /// Text and the file name errors should name, for "openwrt/build-package.yml" or
  /// "partials/image-name"; nullopt when neither the override nor the binary has it.
  struct Text {
    std::string text;
    std::string file;
  };
  util::Result<Text> load(const std::string& name) const;

 private:
  std::optional<std::filesystem::path> override_dir_;
};

/// A file's body as the templates produced it, before the output stage adds its header.
struct Rendered {
  std::string path;
  std::string body;
  plan::FileKind kind = plan::FileKind::text;
  bool executable = false;
};

/// Renders every file of a plan. Templates use <% %> delimiters (so GitHub's ${{ }} is
/// plain text), place values without escaping, and include partials with <%> name %>.
util::Result<std::vector<Rendered>> render(const plan::Plan& plan, const TemplateSource& templates);
/// render(), releasing each file's values as soon as it is rendered: a long stage chain's
/// values would otherwise stay in memory beside every rendered text.
util::Result<std::vector<Rendered>> render_releasing(plan::Plan& plan, const TemplateSource& templates);

/// Renders one template text with values; `file` names it in errors.
util::Result<std::string> render_text(const std::string& text, const std::string& file, const nlohmann::json& values,
                                      const TemplateSource& templates);

}  // namespace forgeline::render
