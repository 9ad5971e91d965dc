#pragma once

#include <string>
#include <string_view>

#include "render/render.hpp"

namespace forgeline::output {

/// What a generated file says about its origin, in its header.
struct Provenance {
  std::string matrix_path;
  std::string regenerate;  // the command that writes it again, e.g. "forgeline generate --matrix m.yaml"
  std::string inputs;      // matrix::encode() of the entries it was generated from; may be empty
};

/// The file as written: a comment header naming the source matrix, how to regenerate,
/// the matrix entries it came from, and a digest of the rest, then the body. A leading `#!` or Dockerfile parser directive
/// stays on the first line.
std::string compose(const render::Rendered& file, const Provenance& provenance);

/// What is on disk where forgeline wants to write.
enum class State {
  missing,    // no file
  foreign,    // no forgeline header: the user's own file
  edited,     // forgeline header, but the body no longer matches its digest
  generated,  // forgeline header and intact body
};

struct Inspection {
  State state = State::missing;
  std::string matrix_path;  // from the header, when there is one
  std::string inputs;       // the header's forgeline-inputs line, when there is one
};

Inspection inspect(std::string_view text);

/// Unified diff of two texts labelled a/<path> and b/<path>; empty when they are equal.
std::string unified_diff(std::string_view before, std::string_view after, const std::string& path);

}  // namespace forgeline::output
