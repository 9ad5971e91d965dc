#include "render/render.hpp"

#include <map>
#include <set>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "util/files.hpp"
#include "util/resources.hpp"

namespace forgeline::render {

namespace mustache = kainjow::mustache;

namespace {

constexpr std::string_view delimiters = "{{=<% %>=}}";

util::Location location_of_offset(const std::string& text, std::size_t offset, const std::string& file) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  return {file, line, column};
}

/// kainjow reports "... at <offset>" into the text it parsed; turn that into file:line:col.
util::Diagnostic template_error(const std::string& message, const std::string& text, const std::string& file) {
  std::size_t offset = 0;
  std::string what = message;
  if (auto at = message.rfind(" at "); at != std::string::npos) {
    offset = std::stoul(message.substr(at + 4));
    offset = offset >= delimiters.size() ? offset - delimiters.size() : 0;
    what = message.substr(0, at);
  }
  return util::error_at(location_of_offset(text, offset, file), fmt::format("template: {}", what));
}

mustache::data to_data(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data d{mustache::data::type::object};
      for (const auto& [key, child] : value.items()) d.set(key, to_data(child));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mustache::data d{mustache::data::type::list};
      for (const auto& child : value) d.push_back(to_data(child));
      return d;
    }
    case nlohmann::json::value_t::string:
      return mustache::data{value.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? mustache::data{mustache::data::type::bool_true}
                               : mustache::data{mustache::data::type::bool_false};
    case nlohmann::json::value_t::null:
      return mustache::data{mustache::data::type::bool_false};
    default:
      return mustache::data{value.dump()};
  }
}

/// Partial names a template includes, with the offset of each, so a missing partial is an
/// error instead of kainjow's silent empty string.
std::vector<std::pair<std::string, std::size_t>> partial_names(const std::string& text) {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (auto at = text.find("<%>"); at != std::string::npos; at = text.find("<%>", at + 3)) {
    const auto end = text.find("%>", at + 3);
    if (end == std::string::npos) break;
    std::string name = text.substr(at + 3, end - at - 3);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    out.emplace_back(std::move(name), at);
  }
  return out;
}

struct Partial {
  std::string name;
  TemplateSource::Text source;
};

util::Result<std::vector<Partial>> collect_partials(const std::string& text, const std::string& file,
                                                    const TemplateSource& templates, std::set<std::string>& seen) {
  std::vector<Partial> out;
  util::Diagnostics problems;
  for (const auto& [name, offset] : partial_names(text)) {
    if (!seen.insert(name).second) continue;
    auto loaded = templates.load("partials/" + name);
    if (!loaded) {
      problems.push_back(util::error_at(location_of_offset(text, offset, file),
                                        fmt::format("template: unknown partial '{}'", name)));
      continue;
    }
    mustache::mustache check(std::string(delimiters) + loaded->text);
    if (!check.is_valid()) {
      problems.push_back(template_error(check.error_message(), loaded->text, loaded->file));
      continue;
    }
    auto nested = collect_partials(loaded->text, loaded->file, templates, seen);
    if (!nested) problems.insert(problems.end(), nested.error().begin(), nested.error().end());
    else out.insert(out.end(), nested->begin(), nested->end());
    out.push_back({name, std::move(*loaded)});
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return out;
}

}  // namespace

TemplateSource::TemplateSource(std::optional<std::filesystem::path> override_dir)
    : override_dir_(std::move(override_dir)) {}

util::Result<TemplateSource::Text> TemplateSource::load(const std::string& name) const {
  const std::string relative = name + ".mustache";
  if (override_dir_) {
    const auto path = *override_dir_ / relative;
    if (std::filesystem::exists(path)) {
      auto text = util::read_file(path);
      if (!text)
        return std::unexpected(util::Diagnostics{util::error_at({path.string(), 0, 0}, fmt::format("cannot read template: {}", text.error()))});
      return Text{std::move(*text), path.string()};
    }
  }
  const std::string builtin = "templates/" + relative;
  if (auto text = util::resource(builtin)) return Text{std::string(*text), builtin};
  return std::unexpected(util::Diagnostics{util::error_at({builtin, 0, 0}, "no such template")});
}

util::Result<std::string> render_text(const std::string& text, const std::string& file, const nlohmann::json& values,
                                      const TemplateSource& templates) {
  mustache::mustache tmpl(std::string(delimiters) + text);
  if (!tmpl.is_valid()) return std::unexpected(util::Diagnostics{template_error(tmpl.error_message(), text, file)});
  tmpl.set_custom_escape([](const std::string& s) { return s; });

  std::set<std::string> seen;
  auto partials = collect_partials(text, file, templates, seen);
  if (!partials) return std::unexpected(std::move(partials.error()));

  mustache::data data = to_data(values);
  for (const auto& p : *partials) {
    // The including line keeps its own newline, as a standalone section tag line does.
    std::string body = std::string(delimiters) + p.source.text;
    if (body.ends_with('\n')) body.pop_back();
    data.set(p.name, mustache::partial([body] { return body; }));
  }
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) return std::unexpected(util::Diagnostics{template_error(tmpl.error_message(), text, file)});
  return out;
}

util::Result<std::vector<Rendered>> render(const plan::Plan& plan, const TemplateSource& templates) {
  std::vector<Rendered> out;
  util::Diagnostics problems;
  for (const plan::File& f : plan.files) {
    auto source = templates.load(f.template_name);
    if (!source) {
      problems.insert(problems.end(), source.error().begin(), source.error().end());
      continue;
    }
    auto body = render_text(source->text, source->file, f.values, templates);
    if (!body) {
      problems.insert(problems.end(), body.error().begin(), body.error().end());
      continue;
    }
    out.push_back({f.path, std::move(*body), f.kind, f.executable});
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return out;
}

}  // namespace forgeline::render
