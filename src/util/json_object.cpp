#include "util/json_object.hpp"

#include <string>
#include <utility>

namespace forgeline::util {

nlohmann::json object(std::initializer_list<Member> members) {
  nlohmann::json result = nlohmann::json::object();
  auto& map = result.get_ref<nlohmann::json::object_t&>();
  for (const auto& m : members) map.emplace(std::string(m.key), std::move(m.value));
  return result;
}

void set(nlohmann::json& into, std::initializer_list<Member> members) {
  for (const auto& m : members) into[std::string(m.key)] = std::move(m.value);
}

}  // namespace forgeline::util
