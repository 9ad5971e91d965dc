#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "util/diagnostic.hpp"

namespace forgeline::cli {

/// True when running inside GitHub Actions, where findings are also printed as workflow
/// commands so they show as annotations on the right line.
bool github_annotations();

/// `::error file=…,line=…,col=…::message [rule]` (`::warning`, `::notice` by severity),
/// escaped as GitHub's workflow commands require.
std::string annotation(const util::Diagnostic& d);

/// Diagnostics as JSON for tools: [{"file", "line", "column", "severity", "rule", "message"}],
/// sorted; `rule` is null for input errors no rule makes.
nlohmann::json to_json(const util::Diagnostics& diagnostics);

/// Prints diagnostics to stderr, sorted, one per line (and as annotations on stdout in
/// GitHub Actions).
void report(const util::Diagnostics& diagnostics);

}  // namespace forgeline::cli
