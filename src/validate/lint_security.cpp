#include "validate/lint_security.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace forgeline::validate {

namespace {

using nlohmann::json;
using util::pointer_append;

constexpr std::string_view kDocs =
    "docs.github.com/en/actions/reference/security/secure-use#good-practices-for-mitigating-script-injection-attacks";
constexpr std::string_view kSecurityLab = "securitylab.github.com/research/github-actions-untrusted-input/";

constexpr std::array kUntrusted{
    UntrustedContext{"github.head_ref", kDocs},
    UntrustedContext{"github.event.issue.title", kDocs},
    UntrustedContext{"github.event.issue.body", kDocs},
    UntrustedContext{"github.event.pull_request.title", kDocs},
    UntrustedContext{"github.event.pull_request.body", kDocs},
    UntrustedContext{"github.event.comment.body", kDocs},
    UntrustedContext{"github.event.review.body", kDocs},
    UntrustedContext{"github.event.pages.*.page_name", kDocs},
    UntrustedContext{"github.event.commits.*.message", kDocs},
    UntrustedContext{"github.event.head_commit.message", kDocs},
    UntrustedContext{"github.event.head_commit.author.email", kDocs},
    UntrustedContext{"github.event.head_commit.author.name", kDocs},
    UntrustedContext{"github.event.commits.*.author.email", kDocs},
    UntrustedContext{"github.event.commits.*.author.name", kDocs},
    UntrustedContext{"github.event.pull_request.head.ref", kDocs},
    UntrustedContext{"github.event.pull_request.head.label", kDocs},
    UntrustedContext{"github.event.pull_request.head.repo.default_branch", kDocs},
    UntrustedContext{"github.event.review_comment.body", kSecurityLab},
    UntrustedContext{"github.event.discussion.title", kSecurityLab},
    UntrustedContext{"github.event.discussion.body", kSecurityLab},
};

std::vector<std::string_view> dotted(std::string_view path) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// Whether `path` reads an untrusted context or a property inside one (its segments are
// lowercased, as GitHub compares names ignoring case).
const UntrustedContext* untrusted(const ContextPath& path) {
  for (const UntrustedContext& u : kUntrusted) {
    const std::vector<std::string_view> parts = dotted(u.path);
    if (path.segments.size() < parts.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < parts.size() && match; ++i)
      match = parts[i] == "*" || path.segments[i] == "*" || path.segments[i] == parts[i];
    if (match) return &u;
  }
  return nullptr;
}

// The declared type of an input of the workflow (workflow_dispatch or workflow_call), the
// name compared ignoring case; empty when undeclared. Inputs without `type` are strings.
std::string input_type(const json& root, const std::string& folded_name) {
  const json* on = member(root, "on");
  for (const char* event : {"workflow_dispatch", "workflow_call"}) {
    const json* inputs = member(member(on, event), "inputs");
    if (!inputs || !inputs->is_object()) continue;
    for (const auto& [name, input] : inputs->items()) {
      if (util::to_lower(name) != folded_name) continue;
      const std::string* type = text_of(member(input, "type"));
      return type ? *type : "string";
    }
  }
  return "";
}

// Typed inputs whose value GitHub checks before the run cannot carry shell syntax: booleans,
// numbers, a choice among fixed options, an environment name.
bool safe_input(const json& root, const std::string& name) {
  const std::string type = input_type(root, name);
  return type == "boolean" || type == "number" || type == "choice" || type == "environment";
}

void check_untrusted(Linter& linter) {
  const json& root = linter.root();
  for (const auto& [id, job] : linter.jobs().items()) {
    for (const Read& read : linter.reads_of(id)) {
      if (read.sink != Sink::script) continue;
      const auto& s = read.path.segments;
      const bool input = (s[0] == "inputs" && s.size() >= 2) ||
                         (s.size() >= 4 && s[0] == "github" && s[1] == "event" && s[2] == "inputs");
      if (input) {
        const std::string& name = s[0] == "inputs" ? s[1] : s[3];
        if (name == "*" || safe_input(root, name)) continue;
      } else if (!untrusted(read.path)) {
        continue;
      }
      const std::string where = read.pointer.ends_with("/run") ? "script" : "github-script code";
      linter.report_at("untrusted-input", read.pointer, read.offset,
                       fmt::format("{} is expanded into the {}, where it can inject commands; pass it through env: "
                                   "and use the variable instead",
                                   read.path.written, where));
    }
  }
}

// Only `on: workflow_call` (in any form): the caller's permissions apply.
bool only_workflow_call(const json& root) {
  const json* on = member(root, "on");
  if (const std::string* name = text_of(on)) return *name == "workflow_call";
  if (on && on->is_array()) return on->size() == 1 && (*on)[0] == "workflow_call";
  if (on && on->is_object()) return on->size() == 1 && on->contains("workflow_call");
  return false;
}

void check_permissions(Linter& linter) {
  const json& root = linter.root();
  if (member(root, "permissions") || only_workflow_call(root)) return;
  std::vector<std::string> without;
  for (const auto& [id, job] : linter.jobs().items())
    if (!member(job, "permissions")) without.push_back(id);
  if (without.empty()) return;
  const bool all = without.size() == linter.jobs().size();
  linter.report("permissions", "",
                fmt::format("no permissions: for the workflow{}, so {} the repository's default token permissions; "
                            "add one granting the least the jobs need (e.g. permissions: {{contents: read}})",
                            all ? "" : fmt::format(" or for job {}", util::join(without, ", ")),
                            all ? "every job gets" : (without.size() == 1 ? "it gets" : "they get")));
}

// A registry password written out in the workflow is readable by everyone who can read the
// repository; it belongs in a secret.
void check_credentials(Linter& linter) {
  const auto check = [&](const std::string& at, const json* container) {
    const std::string* password = text_of(member(member(container, "credentials"), "password"));
    if (!password || password->empty() || password->find("${{") != std::string::npos) return;
    linter.report("credentials", at + "/credentials/password",
                  "the registry password is written into the workflow; use a secret, e.g. ${{ secrets.REGISTRY_PASSWORD }}");
  };
  for (const auto& [id, job] : linter.jobs().items()) {
    const std::string at = pointer_append("/jobs", id);
    check(pointer_append(at, "container"), member(job, "container"));
    const json* services = member(job, "services");
    if (services && services->is_object())
      for (const auto& [name, service] : services->items())
        check(pointer_append(pointer_append(at, "services"), name), &service);
  }
}

}  // namespace

std::span<const UntrustedContext> untrusted_contexts() { return kUntrusted; }

void lint_security(Linter& linter) {
  check_permissions(linter);
  check_untrusted(linter);
  check_credentials(linter);
}

}  // namespace forgeline::validate
