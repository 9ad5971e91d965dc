#include "plan/stages.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "model/build.hpp"
#include "plan/actions.hpp"
#include "plan/bake.hpp"
#include "plan/images.hpp"
#include "plan/split.hpp"
#include "util/json_object.hpp"
#include "util/strings.hpp"

namespace forgeline::plan {

namespace {

using nlohmann::json;

std::string snake(std::string s) {
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

std::string upper_snake(const std::string& s) {
  std::string out = snake(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// A YAML single-quoted scalar; matrix values never hold quotes (load rejects them).
std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string axis_env(const model::Stage& owner) { return "AXIS_" + upper_snake(owner.axis_name); }
std::string parent_input(const model::Stage& parent) { return snake(parent.name) + "_image"; }
std::string rebuild_input(const model::Stage& stage) { return "rebuild_" + snake(stage.name); }

/// A stage with everything the plan derives for it.
struct StagePlan {
  const model::Stage* stage = nullptr;
  const StagePlan* parent = nullptr;
  std::vector<const model::Stage*> axes;  // its ancestors' axes and its own, in chain order
  std::string file;                       // workflow file name
  std::string repo;                       // image path under the chain's image, e.g. "arm64-qt"
  std::vector<SplitJob> jobs;
  std::vector<std::string> job_ids;  // in the stage's workflow
  std::string report_id(std::size_t k) const {
    return jobs.size() == 1 ? stage->name : fmt::format("{}-part-{}", stage->name, k + 1);
  }
};

/// Every value the run-time variant of a stage can take: its axes' values combined in chain
/// order, joined by '-' as ref_script() joins them ("" without axes).
std::vector<std::string> variants(const StagePlan& sp) {
  std::vector<std::string> out = {""};
  for (const auto* owner : sp.axes) {
    std::vector<std::string> next;
    for (const auto& prefix : out)
      for (const auto& value : owner->axis_values) next.push_back(prefix.empty() ? value : prefix + "-" + value);
    out = std::move(next);
  }
  for (auto& v : out) v = tag_safe(v);
  return out;
}

// How many hex digits of the commit the `sha-` tag keeps.
constexpr int sha_length = 12;

/// `${VAR//[^…]/-}`: a shell variable with every character a tag may not hold replaced.
std::string tag_safe_shell(const std::string& var) { return fmt::format("${{{}//{}/-}}", var, not_tag_safe); }

/// How one file writes the parts of a stage's image and cache names that are known only when
/// it runs: the workflow's shell and expressions, the bake file's variables, the concrete
/// values the plan checks. Each name is composed once, in stage_tags() and stage_cache().
struct Spelling {
  std::string repo;      // the stage's image repository
  std::string variant;   // its axes' values joined by '-', tag-safe; unused without axes
  std::string hash;      // the hash of its inputs
  std::string branch;    // the branch, tag-safe
  std::string sha;       // the commit, cut to sha_length
  std::string ref_name;  // the branch as GitHub names it, in gha cache scopes
};

/// The three tags of a stage's image: its input hash, the branch, the commit.
struct StageTags {
  std::string ref;
  std::string branch;
  std::string sha;
};

StageTags stage_tags(const StagePlan& sp, const Spelling& s) {
  const std::string prefix = sp.axes.empty() ? "" : s.variant + "-";
  return {fmt::format("{}:{}{}", s.repo, prefix, s.hash), fmt::format("{}:{}{}", s.repo, prefix, s.branch),
          fmt::format("{}:{}sha-{}", s.repo, prefix, s.sha)};
}

std::string part_suffix(const StagePlan& sp, std::size_t k) {
  return sp.jobs.size() == 1 ? "" : fmt::format("-part-{}", k + 1);
}

/// The image a part before the last pushes (for the next part to start from): its stage's
/// hash tag with the part's number.
std::string part_image(const std::string& ref, std::size_t k) { return fmt::format("{}-part-{}", ref, k + 1); }

/// The cache layers of part k of a stage: per variant and part, in the stage image's sibling
/// cache package, since the image itself gets run-time tags.
CacheLayers stage_cache(const StagePlan& sp, std::size_t k, const Spelling& s) {
  const std::string variant = sp.axes.empty() ? "" : "-" + s.variant;
  const std::string part = part_suffix(sp, k);
  return cache_layers(CacheSpec{sp.repo + variant + part, s.repo, "buildcache" + variant + part, true, s.ref_name});
}

/// The concrete caches and images of a stage, for every variant and part, so cache
/// conflicts across all matrices can be checked; the workflows compute the same names at
/// run time.
void record_stage_caches(Plan& plan, const model::StageChain& chain, const StagePlan& sp) {
  const std::string repo = fmt::format("{}/{}", matrix_name(chain.image), sp.repo);
  for (const auto& v : variants(sp))
    for (std::size_t k = 0; k < sp.jobs.size(); ++k)
      record_caches(plan, stage_cache(sp, k, Spelling{.repo = repo, .variant = v, .ref_name = "${{ github.ref_name }}"}));
  plan.image_refs.push_back(repo + ":${{ steps.ref.outputs.ref }}");
}

/// The shell that names a stage's image by a hash of its inputs (the files of input_paths(),
/// the build arguments, the parent image) and decides whether to build it. File contents
/// exist only at run time, so the hash is computed there, not here.
std::vector<std::string> ref_script(const model::StageChain& chain, const StagePlan& sp) {
  const model::Stage& st = *sp.stage;
  std::vector<std::string> lines;
  lines.push_back(fmt::format("branch=\"{}\"", tag_safe_shell("GITHUB_REF_NAME")));
  auto variant_lines = [&](const std::vector<const model::Stage*>& axes, const std::string& var) {
    std::vector<std::string> refs;
    for (const auto* owner : axes) refs.push_back(fmt::format("${}", axis_env(*owner)));
    lines.push_back(fmt::format("{}=\"{}\"", var, util::join(refs, "-")));
    lines.push_back(fmt::format("{}=\"{}\"", var, tag_safe_shell(var)));
    return "$" + var;
  };
  const std::string variant = sp.axes.empty() ? "" : variant_lines(sp.axes, "variant");
  const std::string sha = fmt::format("${{GITHUB_SHA::{}}}", sha_length);
  lines.push_back(fmt::format("repo=\"$IMAGE/{}\"", sp.repo));
  std::vector<std::string> hashed = {"platform=" + chain.platform};
  for (const auto* owner : sp.axes)
    if (owner == &st) hashed.push_back(fmt::format("{}=${}", upper_snake(st.axis_name), axis_env(st)));
  if (sp.parent) {
    const std::string parent_variant = sp.parent->axes.empty()      ? ""
                                       : sp.parent->axes == sp.axes ? variant
                                                                    : variant_lines(sp.parent->axes, "parent_variant");
    const Spelling parent{.repo = "$IMAGE/" + sp.parent->repo, .variant = parent_variant, .branch = "$branch"};
    lines.push_back(fmt::format("parent=\"${{PARENT_IMAGE:-{}}}\"", stage_tags(*sp.parent, parent).branch));
    hashed.push_back(fmt::format("{}=$parent", image_build_arg(sp.parent->stage->name)));
  }
  std::vector<std::string> printed;
  for (const auto& h : hashed) printed.push_back("\"" + h + "\"");
  // The build arguments come first, so they name the variant whatever the file listing does
  // (`bash -e` ends the group at a failing command). The checkout's .git changes with every
  // commit without changing any file Docker reads.
  lines.push_back(fmt::format("hash=$( {{ printf '%s\\n' {}; find {} -name .git -prune -o -type f -print0 | LC_ALL=C "
                              "sort -z | xargs -0 sha256sum; }} | sha256sum | cut -c1-16)",
                              util::join(printed, " "), util::join(input_paths(st), " ")));
  const StageTags tags = stage_tags(sp, Spelling{.repo = "$repo", .variant = variant, .hash = "$hash", .branch = "$branch", .sha = sha});
  lines.push_back("{");
  lines.push_back("  echo \"repo=$repo\"");
  if (!sp.axes.empty()) lines.push_back("  echo \"variant=$variant\"");
  if (sp.parent) lines.push_back("  echo \"parent=$parent\"");
  lines.push_back(fmt::format("  echo \"ref={}\"", tags.ref));
  lines.push_back(fmt::format("  echo \"branch_tag={}\"", tags.branch));
  lines.push_back(fmt::format("  echo \"sha_tag={}\"", tags.sha));
  lines.push_back("} >> \"$GITHUB_OUTPUT\"");
  // Skipped only when an image with exactly these inputs is already in the registry.
  lines.push_back(fmt::format(
      "if [ \"$FORCE\" = true ] || ! docker buildx imagetools inspect \"{}\" >/dev/null 2>&1; then", tags.ref));
  lines.push_back("  echo \"build=true\" >> \"$GITHUB_OUTPUT\"");
  lines.push_back("else");
  lines.push_back("  echo \"build=false\" >> \"$GITHUB_OUTPUT\"");
  lines.push_back("fi");
  return lines;
}

json input(const std::string& name, const std::string& description, const std::string& type,
           const std::string& default_yaml, const std::vector<std::string>& options = {}) {
  json choice = nullptr;
  if (!options.empty()) {
    json quoted_options = json::array();
    for (const auto& o : options) quoted_options.push_back(quoted(o));
    choice = util::object({{"options", quoted_options}});
  }
  return util::object(
      {{"name", name}, {"description", description}, {"type", type}, {"default", default_yaml}, {"choice", choice}});
}

std::string axis_description(const model::Stage& owner) {
  return fmt::format("{} to build for ({})", owner.axis_name, util::join(owner.axis_values, ", "));
}

/// The matrix entries a stage workflow is made from: its stage, the axis values it builds
/// for, its parent (whose image it builds on), the stage after it (whether there is one
/// decides the workflow's wording), its Dockerfile and the settings. Never the whole chain,
/// so 1,000 stages make 1,000 short headers.
std::vector<std::pair<std::string, std::string>> stage_file_inputs(const StagePlan& sp, const model::Stage* next) {
  const model::Stage& st = *sp.stage;
  std::vector<std::pair<std::string, std::string>> out = {{"stage", st.name}};
  for (const auto* owner : sp.axes)
    for (const auto& value : owner->axis_values) out.emplace_back(owner->axis_name, value);
  if (sp.parent) out.emplace_back("stage", sp.parent->stage->name);
  if (next) out.emplace_back("stage", next->name);
  out.emplace_back("dockerfile", st.dockerfile);
  out.emplace_back("settings", "");
  return out;
}

/// The inputs a stage workflow takes, for workflow_call (`dispatch` false) or by hand.
json stage_inputs(const StagePlan& sp, bool dispatch) {
  json out = json::array();
  out.push_back(input("force", "Build even when an image with the same inputs is already in the registry",
                      "boolean", "false"));
  for (const auto* owner : sp.axes)
    out.push_back(input(owner->axis_name, axis_description(*owner), dispatch ? "choice" : "string",
                        quoted(owner->axis_values.front()), dispatch ? owner->axis_values : std::vector<std::string>{}));
  if (sp.parent)
    out.push_back(input(parent_input(*sp.parent->stage),
                        fmt::format("Image of stage {} to build on; empty for its image of this branch",
                                    sp.parent->stage->name),
                        "string", "''"));
  return out;
}

json stage_jobs(const model::StageChain& chain, const StagePlan& sp, const std::string& runner) {
  const model::Stage& st = *sp.stage;
  const std::size_t n = sp.jobs.size();
  const std::string first = sp.job_ids.front();
  std::string title = st.name + " image";
  if (!sp.axes.empty()) {
    std::vector<std::string> values;
    for (const auto* owner : sp.axes) values.push_back(fmt::format("${{{{ inputs.{} }}}}", owner->axis_name));
    title += " (" + util::join(values, ", ") + ")";
  }
  json jobs = json::array();
  for (std::size_t k = 0; k < n; ++k) {
    const SplitJob& job = sp.jobs[k];
    const std::string root = k == 0 ? "steps.ref.outputs" : fmt::format("needs.{}.outputs", first);
    auto value = [&](std::string_view name) { return fmt::format("${{{{ {}.{} }}}}", root, name); };
    const bool last = k + 1 == n;
    json build_args = json::array();
    if (!st.axis_name.empty())
      build_args.push_back(fmt::format("{}=${{{{ inputs.{} }}}}", upper_snake(st.axis_name), st.axis_name));
    if (sp.parent) build_args.push_back(fmt::format("{}={}", image_build_arg(sp.parent->stage->name), value("parent")));

    json tags = json::array();
    if (last) tags = {value("ref"), value("branch_tag"), value("sha_tag")};
    else tags.push_back(part_image(value("ref"), k));

    const CacheLayers cache =
        stage_cache(sp, k, Spelling{.repo = value("repo"), .variant = value("variant"), .ref_name = "${{ github.ref_name }}"});

    // The last part builds the Dockerfile to its end, whatever the last split point was:
    // the final tags must name the image the whole Dockerfile describes.
    json target = nullptr;
    if (!last) target = job.segments.back().target;
    json build_context = nullptr;
    if (k > 0)
      build_context = fmt::format("{}=docker-image://{}", sp.jobs[k - 1].segments.back().target,
                                  part_image(value("ref"), k - 1));

    json needs = nullptr;
    if (k == 1) needs = first;
    if (k > 1) needs = fmt::format("[{}, {}]", first, sp.job_ids[k - 1]);

    json outputs = json::array();
    if (k == 0) {
      outputs.push_back(util::object({{"name", "ref"}, {"value", value("ref")}}));
      outputs.push_back(util::object({{"name", "build"}, {"value", value("build")}}));
      if (n > 1) {
        // Later parts read the names the first part computed.
        std::vector<std::string> names = {"repo"};
        if (!sp.axes.empty()) names.push_back("variant");
        if (sp.parent) names.push_back("parent");
        names.push_back("branch_tag");
        names.push_back("sha_tag");
        for (const auto& name : names) outputs.push_back(util::object({{"name", name}, {"value", value(name)}}));
      }
    }

    json artifact = nullptr;
    if (last && st.artifact) {
      const std::string& path = *st.artifact;
      const std::string base = path.substr(path.find_last_of('/') + 1);
      const std::string variant = sp.axes.empty() ? "" : "-" + value("variant");
      artifact = util::object(
          {{"path", path}, {"ref", value("ref")}, {"name", fmt::format("{}-{}{}", base, chain.name, variant)}});
    }

    json env = json::array();
    if (k == 0) {
      env.push_back(util::object({{"name", "IMAGE"}, {"value", "${{ steps.image.outputs.name }}"}}));
      env.push_back(util::object({{"name", "FORCE"}, {"value", "${{ inputs.force }}"}}));
      for (const auto* owner : sp.axes)
        env.push_back(util::object(
            {{"name", axis_env(*owner)}, {"value", fmt::format("${{{{ inputs.{} }}}}", owner->axis_name)}}));
      if (sp.parent)
        env.push_back(util::object({{"name", "PARENT_IMAGE"},
                                    {"value", fmt::format("${{{{ inputs.{} }}}}", parent_input(*sp.parent->stage))}}));
    }

    // Later parts run only when the first decided to build, except that the last part of a
    // stage with an artifact always runs after a successful first part: it copies the
    // artifact out of the image whether this run built it or found it in the registry.
    json job_if = nullptr, build_if = "steps.ref.outputs.build == 'true'";
    if (k > 0) {
      const std::string building = fmt::format("needs.{}.outputs.build == 'true'", first);
      job_if = building;
      build_if = nullptr;
      if (last && st.artifact) {
        std::string after = fmt::format("!cancelled() && needs.{}.result == 'success'", first);
        if (k > 1)
          after += fmt::format(" && (needs.{}.outputs.build != 'true' || needs.{}.result == 'success')", first,
                               sp.job_ids[k - 1]);
        job_if = after;
        build_if = building;
      }
    }
    jobs.push_back(util::object(
        {{"id", sp.job_ids[k]},
         {"first", k == 0},
         {"name", n == 1 ? title : fmt::format("{} part {}/{}", title, k + 1, n)},
         {"needs", needs},
         {"if", job_if},
         {"runs_on", runner},
         {"timeout", job.timeout_minutes},
         {"outputs", outputs.empty() ? json(nullptr) : util::object({{"list", outputs}})},
         {"ref_step", k == 0 ? util::object({{"env", env}, {"script", ref_script(chain, sp)}}) : json(nullptr)},
         {"build_step", n == 1 ? "Build and push" : fmt::format("Build and push part {}/{}", k + 1, n)},
         {"build_if", build_if},
         {"target", target},
         {"build_args", build_args.empty() ? json(nullptr) : util::object({{"list", build_args}})},
         {"build_context", build_context},
         {"tags", tags},
         {"cache_from", cache.from},
         {"cache_to", cache.to},
         {"retag", k == 0},
         {"artifact", artifact}}));
  }
  return jobs;
}

// The Docker Bake variables for the values a stage workflow computes when it runs; bake
// takes each from the environment variable of the same name, else the default, which names a
// build on this machine (docker/buildx docs/bake-reference.md, "Use environment variable as
// default").
constexpr const char* local_image = "localhost";
constexpr const char* local_hash = "local";
constexpr const char* local_ref = "dev";  // branch and commit

std::vector<BakeVariable> bake_variables(const model::StageChain& chain) {
  return {{"IMAGE", local_image,
           fmt::format("Where the images go, lowercase: {} in the workflows.", matrix_name(chain.image))},
          {"HASH", local_hash, "The hash of the inputs of the stage being built; each stage workflow computes its own."},
          {"BRANCH", local_ref, "The branch, with each character a tag may not hold replaced by '-'."},
          {"SHA", local_ref, fmt::format("The commit, its first {} hex digits.", sha_length)},
          {"REF_NAME", local_ref, "The branch as GitHub names it (github.ref_name), in the gha cache scopes."}};
}

/// A stage's names as the bake file spells them: bake variables, and matrix values.
Spelling bake_spelling(const StagePlan& sp) {
  std::vector<std::string> tags;
  for (const auto* owner : sp.axes) tags.push_back(fmt::format("${{{}.tag}}", owner->axis_name));
  return {"${IMAGE}/" + sp.repo, util::join(tags, "-"), "${HASH}", "${BRANCH}", "${SHA}", "${REF_NAME}"};
}

/// The label of the bake target of part k of a stage: the stage's name for its last (or only)
/// part, which the stages built on it refer to.
std::string bake_block(const StagePlan& sp, std::size_t k) {
  return k + 1 == sp.jobs.size() ? sp.stage->name : sp.stage->name + part_suffix(sp, k);
}

/// The target name of one variant of that part: the label and the ids of its axes' values, as
/// `ids` spells them (one per axis of sp.axes; a parent's axes come first in its children's).
std::string bake_target_name(const StagePlan& sp, std::size_t k, const std::vector<std::string>& ids) {
  std::string name = bake_block(sp, k);
  for (std::size_t i = 0; i < sp.axes.size(); ++i) name += "-" + ids.at(i);
  return name;
}

/// One bake target per job of the stage's workflow, each with the job's Dockerfile target,
/// build arguments, tags and caches. The parent image, a build argument the workflow sets to
/// a registry ref, names a context here that is the parent's target (BuildKit looks a FROM
/// up among the named contexts after expanding its arguments: moby/buildkit
/// frontend/dockerfile/dockerfile2llb/convert.go), and a later part starts from the target of
/// the part before it where the workflow pulls that part's image.
std::vector<BakeTarget> bake_targets(const model::StageChain& chain, const StagePlan& sp) {
  const model::Stage& st = *sp.stage;
  const Spelling hcl = bake_spelling(sp);
  const StageTags tags = stage_tags(sp, hcl);
  std::vector<std::string> ids;
  std::vector<BakeAxis> axes;
  for (const auto* owner : sp.axes) {
    ids.push_back(fmt::format("${{{}.id}}", owner->axis_name));
    axes.push_back({owner->axis_name, owner->axis_values});
  }
  std::vector<BakeTarget> out;
  const std::size_t n = sp.jobs.size();
  for (std::size_t k = 0; k < n; ++k) {
    const bool last = k + 1 == n;
    BakeTarget t;
    t.block = bake_block(sp, k);
    if (!axes.empty()) t.name = bake_target_name(sp, k, ids);
    std::string about = fmt::format("Stage {}: {}", st.name, st.dockerfile);
    if (sp.parent) about += fmt::format(" on the {} image", sp.parent->stage->name);
    if (n > 1)
      about = fmt::format("Part {}/{} of stage {} ({}){}", k + 1, n, st.name, st.dockerfile,
                          last ? ", to the Dockerfile's end" : ", up to target " + sp.jobs[k].segments.back().target);
    t.about = {about + fmt::format(", as .github/workflows/{} builds it.", sp.file)};
    t.axes = axes;
    t.context = st.context;
    t.dockerfile = bake_dockerfile(st.dockerfile, st.context);
    if (!last) t.target = sp.jobs[k].segments.back().target;
    t.platform = chain.platform;
    if (!st.axis_name.empty()) t.args.emplace_back(upper_snake(st.axis_name), fmt::format("${{{}.value}}", st.axis_name));
    if (sp.parent) {
      const StagePlan& parent = *sp.parent;
      t.args.emplace_back(image_build_arg(parent.stage->name), parent.repo);
      t.contexts.emplace_back(parent.repo, "target:" + bake_target_name(parent, parent.jobs.size() - 1, ids));
    }
    if (k > 0)
      t.contexts.emplace_back(sp.jobs[k - 1].segments.back().target, "target:" + bake_target_name(sp, k - 1, ids));
    t.tags = last ? std::vector<std::string>{tags.ref, tags.branch, tags.sha}
                  : std::vector<std::string>{part_image(tags.ref, k)};
    const CacheLayers cache = stage_cache(sp, k, hcl);
    t.cache_from = cache.from;
    t.cache_to = cache.to;
    out.push_back(std::move(t));
  }
  return out;
}

/// The values of docker/test-<name>-build.sh: which bake targets it builds, and for
/// `--from-ci STAGE` which it builds instead and the contexts that take STAGE's image from
/// the registry (its branch tag, as a stage workflow run by hand defaults its parent to).
/// Names are spelled with the script's shell variables: <AXIS>_TAG and <AXIS>_ID per axis.
json local_build(const model::StageChain& chain, const std::vector<StagePlan>& stages, const std::string& bake_file) {
  auto ids_of = [](const StagePlan& sp) {
    std::vector<std::string> ids;
    for (const auto* owner : sp.axes) ids.push_back(fmt::format("${}_ID", upper_snake(owner->axis_name)));
    return ids;
  };
  auto shell = [&](const StagePlan& sp) {
    std::vector<std::string> tags;
    for (const auto* owner : sp.axes) tags.push_back(fmt::format("${}_TAG", upper_snake(owner->axis_name)));
    return Spelling{"$IMAGE/" + sp.repo, util::join(tags, "-"), "$HASH", "$BRANCH", "$SHA", "$REF_NAME"};
  };
  // Without --from-ci every stage is built; with it, neither the pulled stage nor those before
  // it (bake still builds one that another built stage links to, without loading it).
  // The pulled stage's line is marked once, so each choice costs the length of its lists.
  auto needed = [&](const StagePlan* pulled) {
    std::vector<bool> before(stages.size(), false);
    for (const StagePlan* p = pulled; p; p = p->parent) before[static_cast<std::size_t>(p - stages.data())] = true;
    std::vector<const StagePlan*> out;
    for (std::size_t i = 0; i < stages.size(); ++i)
      if (!before[i]) out.push_back(&stages[i]);
    return out;
  };
  // Each stage's word is composed once; the lists of every choice only copy them.
  std::vector<std::string> target_word;
  for (const StagePlan& sp : stages)
    target_word.push_back(fmt::format("\"{}\"", bake_target_name(sp, sp.jobs.size() - 1, ids_of(sp))));
  // The lists of all choices grow with the square of the chain: each is sized before it is
  // written, so none keeps the spare room that growing by appends leaves.
  auto words = [&](const std::vector<const StagePlan*>& built) {
    std::size_t size = 0;
    for (const StagePlan* sp : built) size += target_word[static_cast<std::size_t>(sp - stages.data())].size() + 1;
    std::string out;
    out.reserve(size);
    for (const StagePlan* sp : built) {
      if (!out.empty()) out += ' ';
      out += target_word[static_cast<std::size_t>(sp - stages.data())];
    }
    return out;
  };
  auto names = [](const std::vector<const StagePlan*>& built) {
    if (built.empty()) return std::string("  ");
    std::size_t size = 1;
    for (const StagePlan* sp : built) size += sp->stage->name.size() + 1;
    std::string out;
    out.reserve(size);
    out += ' ';
    for (const StagePlan* sp : built) (out += sp->stage->name) += ' ';
    return out;
  };
  const std::vector<const StagePlan*> all = needed(nullptr);
  json from_ci = json::array();
  std::vector<std::string> choices;
  std::vector<std::vector<const StagePlan*>> children_of(stages.size());
  for (const StagePlan& sp : stages)
    if (sp.parent) children_of[static_cast<std::size_t>(sp.parent - stages.data())].push_back(&sp);
  for (const StagePlan& pulled : stages) {
    const std::vector<const StagePlan*>& children = children_of[static_cast<std::size_t>(&pulled - stages.data())];
    if (children.empty()) continue;
    choices.push_back(pulled.stage->name);
    const std::string image = stage_tags(pulled, shell(pulled)).branch;
    json overrides = json::array();
    for (const StagePlan* child : children)
      for (std::size_t k = 0; k < child->jobs.size(); ++k)
        overrides.push_back(fmt::format("--set \"{}.contexts.{}=docker-image://{}\"",
                                        bake_target_name(*child, k, ids_of(*child)), pulled.repo, image));
    const auto built = needed(&pulled);
    from_ci.push_back(util::object({{"stage", pulled.stage->name},
                                    {"targets", words(built)},
                                    {"built", names(built)},
                                    {"overrides", util::join(overrides.get<std::vector<std::string>>(), " ")}}));
  }
  json artifacts = json::array();
  for (const StagePlan& sp : stages)
    if (sp.stage->artifact)
      artifacts.push_back(util::object({{"stage", sp.stage->name},
                                        {"path", *sp.stage->artifact},
                                        {"image", stage_tags(sp, shell(sp)).ref},
                                        {"dest", fmt::format("dist/{}", chain.name)}}));
  json image = util::object({{"from_origin", util::contains(chain.image.path, "${")},
                             {"shell", image_path_shell(chain.image)},
                             {"fixed", util::to_lower(matrix_name(chain.image))},
                             {"local", local_image}});
  const bool has_from_ci = !from_ci.empty();
  return util::object({{"bake_file", bake_file},
                       {"image", image},
                       {"branch_from_ref", tag_safe_shell("REF_NAME")},
                       {"sha_length", sha_length},
                       {"local_hash", local_hash},
                       {"local_ref", local_ref},
                       {"targets", words(all)},
                       {"built", names(all)},
                       {"has_from_ci", has_from_ci},
                       {"from_ci", std::move(from_ci)},
                       {"from_ci_choices", util::join(choices, " ")},
                       {"artifacts", artifacts}});
}

/// What one job of a stage builds, as `forgeline plan` lists it.
std::vector<std::string> job_contents(const StagePlan& sp, std::size_t k) {
  const model::Stage& st = *sp.stage;
  std::string build = st.dockerfile;
  const Segment& end = sp.jobs[k].segments.back();
  const std::string from = k == 0 ? "" : fmt::format(" from target {}", sp.jobs[k - 1].segments.back().target);
  if (!end.ends_work) build += fmt::format("{} up to target {}", from, end.target);
  else if (k > 0) build += from + " to the end";
  std::vector<std::string> out = {build};
  if (!st.axis_name.empty())
    out.push_back(fmt::format("{} {} (one per run)", st.axis_name, util::join(st.axis_values, " or ")));
  if (st.artifact && k + 1 == sp.jobs.size()) out.push_back("artifact " + *st.artifact);
  return out;
}

}  // namespace

std::vector<std::string> input_paths(const model::Stage& stage) {
  std::vector<std::string> paths = {stage.dockerfile};
  for (const auto* more : {&stage.inputs, &stage.paths})
    for (const auto& p : *more)
      if (std::find(paths.begin(), paths.end(), p) == paths.end()) paths.push_back(p);
  if (std::find(paths.begin(), paths.end(), ".") != paths.end()) return {"."};
  // A path under another listed one is found through it; listing it too would hash it twice.
  std::vector<std::string> out;
  for (const auto& p : paths)
    if (std::none_of(paths.begin(), paths.end(), [&](const std::string& q) { return p.starts_with(q + "/"); }))
      out.push_back(p);
  return out;
}

std::vector<std::string> trigger_paths(const model::StageChain& chain, const std::string& matrix_path) {
  std::vector<std::string> out;
  auto add = [&](const std::string& p) {
    // GitHub's filter patterns read '+' as "one or more"; a backslash makes it literal.
    const std::string pattern = util::replace_all(p, "+", "\\+");
    if (std::find(out.begin(), out.end(), pattern) == out.end()) out.push_back(pattern);
  };
  for (const auto& st : chain.stages) {
    const auto paths = input_paths(st);
    if (paths == std::vector<std::string>{"."}) return {};
    for (const auto& p : paths) {
      add(p);
      // Any input but the Dockerfile may be a folder, whose files a filter matches only
      // through a glob.
      if (p != st.dockerfile) add(p + "/**");
    }
  }
  add(matrix_path);
  return out;
}

std::string stage_workflow_file(const model::StageChain& chain, const model::Stage& stage) {
  const bool last = &stage == &chain.stages.back();
  const std::string os = chain.platform.substr(0, chain.platform.find('/'));
  return fmt::format("{}-{}-build.yml", chain.name, last ? os : stage.name);
}

std::string image_build_arg(const std::string& stage) { return upper_snake(stage) + "_IMAGE"; }

bool needs_qemu(const std::string& platform, const model::Runner& runner) {
  std::string wanted = platform.substr(platform.find('/') + 1);
  wanted = wanted.substr(0, wanted.find('/'));
  std::string have;
  for (const auto& label : runner.labels) {
    const std::string l = util::to_lower(label);
    if (runner.self_hosted) {
      if (l == "arm64" || l == "aarch64") have = "arm64";
      if (l == "x64" || l == "amd64" || l == "x86_64") have = "amd64";
    } else {
      have = l.ends_with("-arm") || l.ends_with("-arm64") ? "arm64" : "amd64";
    }
  }
  return !have.empty() && have != wanted;
}

namespace {

/// What the stage workflows' values are computed from when render asks for them
/// (File::deferred_values): its own copy of the chain, so a plan may outlive the model.
struct ChainState {
  model::StageChain chain;
  std::vector<StagePlan> stages;  // point into `chain`
  json common;                    // the values every stage workflow shares
  std::string runner;
};

json stage_workflow_values(const ChainState& state, const StagePlan& sp) {
  const model::StageChain& chain = state.chain;
  const model::Stage& st = *sp.stage;
  const bool last = &st == &chain.stages.back();
  std::string about = fmt::format("Stage {} of the {} chain{}: builds {}", st.name, chain.name,
                                  last ? " (the application)" : "", st.dockerfile);
  if (sp.parent) about += fmt::format(" on the {} image", sp.parent->stage->name);
  json values = state.common;
  util::set(values, {{"about", about},
                     {"skip_rule", st.artifact ? "Tagged by a hash of its inputs and skipped when that image is "
                                                 "already in the registry, unless forced; its artifact is copied out "
                                                 "of the image either way."
                                               : "Tagged by a hash of its inputs and skipped when that image is "
                                                 "already in the registry, unless forced."},
                     {"title", fmt::format("{} {} image", chain.name, st.name)},
                     {"image_description", "The image, tagged by the hash of its inputs"},
                     {"call_inputs", stage_inputs(sp, false)},
                     {"dispatch_inputs", stage_inputs(sp, true)},
                     {"first_job", sp.job_ids.front()},
                     {"context", st.context},
                     {"dockerfile", st.dockerfile},
                     {"jobs", stage_jobs(chain, sp, state.runner)}});
  return values;
}

}  // namespace

util::Result<Plan> plan_stage_chain(const model::StageChain& model_chain, const std::string& matrix_path,
                                    const Options& options) {
  const Budget budget = budget_for(model_chain.runner, model_chain.safety_margin_minutes);
  Plan plan = start_plan(matrix_path, "stage-chain", budget);
  const auto state = std::make_shared<ChainState>(ChainState{.chain = model_chain, .runner = plan.runner});
  const model::StageChain& chain = state->chain;

  // Each stage is its own workflow so it can be skipped, forced and called alone; only a
  // stage longer than a job is cut, at its split points, into jobs of that workflow.
  std::vector<StagePlan>& stages = state->stages;
  stages.resize(chain.stages.size());
  std::map<std::string, const StagePlan*> by_name;
  util::Diagnostics problems;
  for (std::size_t i = 0; i < chain.stages.size(); ++i) {
    const model::Stage& st = chain.stages[i];
    StagePlan& sp = stages[i];
    sp.stage = &st;
    if (st.from) sp.parent = by_name.at(*st.from);  // the model checked every from names an earlier stage
    if (sp.parent) sp.axes = sp.parent->axes;
    if (!st.axis_name.empty()) sp.axes.push_back(&st);
    sp.file = stage_workflow_file(chain, st);
    sp.repo = fmt::format("{}-{}", chain.name, st.name);
    Work w;
    w.name = st.name;
    w.estimate_minutes = st.estimate_minutes;
    w.split = st.split;
    w.pointer = util::pointer_append("/stages", i);
    w.where = st.where;
    auto jobs = split_work({w}, budget);
    if (!jobs) {
      problems.insert(problems.end(), jobs.error().begin(), jobs.error().end());
    } else {
      sp.jobs = std::move(*jobs);
      for (std::size_t k = 0; k < sp.jobs.size(); ++k)
        sp.job_ids.push_back(sp.jobs.size() == 1 ? "build" : fmt::format("part-{}", k + 1));
    }
    by_name[st.name] = &sp;
    // Each value names a bake target, and a target name holds fewer characters than a value.
    std::map<std::string, std::string> named;
    for (const auto& v : st.axis_values)
      if (auto [it, fresh] = named.emplace(bake_name_safe(v), v); !fresh)
        problems.push_back(util::error_at(
            st.where, fmt::format("{}: axis values '{}' and '{}' both name the Docker Bake target '{}-{}' (target "
                                  "names hold only letters, digits, '_' and '-'); rename one",
                                  w.pointer, it->second, v, st.name, it->first)));
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));

  const json actions = action_values(options.pins);
  state->common = util::object({{"source", matrix_path},
                                {"actions", actions},
                                {"image_script", image_name_script(chain.image)},
                                {"login", registry_login(chain.image)},
                                {"platform", chain.platform},
                                {"qemu", needs_qemu(chain.platform, chain.runner)},
                                {"buildx", buildx_builder(chain.runner)}});
  const json& common = state->common;

  for (const StagePlan& sp : stages) {
    const model::Stage& st = *sp.stage;
    const bool last = &st == &chain.stages.back();
    // A chain has as many stage workflows as stages: their values are made one at a time, as
    // each is rendered, rather than all held at once.
    File workflow{".github/workflows/" + sp.file, "stage-chain/stage-build.yml", nullptr, FileKind::workflow, false,
                  stage_file_inputs(sp, last ? nullptr : (&sp + 1)->stage)};
    workflow.deferred_values = [state, &sp] { return stage_workflow_values(*state, sp); };
    plan.files.push_back(std::move(workflow));
    record_stage_caches(plan, chain, sp);

    for (std::size_t k = 0; k < sp.jobs.size(); ++k) {
      const SplitJob& job = sp.jobs[k];
      Job report{sp.file, sp.report_id(k), job_contents(sp, k), {}, job.estimate_minutes, job.timeout_minutes, 1,
                 job.note, std::nullopt};
      if (k > 0) report.needs.push_back(sp.report_id(k - 1));
      else if (sp.parent) report.needs.push_back(sp.parent->report_id(sp.parent->jobs.size() - 1));
      if (sp.jobs.size() == 1 && st.cached_minutes != st.estimate_minutes) report.cached_minutes = st.cached_minutes;
      plan.jobs.push_back(std::move(report));
    }
  }

  // The orchestrator: runs the stage workflows in order, passing each image to the next.
  json dispatch = json::array(), calls = json::array();
  for (const StagePlan& sp : stages) {
    const model::Stage& st = *sp.stage;
    if (!st.axis_name.empty())
      dispatch.push_back(input(st.axis_name, axis_description(st), "choice", quoted(st.axis_values.front()),
                               st.axis_values));
  }
  for (const StagePlan& sp : stages) {
    const model::Stage& st = *sp.stage;
    dispatch.push_back(input(rebuild_input(st), fmt::format("Rebuild the {} image even if it exists", st.name),
                             "boolean", "false"));
    json with = json::array();
    // A forced parent was rebuilt under the same tag, so its children are rebuilt too.
    std::string force = fmt::format("inputs.{} == true", rebuild_input(st));
    if (sp.parent) force += fmt::format(" || needs.{}.outputs.built == 'true'", sp.parent->stage->name);
    with.push_back(util::object({{"key", "force"}, {"value", fmt::format("${{{{ {} }}}}", force)}}));
    for (const auto* owner : sp.axes)
      with.push_back(util::object({{"key", owner->axis_name},
                                   {"value", fmt::format("${{{{ inputs.{} || {} }}}}", owner->axis_name,
                                                         quoted(owner->axis_values.front()))}}));
    if (sp.parent)
      with.push_back(
          util::object({{"key", parent_input(*sp.parent->stage)},
                        {"value", fmt::format("${{{{ needs.{}.outputs.image }}}}", sp.parent->stage->name)}}));
    calls.push_back(util::object({{"id", st.name},
                                  {"first", &sp == &stages.front()},
                                  {"name", fmt::format("{} image", st.name)},
                                  {"needs", sp.parent ? json(sp.parent->stage->name) : json(nullptr)},
                                  {"uses", "./.github/workflows/" + sp.file},
                                  {"with", with.empty() ? json(nullptr) : util::object({{"list", with}})}}));
  }
  json pipeline = common;
  util::set(pipeline, {{"title", fmt::format("{} pipeline", chain.name)},
                       {"chain", chain.name},
                       {"stage_names",
                        [&] {
                          std::vector<std::string> names;
                          for (const auto& st : chain.stages) names.push_back(st.name);
                          return util::join(names, " → ");
                        }()},
                       {"branches", chain.branches},
                       {"paths_filter",
                        [&] {
                          const auto paths = trigger_paths(chain, matrix_path);
                          return paths.empty() ? json(nullptr) : util::object({{"list", paths}});
                        }()},
                       {"dispatch_inputs", dispatch},
                       {"inherit_secrets", chain.image.registry != "ghcr.io"},
                       {"jobs", calls}});
  const std::string pipeline_file = fmt::format("{}-pipeline.yml", chain.name);
  plan.files.push_back(
      {".github/workflows/" + pipeline_file, "stage-chain/pipeline.yml", pipeline, FileKind::workflow});

  // The chain as a Docker Bake file, from the same names as the workflows.
  const std::string bake_file = fmt::format("docker/{}-bake.hcl", chain.name);
  std::vector<BakeTarget> targets;
  std::vector<std::string> group;
  for (const StagePlan& sp : stages) {
    auto more = bake_targets(chain, sp);
    targets.insert(targets.end(), more.begin(), more.end());
    group.push_back(sp.stage->name);
  }
  const std::vector<std::string> about = {
      fmt::format("The {} chain ({}) for Docker Bake: each stage a target built on the target of the", chain.name,
                  pipeline["stage_names"].get<std::string>()),
      "stage it names in `from` (its Dockerfile's <FROM>_IMAGE argument names a context that is that",
      "target), its axis values a matrix, its split parts targets of their own, with the tags and caches",
      "of its stage workflow. On this machine: docker/test-" + chain.name + "-build.sh. In CI each stage workflow",
      "builds one stage with docker/build-push-action from the same values."};
  plan.files.push_back(
      {bake_file, "stage-chain/docker-bake.hcl", bake_values(about, bake_variables(chain), group, targets),
       FileKind::text});

  // Local helpers: build the chain on this machine, and start the pipeline from a shell.
  json axes = json::array();
  for (const StagePlan& sp : stages) {
    const model::Stage& st = *sp.stage;
    if (st.axis_name.empty()) continue;
    json cases = json::array();
    for (const auto& v : st.axis_values)
      cases.push_back(util::object({{"value", v}, {"tag", tag_safe(v)}, {"id", bake_name_safe(v)}}));
    axes.push_back(util::object({{"var", upper_snake(st.axis_name)},
                                 {"name", st.axis_name},
                                 {"flag", "--" + st.axis_name},
                                 {"default", st.axis_values.front()},
                                 {"values", util::join(st.axis_values, " ")},
                                 {"pattern", util::join(st.axis_values, " | ")},
                                 {"cases", cases}}));
  }
  json rebuilds = json::array();
  for (const StagePlan& sp : stages)
    rebuilds.push_back(util::object({{"var", rebuild_input(*sp.stage)},
                                     {"input", rebuild_input(*sp.stage)},
                                     {"flag", "--rebuild-" + sp.stage->name},
                                     {"stage", sp.stage->name}}));
  json scripts = util::object({{"chain", chain.name},
                               {"platform", chain.platform},
                               {"stage_names", pipeline["stage_names"]},
                               {"axes", axes},
                               {"rebuilds", rebuilds},
                               {"pipeline_file", pipeline_file}});
  // The trigger script starts the pipeline and never builds here, so it gets no local_build()
  // values: they grow with the square of the chain (each --from-ci choice lists what it builds).
  json test_script = scripts;
  json build = local_build(chain, stages, bake_file);
  for (auto&& [key, value] : build.items()) test_script[key] = std::move(value);
  plan.files.push_back({fmt::format("docker/test-{}-build.sh", chain.name), "stage-chain/test-build.sh",
                        std::move(test_script), FileKind::script, true});
  plan.files.push_back({fmt::format("scripts/trigger-{}-build.sh", chain.name), "stage-chain/trigger-build.sh",
                        std::move(scripts), FileKind::script, true});
  return plan;
}

}  // namespace forgeline::plan
