#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace forgeline::util {

/// A place in a user's file, 1-based; line 0 means "the file as a whole".
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

/// How much a finding matters: an error stops a run, a warning is a risk worth fixing, a
/// note is information.
enum class Severity { error, warning, note };

std::string_view severity_name(Severity s);

/// One finding about an input, printed as `file:line:col: error: message`, or with the
/// rule that found it as `file:line:col: warning: message [rule]`.
struct Diagnostic {
  Location where;
  std::string message;
  Severity severity = Severity::error;
  std::string rule;  // empty for findings no configurable rule makes (input errors)
};

using Diagnostics = std::vector<Diagnostic>;

/// A stage result: the value, or every problem found on the way to it.
template <class T>
using Result = std::expected<T, Diagnostics>;

std::string format(const Diagnostic& d);
std::string format(const Location& where);

Diagnostic error_at(Location where, std::string message);

/// Stable order for printing: by file, line, column, then message.
void sort(Diagnostics& ds);

}  // namespace forgeline::util
