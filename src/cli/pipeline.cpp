#include "cli/pipeline.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "matrix/load.hpp"
#include "matrix/lock.hpp"
#include "model/build.hpp"
#include "model/dockerfile.hpp"
#include "output/generated.hpp"
#include "plan/images.hpp"
#include "render/render.hpp"
#include "util/clean_cache.hpp"
#include "validate/pins.hpp"
#include "validate/workflow.hpp"

namespace forgeline::cli {

namespace fs = std::filesystem;

void source_flags(Command& cmd, Sources& sources, const char* out_help) {
  cmd.option("--matrix", sources.matrices, "Matrix file (repeatable; default: matrices/*.yaml)");
  cmd.option("--out", sources.out, out_help);
  cmd.option("--templates", sources.templates, "Directory whose templates override the built-in ones");
  cmd.option("--lock", sources.lock, "Action pins (default: ./forgeline.lock when it exists)");
}

std::vector<std::string> default_matrices() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("matrices", ec))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") out.push_back(entry.path().generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

/// Reads the repository files a matrix refers to (stage Dockerfiles) under the output
/// directory, which is the repository the generated files belong to.
model::FileReader repository_reader(const std::string& out) {
  return [out](const std::string& path) -> std::expected<model::SourceFile, std::string> {
    const std::string shown = (fs::path(out) / path).lexically_normal().generic_string();
    auto text = util::read_file(shown);
    if (!text) return std::unexpected(fmt::format("{}: {}", shown, text.error()));
    return model::SourceFile{shown, std::move(*text)};
  };
}

std::string regenerate_command(const Sources& sources, const std::string& matrix) {
  std::string cmd = fmt::format("forgeline generate --matrix {}", matrix);
  if (sources.out != ".") cmd += fmt::format(" --out {}", sources.out);
  if (sources.templates) cmd += fmt::format(" --templates {}", *sources.templates);
  return cmd;
}

/// Where a matrix names what its files, images and caches are called after: its `name`, or
/// without one its `family`; what two matrices that clash should change.
util::Location naming_place(const matrix::Matrix& m) {
  return m.doc.marks.value_at(m.doc.value.contains("name") ? "/name" : "/family");
}

/// Two matrices writing one file: at the second matrix's name (or family), with how to keep
/// their outputs apart.
util::Diagnostic collision(const matrix::Matrix& m, const std::string& file, const std::string& first) {
  const bool named = m.doc.value.contains("name");
  std::string hint = "generate one of them into another --out folder";
  if (m.family == "openwrt-package")
    hint = named ? "give one of the two another name"
                 : "give one of the two matrices a name (such as name: llvm), which prefixes its file names, image tags "
                   "and caches";
  else if (m.family == "stage-chain")
    hint = "give one of the two chains another name";
  return util::error_at(naming_place(m), fmt::format("{} is also produced by {}; {}", file, first, hint));
}

/// A matrix's entries by kind and name, to pick the few a file depends on in list order.
class EntryIndex {
 public:
  explicit EntryIndex(const std::vector<matrix::Entry>& all) : all_(all) {
    for (std::size_t i = 0; i < all.size(); ++i) at_.emplace(std::pair(all[i].kind, all[i].name), i);
  }
  std::vector<matrix::Entry> select(const std::vector<std::pair<std::string, std::string>>& wanted) const {
    std::vector<std::size_t> picked;
    for (const auto& key : wanted)
      if (auto it = at_.find(key); it != at_.end()) picked.push_back(it->second);
    std::sort(picked.begin(), picked.end());
    picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
    std::vector<matrix::Entry> out;
    out.reserve(picked.size());
    for (std::size_t i : picked) out.push_back(all_[i]);
    return out;
  }

 private:
  const std::vector<matrix::Entry>& all_;
  std::map<std::pair<std::string, std::string>, std::size_t> at_;
};

}  // namespace

namespace {

/// The lock file that pins a matrix's actions: --lock, else forgeline.lock beside the
/// matrix, else ./forgeline.lock (the repository root).
std::optional<std::string> lock_for(const Sources& sources, const std::string& matrix) {
  if (sources.lock) return sources.lock;
  std::error_code ec;
  const fs::path beside = (fs::path(matrix).parent_path() / "forgeline.lock").lexically_normal();
  if (fs::exists(beside, ec)) return beside.generic_string();
  if (fs::exists("forgeline.lock", ec)) return std::string("forgeline.lock");
  return std::nullopt;
}

}  // namespace

util::Result<Produced> produce(const Sources& sources, const std::string& command) {
  std::vector<std::string> matrices = sources.matrices.empty() ? default_matrices() : sources.matrices;
  if (matrices.empty())
    return std::unexpected(util::Diagnostics{util::error_at(
        {"matrices", 0, 0}, fmt::format("no matrix files; pass --matrix FILE or add matrices/*.yaml ({})", command))});
  for (auto& m : matrices) m = fs::path(m).lexically_normal().generic_string();
  // The same matrix named twice is one matrix.
  for (auto it = matrices.begin(); it != matrices.end(); ++it) matrices.erase(std::remove(it + 1, matrices.end(), *it), matrices.end());

  // Each lock file is read once, however many matrices it pins.
  std::map<std::string, util::Result<matrix::Lock>> locks;
  util::CleanCache clean = util::CleanCache::for_this_binary();
  render::TemplateSource templates(sources.templates ? std::optional<fs::path>(*sources.templates) : std::nullopt);
  Produced produced;
  produced.matrices = matrices;
  produced.out = sources.out;
  util::Diagnostics problems;
  std::map<std::string, std::string> owner;  // output path -> matrix that produces it
  // Where each matrix names its files and caches, and its image: what a cache conflict points at.
  std::map<std::string, std::pair<util::Location, util::Location>> named_at;
  for (const std::string& path : matrices) {
    plan::Options plan_options;
    const std::optional<std::string> lock_path = lock_for(sources, path);
    if (lock_path) {
      auto lock = locks.find(*lock_path);
      if (lock == locks.end()) {
        lock = locks.emplace(*lock_path, matrix::load_lock(*lock_path)).first;
        if (!lock->second) problems.insert(problems.end(), lock->second.error().begin(), lock->second.error().end());
      }
      if (!lock->second) continue;
      plan_options.pins = lock->second->pins;
    }
    auto override = sources.overrides.find(path);
    auto loaded = override != sources.overrides.end() ? matrix::load(override->second, path, &clean)
                                                      : matrix::load_file(path, &clean);
    if (!loaded) {
      problems.insert(problems.end(), loaded.error().begin(), loaded.error().end());
      continue;
    }
    const util::Location named = naming_place(*loaded);
    named_at.emplace(path, std::pair(named, loaded->doc.value.contains("image") ? loaded->doc.marks.value_at("/image")
                                                                               : named));
    auto project = model::build(*loaded);
    if (!project) {
      problems.insert(problems.end(), project.error().begin(), project.error().end());
      continue;
    }
    if (auto unread = model::read_dockerfiles(*project, repository_reader(sources.out)); !unread.empty()) {
      problems.insert(problems.end(), unread.begin(), unread.end());
      continue;
    }
    auto planned = plan::make_plan(*project, plan_options);
    if (!planned) {
      problems.insert(problems.end(), planned.error().begin(), planned.error().end());
      continue;
    }
    // Rendered, a file's values are no longer needed (only the plan's caches and images are).
    auto rendered = render::render_releasing(*planned, templates);
    if (!rendered) {
      problems.insert(problems.end(), rendered.error().begin(), rendered.error().end());
      continue;
    }
    auto inputs = matrix::entries(*loaded);
    const auto dockerfiles = model::dockerfile_entries(*project);
    inputs.insert(inputs.end(), dockerfiles.begin(), dockerfiles.end());
    const auto all_inputs = std::make_shared<const std::vector<matrix::Entry>>(std::move(inputs));
    const output::Provenance provenance{path, regenerate_command(sources, path), matrix::encode(*all_inputs)};
    const EntryIndex index(*all_inputs);
    // render() returns the plan's files in the plan's order.
    for (std::size_t i = 0; i < rendered->size(); ++i) {
      render::Rendered& file = (*rendered)[i];
      auto entries = all_inputs;
      const output::Provenance* origin = &provenance;
      output::Provenance own;
      if (const auto& wanted = planned->files[i].inputs) {
        entries = std::make_shared<const std::vector<matrix::Entry>>(index.select(*wanted));
        own = {provenance.matrix_path, provenance.regenerate, matrix::encode(*entries)};
        origin = &own;
      }
      const fs::path target = (fs::path(sources.out) / file.path).lexically_normal();
      const std::string shown = target.generic_string();
      if (auto [it, fresh] = owner.emplace(shown, path); !fresh) {
        problems.push_back(collision(*loaded, shown, it->second));
        continue;
      }
      std::string text = output::compose(file, *origin);
      std::string().swap(file.body);  // the text has it now
      if (file.kind == plan::FileKind::workflow) {
        util::Diagnostics findings;
        if (!clean.contains("workflow", text)) {
          findings = validate::check_workflow(text, shown, {.yaml = validate::own_output_limits()});
          if (findings.empty()) clean.remember("workflow", text);
        }
        if (lock_path) {
          auto unpinned = validate::check_pinned(text, shown, *lock_path);
          findings.insert(findings.end(), unpinned.begin(), unpinned.end());
        }
        produced.findings.insert(produced.findings.end(), findings.begin(), findings.end());
      }
      produced.files.push_back({target, file.path, std::move(text), path, std::move(entries), file.executable});
    }
    produced.plans.push_back(std::move(*planned));
  }
  // Two images or matrices sharing a cache scope or ref would overwrite each other's caches.
  // Looked for once every matrix has planned cleanly: matrices that clash in their files clash
  // in their caches too, and saying so again is noise.
  if (problems.empty())
    for (auto& conflict : plan::cache_conflicts(produced.plans)) {
      const auto& [named, image] = named_at.at(conflict.matrix_path);
      problems.push_back(util::error_at(conflict.image ? image : named, std::move(conflict.message)));
    }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  clean.save();
  return produced;
}

std::expected<util::FolderLock, std::string> lock_output(const std::string& out, bool exclusive,
                                                         std::vector<fs::path>* created) {
  return util::FolderLock::acquire(
      out, exclusive ? util::FolderLock::Mode::exclusive : util::FolderLock::Mode::shared,
      [&] { std::cerr << fmt::format("forgeline: another forgeline run is writing to {}; waiting for it\n", out); },
      created);
}

void find_orphans(Produced& produced) {
  std::set<fs::path> targets;
  for (const auto& f : produced.files) targets.insert(f.path);
  produced.orphans = output::find_orphans(targets, {produced.matrices.begin(), produced.matrices.end()});
}

namespace {

/// Finishes what a killed run began in the output folder and removes the temporary files
/// killed runs left beside the files this run writes, saying what it did. False (after
/// printing why) when an interrupted write cannot be finished.
bool tidy_after_killed_runs(const Produced& produced, const std::vector<util::FileWrite>& extra) {
  const fs::path journal = util::journal_in(produced.out);
  auto finished = util::finish_interrupted(journal);
  if (!finished) {
    std::cerr << "forgeline: error: " << finished.error() << '\n';
    return false;
  }
  if (*finished)
    std::cout << fmt::format("finished the write an interrupted forgeline run began in {}: {} put in place, {} removed\n",
                             produced.out, (*finished)->renamed, (*finished)->removed);
  std::set<fs::path> folders = {fs::path(produced.out)};
  for (const auto& f : produced.files) folders.insert(f.path.parent_path());
  for (const auto& e : extra) folders.insert(e.path.parent_path());
  for (const auto& folder : folders)
    for (const auto& leftover : util::remove_leftovers(folder))
      std::cout << fmt::format("removed {} (left by a forgeline run that was killed)\n", leftover.generic_string());
  return true;
}

}  // namespace

int write_outputs(Produced& produced, bool force, const std::vector<util::FileWrite>& extra) {
  if (!tidy_after_killed_runs(produced, extra)) return 2;
  find_orphans(produced);
  std::vector<util::FileWrite> writes = extra;
  util::Diagnostics refused;
  std::size_t unchanged = 0;
  for (const auto& f : produced.files) {
    auto current = util::read_file(f.path);
    // A script whose text is current but lost its exec bit is written again.
    if (current && *current == f.text && (!f.executable || util::is_executable(f.path))) {
      ++unchanged;
      continue;
    }
    if (current && !force) {
      const auto state = output::inspect(*current).state;
      if (state == output::State::edited)
        refused.push_back(util::error_at({f.path.generic_string(), 1, 1},
                                         "edited by hand since forgeline wrote it; move the change into the matrix or "
                                         "a template, or pass --force to overwrite it"));
      else if (state == output::State::foreign)
        refused.push_back(util::error_at({f.path.generic_string(), 1, 1},
                                         "not written by forgeline; pass --force to replace it"));
    }
    writes.push_back({f.path, f.text, f.executable});
  }
  std::vector<fs::path> removals;
  for (const auto& o : produced.orphans) {
    if (o.state == output::State::edited && !force) {
      refused.push_back(util::error_at({o.path.generic_string(), 1, 1},
                                       fmt::format("no longer produced by {}, but edited by hand since forgeline "
                                                   "wrote it; delete it yourself, or pass --force",
                                                   o.matrix_path)));
      continue;
    }
    removals.push_back(o.path);
  }
  if (!refused.empty()) {
    report(refused);
    std::cerr << "forgeline: nothing written\n";
    return 1;
  }
  if (auto written = util::write_all(writes, removals, util::journal_in(produced.out)); !written) {
    std::cerr << "forgeline: error: " << written.error() << "\n";
    return 2;
  }
  for (const auto& w : writes) std::cout << "wrote " << w.path.generic_string() << '\n';
  for (const auto& path : removals) std::cout << "removed " << path.generic_string() << " (no longer produced)\n";
  std::cout << fmt::format("{} files: {} written, {} unchanged{}\n", produced.files.size() + extra.size(), writes.size(), unchanged,
                           removals.empty() ? "" : fmt::format(", {} removed", removals.size()));
  return 0;
}

int generate_and_write(const Sources& sources, const std::string& command, bool force,
                       const std::vector<util::FileWrite>& extra) {
  auto produced = produce(sources, command);
  if (!produced) {
    report(produced.error());
    return 2;
  }
  if (!produced->findings.empty()) {
    report(produced->findings);
    std::cerr << "forgeline: nothing written: the generated files did not pass validation\n";
    return 1;
  }
  std::vector<fs::path> created;
  auto lock = lock_output(sources.out, true, &created);
  if (!lock) {
    std::cerr << "forgeline: error: " << lock.error() << '\n';
    return 2;
  }
  const int code = write_outputs(*produced, force, extra);
  // A run that wrote nothing leaves no output folder behind either.
  if (code != 0) {
    std::error_code ignored;
    for (auto it = created.rbegin(); it != created.rend(); ++it) fs::remove(*it, ignored);
  }
  return code;
}

}  // namespace forgeline::cli
