#pragma once

#include <span>
#include <string_view>

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules `runner-label` (retired GitHub-hosted images; labels no one runner has at once),
/// `unknown-runner-label` (a hosted-looking label GitHub does not list) and `timeout` (over the
/// runner's job time limit).
void lint_runners(Linter& linter);

/// A GitHub-hosted runner image label GitHub no longer offers: jobs asking for it fail.
struct RetiredLabel {
  std::string_view label;
  std::string_view since;   // the date GitHub stopped running it
  std::string_view source;  // the announcement
};

std::span<const RetiredLabel> retired_labels();

/// The standard GitHub-hosted labels GitHub offers now.
std::span<const std::string_view> current_labels();

}  // namespace forgeline::validate
