#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

namespace forgeline::util {

/// The whole file as bytes, or a message such as "No such file or directory".
std::expected<std::string, std::string> read_file(const std::filesystem::path& path);

/// One file a command intends to write.
struct FileWrite {
  std::filesystem::path path;
  std::string content;
  bool executable = false;  // scripts: exec bits wherever the umask left read bits
};

/// Writes every file or none: each goes to a temporary file beside its target, and only
/// when all of them are complete are they renamed into place (rename is atomic), so a
/// failure never leaves half a file or half a set. Returns the first failure's message.
std::expected<void, std::string> write_all(const std::vector<FileWrite>& files);

/// Whether the owner may execute the file (false when it does not exist).
bool is_executable(const std::filesystem::path& path);

}  // namespace forgeline::util
