#include "rehearse/dockerfile.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace {

/// A line split into whitespace-separated words, each with its offset, so one word can be
/// replaced while the rest of the line keeps its spacing.
struct Word {
  std::size_t at;
  std::string text;
};

std::vector<Word> words_of(const std::string& line) {
  std::vector<Word> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    const std::size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) out.push_back({start, line.substr(start, i - start)});
  }
  return out;
}

std::string instruction_of(const std::vector<Word>& words) {
  return words.empty() ? "" : util::to_lower(words[0].text);
}

const std::string* context_image(const std::vector<std::pair<std::string, std::string>>& contexts,
                                 std::string_view name) {
  for (const auto& [n, image] : contexts)
    if (n == name) return &image;
  return nullptr;
}

}  // namespace

LocalDockerfile localize_dockerfile(std::string_view text,
                                    const std::vector<std::pair<std::string, std::string>>& image_contexts,
                                    const ImageMap& images) {
  LocalDockerfile out;
  std::vector<std::string> lines = util::split_lines(text);
  bool in_directives = true;
  std::vector<std::string> kept;
  for (std::string line : lines) {
    if (in_directives) {
      std::string compact;
      for (char c : line)
        if (!std::isspace(static_cast<unsigned char>(c))) compact += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (compact.starts_with("#syntax=")) {
        out.changes.push_back(fmt::format("dropped `{}`: the daemon's built-in Dockerfile frontend builds instead", line));
        continue;
      }
      if (!(compact.starts_with("#") && compact.find('=') != std::string::npos)) in_directives = false;
    }
    std::vector<Word> words = words_of(line);
    const std::string op = instruction_of(words);
    // Replace words from the end, so earlier offsets stay valid.
    std::vector<std::pair<std::size_t, std::pair<std::size_t, std::string>>> edits;  // at → (length, text)
    if (op == "from") {
      std::size_t i = 1;
      while (i < words.size() && words[i].text.starts_with("--")) ++i;
      if (i < words.size()) {
        const std::string& image = words[i].text;
        if (const std::string* named = context_image(image_contexts, image)) {
          edits.push_back({words[i].at, {image.size(), images.map(*named)}});
          out.changes.push_back(fmt::format("`FROM {}` builds on the named build context's image {}", image, *named));
        } else if (images.maps(image)) {
          edits.push_back({words[i].at, {image.size(), images.map(image)}});
        }
      }
    } else if (op == "copy" || op == "add") {
      for (std::size_t i = 1; i < words.size() && words[i].text.starts_with("--"); ++i) {
        if (!words[i].text.starts_with("--from=")) continue;
        const std::string source = words[i].text.substr(7);
        if (const std::string* named = context_image(image_contexts, source)) {
          edits.push_back({words[i].at + 7, {source.size(), images.map(*named)}});
          out.changes.push_back(fmt::format("`--from={}` copies from the named build context's image {}", source, *named));
        } else if (images.maps(source)) {
          edits.push_back({words[i].at + 7, {source.size(), images.map(source)}});
        }
      }
    } else if (op == "run") {
      for (std::size_t i = 1; i < words.size() && words[i].text.starts_with("--"); ++i) {
        if (!words[i].text.starts_with("--mount=")) continue;
        std::size_t pos = 8;
        const std::string& w = words[i].text;
        while (pos < w.size()) {
          std::size_t comma = w.find(',', pos);
          if (comma == std::string::npos) comma = w.size();
          const std::string option = w.substr(pos, comma - pos);
          if (option.starts_with("from="))
            if (const std::string* named = context_image(image_contexts, option.substr(5))) {
              edits.push_back({words[i].at + pos + 5, {option.size() - 5, images.map(*named)}});
              out.changes.push_back(
                  fmt::format("`--mount=…from={}` mounts the named build context's image {}", option.substr(5), *named));
            }
          pos = comma + 1;
        }
      }
    } else if (op == "arg" && words.size() == 2) {
      const std::size_t eq = words[1].text.find('=');
      if (eq != std::string::npos && images.maps(words[1].text.substr(eq + 1))) {
        const std::string value = words[1].text.substr(eq + 1);
        edits.push_back({words[1].at + eq + 1, {value.size(), images.map(value)}});
      }
    }
    std::sort(edits.begin(), edits.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [at, edit] : edits) line.replace(at, edit.first, edit.second);
    kept.push_back(std::move(line));
  }
  out.text = util::join(kept, "\n");
  if (!text.empty() && text.back() == '\n') out.text += "\n";
  return out;
}

std::vector<std::string> dockerfile_stages(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& line : util::split_lines(text)) {
    const auto words = words_of(line);
    if (instruction_of(words) != "from") continue;
    for (std::size_t i = 1; i + 1 < words.size(); ++i)
      if (util::to_lower(words[i].text) == "as") out.push_back(words[i + 1].text);
  }
  return out;
}

}  // namespace forgeline::rehearse
