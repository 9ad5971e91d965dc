#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "render/render.hpp"

namespace {

namespace fs = std::filesystem;
using forgeline::render::render_text;
using forgeline::render::TemplateSource;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("forgeline-render-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path / "partials"); }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

// The text a template renders to; the test case fails where it does not render.
std::string rendered(const std::string& text, const nlohmann::json& values, const TemplateSource& source) {
  auto out = render_text(text, "t.mustache", values, source);
  REQUIRE(out);
  return *out;
}

}  // namespace

TEST_SUITE("render::render") {
  TEST_CASE("values are placed unescaped and ${{ }} stays text") {
    TemplateSource none;
    auto out = render_text("run: echo '<%json%>' ${{ github.sha }}\n<%#list%>- <%.%>\n<%/list%>",
                           "t.mustache", {{"json", R"({"a":"<b>&"})"}, {"list", {"x", "y"}}}, none);
    REQUIRE(out);
    CHECK(*out == "run: echo '{\"a\":\"<b>&\"}' ${{ github.sha }}\n- x\n- y\n");
  }

  TEST_CASE("standalone section lines vanish whether the section renders or not; blank lines stay") {
    TemplateSource none;
    const std::string text = "X\n  <%#s%>\nA\n  <%/s%>\n\n<%^s%>\nN\n<%/s%>\nY\n";
    auto shown = render_text(text, "t.mustache", {{"s", true}}, none);
    auto hidden = render_text(text, "t.mustache", {{"s", false}}, none);
    REQUIRE(shown);
    REQUIRE(hidden);
    CHECK(*shown == "X\nA\n\nY\n");
    CHECK(*hidden == "X\n\nN\nY\n");
  }

  TEST_CASE("errors after standalone lines still name the template's own line") {
    TemplateSource none;
    auto out = render_text("<%#a%>\nx\n<%/a%>\ny: <%#b%>\n", "t.mustache", nlohmann::json::object(), none);
    REQUIRE_FALSE(out);
    CHECK(forgeline::util::format(out.error().front()) == "t.mustache:4:4: error: template: Unclosed section \"b\"");
  }

  TEST_CASE("a template error names the template file, line and column") {
    TemplateSource none;
    auto out = render_text("a: 1\nb: <%#section%>\nc: 3\n", "templates/x.yml.mustache", nlohmann::json::object(), none);
    REQUIRE_FALSE(out);
    CHECK(forgeline::util::format(out.error().front()) ==
          "templates/x.yml.mustache:2:4: error: template: Unclosed section \"section\"");
  }

  TEST_CASE("an unknown partial is an error, not an empty string") {
    TemplateSource none;
    auto out = render_text("a: 1\n<%> nosuch %>\n", "t.mustache", nlohmann::json::object(), none);
    REQUIRE_FALSE(out);
    CHECK(forgeline::util::format(out.error().front()) == "t.mustache:2:1: error: template: unknown partial 'nosuch'");
  }

  TEST_CASE("spaces come out as written: indentation, inside and around tags, in partials") {
    TempDir dir;
    dir.write("partials/step.mustache", "  - run: echo <% word %>  twice\n");
    TemplateSource source(dir.path);
    auto out = render_text("jobs:\n  a:   <%  name  %>  \n  steps:\n  <%> step %>\n", "t.mustache",
                           {{"name", "x y"}, {"word", " w "}}, source);
    REQUIRE(out);
    CHECK(*out == "jobs:\n  a:   x y  \n  steps:\n    - run: echo  w   twice\n");
  }

  TEST_CASE("a line with a section or partial tag keeps kainjow's rule: rendered as spaces only, it goes") {
    TempDir dir;
    dir.write("partials/maybe.mustache", "<%#x%><%y%><%/x%>\n");
    TemplateSource source(dir.path);
    const std::string inline_section = "a\n   <%#x%>  <%y%><%/x%>  \nb\n";
    // A skipped section leaves its line; a rendered one that leaves only spaces takes it away.
    CHECK(rendered(inline_section, {{"x", false}, {"y", "z"}}, source) == "a\n     \nb\n");
    CHECK(rendered(inline_section, {{"x", true}, {"y", ""}}, source) == "a\nb\n");
    CHECK(rendered(inline_section, {{"x", true}, {"y", "z"}}, source) == "a\n     z  \nb\n");
    CHECK(rendered("a\n    <%> maybe %>\nb\n", {{"x", true}, {"y", ""}}, source) == "a\nb\n");
  }

  TEST_CASE("bytes the renderer uses for spaces pass through from values and template text") {
    // Spaces reach kainjow as \x02 on lines without a section tag; a value or a template that
    // holds that byte itself is rendered without the substitution.
    TemplateSource none;
    const std::string mark = "\x02";
    CHECK(rendered("k: <%v%> end\n", {{"v", "a" + mark + "b"}}, none) == "k: a" + mark + "b end\n");
    CHECK(rendered("k:" + mark + "<%v%> end\n", {{"v", "a b"}}, none) == "k:" + mark + "a b end\n");
    // A tag that spans lines: also rendered without it.
    CHECK(rendered("k: <%\nv%> end\n", {{"v", "a b"}}, none) == "k: a b end\n");
  }

  TEST_CASE("override directory replaces a template and a partial by relative path") {
    TempDir dir;
    dir.write("partials/image-name.mustache", "      - custom step <%who%>\n");
    TemplateSource source(dir.path);
    auto partial = source.load("partials/image-name");
    REQUIRE(partial);
    CHECK(partial->text == "      - custom step <%who%>\n");
    CHECK(partial->file == (dir.path / "partials/image-name.mustache").string());
    auto builtin = source.load("partials/registry-login");
    REQUIRE(builtin);
    CHECK(builtin->file == "templates/partials/registry-login.mustache");
    auto out = render_text("steps:\n<%> image-name %>\n", "t.mustache", {{"who", "me"}}, source);
    REQUIRE(out);
    CHECK(*out == "steps:\n      - custom step me\n");
  }
}
