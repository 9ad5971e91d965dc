#include "model/build.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "model/architectures.hpp"
#include "model/rust.hpp"
#include "model/sdk.hpp"
#include "util/strings.hpp"

namespace forgeline::model {

namespace {

using nlohmann::json;
using util::Diagnostics;

std::string str(const json& object, const char* key, std::string fallback = {}) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::move(fallback);
}

std::vector<std::string> strings(const json& object, const char* key) {
  std::vector<std::string> out;
  if (auto it = object.find(key); it != object.end() && it->is_array())
    for (const auto& v : *it) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace

Runner runner_from(const json& doc, const char* fallback_label) {
  Runner r;
  auto it = doc.find("runner");
  if (it == doc.end()) {
    r.labels = {fallback_label};
  } else if (it->is_string()) {
    r.labels = {it->get<std::string>()};
  } else {
    r.labels = strings(*it, "labels");
  }
  for (const auto& label : r.labels) r.self_hosted = r.self_hosted || label == "self-hosted";
  r.job_limit_minutes = default_job_limit(r.labels);
  if (it != doc.end() && it->is_object() && it->contains("job_limit"))
    r.job_limit_minutes = parse_minutes((*it)["job_limit"].get<std::string>());
  return r;
}

/// Registry host and path; the static parts are lowercased here because registries reject
/// uppercase names, while ${owner}/${repo} are lowercased by the workflow at run time.
Image image_from(const std::string& reference) {
  const auto slash = reference.find('/');
  return Image{util::to_lower(reference.substr(0, slash)), util::to_lower(reference.substr(slash + 1))};
}

namespace {

std::vector<SplitPoint> split_points(const json& doc, const char* key, const std::string& pointer,
                                     const util::SourceMap& marks) {
  std::vector<SplitPoint> out;
  if (auto it = doc.find(key); it != doc.end()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& p = (*it)[i];
      out.push_back({p["target"].get<std::string>(), parse_minutes(p["estimate"].get<std::string>()),
                     marks.value_at(util::pointer_append(util::pointer_append(pointer, key), i))});
    }
  }
  return out;
}

/// A safety margin as long as the runner's job limit leaves no time for any work.
Diagnostics check_margin(const json& doc, const Runner& runner, int margin_minutes, const util::SourceMap& marks) {
  if (margin_minutes < runner.job_limit_minutes) return {};
  const std::string limit = fmt::format("a job on {} may run {}", util::join(runner.labels, ", "),
                                        format_minutes(runner.job_limit_minutes));
  if (doc.contains("safety_margin"))
    return {util::error_at(marks.value_at("/safety_margin"),
                           fmt::format("/safety_margin: {} leaves no time for work: {}; make it shorter than that",
                                       format_minutes(margin_minutes), limit))};
  return {util::error_at(marks.value_at("/runner"),
                         fmt::format("/runner: the default safety margin of {} leaves no time for work: {}; set a "
                                     "shorter safety_margin",
                                     format_minutes(margin_minutes), limit))};
}

/// The repository feed of the SDK in package mode: gh-action-sdk's name for it (FEEDNAME's
/// default in entrypoint.sh), so its packages land where that action's users look for them.
constexpr const char* package_mode_feed = "action";

/// Where the packages come from, the feeds added to the SDK's own, the checks and the index.
void sources_from(const json& doc, const util::SourceMap& marks, OpenwrtPackage& p, Diagnostics& problems) {
  p.package = str(doc, "package");
  if (auto f = doc.find("feed"); f != doc.end()) {
    p.feed_mode = true;
    p.feed_name = str(*f, "name");
    p.feed_path = str(*f, "path", ".");
    // The schema's path pattern keeps it inside the repository (no leading '/', no '..').
    while (p.feed_path.size() > 1 && p.feed_path.ends_with('/')) p.feed_path.pop_back();
    p.packages = strings(*f, "packages");
  } else {
    p.feed_name = package_mode_feed;
    p.packages = {p.package};
  }
  p.default_feeds = doc.value("default_feeds", true);
  // Who already has each feed name: a pointer into the matrix, or why the name is taken.
  std::map<std::string, std::string> named;
  named.emplace(p.feed_name, p.feed_mode ? std::string("/feed/name")
                                         : fmt::format("'{}' is the feed the repository becomes in the SDK; name this "
                                                       "feed otherwise",
                                                       p.feed_name));
  if (p.default_feeds)
    for (auto name : default_feed_names())
      named.emplace(std::string(name), fmt::format("the SDK's feeds.conf.default already has a feed '{}'; set "
                                                   "default_feeds: false to replace the SDK's feeds",
                                                   name));
  if (auto feeds = doc.find("feeds"); feeds != doc.end()) {
    for (std::size_t i = 0; i < feeds->size(); ++i) {
      const json& f = (*feeds)[i];
      const std::string pointer = util::pointer_append("/feeds", i);
      ExtraFeed feed{str(f, "name"), str(f, "url"), str(f, "branch"), str(f, "commit"), marks.value_at(pointer)};
      if (!feed.branch.empty() && !feed.commit.empty())
        problems.push_back(util::error_at(
            marks.value_at(pointer + "/commit"),
            fmt::format("{}/commit: a feed follows a branch or is pinned to a commit, not both", pointer)));
      if (auto [it, fresh] = named.emplace(feed.name, pointer); !fresh) {
        const std::string why = it->second.starts_with("/")
                                    ? fmt::format("feed '{}' is already named at {}", feed.name, it->second)
                                    : it->second;
        problems.push_back(util::error_at(marks.value_at(pointer + "/name"), fmt::format("{}/name: {}", pointer, why)));
      }
      p.feeds.push_back(std::move(feed));
    }
  }
  if (auto c = doc.find("checks"); c != doc.end()) {
    p.checks.hashes = c->value("hashes", true);
    p.checks.refresh = c->value("refresh", true);
    p.checks.shfmt = c->value("shfmt", true);
  }
  if (auto ix = doc.find("index"); ix != doc.end()) {
    p.index = !ix->is_boolean() || ix->get<bool>();
    if (ix->is_object()) p.index_signing_secret = str(*ix, "signing_key_secret");
    if (util::to_lower(p.index_signing_secret).starts_with("github_"))
      problems.push_back(util::error_at(
          marks.value_at("/index/signing_key_secret"),
          fmt::format("/index/signing_key_secret: GitHub reserves secret names starting with GITHUB_; store the key "
                      "under another name, such as PACKAGE_SIGNING_KEY")));
  }
}

util::Result<OpenwrtPackage> openwrt_from(const matrix::Matrix& m) {
  const json& doc = m.doc.value;
  OpenwrtPackage p;
  Diagnostics problems;
  p.name = str(doc, "name");
  sources_from(doc, m.doc.marks, p, problems);
  p.image = image_from(str(doc, "image"));
  p.sdk_image = str(doc, "sdk_image", std::string(default_sdk_image));
  p.openwrt_version = str(doc, "openwrt", std::string(default_openwrt_release));
  if (auto tc = doc.find("toolchain"); tc != doc.end()) {
    p.rust = tc->value("rust", true);
    p.llvm = str(*tc, "llvm", "source") == "download" ? LlvmMode::download : LlvmMode::source;
    p.host_rust = str(*tc, "host_rust");
  }
  p.build = {p.feed_mode ? fmt::format("the packages of feed '{}'", p.feed_name)
                         : fmt::format("package/{}/compile", p.package),
             0, m.doc.marks.value_at("/build")};
  if (auto b = doc.find("build"); b != doc.end()) {
    p.build_mode = str(*b, "mode", "container") == "docker-run" ? BuildMode::docker_run : BuildMode::container;
    if (b->contains("estimate")) {
      p.build.estimate_minutes = parse_minutes((*b)["estimate"].get<std::string>());
      p.build.where = m.doc.marks.value_at("/build/estimate");
    }
  }
  p.runner = runner_from(doc, "ubuntu-24.04");
  if (doc.contains("safety_margin")) p.safety_margin_minutes = parse_minutes(doc["safety_margin"].get<std::string>());
  p.factory_stages = split_points(doc, "factory_stages", "", m.doc.marks);

  for (auto& d : check_margin(doc, p.runner, p.safety_margin_minutes, m.doc.marks)) problems.push_back(std::move(d));
  if (p.rust && !p.default_feeds &&
      std::none_of(p.feeds.begin(), p.feeds.end(), [](const ExtraFeed& f) { return f.name == rust_feed; }))
    problems.push_back(util::error_at(
        m.doc.marks.value_at("/default_feeds"),
        fmt::format("/default_feeds: without the SDK's feeds there is no '{}' feed, which holds the Rust toolchain "
                    "(lang/rust); add a feed named '{}' to feeds, or set toolchain.rust: false",
                    rust_feed, rust_feed)));
  for (std::size_t i = 0; i < p.factory_stages.size(); ++i) {
    if (sdk_accepts(p.factory_stages[i].target)) continue;
    const std::string pointer = util::pointer_append(util::pointer_append("/factory_stages", i), "target");
    problems.push_back(util::error_at(m.doc.marks.value_at(pointer),
                                      fmt::format("{}: an OpenWrt SDK has no make target '{}': {}", pointer,
                                                  p.factory_stages[i].target, sdk_target_hint)));
  }
  const json& archs = doc["architectures"];
  for (std::size_t i = 0; i < archs.size(); ++i) {
    const std::string pointer = util::pointer_append("/architectures", i);
    Architecture a{str(archs[i], "arch"), str(archs[i], "sdk"), str(archs[i], "rust_target"),
                   m.doc.marks.value_at(pointer)};
    if (is_snapshot(p.openwrt_version) && snapshot_checksums_url(a.sdk).empty())
      problems.push_back(util::error_at(
          m.doc.marks.value_at(pointer + "/sdk"),
          fmt::format("{}/sdk: a snapshot build needs the SDK as <target>-<subtarget> (such as mediatek-filogic), "
                      "not '{}': the factory rebuilds the image when downloads.openwrt.org publishes a new snapshot "
                      "SDK of that target",
                      pointer, a.sdk)));
    if (a.rust_target.empty() && p.rust) {
      if (auto known = rust_target_for(a.arch)) {
        a.rust_target = *known;
      } else {
        problems.push_back(util::error_at(
            m.doc.marks.value_at(pointer + "/arch"),
            fmt::format("{}/arch: no known Rust target for '{}'; add rust_target (known architectures: {})", pointer,
                        a.arch, util::join(known_architectures(), ", "))));
      }
    }
    p.architectures.push_back(std::move(a));
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return p;
}

/// The stage `from` names, by index, once every reference is known to point at an earlier
/// stage; otherwise a diagnostic for each bad reference (unknown, itself, later, cycle).
Diagnostics check_parents(const std::vector<Stage>& stages, const util::SourceMap& marks) {
  Diagnostics problems;
  std::map<std::string, std::size_t> index;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    index.emplace(stages[i].name, i);
    names.push_back(stages[i].name);
  }
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (!stages[i].from) continue;
    const std::string pointer = util::pointer_append(util::pointer_append("/stages", i), "from");
    const util::Location at = marks.value_at(pointer);
    const std::string& parent = *stages[i].from;
    auto found = index.find(parent);
    if (found == index.end()) {
      problems.push_back(util::error_at(
          at, fmt::format("{}: no stage named '{}' (stages: {})", pointer, parent, util::join(names, ", "))));
      continue;
    }
    if (found->second == i) {
      problems.push_back(util::error_at(at, fmt::format("{}: stage '{}' cannot build on itself", pointer, parent)));
      continue;
    }
    if (found->second < i) continue;
    // A later parent: follow its own parents to tell a cycle from a mere ordering mistake.
    std::vector<std::string> path = {stages[i].name, parent};
    std::size_t at_stage = found->second;
    bool cycle = false;
    for (std::size_t step = 0; step < stages.size() && stages[at_stage].from; ++step) {
      auto next = index.find(*stages[at_stage].from);
      if (next == index.end()) break;
      path.push_back(next->first);
      if (next->second == i) {
        cycle = true;
        break;
      }
      at_stage = next->second;
    }
    problems.push_back(util::error_at(
        at, cycle ? fmt::format("{}: stages build on each other in a cycle: {}", pointer, util::join(path, " → "))
                  : fmt::format("{}: stage '{}' builds on '{}', which is listed after it; list every stage after the "
                                "one it builds on",
                                pointer, stages[i].name, parent)));
  }
  return problems;
}

/// Axis names become workflow inputs next to `force`, `<stage>_image` and `rebuild_<stage>`,
/// so they must be unique along the chain and stay clear of those.
Diagnostics check_axes(const std::vector<Stage>& stages, const util::SourceMap& marks) {
  Diagnostics problems;
  std::map<std::string, std::string> declared_by;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const Stage& st = stages[i];
    if (st.axis_name.empty()) continue;
    const std::string pointer =
        util::pointer_append(util::pointer_append(util::pointer_append("/stages", i), "axes"), st.axis_name);
    const util::Location at = marks.key_at(pointer);
    if (st.axis_name == "force" || st.axis_name.starts_with("rebuild_") || st.axis_name.ends_with("_image"))
      problems.push_back(util::error_at(
          at, fmt::format("{}: axis name '{}' is reserved for the stage workflows' own inputs (force, "
                          "rebuild_<stage>, <stage>_image)",
                          pointer, st.axis_name)));
    else if (auto [it, fresh] = declared_by.emplace(st.axis_name, st.name); !fresh)
      problems.push_back(util::error_at(
          at, fmt::format("{}: axis '{}' is already declared by stage '{}'", pointer, st.axis_name, it->second)));
  }
  return problems;
}

/// Estimates that cannot both be true: a cached build slower than a cold one, or split
/// points that add up to more than the whole stage.
Diagnostics check_estimates(const std::vector<Stage>& stages, const util::SourceMap& marks) {
  Diagnostics problems;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const Stage& st = stages[i];
    const std::string pointer = util::pointer_append("/stages", i);
    if (st.cached_minutes > st.estimate_minutes)
      problems.push_back(util::error_at(
          marks.value_at(pointer + "/cached"),
          fmt::format("{}/cached: {} is more than the cold estimate {}; cached is the time when the layers are "
                      "already built",
                      pointer, format_minutes(st.cached_minutes), format_minutes(st.estimate_minutes))));
    int split_total = 0;
    for (const auto& p : st.split) split_total += p.estimate_minutes;
    if (split_total > st.estimate_minutes)
      problems.push_back(util::error_at(
          marks.value_at(pointer + "/split"),
          fmt::format("{}/split: the split points add up to {}, more than the stage's estimate of {}", pointer,
                      format_minutes(split_total), format_minutes(st.estimate_minutes))));
  }
  return problems;
}

util::Result<StageChain> stage_chain_from(const matrix::Matrix& m) {
  const json& doc = m.doc.value;
  StageChain c;
  c.name = str(doc, "name");
  c.image = image_from(str(doc, "image", "ghcr.io/${owner}/${repo}"));
  c.platform = str(doc, "platform", "linux/amd64");
  c.runner = runner_from(doc, "ubuntu-24.04");
  c.branches = doc.contains("branches") ? strings(doc, "branches") : std::vector<std::string>{"main"};
  if (doc.contains("safety_margin")) c.safety_margin_minutes = parse_minutes(doc["safety_margin"].get<std::string>());
  const json& stages = doc["stages"];
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const json& s = stages[i];
    const std::string pointer = util::pointer_append("/stages", i);
    Stage st;
    st.name = str(s, "name");
    if (s.contains("from")) st.from = str(s, "from");
    st.dockerfile = str(s, "dockerfile");
    st.dockerfile_where = m.doc.marks.value_at(pointer + "/dockerfile");
    st.context = str(s, "context", ".");
    st.paths = strings(s, "paths");
    if (auto axes = s.find("axes"); axes != s.end() && !axes->empty()) {
      st.axis_name = axes->begin().key();
      for (const auto& v : axes->begin().value()) st.axis_values.push_back(v.get<std::string>());
    }
    st.estimate_minutes = parse_minutes(str(s, "estimate"));
    st.cached_minutes = s.contains("cached") ? parse_minutes(str(s, "cached")) : st.estimate_minutes;
    if (s.contains("artifact")) st.artifact = str(s, "artifact");
    st.split = split_points(s, "split", pointer, m.doc.marks);
    st.where = m.doc.marks.value_at(pointer);
    c.stages.push_back(std::move(st));
  }
  Diagnostics problems = check_parents(c.stages, m.doc.marks);
  for (auto more : {check_axes(c.stages, m.doc.marks), check_estimates(c.stages, m.doc.marks),
                    check_margin(doc, c.runner, c.safety_margin_minutes, m.doc.marks)})
    problems.insert(problems.end(), more.begin(), more.end());
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return c;
}

}  // namespace

std::optional<std::string> rust_target_for(std::string_view openwrt_arch) {
  if (const auto* known = find_architecture(openwrt_arch)) return std::string(known->rust_target);
  if (openwrt_arch.starts_with("aarch64_")) return "aarch64-unknown-linux-musl";
  return std::nullopt;
}

std::vector<std::string> known_architectures() {
  std::vector<std::string> out;
  for (const auto& known : known_architecture_table()) out.emplace_back(known.arch);
  return out;
}

int parse_minutes(std::string_view duration) {
  int total = 0, number = 0;
  for (char c : duration) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + (c - '0');
      continue;
    }
    total += c == 'd' ? number * 24 * 60 : c == 'h' ? number * 60 : number;
    number = 0;
  }
  return total;
}

std::string format_minutes(int minutes) {
  const int days = minutes / (24 * 60), hours = minutes / 60 % 24, rest = minutes % 60;
  std::vector<std::string> parts;
  if (days > 0) parts.push_back(fmt::format("{}d", days));
  if (hours > 0) parts.push_back(fmt::format("{}h", hours));
  if (rest > 0 || parts.empty()) parts.push_back(fmt::format("{}m", rest));
  return util::join(parts, " ");
}

int default_job_limit(const std::vector<std::string>& labels) {
  for (const auto& label : labels)
    if (label == "self-hosted") return 5 * 24 * 60;
  for (const auto& label : labels)
    if (label == "ubuntu-slim") return 15;
  return 6 * 60;
}

util::Result<Project> build(const matrix::Matrix& m) {
  if (m.family == "openwrt-package") {
    auto p = openwrt_from(m);
    if (!p) return std::unexpected(std::move(p.error()));
    return Project{m.path, std::move(*p)};
  }
  if (m.family == "stage-chain") {
    auto c = stage_chain_from(m);
    if (!c) return std::unexpected(std::move(c.error()));
    return Project{m.path, std::move(*c)};
  }
  if (m.family == "rust-builder") {
    auto r = rust_builder_from(m);
    if (!r) return std::unexpected(std::move(r.error()));
    return Project{m.path, std::move(*r)};
  }
  return std::unexpected(util::Diagnostics{util::error_at(m.doc.marks.value_at("/family"),
                                                          fmt::format("/family: '{}' is not supported yet", m.family))});
}

}  // namespace forgeline::model
