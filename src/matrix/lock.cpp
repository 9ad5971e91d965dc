#include "matrix/lock.hpp"

#include <fmt/format.h>

#include "util/files.hpp"
#include "util/yaml_json.hpp"

namespace forgeline::matrix {

namespace {

bool is_sha(const std::string& s) {
  return s.size() == 40 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool is_action_at_major(const std::string& s) {
  const auto at = s.rfind('@');
  if (at == std::string::npos) return false;
  const std::string repo = s.substr(0, at), ref = s.substr(at + 1);
  const auto slash = repo.find('/');
  return slash != std::string::npos && slash > 0 && slash + 1 < repo.size() && ref.size() >= 2 && ref[0] == 'v' &&
         ref.find_first_not_of("0123456789", 1) == std::string::npos;
}

}  // namespace

util::Result<Lock> load_lock(const std::string& path) {
  auto text = util::read_file(path);
  if (!text)
    return std::unexpected(util::Diagnostics{util::error_at({path, 0, 0}, fmt::format("cannot read lock file: {}", text.error()))});
  auto doc = util::parse_yaml(*text, path);
  if (!doc) return std::unexpected(std::move(doc.error()));
  if (!doc->value.is_object())
    return std::unexpected(util::Diagnostics{util::error_at(doc->marks.value_at(""), "a lock file maps owner/action@vN to a commit SHA")});
  Lock lock{path, {}};
  util::Diagnostics problems;
  for (const auto& [key, value] : doc->value.items()) {
    const std::string pointer = util::pointer_append("", key);
    if (!is_action_at_major(key))
      problems.push_back(util::error_at(doc->marks.key_at(pointer), fmt::format("'{}' is not owner/action@vN", key)));
    else if (!value.is_string() || !is_sha(value.get<std::string>()))
      problems.push_back(util::error_at(doc->marks.value_at(pointer),
                                        fmt::format("{}: expected a full 40-digit lowercase commit SHA", key)));
    else
      lock.pins[key] = value.get<std::string>();
  }
  if (!problems.empty()) {
    util::sort(problems);  // the document's order, not the map's
    return std::unexpected(std::move(problems));
  }
  return lock;
}

}  // namespace forgeline::matrix
