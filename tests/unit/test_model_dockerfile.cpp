#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "matrix/load.hpp"
#include "model/build.hpp"
#include "model/dockerfile.hpp"

namespace {

using forgeline::model::repository_path;
using forgeline::model::scan_dockerfile;

std::vector<std::string> sources(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& r : scan_dockerfile(text, "Dockerfile").reads) out.push_back(r.source);
  return out;
}

forgeline::model::FileReader reader(const std::map<std::string, std::string>& files) {
  return [files](const std::string& path) -> std::expected<forgeline::model::SourceFile, std::string> {
    auto it = files.find(path);
    if (it == files.end()) return std::unexpected("repo/" + path + ": No such file or directory");
    return forgeline::model::SourceFile{"repo/" + path, it->second};
  };
}

forgeline::model::Project project_of(const std::string& text) {
  auto m = forgeline::matrix::load(text, "matrices/x.yaml");
  REQUIRE(m);
  auto p = forgeline::model::build(*m);
  REQUIRE(p);
  return *p;
}

constexpr const char* chain = R"(forgeline: 1
family: stage-chain
name: arm64
stages:
  - {name: base, dockerfile: docker/Dockerfile.base, context: docker, estimate: 30m}
  - name: qt
    from: base
    dockerfile: docker/Dockerfile.qt
    estimate: 8h
    split:
      - {target: qt-configure, estimate: 1h}
      - {target: qtbase, estimate: 4h}
)";

}  // namespace

TEST_SUITE("model::dockerfile") {
  TEST_CASE("COPY and ADD sources: every argument but the destination, shell or exec form") {
    CHECK(sources("FROM x\nCOPY a.txt b/ /dest/\n") == std::vector<std::string>{"a.txt", "b/"});
    CHECK(sources("FROM x\nADD [\"with space.txt\", \"c\", \"/dest/\"]\n") ==
          std::vector<std::string>{"with space.txt", "c"});
    CHECK(sources("from x\ncopy --chown=1:1 --chmod=644 --link src/ /src/\n") == std::vector<std::string>{"src/"});
    CHECK(sources("FROM x\nCOPY *.sh ${DIR}/conf /opt/\n") == std::vector<std::string>{"*.sh", "${DIR}/conf"});
  }

  TEST_CASE("not from the build context: --from, heredocs, URLs, RUN without a bind mount") {
    CHECK(sources("FROM x AS build\nFROM y\nCOPY --from=build /out /out\n").empty());
    CHECK(sources("FROM x\nADD https://example.com/a.tar.gz git@github.com:o/r.git /opt/\n").empty());
    CHECK(sources("FROM x\nCOPY <<EOF /etc/conf\nCOPY not-an-instruction /x\nEOF\nRUN make\n").empty());
    CHECK(sources("FROM x\nRUN --mount=type=cache,target=/root/.cache make\n").empty());
    CHECK(sources("FROM x\nRUN --mount=type=bind,from=build,source=/out,target=/in make\n").empty());
  }

  TEST_CASE("RUN bind mounts read the context: source= or src=, the whole context by default") {
    CHECK(sources("FROM x\nRUN --mount=type=bind,source=Cargo.lock,target=/l --mount=src=vendor,target=/v make\n") ==
          std::vector<std::string>{"Cargo.lock", "vendor"});
    CHECK(sources("FROM x\nRUN --mount=target=/src make\n") == std::vector<std::string>{"."});
  }

  TEST_CASE("continuations, comments inside them, heredoc bodies and the escape directive") {
    CHECK(sources("FROM x\nCOPY a \\\n# a comment\n     b /dest/\n"
                  "RUN cat <<-EOF > /f\n\tCOPY c /d\n\tEOF\nCOPY e /f\n") ==
          std::vector<std::string>{"a", "b", "e"});
    CHECK(sources("# escape=`\nFROM x\nCOPY a `\n  b C:\\dest\\\n") == std::vector<std::string>{"a", "b"});
    // Quoted "<<EOF" with no terminator line: no heredoc, so the COPY after it still counts.
    CHECK(sources("FROM x\nRUN echo \"a <<EOF\"\nCOPY after /a\n") == std::vector<std::string>{"after"});
  }

  TEST_CASE("each read keeps the line of its instruction; stage names are lowercased") {
    const auto facts =
        scan_dockerfile("# comment\nFROM --platform=$BUILDPLATFORM x AS Build\n\n  COPY a /a\n", "d/Dockerfile");
    REQUIRE(facts.reads.size() == 1);
    CHECK(forgeline::util::format(facts.reads[0].where) == "d/Dockerfile:4:3");
    CHECK(facts.stages == std::vector<std::string>{"build"});
  }

  TEST_CASE("repository paths: resolved in the context, kept inside it, widened where not literal") {
    CHECK(repository_path(".", "src/") == "src");
    CHECK(repository_path(".", "./src/main.cpp") == "src/main.cpp");
    CHECK(repository_path(".", ".") == ".");
    CHECK(repository_path("docker", "qt/options.txt") == "docker/qt/options.txt");
    CHECK(repository_path("docker", "/qt") == "docker/qt");
    CHECK(repository_path("docker", "../../etc/passwd") == "docker/etc/passwd");
    CHECK(repository_path(".", "scripts/*.sh") == "scripts");
    CHECK(repository_path(".", "config/${QT}/x") == "config");
    CHECK(repository_path(".", "${DIR}") == ".");
    CHECK(repository_path(".", "docs/with space.txt") == "docs");
    CHECK(repository_path(".", "a/-rf") == "a");
    CHECK(repository_path(".", "c++/x.cpp") == "c++/x.cpp");
  }

  TEST_CASE("read_dockerfiles: inputs in the stage's context, targets, and entries for check") {
    auto p = project_of(chain);
    const auto problems = forgeline::model::read_dockerfiles(
        p, reader({{"docker/Dockerfile.base", "FROM debian\nCOPY packages.txt /etc/\nCOPY packages.txt /tmp/\n"},
                   {"docker/Dockerfile.qt",
                    "ARG BASE_IMAGE\nFROM ${BASE_IMAGE} AS qt-configure\nCOPY docker/qt/ /opt/qt/\nFROM qt-configure AS "
                    "qtbase\nRUN make\nFROM qtbase\n"}}));
    REQUIRE(problems.empty());
    const auto& stages = std::get<forgeline::model::StageChain>(p.family).stages;
    CHECK(stages[0].inputs == std::vector<std::string>{"docker/packages.txt"});
    CHECK(stages[1].inputs == std::vector<std::string>{"docker/qt"});
    CHECK(stages[1].targets == std::vector<std::string>{"qt-configure", "qtbase"});
    const auto entries = forgeline::model::dockerfile_entries(p);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].kind == "dockerfile");
    CHECK(entries[0].name == "docker/Dockerfile.base");
    CHECK(forgeline::util::format(entries[0].where) == "repo/docker/Dockerfile.base:1:1");
  }

  TEST_CASE("a Dockerfile that cannot be read is an error at the matrix's dockerfile value") {
    auto p = project_of(chain);
    const auto problems = forgeline::model::read_dockerfiles(p, reader({{"docker/Dockerfile.qt", "FROM x AS qtbase\n"}}));
    REQUIRE(problems.size() == 2);
    CHECK(forgeline::util::format(problems[0]) ==
          "matrices/x.yaml:5:30: error: /stages/0/dockerfile: cannot read repo/docker/Dockerfile.base: No such file or "
          "directory; forgeline reads each stage's Dockerfile to find the files it uses from the build context");
    CHECK(forgeline::util::format(problems[1]) ==
          "matrices/x.yaml:11:9: error: /stages/1/split/0/target: repo/docker/Dockerfile.qt has no stage "
          "'qt-configure' (FROM … AS qt-configure); its stages: qtbase");
  }

  TEST_CASE("other families read nothing") {
    auto p = project_of(R"(forgeline: 1
family: openwrt-package
package: p
image: ghcr.io/o/r/b
openwrt: 24.10.1
architectures:
  - {arch: x86_64, sdk: x86-64}
)");
    CHECK(forgeline::model::read_dockerfiles(p, reader({})).empty());
    CHECK(forgeline::model::dockerfile_entries(p).empty());
  }
}
