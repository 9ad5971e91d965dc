#!/usr/bin/env python3
"""Writes a C++ source that embeds files as byte arrays: forgeline::util::resource()."""
import os
import sys

out_path, root, *files = sys.argv[1:]
entries = []
with open(out_path, "w", encoding="utf-8") as out:
    out.write('#include "util/resources.hpp"\n\n#include <algorithm>\n#include <utility>\n\n')
    out.write("namespace forgeline::util {\nnamespace {\n")
    for i, path in enumerate(sorted(files, key=lambda f: os.path.relpath(os.path.abspath(f), os.path.abspath(root)))):
        name = os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")
        data = open(path, "rb").read()
        body = ",".join(str(b - 256 if b > 127 else b) for b in data) or "0"
        out.write(f"constexpr char r{i}[] = {{{body}}};\n")
        entries.append((name, i, len(data)))
    out.write("constexpr std::pair<std::string_view, std::string_view> table[] = {\n")
    for name, i, size in entries:
        out.write(f'    {{"{name}", std::string_view(r{i}, {size})}},\n')
    if not entries:
        out.write('    {"", ""},\n')
    out.write("};\n}  // namespace\n\n")
    out.write(
        "std::optional<std::string_view> resource(std::string_view name) {\n"
        "  for (const auto& [key, value] : table)\n"
        "    if (key == name && !key.empty()) return value;\n"
        "  return std::nullopt;\n}\n\n"
        "const std::vector<std::string_view>& resource_names() {\n"
        "  static const std::vector<std::string_view> names = [] {\n"
        "    std::vector<std::string_view> v;\n"
        "    for (const auto& entry : table)\n"
        "      if (!entry.first.empty()) v.push_back(entry.first);\n"
        "    std::sort(v.begin(), v.end());\n"
        "    return v;\n  }();\n  return names;\n}\n\n"
        "}  // namespace forgeline::util\n")
