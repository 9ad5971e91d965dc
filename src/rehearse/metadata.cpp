#include "rehearse/metadata.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::rehearse {

namespace {

std::string sanitized(std::string_view tag) {
  std::string out;
  bool dash = false;
  for (char c : tag) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '-';
    if (ok) out += c, dash = false;
    else if (!dash) out += '-', dash = true;
  }
  return out;
}

std::string expand(std::string text, const MetadataContext& c) {
  text = util::replace_all(std::move(text), "{{branch}}", c.event == "pull_request" ? "" : c.branch);
  text = util::replace_all(std::move(text), "{{sha}}", c.sha.substr(0, 7));
  text = util::replace_all(std::move(text), "{{is_default_branch}}",
                           c.event != "pull_request" && c.branch == c.default_branch ? "true" : "false");
  return text;
}

struct Tag {
  std::string value;
  int priority = 0;
};

}  // namespace

std::expected<Metadata, std::string> docker_metadata(const std::vector<std::string>& images,
                                                     const std::vector<std::string>& rules,
                                                     const MetadataContext& context) {
  std::vector<Tag> tags;
  for (const auto& rule : rules) {
    std::map<std::string, std::string> attr;
    for (const auto& part : util::split_lines(util::replace_all(rule, ",", "\n"))) {
      const std::size_t eq = part.find('=');
      if (eq == std::string::npos) attr["value"] = part;
      else attr[part.substr(0, eq)] = part.substr(eq + 1);
    }
    const std::string type = attr.contains("type") ? attr["type"] : "raw";
    if (attr.contains("enable") && expand(attr["enable"], context) != "true") continue;
    Tag tag;
    if (type == "ref") {
      const std::string event = attr["event"];
      if (event == "branch") {
        if (context.event == "pull_request") continue;
        tag = {context.branch, 600};
      } else if (event == "pr") {
        if (context.event != "pull_request") continue;
        tag = {fmt::format("pr-{}", context.pull_request), 600};
      } else if (event == "tag") {
        continue;  // the rehearsal plays branch pushes, never tag pushes
      } else {
        return std::unexpected(fmt::format("docker/metadata-action: unknown event '{}' in '{}'", event, rule));
      }
    } else if (type == "sha") {
      tag = {"sha-" + context.sha.substr(0, 7), 100};
      if (attr.contains("prefix")) tag.value = attr["prefix"] + context.sha.substr(0, 7);
    } else if (type == "raw") {
      tag = {expand(attr["value"], context), 200};
    } else {
      return std::unexpected(fmt::format("docker/metadata-action: type={} tags are not rehearsed ('{}')", type, rule));
    }
    if (type != "sha" && attr.contains("prefix")) tag.value = expand(attr["prefix"], context) + tag.value;
    if (attr.contains("suffix")) tag.value += expand(attr["suffix"], context);
    if (attr.contains("priority")) tag.priority = std::stoi(attr["priority"]);
    tag.value = sanitized(tag.value);
    if (tag.value.empty()) continue;
    if (std::none_of(tags.begin(), tags.end(), [&](const Tag& t) { return t.value == tag.value; })) tags.push_back(tag);
  }
  std::stable_sort(tags.begin(), tags.end(), [](const Tag& a, const Tag& b) { return a.priority > b.priority; });
  Metadata m;
  for (const auto& image : images)
    for (const auto& t : tags) m.tags.push_back(util::to_lower(image) + ":" + t.value);
  m.version = tags.empty() ? "" : tags.front().value;
  const std::string url = "https://github.com/" + context.repository;
  const std::string title = context.repository.substr(context.repository.find('/') + 1);
  m.labels = {"org.opencontainers.image.created=" + context.created,
              "org.opencontainers.image.description=",
              "org.opencontainers.image.licenses=",
              "org.opencontainers.image.revision=" + context.sha,
              "org.opencontainers.image.source=" + url,
              "org.opencontainers.image.title=" + title,
              "org.opencontainers.image.url=" + url,
              "org.opencontainers.image.version=" + m.version};
  return m;
}

}  // namespace forgeline::rehearse
