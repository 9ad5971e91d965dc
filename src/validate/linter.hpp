#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/diagnostic.hpp"
#include "util/yaml_json.hpp"
#include "validate/expression.hpp"

namespace forgeline::validate {

struct LintOptions {
  /// The folder the workflow lives in: a local reusable call `./.github/workflows/X.yml`
  /// is read from `folder/X.yml`. Without it such calls are not checked (nor their outputs).
  std::optional<std::filesystem::path> folder;
};

/// The member `key` of `value` when `value` is a mapping that has it; else null. Lints run
/// on documents the schema may have rejected, so they look before they read.
const nlohmann::json* member(const nlohmann::json* value, std::string_view key);
const nlohmann::json* member(const nlohmann::json& value, std::string_view key);
/// The text of a string value; null for anything else.
const std::string* text_of(const nlohmann::json* value);
/// A string or a list of strings as a list (other items and types are left out).
std::vector<std::string> strings_of(const nlohmann::json* value);

/// Where one lint finding goes, before rule settings and suppressions apply.
struct Finding {
  std::string rule;
  std::string pointer;  // into the document, "" for the whole file
  util::Location where;
  std::string message;  // without the pointer
};

/// Kinds of string value whose `${{ }}` reads the lints tell apart.
enum class Sink {
  other,
  condition,  // an `if:`, an expression even without `${{ }}`
  script,     // a step's `run:`, or the `script:` input of actions/github-script
};

/// One context path read by an expression, where it is read.
struct Read {
  std::string pointer;     // the string value that holds the expression
  std::size_t offset = 0;  // of the path's first character in that value
  ContextPath path;
  Sink sink = Sink::other;
  std::size_t steps_run = 0;  // how many of the job's steps have finished where it is read
  bool key = false;           // read in the key `pointer` names (an env name), not its value
};

/// A string value that holds expressions (a `${{`, or any `if:` condition), parsed once.
struct Site {
  std::string pointer;
  std::string job;  // the id of the job it is in; empty at the workflow's level
  Sink sink = Sink::other;
  std::size_t steps_run = 0;
  bool literal_text = false;  // text besides its expressions: GitHub formats it into a string
  bool key = false;           // the expressions are in the key `pointer` names, not in its value
  std::vector<Expression> expressions;
};

/// A workflow named by a local reusable call (`uses: ./.github/workflows/X.yml`, or `$/…`).
struct CalledWorkflow {
  enum class State { ok, missing, unparsable, not_callable } state = State::ok;
  std::string shown;  // the path as the user should look for it
  std::string name;   // the file name, as the call names it
  nlohmann::json workflow;
  const nlohmann::json* call = nullptr;  // its on.workflow_call (an empty mapping when bare)
};

/// What every lint family works on: the document, its text (to place a finding inside a
/// multi-line value), the options and the findings so far.
class Linter {
 public:
  Linter(const util::YamlDocument& doc, std::string_view text, const LintOptions& options);

  const nlohmann::json& root() const { return doc_.value; }
  const util::YamlDocument& doc() const { return doc_; }
  const LintOptions& options() const { return options_; }

  /// The jobs mapping, or an empty one.
  const nlohmann::json& jobs() const;

  /// A finding at the value `pointer` names (at its key with `at_key`).
  void report(std::string_view rule, std::string_view pointer, std::string message, bool at_key = false);
  /// A finding at byte `offset` of the string value `pointer` names, found in the source
  /// even inside a block scalar (`run: |`); with `in_key`, at that byte of its key.
  void report_at(std::string_view rule, std::string_view pointer, std::size_t offset, std::string message,
                 bool in_key = false);

  /// Where byte `offset` of the string value at `pointer` is in the file.
  util::Location inside(std::string_view pointer, std::size_t offset) const;

  /// Every string of the document that holds expressions, in document order of its keys.
  const std::vector<Site>& sites();

  /// Every context path read in a job's strings, in document order of its keys.
  const std::vector<Read>& reads_of(const std::string& job_id);

  /// The workflow a local reusable call names, read and parsed once per run; null for a
  /// remote call, or when no folder is known.
  const CalledWorkflow* called_workflow(const std::string& uses);

  std::vector<Finding> take() { return std::move(findings_); }

 private:
  std::size_t byte_offset(const util::Location& where) const;
  util::Location location_of(std::size_t byte) const;

  const util::YamlDocument& doc_;
  std::string_view text_;
  const LintOptions& options_;
  std::vector<std::size_t> line_starts_;
  std::optional<std::vector<Site>> sites_;
  std::map<std::string, std::vector<Read>, std::less<>> reads_;
  bool reads_ready_ = false;
  std::map<std::string, CalledWorkflow, std::less<>> called_;
  std::vector<Finding> findings_;
};

/// The `on.workflow_call` mapping of a workflow (an empty mapping when given without
/// settings), or null when the workflow cannot be called.
const nlohmann::json* workflow_call_of(const nlohmann::json& workflow);

/// Whether a step runs `actions/github-script`, whose `script:` input is JavaScript code.
bool is_github_script(const nlohmann::json& step);

/// Names for a message: "a, b, c", or "none" for an empty list.
std::string list_or_none(const std::vector<std::string>& names);

}  // namespace forgeline::validate
