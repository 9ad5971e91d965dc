#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace forgeline::validate {

/// A context property an expression reads, as its path: `needs.build.outputs.v` is
/// {"needs", "build", "outputs", "v"}; `a['b']` reads as `a.b` and `.*`/`[*]` as "*".
/// The path stops where it can no longer be known without evaluating (`matrix[x]` is {"matrix"}).
struct ContextPath {
  std::vector<std::string> segments;
  std::size_t offset = 0;  // of the path's first character in the text it was read from

  std::string text() const;  // segments joined with '.'
  bool starts_with(std::initializer_list<std::string_view> prefix) const;
};

/// Every context path read inside the `${{ }}` expressions of a string value. String
/// literals are skipped (`'matrix.x'` reads nothing) and function names are not paths.
std::vector<ContextPath> template_paths(std::string_view text);

/// The same for a whole-value expression without `${{ }}`, as `if:` conditions may be
/// written; falls back to template_paths when the value does use `${{ }}`.
std::vector<ContextPath> condition_paths(std::string_view text);

}  // namespace forgeline::validate
