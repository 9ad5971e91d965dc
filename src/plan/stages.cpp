#include "plan/stages.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "model/build.hpp"
#include "plan/actions.hpp"
#include "plan/images.hpp"
#include "plan/split.hpp"
#include "util/strings.hpp"

namespace forgeline::plan {

namespace {

using nlohmann::json;

/// Bash pattern of the characters a Docker tag may not hold; they become '-' at run time.
constexpr const char* not_tag_safe = "[^A-Za-z0-9_.-]";

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

/// The concrete caches and images of a stage, for every variant and part, so cache
/// conflicts across all matrices can be checked; the workflows compute the same names at
/// run time. Images get run-time tags (hash, branch), so caches live in their own package.
void record_stage_caches(Plan& plan, const model::StageChain& chain, const StagePlan& sp) {
  const std::string repo = fmt::format("{}/{}", matrix_name(chain.image), sp.repo);
  for (const auto& v : variants(sp)) {
    const std::string variant = v.empty() ? "" : "-" + v;
    for (std::size_t k = 0; k < sp.jobs.size(); ++k) {
      const std::string part = sp.jobs.size() == 1 ? "" : fmt::format("-part-{}", k + 1);
      record_caches(plan, cache_layers(CacheSpec{fmt::format("{}{}{}", sp.repo, variant, part), repo,
                                                 fmt::format("buildcache{}{}", variant, part), true}));
    }
  }
  plan.image_refs.push_back(repo + ":${{ steps.ref.outputs.ref }}");
}

/// The shell that names a stage's image by a hash of its inputs (the files of input_paths(),
/// the build arguments, the parent image) and decides whether to build it. File contents
/// exist only at run time, so the hash is computed there, not here.
std::vector<std::string> ref_script(const model::StageChain& chain, const StagePlan& sp) {
  const model::Stage& st = *sp.stage;
  std::vector<std::string> lines;
  lines.push_back(fmt::format("branch=\"${{GITHUB_REF_NAME//{}/-}}\"", not_tag_safe));
  auto variant_lines = [&](const std::vector<const model::Stage*>& axes, const std::string& var) {
    std::vector<std::string> refs;
    for (const auto* owner : axes) refs.push_back("$" + axis_env(*owner));
    lines.push_back(fmt::format("{}=\"{}\"", var, util::join(refs, "-")));
    lines.push_back(fmt::format("{0}=\"${{{0}//{1}/-}}\"", var, not_tag_safe));
    return fmt::format("${}-", var);
  };
  const std::string prefix = sp.axes.empty() ? "" : variant_lines(sp.axes, "variant");
  lines.push_back(fmt::format("repo=\"$IMAGE/{}\"", sp.repo));
  std::vector<std::string> hashed = {"platform=" + chain.platform};
  for (const auto* owner : sp.axes)
    if (owner == &st) hashed.push_back(fmt::format("{}=${}", upper_snake(st.axis_name), axis_env(st)));
  if (sp.parent) {
    const std::string parent_prefix = sp.parent->axes.empty()      ? ""
                                      : sp.parent->axes == sp.axes ? prefix
                                                                   : variant_lines(sp.parent->axes, "parent_variant");
    lines.push_back(fmt::format("parent=\"${{PARENT_IMAGE:-$IMAGE/{}:{}$branch}}\"", sp.parent->repo, parent_prefix));
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
  lines.push_back("{");
  lines.push_back("  echo \"repo=$repo\"");
  if (!sp.axes.empty()) lines.push_back("  echo \"variant=$variant\"");
  if (sp.parent) lines.push_back("  echo \"parent=$parent\"");
  lines.push_back(fmt::format("  echo \"ref=$repo:{}$hash\"", prefix));
  lines.push_back(fmt::format("  echo \"branch_tag=$repo:{}$branch\"", prefix));
  lines.push_back(fmt::format("  echo \"sha_tag=$repo:{}sha-${{GITHUB_SHA::12}}\"", prefix));
  lines.push_back("} >> \"$GITHUB_OUTPUT\"");
  // Skipped only when an image with exactly these inputs is already in the registry.
  lines.push_back(fmt::format(
      "if [ \"$FORCE\" = true ] || ! docker buildx imagetools inspect \"$repo:{}$hash\" >/dev/null 2>&1; then", prefix));
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
    choice = {{"options", quoted_options}};
  }
  return {{"name", name}, {"description", description}, {"type", type}, {"default", default_yaml}, {"choice", choice}};
}

std::string axis_description(const model::Stage& owner) {
  return fmt::format("{} to build for ({})", owner.axis_name, util::join(owner.axis_values, ", "));
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
    const std::string part = n == 1 ? "" : fmt::format("-part-{}", k + 1);

    json build_args = json::array();
    if (!st.axis_name.empty())
      build_args.push_back(fmt::format("{}=${{{{ inputs.{} }}}}", upper_snake(st.axis_name), st.axis_name));
    if (sp.parent) build_args.push_back(fmt::format("{}={}", image_build_arg(sp.parent->stage->name), value("parent")));

    json tags = json::array();
    if (last) tags = {value("ref"), value("branch_tag"), value("sha_tag")};
    else tags.push_back(value("ref") + part);

    const std::string variant = sp.axes.empty() ? "" : "-" + value("variant");
    const CacheLayers cache = cache_layers(CacheSpec{fmt::format("{}{}{}", sp.repo, variant, part), value("repo"),
                                                     fmt::format("buildcache{}{}", variant, part), true});

    // The last part builds the Dockerfile to its end, whatever the last split point was:
    // the final tags must name the image the whole Dockerfile describes.
    json target = nullptr;
    if (!last) target = job.segments.back().target;
    json build_context = nullptr;
    if (k > 0)
      build_context = fmt::format("{}=docker-image://{}-part-{}", sp.jobs[k - 1].segments.back().target, value("ref"), k);

    json needs = nullptr;
    if (k == 1) needs = first;
    if (k > 1) needs = fmt::format("[{}, {}]", first, sp.job_ids[k - 1]);

    json outputs = json::array();
    if (k == 0) {
      outputs.push_back({{"name", "ref"}, {"value", value("ref")}});
      outputs.push_back({{"name", "build"}, {"value", value("build")}});
      if (n > 1) {
        // Later parts read the names the first part computed.
        std::vector<std::string> names = {"repo"};
        if (!sp.axes.empty()) names.push_back("variant");
        if (sp.parent) names.push_back("parent");
        names.push_back("branch_tag");
        names.push_back("sha_tag");
        for (const auto& name : names) outputs.push_back({{"name", name}, {"value", value(name)}});
      }
    }

    json artifact = nullptr;
    if (last && st.artifact) {
      const std::string& path = *st.artifact;
      const std::string base = path.substr(path.find_last_of('/') + 1);
      artifact = {{"path", path},
                  {"ref", value("ref")},
                  {"name", fmt::format("{}-{}{}", base, chain.name, variant)}};
    }

    json env = json::array();
    if (k == 0) {
      env.push_back({{"name", "IMAGE"}, {"value", "${{ steps.image.outputs.name }}"}});
      env.push_back({{"name", "FORCE"}, {"value", "${{ inputs.force }}"}});
      for (const auto* owner : sp.axes)
        env.push_back({{"name", axis_env(*owner)}, {"value", fmt::format("${{{{ inputs.{} }}}}", owner->axis_name)}});
      if (sp.parent)
        env.push_back({{"name", "PARENT_IMAGE"},
                       {"value", fmt::format("${{{{ inputs.{} }}}}", parent_input(*sp.parent->stage))}});
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
    jobs.push_back(
        {{"id", sp.job_ids[k]},
         {"first", k == 0},
         {"name", n == 1 ? title : fmt::format("{} part {}/{}", title, k + 1, n)},
         {"needs", needs},
         {"if", job_if},
         {"runs_on", runner},
         {"timeout", job.timeout_minutes},
         {"outputs", outputs.empty() ? json(nullptr) : json{{"list", outputs}}},
         {"ref_step", k == 0 ? json{{"env", env}, {"script", ref_script(chain, sp)}} : json(nullptr)},
         {"build_step", n == 1 ? "Build and push" : fmt::format("Build and push part {}/{}", k + 1, n)},
         {"build_if", build_if},
         {"target", target},
         {"build_args", build_args.empty() ? json(nullptr) : json{{"list", build_args}}},
         {"build_context", build_context},
         {"tags", tags},
         {"cache_from", cache.from},
         {"cache_to", cache.to},
         {"retag", k == 0},
         {"artifact", artifact}});
  }
  return jobs;
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

util::Result<Plan> plan_stage_chain(const model::StageChain& chain, const std::string& matrix_path,
                                    const Options& options) {
  const Budget budget = budget_for(chain.runner, chain.safety_margin_minutes);
  Plan plan = start_plan(matrix_path, "stage-chain", budget);

  // Each stage is its own workflow so it can be skipped, forced and called alone; only a
  // stage longer than a job is cut, at its split points, into jobs of that workflow.
  std::vector<StagePlan> stages(chain.stages.size());
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
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));

  const json actions = action_values(options.pins);
  const json common = {{"source", matrix_path},
                       {"actions", actions},
                       {"image_script", image_name_script(chain.image)},
                       {"login", registry_login(chain.image)},
                       {"platform", chain.platform},
                       {"qemu", needs_qemu(chain.platform, chain.runner)},
                       {"buildx", buildx_builder(chain.runner)}};

  for (const StagePlan& sp : stages) {
    const model::Stage& st = *sp.stage;
    const bool last = &st == &chain.stages.back();
    std::string about = fmt::format("Stage {} of the {} chain{}: builds {}", st.name, chain.name,
                                    last ? " (the application)" : "", st.dockerfile);
    if (sp.parent) about += fmt::format(" on the {} image", sp.parent->stage->name);
    json values = common;
    values.update({{"about", about},
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
                   {"jobs", stage_jobs(chain, sp, plan.runner)}});
    plan.files.push_back({".github/workflows/" + sp.file, "stage-chain/stage-build.yml", values, FileKind::workflow});
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
    with.push_back({{"key", "force"}, {"value", fmt::format("${{{{ {} }}}}", force)}});
    for (const auto* owner : sp.axes)
      with.push_back({{"key", owner->axis_name},
                      {"value", fmt::format("${{{{ inputs.{} || {} }}}}", owner->axis_name,
                                            quoted(owner->axis_values.front()))}});
    if (sp.parent)
      with.push_back({{"key", parent_input(*sp.parent->stage)},
                      {"value", fmt::format("${{{{ needs.{}.outputs.image }}}}", sp.parent->stage->name)}});
    calls.push_back({{"id", st.name},
                     {"first", &sp == &stages.front()},
                     {"name", fmt::format("{} image", st.name)},
                     {"needs", sp.parent ? json(sp.parent->stage->name) : json(nullptr)},
                     {"uses", "./.github/workflows/" + sp.file},
                     {"with", with.empty() ? json(nullptr) : json{{"list", with}}}});
  }
  json pipeline = common;
  pipeline.update({{"title", fmt::format("{} pipeline", chain.name)},
                   {"chain", chain.name},
                   {"stage_names", [&] {
                      std::vector<std::string> names;
                      for (const auto& st : chain.stages) names.push_back(st.name);
                      return util::join(names, " → ");
                    }()},
                   {"branches", chain.branches},
                   {"paths_filter", [&] {
                      const auto paths = trigger_paths(chain, matrix_path);
                      return paths.empty() ? json(nullptr) : json{{"list", paths}};
                    }()},
                   {"dispatch_inputs", dispatch},
                   {"inherit_secrets", chain.image.registry != "ghcr.io"},
                   {"jobs", calls}});
  const std::string pipeline_file = fmt::format("{}-pipeline.yml", chain.name);
  plan.files.push_back(
      {".github/workflows/" + pipeline_file, "stage-chain/pipeline.yml", pipeline, FileKind::workflow});

  // Local helpers: build the chain on this machine, and start the pipeline from a shell.
  json axes = json::array(), local = json::array();
  for (const StagePlan& sp : stages) {
    const model::Stage& st = *sp.stage;
    if (!st.axis_name.empty())
      axes.push_back({{"var", upper_snake(st.axis_name)},
                      {"name", st.axis_name},
                      {"flag", "--" + st.axis_name},
                      {"default", st.axis_values.front()},
                      {"values", util::join(st.axis_values, " ")},
                      {"pattern", util::join(st.axis_values, " | ")}});
    json args = json::array();
    if (!st.axis_name.empty())
      args.push_back(fmt::format("{0}=\"${0}\"", upper_snake(st.axis_name)));
    if (sp.parent) args.push_back(fmt::format("{}={}:local", image_build_arg(sp.parent->stage->name), sp.parent->repo));
    json artifact = nullptr;
    if (st.artifact) artifact = {{"path", *st.artifact}, {"dest", fmt::format("dist/{}", chain.name)}};
    local.push_back({{"name", st.name},
                     {"dockerfile", st.dockerfile},
                     {"context", st.context},
                     {"tag", sp.repo + ":local"},
                     {"args", args},
                     {"artifact", artifact}});
  }
  json rebuilds = json::array();
  for (const StagePlan& sp : stages)
    rebuilds.push_back({{"var", rebuild_input(*sp.stage)},
                        {"input", rebuild_input(*sp.stage)},
                        {"flag", "--rebuild-" + sp.stage->name},
                        {"stage", sp.stage->name}});
  const json scripts = {{"chain", chain.name},
                        {"platform", chain.platform},
                        {"stage_names", pipeline["stage_names"]},
                        {"axes", axes},
                        {"stages", local},
                        {"rebuilds", rebuilds},
                        {"pipeline_file", pipeline_file}};
  plan.files.push_back({fmt::format("docker/test-{}-build.sh", chain.name), "stage-chain/test-build.sh", scripts,
                        FileKind::script, true});
  plan.files.push_back({fmt::format("scripts/trigger-{}-build.sh", chain.name), "stage-chain/trigger-build.sh",
                        scripts, FileKind::script, true});
  return plan;
}

}  // namespace forgeline::plan
