#include "matrix/entries.hpp"

#include <map>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "util/json_text.hpp"
#include "util/sha256.hpp"

namespace forgeline::matrix {

namespace {

using nlohmann::json;

std::string short_digest(const json& value) { return util::sha256_hex(util::dump(value)).substr(0, 8); }

/// Lists whose items are entries, by the field naming each item.
struct EntryList {
  const char* list;
  const char* id;
  const char* kind;
};
constexpr EntryList entry_lists[] = {
    {"architectures", "arch", "architecture"},
    {"stages", "name", "stage"},
    {"tools", "name", "tool"},
    {"prewarm", "crate", "crate"},
};

}  // namespace

std::vector<Entry> entries(const Matrix& m) {
  std::vector<Entry> out;
  json settings = m.doc.value;
  for (const auto& l : entry_lists) {
    auto it = m.doc.value.find(l.list);
    if (it == m.doc.value.end() || !it->is_array()) continue;
    settings.erase(l.list);
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& item = (*it)[i];
      if (!item.is_object() || !item.contains(l.id)) continue;
      const std::string pointer = util::pointer_append(fmt::format("/{}", l.list), i);
      json body = item;
      // Axis values (Qt versions) are entries of their own, so one version's change is named.
      if (auto axes = item.find("axes"); axes != item.end() && axes->is_object()) {
        body.erase("axes");
        for (const auto& [axis, values] : axes->items()) {
          for (std::size_t v = 0; v < values.size(); ++v) {
            const std::string vp = util::pointer_append(util::pointer_append(pointer + "/axes", axis), v);
            out.push_back({axis, util::as_text(values[v]), short_digest(values[v]), m.doc.marks.value_at(vp)});
          }
        }
      }
      out.push_back({l.kind, item[l.id].get<std::string>(), short_digest(body), m.doc.marks.value_at(pointer)});
    }
  }
  out.push_back({"settings", "", short_digest(settings), util::Location{m.path, 0, 0}});
  return out;
}

std::string encode(const std::vector<Entry>& entries) {
  std::string out;
  for (const auto& e : entries) {
    if (!out.empty()) out += ' ';
    out += e.name.empty() ? fmt::format("{}@{}", e.kind, e.digest) : fmt::format("{}/{}@{}", e.kind, e.name, e.digest);
  }
  return out;
}

std::vector<Entry> decode(const std::string& text) {
  std::vector<Entry> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    start = end + 1;
    const auto at = word.rfind('@');
    if (at == std::string::npos) continue;
    const std::string head = word.substr(0, at);
    const auto slash = head.find('/');
    out.push_back({head.substr(0, slash), slash == std::string::npos ? "" : head.substr(slash + 1), word.substr(at + 1), {}});
  }
  return out;
}

std::vector<std::string> describe_changes(const std::vector<Entry>& before, const std::vector<Entry>& now) {
  // By kind and name, so a header of thousands of entries is compared in n log n.
  using Key = std::pair<std::string_view, std::string_view>;
  auto index = [](const std::vector<Entry>& list) {
    std::map<Key, const Entry*> out;
    for (const auto& e : list) out.emplace(Key(e.kind, e.name), &e);
    return out;
  };
  const auto old_index = index(before), new_index = index(now);
  auto label = [](const Entry& e) { return e.name.empty() ? e.kind : fmt::format("{} '{}'", e.kind, e.name); };
  std::vector<std::string> out;
  for (const auto& e : now) {
    const auto old = old_index.find(Key(e.kind, e.name));
    const std::string where = e.where.line > 0 ? fmt::format(" ({})", util::format(e.where)) : "";
    if (old == old_index.end()) out.push_back(fmt::format("{} added{}", label(e), where));
    else if (old->second->digest != e.digest) out.push_back(fmt::format("{} changed{}", label(e), where));
  }
  for (const auto& e : before)
    if (!new_index.contains(Key(e.kind, e.name))) out.push_back(fmt::format("{} removed", label(e)));
  return out;
}

}  // namespace forgeline::matrix
