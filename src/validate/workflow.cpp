#include "validate/workflow.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "schema/check.hpp"
#include "util/yaml_json.hpp"
#include "validate/ignores.hpp"
#include "validate/lints.hpp"

namespace forgeline::validate {

namespace {

util::Diagnostic with_rule(util::Diagnostic d, std::string_view rule) {
  d.rule = rule;
  d.severity = find_rule(rule)->severity;
  return d;
}

// Whether `pointer` is `base` or inside it.
bool within(std::string_view pointer, std::string_view base) {
  return pointer == base || (pointer.starts_with(base) && pointer.size() > base.size() && pointer[base.size()] == '/');
}

// `/on/EVENT/KEY` for an event other than workflow_call. GitHub's parser reads the settings of
// events loosely (workflow-v1.0.json, `on-mapping`: any key, any value, only workflow_call
// checked; the strict `on-mapping-strict` serves editors), so a key the event does not
// document is no reason to reject the file: helm/helm's release.yml runs with `create: {tags}`.
bool event_setting(std::string_view pointer) {
  if (!pointer.starts_with("/on/")) return false;
  const std::string_view rest = pointer.substr(4);
  const std::size_t slash = rest.find('/');
  return slash != std::string_view::npos && rest.find('/', slash + 1) == std::string_view::npos &&
         rest.substr(0, slash) != "workflow_call";
}

}  // namespace

util::YamlLimits own_output_limits() {
  util::YamlLimits limits;
  limits.max_bytes = 256 * 1024 * 1024;
  limits.max_nodes = 50'000'000;
  limits.max_value_bytes = 64 * 1024 * 1024;
  return limits;
}

util::Diagnostics check_workflow(std::string_view text, const std::string& file, const CheckOptions& options) {
  util::Diagnostics out;
  auto doc = util::parse_yaml(text, file, options.yaml);
  if (!doc) {
    for (util::Diagnostic& d : doc.error()) out.push_back(with_rule(std::move(d), "yaml"));
  } else {
    // Where the schema found a value malformed, lints would only repeat it in other words: they
    // say nothing more at that value, nor inside a key the schema does not know.
    std::vector<std::string> malformed;
    std::vector<std::string> unknown;
    for (schema::LocatedError& e : schema::locate_errors(schema::bundled_schema("schemas/workflow.schema.json"), *doc)) {
      const bool unknown_key = e.error.message.starts_with("unknown key");
      if (unknown_key) unknown.push_back(e.error.pointer);
      else if (!e.error.message.starts_with("missing required key")) malformed.push_back(e.error.pointer);
      const bool setting = unknown_key && event_setting(e.error.pointer);
      out.push_back(with_rule(util::error_at(std::move(e.where),
                                             fmt::format("{}: {}{}", e.error.pointer.empty() ? "/" : e.error.pointer,
                                                         e.error.message,
                                                         setting ? ": GitHub accepts it, but the event documents no such "
                                                                   "setting"
                                                                 : "")),
                              setting ? "event-setting" : "schema"));
    }
    std::vector<Finding> findings;
    try {
      findings = lint_workflow(*doc, text, LintOptions{options.folder});
    } catch (const nlohmann::json::exception&) {
      // A lint met a shape it did not expect; only a document the schema rejected can have one.
      if (out.empty()) throw;
    }
    for (Finding& f : findings) {
      if (std::find(malformed.begin(), malformed.end(), f.pointer) != malformed.end() ||
          std::any_of(unknown.begin(), unknown.end(), [&](const std::string& u) { return within(f.pointer, u); }))
        continue;
      const Rule* rule = find_rule(f.rule);
      out.push_back(util::Diagnostic{std::move(f.where), fmt::format("{}: {}", f.pointer.empty() ? "/" : f.pointer, f.message),
                                     rule->severity, std::move(f.rule)});
    }
  }
  std::erase_if(out, [&](const util::Diagnostic& d) { return !options.rules.runs(d.rule); });
  out = apply_suppressions(std::move(out), text, file, options.rules);
  util::sort(out);
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) {
                          return a.where.line == b.where.line && a.where.column == b.where.column &&
                                 a.message == b.message && a.rule == b.rule;
                        }),
            out.end());
  return out;
}

}  // namespace forgeline::validate
