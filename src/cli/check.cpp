#include "cli/check.hpp"

#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output/generated.hpp"
#include "util/files.hpp"
#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace forgeline::cli {

namespace {

/// One generated file that is not as the matrices would have it.
struct Drift {
  std::string path;
  std::string state;  // missing, stale, edited, foreign, orphan, interrupted
  std::string matrix;
  std::string explanation;
  std::string diff;
};

std::string stale_reason(const Expected& f, const output::Inspection& found) {
  if (found.inputs.empty()) return fmt::format("{} changed since it was generated", f.matrix);
  auto changes = matrix::describe_changes(matrix::decode(found.inputs), *f.entries);
  if (changes.empty()) return "forgeline or its templates changed since it was generated";
  return util::join(changes, "; ");
}

/// Every produced file and orphan that is not as the matrices would have it.
std::vector<Drift> find_drift(const Produced& produced) {
  std::vector<Drift> out;
  for (const auto& f : produced.files) {
    const std::string shown = f.path.generic_string();
    auto current = util::read_file(f.path);
    if (current && *current == f.text) continue;
    if (!current) {
      out.push_back({shown, "missing", f.matrix, fmt::format("run forgeline generate (from {})", f.matrix),
                     output::unified_diff("", f.text, shown)});
      continue;
    }
    const output::Inspection found = output::inspect(*current);
    Drift d{shown, "stale", f.matrix, "", output::unified_diff(*current, f.text, shown)};
    if (found.state == output::State::edited) {
      d.state = "edited";
      d.explanation = fmt::format("move the change into {} or a template, then regenerate", f.matrix);
    } else if (found.state == output::State::foreign) {
      d.state = "foreign";
      d.explanation = "not written by forgeline; generate would replace it";
    } else {
      d.explanation = stale_reason(f, found);
    }
    out.push_back(std::move(d));
  }
  for (const auto& o : produced.orphans) {
    const std::string shown = o.path.generic_string();
    auto current = util::read_file(o.path);
    out.push_back({shown, "orphan", o.matrix_path,
                   fmt::format("generated from {} but no longer produced; forgeline generate removes it", o.matrix_path),
                   output::unified_diff(current ? *current : "", "", shown)});
  }
  return out;
}

std::string headline(const Drift& d) {
  if (d.state == "edited") return fmt::format("{}: edited by hand: {}", d.path, d.explanation);
  if (d.state == "foreign") return fmt::format("{}: {}", d.path, d.explanation);
  return fmt::format("{}: {}: {}", d.path, d.state, d.explanation);
}

}  // namespace

Command setup_check(CheckOptions& options) {
  Command cmd{"check", "Exit 1 with an explanation and a diff when a generated file is not current"};
  source_flags(cmd, options.sources, "Directory the outputs are under (default: .)");
  cmd.option("--format", options.format, "text or json").one_of({"text", "json"});
  return cmd;
}

int run_check(const CheckOptions& options) {
  auto produced = produce(options.sources, "check");
  if (!produced) {
    report(produced.error());
    return 2;
  }
  if (!produced->findings.empty()) {
    report(produced->findings);
    return 1;
  }
  // A generate writing meanwhile would show a half-replaced set; wait for it instead.
  auto lock = lock_output(options.sources.out, false);
  if (!lock) {
    std::cerr << "forgeline: error: " << lock.error() << '\n';
    return 2;
  }
  find_orphans(*produced);
  std::vector<Drift> drift = find_drift(*produced);
  const std::size_t checked = produced->files.size() + produced->orphans.size();
  const std::size_t drifted = drift.size();
  const auto journal = util::journal_in(options.sources.out);
  if (auto pending = util::interrupted_changes(journal))
    drift.push_back({journal.generic_string(), "interrupted", "",
                     fmt::format("a forgeline run was killed while making {} changes here; forgeline generate "
                                 "finishes them",
                                 *pending),
                     ""});
  if (options.format == "json") {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& d : drift)
      files.push_back({{"path", d.path}, {"state", d.state}, {"matrix", d.matrix}, {"explanation", d.explanation},
                       {"diff", d.diff}});
    std::cout << util::dump(nlohmann::json{{"current", drift.empty()}, {"checked", checked}, {"files", files}}, 2)
              << '\n';
  } else {
    for (const auto& d : drift) std::cout << headline(d) << '\n' << d.diff;
    if (drifted > 0)
      std::cout << fmt::format("{} of {} generated files need forgeline generate\n", drifted, checked);
    else if (drift.empty())
      std::cout << fmt::format("{} file{} current\n", checked, checked == 1 ? "" : "s");
  }
  if (github_annotations())
    for (const auto& d : drift) std::cout << annotation(util::error_at({d.path, 1, 1}, headline(d))) << '\n';
  return drift.empty() ? 0 : 1;
}

}  // namespace forgeline::cli
