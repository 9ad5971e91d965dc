#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "util/diagnostic.hpp"

namespace forgeline::model {

/// Where jobs run, and how long GitHub lets one job run there.
struct Runner {
  std::vector<std::string> labels;  // one label for hosted runners
  bool self_hosted = false;
  int job_limit_minutes = 360;
};

/// A registry image without a tag. `${owner}`/`${repo}` are resolved (lowercased) at run time.
struct Image {
  std::string registry;  // "ghcr.io"
  std::string path;      // "${owner}/${repo}/openwrt-rust-builder", static parts lowercased
};

/// A point at which a long build may be cut into separate jobs (a make or Docker target).
struct SplitPoint {
  std::string target;
  int estimate_minutes = 0;
  util::Location where;
};

struct Architecture {
  std::string arch;         // OpenWrt package architecture, e.g. aarch64_cortex-a53
  std::string sdk;          // SDK image target, e.g. mediatek-filogic
  std::string rust_target;  // filled in from the known table when the matrix leaves it out
  util::Location where;
};

enum class LlvmMode { download, source };
enum class BuildMode { container, docker_run };

/// A feed added to the SDK's own (a src-git line of feeds.conf): following a branch, pinned
/// to a commit, or at the repository's default branch when it names neither.
struct ExtraFeed {
  std::string name;
  std::string url;
  std::string branch;
  std::string commit;
  util::Location where;
};

/// The assembly line's checks before a package compiles, each on unless the matrix turns it off.
struct PackageChecks {
  bool hashes = true;   // make package/<name>/check finds no wrong, deprecated or missing hash
  bool refresh = true;  // make package/<name>/refresh leaves the patches as they are
  bool shfmt = true;    // files/*.init are formatted as shfmt -sr -s writes them
};

/// An OpenWrt package built for several architectures: a factory that bakes one builder
/// image per architecture, and an assembly line that compiles inside them (seeds 000, 001).
struct OpenwrtPackage {
  std::string name;  // prefixes file names, tags and cache scopes; empty: the seeds' names
  /// The repository is one package, its Makefile at the root (`package`), or a feed of
  /// packages (`feed`). Either way the SDK sees it as the src-link feed `feed_name`.
  std::string package;  // package mode: the package; empty in feed mode
  bool feed_mode = false;
  std::string feed_name;
  std::string feed_path;              // feed mode: the feed's folder in the checkout; "." for its root
  std::vector<std::string> packages;  // the source packages built; empty in feed mode: every one of the feed
  std::vector<ExtraFeed> feeds;       // added to the SDK's feeds in the factory
  bool default_feeds = true;          // false: the SDK's feeds.conf.default is left out
  PackageChecks checks;
  bool index = false;               // make package/index after the packages compile
  std::string index_signing_secret;  // the secret holding the key that signs the index; empty: unsigned
  Image image;
  std::string sdk_image;  // registry path of the SDK images, e.g. openwrt/sdk
  std::string openwrt_version;
  bool rust = true;
  LlvmMode llvm = LlvmMode::source;
  std::string host_rust;  // rustup toolchain for host Rust tools; empty: no rustup in the image
  BuildMode build_mode = BuildMode::container;
  Runner runner;
  std::vector<Architecture> architectures;
  /// The make targets the factory pre-builds, in order, as the matrix lists them (each one an
  /// SDK accepts); empty: the planner's default, the Rust host toolchain with no estimate.
  std::vector<SplitPoint> factory_stages;
  SplitPoint build;  // the assembly line's package compile; estimate 0 when the matrix gives none
  int safety_margin_minutes = 30;
};

/// One image stage of a chain (seed 004): built on its parent stage's image.
struct Stage {
  std::string name;
  std::optional<std::string> from;
  std::string dockerfile;
  std::string context;
  std::vector<std::string> paths;  // inputs that should retrigger this stage
  std::string axis_name;           // e.g. "qt"; empty without axes
  std::vector<std::string> axis_values;
  int estimate_minutes = 0;
  int cached_minutes = 0;
  std::optional<std::string> artifact;
  std::vector<SplitPoint> split;
  util::Location where;
  util::Location dockerfile_where;  // the matrix's `dockerfile` value
  // From the Dockerfile itself (model::read_dockerfiles):
  std::string dockerfile_shown;     // where it was read, for messages
  std::vector<std::string> inputs;  // repository paths it reads from the build context; "." all of it
  std::vector<std::string> targets; // its named stages (FROM … AS name)
};

/// Chained image stages, base → ... → application, each skipped when its image exists.
struct StageChain {
  std::string name;
  Image image;
  std::string platform;
  Runner runner;
  std::vector<std::string> branches;
  std::vector<Stage> stages;
  int safety_margin_minutes = 30;
};

/// A tool baked into the Rust builder image, pinned to one version.
struct RustTool {
  enum class Install { prebuilt, cargo, binstall };
  std::string name;     // crate name, e.g. cargo-nextest
  std::string version;  // exact, e.g. 0.9.100
  Install install = Install::cargo;
  std::string url;  // release archive with ${version}, ${target}, ${arch}; prebuilt only
  std::string bin;  // executable to take from the archive; the crate name by default
  util::Location where;
};

/// A crate built once in the image, so its sources (and with sccache its compiled
/// objects) are there before the first build.
struct PrewarmCrate {
  std::string name;
  std::string version;  // a Cargo version requirement: "1", "0.8", "=1.47.1"
  std::vector<std::string> features;
};

/// Where a self-hosted runner keeps persistent volumes; an empty path is not mounted. There
/// is none for rustup: CI runs the toolchain the image installed.
struct CacheVolumes {
  std::string cargo;
  std::string sccache;
};

/// A Rust builder image with layered caches, the cleanup of those caches, and CI that
/// builds inside the image (seeds 002, 003).
struct RustBuilder {
  Image image;
  std::string platform = "linux/amd64";
  std::string toolchain = "stable";
  std::vector<std::string> components;  // rustup components
  std::vector<std::string> packages;    // Debian packages beyond the base set
  std::vector<RustTool> tools;
  std::vector<PrewarmCrate> prewarm;
  std::string mold;     // version; empty: the toolchain's default linker
  std::string sccache;  // version; empty: no compiler cache
  Runner runner;
  CacheVolumes volumes;
  int retention_days = 7;  // cache cleanup default
};

/// The domain as the planner sees it: one matrix, all defaults filled in.
struct Project {
  std::string matrix_path;
  std::variant<OpenwrtPackage, StageChain, RustBuilder> family;
};

}  // namespace forgeline::model
