#include "render/render.hpp"

#include <map>
#include <memory>
#include <set>
#include <type_traits>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "util/files.hpp"
#include "util/json_text.hpp"
#include "util/resources.hpp"

namespace forgeline::render {

namespace mustache = kainjow::mustache;

namespace {

constexpr std::string_view delimiters = "{{=<% %>=}}";

/// Marks a line that held only a section tag; such lines are dropped after rendering.
constexpr char standalone_mark = '\x01';

/// A space of template text outside tags, as kainjow gets it. kainjow's parser makes a
/// component (a string and a tag) of every whitespace character and renders them one by one,
/// which for indented YAML was a third of rendering; spaces handed over as this byte are plain
/// text, and drop_marked_lines() puts them back. Lines with a section or partial tag keep
/// their spaces: kainjow drops such a line when it renders as whitespace only.
constexpr char space_mark = '\x02';

/// Template text as kainjow gets it: the delimiter switch in front, and every line that holds
/// only a section tag (<%#x%>, <%^x%>, <%/x%>) rewritten as the tag, a mark and the newline.
/// The Mustache spec drops such standalone lines; kainjow does for rendered sections but
/// keeps a newline for skipped ones, leaving a blank line per unused section. With the mark
/// kainjow sees no standalone line, and drop_marked_lines() removes them all after rendering.
/// `origin` maps each byte back to the template file, so errors still name the right line.
struct Prepared {
  std::string text;
  std::vector<std::size_t> origin;
};

bool is_section_tag_line(const std::string& text, std::size_t first, std::size_t last) {
  return last > first + 3 && text.compare(first, 2, "<%") == 0 &&
         (text[first + 2] == '#' || text[first + 2] == '^' || text[first + 2] == '/') &&
         text.compare(last - 1, 2, "%>") == 0 && text.find("%>", first) == last - 1;
}

/// Whether spaces may be handed to kainjow as space_mark: the text has no such byte of its
/// own, changes no delimiters, and every tag closes on the line it opens.
bool can_hide_spaces(const std::string& text) {
  if (text.find(space_mark) != std::string::npos || text.find("<%=") != std::string::npos) return false;
  for (std::size_t at = text.find("<%"); at != std::string::npos; at = text.find("<%", at + 2)) {
    const std::size_t close = text.find("%>", at + 2);
    if (close == std::string::npos || text.find('\n', at) < close) return false;
  }
  return true;
}

/// Whether the line text[start, end) holds a section or partial tag (<%#x%>, <% ^x %>, <%/x%>,
/// <%> x %>): kainjow judges such a line by whether it renders as whitespace only.
bool has_section_tag(const std::string& text, std::size_t start, std::size_t end) {
  for (std::size_t at = text.find("<%", start); at < end; at = text.find("<%", at + 2)) {
    const std::size_t name = text.find_first_not_of(' ', at + 2);
    if (name < end && (text[name] == '#' || text[name] == '^' || text[name] == '/' || text[name] == '>')) return true;
  }
  return false;
}

Prepared prepare(const std::string& text, bool hide_spaces) {
  Prepared out;
  out.text = delimiters;
  out.origin.assign(delimiters.size(), 0);
  auto keep = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      out.text += text[i];
      out.origin.push_back(i);
    }
  };
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t end = newline == std::string::npos ? text.size() : newline;
    const std::size_t next = newline == std::string::npos ? text.size() : newline + 1;
    const std::size_t first = text.find_first_not_of(" \t", start);
    const std::size_t last = end > start ? text.find_last_not_of(" \t\r", end - 1) : std::string::npos;
    if (first < end && last != std::string::npos && last >= first && is_section_tag_line(text, first, last)) {
      keep(first, last + 1);
      out.text += standalone_mark;
      out.origin.push_back(last);
      keep(end, next);
    } else if (!hide_spaces || has_section_tag(text, start, end)) {
      keep(start, next);
    } else {
      bool in_tag = false;
      for (std::size_t i = start; i < next; ++i) {
        char c = text[i];
        if (!in_tag && text.compare(i, 2, "<%") == 0) {
          in_tag = true;
          out.text += c;
          out.origin.push_back(i);
          c = text[++i];
        } else if (in_tag && text.compare(i, 2, "%>") == 0) {
          in_tag = false;
        } else if (!in_tag && c == ' ') {
          c = space_mark;
        }
        out.text += c;
        out.origin.push_back(i);
      }
    }
    start = next;
  }
  return out;
}

/// Removes, in place, the lines prepare() marked, wherever the rendering put them, and puts
/// back the spaces it hid when it hid them.
void drop_marked_lines(std::string& text, bool hid_spaces) {
  std::size_t kept = 0;
  char previous = '\n';  // the character before text[i] as rendered
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool line_start = previous == '\n';
    previous = c;
    if (line_start && c == standalone_mark) {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i, previous = '\n';
      continue;
    }
    text[kept++] = hid_spaces && c == space_mark ? ' ' : c;
  }
  text.resize(kept);
}

util::Location location_of_offset(const std::string& text, std::size_t offset, const std::string& file) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  return {file, line, column};
}

/// kainjow reports "... at <offset>" into the text it parsed; turn that into file:line:col.
util::Diagnostic template_error(const std::string& message, const std::string& text, const Prepared& prepared,
                                const std::string& file) {
  std::size_t offset = 0;
  std::string what = message;
  if (auto at = message.rfind(" at "); at != std::string::npos) {
    const std::size_t parsed = std::stoul(message.substr(at + 4));
    offset = parsed < prepared.origin.size() ? prepared.origin[parsed] : text.size();
    what = message.substr(0, at);
  }
  return util::error_at(location_of_offset(text, offset, file), fmt::format("template: {}", what));
}

/// kainjow's data for JSON values. With mutable values (render_releasing) each string is
/// released once copied, so a long chain's biggest file is not held twice while it renders.
template <class Json>
mustache::data to_data(Json& value, bool& marked) {
  switch (value.type()) {
    // kainjow's set() and push_back() take a copy, which would copy every subtree once per
    // level above it; the children are moved in instead.
    case nlohmann::json::value_t::object: {
      mustache::data d{mustache::data::type::object};
      for (auto&& [key, child] : value.items()) d[key] = to_data(child, marked);
      return d;
    }
    case nlohmann::json::value_t::array: {
      mustache::data d{mustache::data::type::list};
      // The list is the data's own (not const): list_value() only lacks a mutable overload.
      auto& list = const_cast<mustache::list&>(d.list_value());
      list.reserve(value.size());
      for (auto& child : value) list.push_back(to_data(child, marked));
      return d;
    }
    case nlohmann::json::value_t::string: {
      const std::string& text = value.template get_ref<const std::string&>();
      marked = marked || text.find(space_mark) != std::string::npos;
      mustache::data d{text};
      if constexpr (!std::is_const_v<Json>) std::string().swap(value.template get_ref<std::string&>());
      return d;
    }
    case nlohmann::json::value_t::boolean:
      return value.template get<bool>() ? mustache::data{mustache::data::type::bool_true}
                                        : mustache::data{mustache::data::type::bool_false};
    case nlohmann::json::value_t::null:
      return mustache::data{mustache::data::type::bool_false};
    default:
      return mustache::data{util::dump(value)};
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
    const Prepared prepared = prepare(loaded->text, false);
    mustache::mustache check(prepared.text);
    if (!check.is_valid()) {
      problems.push_back(template_error(check.error_message(), loaded->text, prepared, loaded->file));
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

namespace {

/// A template parsed once, with its partials, to render with many values.
struct Compiled {
  std::string text;  // as written, for error places
  std::string file;
  bool hides_spaces = false;  // its text and its partials' hand spaces to kainjow as space_mark
  Prepared prepared;
  std::unique_ptr<mustache::mustache> tmpl;
  std::vector<std::pair<std::string, std::string>> partials;  // name, prepared body
  std::vector<std::pair<std::string, std::string>> partial_texts;  // name, text as written
  /// The same with every space as it is, for values that hold a space_mark byte themselves;
  /// made the first time one does.
  std::unique_ptr<Compiled> plain;
};

/// Parses the template and its partials' bodies, hiding spaces or not.
void parse_form(Compiled& c, bool hide_spaces) {
  c.hides_spaces = hide_spaces;
  c.prepared = prepare(c.text, hide_spaces);
  c.tmpl = std::make_unique<mustache::mustache>(c.prepared.text);
  c.tmpl->set_custom_escape([](const std::string& s) { return s; });
  c.partials.clear();
  for (const auto& [name, text] : c.partial_texts) {
    // The including line keeps its own newline, as a standalone section tag line does.
    std::string body = prepare(text, hide_spaces).text;
    if (body.ends_with('\n')) body.pop_back();
    c.partials.emplace_back(name, std::move(body));
  }
}

util::Result<std::unique_ptr<Compiled>> compile(const std::string& text, const std::string& file,
                                                const TemplateSource& templates) {
  auto c = std::make_unique<Compiled>();
  c->text = text;
  c->file = file;
  std::set<std::string> seen;
  auto partials = collect_partials(text, file, templates, seen);
  bool hide = can_hide_spaces(text);
  if (partials)
    for (auto& p : *partials) {
      hide = hide && can_hide_spaces(p.source.text);
      c->partial_texts.emplace_back(p.name, std::move(p.source.text));
    }
  parse_form(*c, hide);
  if (!c->tmpl->is_valid())
    return std::unexpected(util::Diagnostics{template_error(c->tmpl->error_message(), text, c->prepared, file)});
  if (!partials) return std::unexpected(std::move(partials.error()));
  return c;
}

/// The form of a template to render these values with: the plain one when a value holds a
/// space_mark byte of its own, which the hidden one would turn into a space.
Compiled& form_for(Compiled& c, bool marked_values) {
  if (!marked_values || !c.hides_spaces) return c;
  if (!c.plain) {
    c.plain = std::make_unique<Compiled>();
    c.plain->text = c.text;
    c.plain->file = c.file;
    c.plain->partial_texts = c.partial_texts;
    parse_form(*c.plain, false);
  }
  return *c.plain;
}

template <class Json>
util::Result<std::string> render_compiled(Compiled& compiled, Json& values) {
  bool marked = false;
  mustache::data data = to_data(values, marked);
  Compiled& c = form_for(compiled, marked);
  for (const auto& [name, body] : c.partials) {
    const std::string* text = &body;
    data.set(name, mustache::partial([text] { return *text; }));
  }
  // Straight into one string: kainjow's own render() writes to a string stream and copies it.
  std::string out;
  c.tmpl->render(data, [&out](const std::string& piece) { out += piece; });
  drop_marked_lines(out, c.hides_spaces);
  if (!c.tmpl->is_valid())
    return std::unexpected(util::Diagnostics{template_error(c.tmpl->error_message(), c.text, c.prepared, c.file)});
  return out;
}

}  // namespace

util::Result<std::string> render_text(const std::string& text, const std::string& file, const nlohmann::json& values,
                                      const TemplateSource& templates) {
  auto compiled = compile(text, file, templates);
  if (!compiled) return std::unexpected(std::move(compiled.error()));
  return render_compiled(**compiled, values);
}

namespace {

/// Renders every file of a plan; with a mutable plan, each file's values are released once
/// it is rendered.
template <class PlanType>
util::Result<std::vector<Rendered>> render_files(PlanType& plan, const TemplateSource& templates) {
  std::vector<Rendered> out;
  util::Diagnostics problems;
  // Each template is read and parsed once, however many files it renders (a stage chain's
  // stage workflows share one).
  std::map<std::string, util::Result<std::unique_ptr<Compiled>>> compiled;
  for (auto& f : plan.files) {
    auto it = compiled.find(f.template_name);
    if (it == compiled.end()) {
      auto source = templates.load(f.template_name);
      if (!source) {
        problems.insert(problems.end(), source.error().begin(), source.error().end());
        continue;
      }
      it = compiled.emplace(f.template_name, compile(source->text, source->file, templates)).first;
    }
    if (!it->second) {
      problems.insert(problems.end(), it->second.error().begin(), it->second.error().end());
      continue;
    }
    util::Result<std::string> body;
    if (f.deferred_values) {
      nlohmann::json values = f.deferred_values();
      body = render_compiled(**it->second, values);
    } else {
      body = render_compiled(**it->second, f.values);
    }
    if constexpr (!std::is_const_v<PlanType>) {
      f.values = nlohmann::json();
      f.deferred_values = nullptr;
    }
    if (!body) {
      problems.insert(problems.end(), body.error().begin(), body.error().end());
      continue;
    }
    out.push_back({f.path, std::move(*body), f.kind, f.executable});
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return out;
}

}  // namespace

util::Result<std::vector<Rendered>> render(const plan::Plan& plan, const TemplateSource& templates) {
  return render_files(plan, templates);
}

util::Result<std::vector<Rendered>> render_releasing(plan::Plan& plan, const TemplateSource& templates) {
  return render_files(plan, templates);
}

}  // namespace forgeline::render
