#pragma once

#include <string_view>

namespace wordcrawl {

/// The live page served at /: one self-contained HTML document (inline CSS and script, no
/// network but its own /status) that polls /status once a second while it is visible.
std::string_view status_page_html();

}  // namespace wordcrawl
