#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "matrix/entries.hpp"
#include "output/orphans.hpp"
#include "plan/plan.hpp"
#include "cli/command.hpp"
#include "cli/report.hpp"
#include "util/diagnostic.hpp"
#include "util/files.hpp"

namespace forgeline::cli {

/// What generate and check share: which matrices, where outputs go, which templates.
struct Sources {
  std::vector<std::string> matrices;  // empty: matrices/*.yaml under the current directory
  std::string out = ".";
  std::optional<std::string> templates;
  /// Matrix text to use instead of the file on disk (add-arch plans with its edit first).
  std::map<std::string, std::string> overrides;
  /// forgeline.lock to pin actions with; default: the one beside each matrix, else
  /// ./forgeline.lock, when it exists.
  std::optional<std::string> lock;
};

/// The flags generate and check share: --matrix, --out (described by `out_help`),
/// --templates and --lock.
void source_flags(Command& cmd, Sources& sources, const char* out_help);

/// One file as it should be on disk.
struct Expected {
  std::filesystem::path path;  // out / relative path
  std::string relative;        // path inside the output directory
  std::string text;
  std::string matrix;
  /// The entries its header lists, to explain why it is stale; files that list every entry
  /// of their matrix share one list.
  std::shared_ptr<const std::vector<matrix::Entry>> entries;
  bool executable = false;
};

/// The result of running every stage up to (and including) validation.
struct Produced {
  std::vector<Expected> files;
  std::vector<plan::Plan> plans;
  util::Diagnostics findings;  // validation problems in the rendered files (exit 1)
  std::vector<std::string> matrices;  // as loaded, normalised
  std::string out;                    // the output folder
  std::vector<output::Orphan> orphans;  // filled by find_orphans(), under the folder's lock
};

/// load → model → plan → render → validate for every matrix. An input error (unreadable
/// or invalid matrix, template error) is the unexpected value (exit 2). Reads nothing in
/// the output folder.
util::Result<Produced> produce(const Sources& sources, const std::string& command);

/// Takes the output folder's lock (`exclusive` to write, else shared to read), saying on
/// stderr when it has to wait for another run; an exclusive lock creates the folder and
/// adds what it created to `created`.
std::expected<util::FolderLock, std::string> lock_output(const std::string& out, bool exclusive,
                                                         std::vector<std::filesystem::path>* created = nullptr);

/// The files forgeline wrote earlier from these matrices that they no longer produce.
void find_orphans(Produced& produced);

/// The write half of generate, under the output folder's exclusive lock: finishes a write
/// a killed run left half-done and removes its temporary files, refuses to overwrite hand
/// edits and foreign files (and to delete edited orphans) unless `force`, then writes
/// every changed file plus `extra` and removes orphans, all or nothing. Returns the exit
/// code and prints what it did.
int write_outputs(Produced& produced, bool force, const std::vector<util::FileWrite>& extra = {});

/// produce(), then write_outputs() only when every matrix loaded and every output passed
/// validation: exit 2 on an input error, 1 on findings, else write_outputs()'s code.
int generate_and_write(const Sources& sources, const std::string& command, bool force,
                       const std::vector<util::FileWrite>& extra = {});

/// The matrices a command uses when none is named: matrices/*.yaml, sorted.
std::vector<std::string> default_matrices();

}  // namespace forgeline::cli
