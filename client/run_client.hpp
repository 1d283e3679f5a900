#pragma once

#include <iosfwd>

#include "client_options.hpp"

namespace wordcrawl {

/// Runs the client: reads URLs from options.file (or from in when it is "-"), prints answers
/// to out, and progress, diagnostics and the summary to err. Returns an exit_code.
int run_client(const client_options& options, std::istream& in, std::ostream& out,
               std::ostream& err);

}  // namespace wordcrawl
