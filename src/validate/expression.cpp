#include "validate/expression.hpp"

#include "util/strings.hpp"

namespace forgeline::validate {

namespace {

// The chain `node` reads, with a number index read as "*" (it names some element, as a filter
// does); empty when it is no chain.
std::vector<std::string> chain(const expr::Node& node) {
  if (node.kind == expr::Kind::index && node.children.size() == 2 &&
      node.children[1].kind == expr::Kind::number_literal) {
    std::vector<std::string> path = chain(node.children[0]);
    if (!path.empty()) path.emplace_back("*");
    return path;
  }
  if ((node.kind == expr::Kind::property || node.kind == expr::Kind::filter) && !node.children.empty()) {
    // expr::context_path stops at a number index below a property; look through it.
    std::vector<std::string> path = expr::context_path(node);
    if (!path.empty()) return path;
    path = chain(node.children[0]);
    if (path.empty()) return path;
    path.push_back(node.kind == expr::Kind::filter ? "*" : util::to_lower(node.text));
    return path;
  }
  return expr::context_path(node);
}

void walk(const expr::Node& node, const Expression& e, std::vector<ContextPath>& out) {
  std::vector<std::string> path = chain(node);
  if (!path.empty()) {
    out.push_back(ContextPath{std::move(path), e.offset + node.offset, e.source.substr(node.offset, node.length)});
    // A computed index inside the chain reads contexts of its own.
    for (const expr::Node* n = &node; !n->children.empty(); n = &n->children[0])
      if (n->kind == expr::Kind::index && n->children.size() == 2) walk(n->children[1], e, out);
    return;
  }
  for (const expr::Node& child : node.children) walk(child, e, out);
}

}  // namespace

std::string ContextPath::text() const { return util::join(segments, "."); }

bool ContextPath::starts_with(std::initializer_list<std::string_view> prefix) const {
  if (segments.size() < prefix.size()) return false;
  std::size_t i = 0;
  for (std::string_view p : prefix)
    if (segments[i++] != p) return false;
  return true;
}

std::vector<Expression> expressions_of(std::string_view value, bool condition) {
  std::vector<Expression> out;
  if (condition && value.find("${{") == std::string_view::npos) {
    // GitHub trims a bare condition before it parses it.
    const std::size_t start = value.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return out;
    const std::size_t end = value.find_last_not_of(" \t\r\n") + 1;
    const std::string_view source = value.substr(start, end - start);
    auto tree = expr::parse(source);
    if (!tree) tree.error().offset += start;
    out.push_back(Expression{start, std::string(source), std::move(tree)});
    return out;
  }
  auto parts = expr::split_template(value);
  if (!parts) {
    out.push_back(Expression{parts.error().offset, std::string(value.substr(parts.error().offset)),
                             std::unexpected(parts.error())});
    return out;
  }
  for (expr::Part& part : *parts) {
    if (!part.expression) continue;
    auto tree = expr::parse(part.text);
    if (!tree) tree.error().offset += part.offset;
    out.push_back(Expression{part.offset, std::move(part.text), std::move(tree)});
  }
  return out;
}

std::vector<ContextPath> context_paths(const Expression& expression) {
  std::vector<ContextPath> out;
  if (expression.tree) walk(*expression.tree, expression, out);
  return out;
}

std::vector<ContextPath> template_paths(std::string_view text) {
  std::vector<ContextPath> out;
  for (const Expression& e : expressions_of(text, false))
    for (ContextPath& p : context_paths(e)) out.push_back(std::move(p));
  return out;
}

std::vector<ContextPath> condition_paths(std::string_view text) {
  std::vector<ContextPath> out;
  for (const Expression& e : expressions_of(text, true))
    for (ContextPath& p : context_paths(e)) out.push_back(std::move(p));
  return out;
}

}  // namespace forgeline::validate
