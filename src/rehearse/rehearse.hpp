#pragma once

#include "rehearse/report.hpp"
#include "rehearse/session.hpp"
#include "util/diagnostic.hpp"

namespace forgeline::rehearse {

/// Rehearses the workflows the options name. First every check that needs no engine, each
/// an error at its file:line:col with nothing run: workflows readable, `${{ }}` well-formed,
/// every action known, called workflows present with a `workflow_call` trigger, dispatch
/// inputs valid. Then, for each workflow the event triggers, its jobs in dependency order
/// (reusable workflows' jobs in place of the calling job), on the local engine or, dry,
/// without one. An engine that cannot be used is an error too.
util::Result<Report> rehearse(const Options& options);

}  // namespace forgeline::rehearse
