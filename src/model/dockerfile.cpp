#include "model/dockerfile.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/json_text.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace forgeline::model {

namespace {

// Dockerfile syntax as https://docs.docker.com/reference/dockerfile/ defines it: parser
// directives, line continuation with the escape character, comments, heredocs, the exec
// (JSON) form, and RUN --mount (type defaults to bind, from= to the build context, source=
// or src= to its root).

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// Words separated by blanks, as Docker splits the shell form of COPY and ADD (no quoting).
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && blank(s[i])) ++i;
    std::size_t start = i;
    while (i < s.size() && !blank(s[i])) ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

/// The escape character from the parser directives at the top of the file (`# escape=``).
char escape_character(const std::vector<std::string>& lines) {
  for (const auto& raw : lines) {
    std::string_view line = trim(raw);
    if (line.empty() || line.front() != '#') break;
    line.remove_prefix(1);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) break;  // a plain comment ends the directives
    const std::string name = util::to_lower(trim(line.substr(0, eq)));
    if (name == "escape" && trim(line.substr(eq + 1)) == "`") return '`';
  }
  return '\\';
}

/// The words that end the heredocs opened on an instruction line (`<<EOF`, `<<-"EOF"`), with
/// whether their bodies may indent the terminator with tabs.
std::vector<std::pair<std::string, bool>> heredocs(std::string_view line) {
  std::vector<std::pair<std::string, bool>> out;
  for (std::size_t at = line.find("<<"); at != std::string_view::npos; at = line.find("<<", at + 2)) {
    std::size_t i = at + 2;
    const bool tabs = i < line.size() && line[i] == '-';
    if (tabs) ++i;
    char quote = 0;
    if (i < line.size() && (line[i] == '"' || line[i] == '\'')) quote = line[i++];
    std::size_t start = i;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) ++i;
    if (i == start || (quote && (i >= line.size() || line[i] != quote))) continue;
    out.emplace_back(std::string(line.substr(start, i - start)), tabs);
  }
  return out;
}

/// The arguments after an instruction's flags: its `--name[=value]` words, and the rest as
/// a JSON array of strings when written so, else split into words.
struct Arguments {
  std::vector<std::string> flags;
  std::vector<std::string> values;
};

Arguments arguments(std::string_view rest) {
  Arguments out;
  rest = trim(rest);
  while (rest.starts_with("--")) {
    std::size_t end = 0;
    while (end < rest.size() && !blank(rest[end])) ++end;
    out.flags.emplace_back(rest.substr(0, end));
    rest = trim(rest.substr(end));
  }
  if (rest.starts_with("[")) {
    auto parsed = util::parse_or_discarded(rest);
    if (parsed.is_array() && std::all_of(parsed.begin(), parsed.end(), [](const auto& v) { return v.is_string(); })) {
      for (const auto& v : parsed) out.values.push_back(v.get<std::string>());
      return out;
    }
  }
  out.values = words(rest);
  return out;
}

/// `--mount=type=bind,source=x,target=/y`: the context path a mount binds, if it binds one.
std::optional<std::string> bind_source(std::string_view flag) {
  std::string type = "bind", source = ".";
  bool from = false;
  for (const auto& field : util::split_lines(util::replace_all(std::string(flag.substr(8)), ",", "\n"))) {
    const auto eq = field.find('=');
    const std::string key = util::to_lower(field.substr(0, eq));
    const std::string value = eq == std::string::npos ? "" : field.substr(eq + 1);
    if (key == "type") type = value;
    else if (key == "source" || key == "src") source = value;
    else if (key == "from") from = true;
  }
  if (type != "bind" || from) return std::nullopt;
  return source;
}

void scan_instruction(const std::string& line, const util::Location& where, DockerfileFacts& facts) {
  std::string_view text = trim(line);
  std::size_t end = 0;
  while (end < text.size() && !blank(text[end])) ++end;
  const std::string keyword = upper(text.substr(0, end));
  const Arguments args = arguments(text.substr(end));
  if (keyword == "FROM") {
    if (args.values.size() >= 3 && upper(args.values[1]) == "AS")
      facts.stages.push_back(util::to_lower(args.values[2]));
  } else if (keyword == "COPY" || keyword == "ADD") {
    for (const auto& f : args.flags)
      if (f.starts_with("--from=")) return;  // from another stage or image
    for (std::size_t i = 0; i + 1 < args.values.size(); ++i) {
      const std::string& source = args.values[i];
      if (source.starts_with("<<")) continue;  // a heredoc: the text is in the Dockerfile
      if (util::contains(source, "://") || source.starts_with("git@")) continue;  // ADD from the network
      facts.reads.push_back({source, where});
    }
  } else if (keyword == "RUN") {
    for (const auto& f : args.flags)
      if (f.starts_with("--mount="))
        if (auto source = bind_source(f)) facts.reads.push_back({*source, where});
  }
}

bool glob_or_variable(char c) { return c == '*' || c == '?' || c == '[' || c == '\\' || c == '$'; }

/// A path part that path filters, shell words and YAML all take literally (the matrix
/// schema's path characters), so the part never needs quoting or escaping.
bool plain_part(std::string_view part) {
  if (part.empty() || part.front() == '-') return false;
  return std::all_of(part.begin(), part.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '+';
  });
}

std::vector<std::string> parts_of(std::string_view path) {
  std::vector<std::string> out;
  for (const auto& part : util::split_lines(util::replace_all(std::string(path), "/", "\n")))
    if (!part.empty()) out.push_back(part);
  return out;
}

}  // namespace

DockerfileFacts scan_dockerfile(std::string_view text, const std::string& file) {
  const std::vector<std::string> lines = util::split_lines(text);
  const char escape = escape_character(lines);
  DockerfileFacts facts;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view first = trim(lines[i]);
    if (first.empty() || first.front() == '#') continue;
    const util::Location where{file, static_cast<int>(i) + 1, static_cast<int>(lines[i].find(first.front())) + 1};
    std::string logical(first);
    // A line ending in the escape character continues on the next one that is not a comment.
    while (!logical.empty() && logical.back() == escape && i + 1 < lines.size()) {
      logical.pop_back();
      while (++i < lines.size()) {
        const std::string_view next = trim(lines[i]);
        if (next.empty() || next.front() == '#') continue;
        logical += " ";
        logical += next;
        break;
      }
      logical = std::string(trim(logical));
    }
    // A heredoc's body is text, not instructions. A "<<word" that is no heredoc (inside quotes,
    // say) has no terminator line: then nothing is skipped, so no instruction is lost.
    for (const auto& [terminator, tabs] : heredocs(logical)) {
      for (std::size_t end = i + 1; end < lines.size(); ++end) {
        std::string_view body = lines[end];
        if (body.ends_with('\r')) body.remove_suffix(1);
        if (tabs)
          while (body.starts_with('\t')) body.remove_prefix(1);
        if (body == terminator) {
          i = end;
          break;
        }
      }
    }
    scan_instruction(logical, where, facts);
  }
  return facts;
}

std::string repository_path(const std::string& context, const std::string& source) {
  std::vector<std::string> kept;
  // Inside the context: "/" is its root and ".." stops there, as for Docker.
  for (const auto& part : parts_of(source)) {
    if (std::any_of(part.begin(), part.end(), glob_or_variable) || !plain_part(part)) break;
    if (part == ".") continue;
    if (part == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(part);
  }
  std::vector<std::string> path = context == "." ? std::vector<std::string>{} : parts_of(context);
  path.insert(path.end(), kept.begin(), kept.end());
  return path.empty() ? "." : util::join(path, "/");
}

util::Diagnostics read_dockerfiles(Project& project, const FileReader& read) {
  auto* chain = std::get_if<StageChain>(&project.family);
  if (!chain) return {};
  util::Diagnostics problems;
  for (std::size_t i = 0; i < chain->stages.size(); ++i) {
    Stage& st = chain->stages[i];
    const std::string pointer = util::pointer_append("/stages", i);
    auto file = read(st.dockerfile);
    if (!file) {
      problems.push_back(util::error_at(
          st.dockerfile_where,
          fmt::format("{}/dockerfile: cannot read {}; forgeline reads each stage's Dockerfile to find the files it "
                      "uses from the build context",
                      pointer, file.error())));
      continue;
    }
    st.dockerfile_shown = file->shown;
    const DockerfileFacts facts = scan_dockerfile(file->text, file->shown);
    st.inputs.clear();
    for (const auto& r : facts.reads) {
      const std::string path = repository_path(st.context, r.source);
      if (std::find(st.inputs.begin(), st.inputs.end(), path) == st.inputs.end()) st.inputs.push_back(path);
    }
    st.targets = facts.stages;
    for (std::size_t k = 0; k < st.split.size(); ++k) {
      const SplitPoint& p = st.split[k];
      if (std::find(st.targets.begin(), st.targets.end(), p.target) != st.targets.end()) continue;
      problems.push_back(util::error_at(
          p.where, fmt::format("{}/split/{}/target: {} has no stage '{}' (FROM … AS {}); {}", pointer, k,
                               file->shown, p.target, p.target,
                               st.targets.empty() ? "it names no stages"
                                                  : fmt::format("its stages: {}", util::join(st.targets, ", ")))));
    }
  }
  return problems;
}

std::vector<matrix::Entry> dockerfile_entries(const Project& project) {
  std::vector<matrix::Entry> out;
  const auto* chain = std::get_if<StageChain>(&project.family);
  if (!chain) return out;
  // Every stage built from a Dockerfile, since each resolves its reads in its own context;
  // grouped in one pass, so a long chain on one Dockerfile stays linear.
  std::map<std::string_view, nlohmann::json> facts;
  std::vector<const Stage*> first;  // the first stage of each Dockerfile, in chain order
  for (const Stage& st : chain->stages) {
    auto [it, fresh] = facts.try_emplace(st.dockerfile, nlohmann::json::array());
    if (fresh) first.push_back(&st);
    it->second.push_back({{"inputs", st.inputs}, {"targets", st.targets}});
  }
  for (const Stage* st : first)
    out.push_back({"dockerfile", st->dockerfile, util::sha256_hex(util::dump(facts.at(st->dockerfile))).substr(0, 8),
                   util::Location{st->dockerfile_shown, 1, 1}});
  return out;
}

}  // namespace forgeline::model
