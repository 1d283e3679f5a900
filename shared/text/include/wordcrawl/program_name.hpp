#pragma once

// The name a program was started by, for its --help and --version: wordcrawl-server when
// installed, server in a build folder.

#include <filesystem>
#include <string>
#include <string_view>

namespace wordcrawl {

/// The file name of argv0, or fallback when there is none.
inline std::string program_name(const char* argv0, std::string_view fallback) {
  if (argv0 != nullptr) {
    auto name = std::filesystem::path(argv0).filename().string();
    if (!name.empty()) {
      return name;
    }
  }
  return std::string(fallback);
}

}  // namespace wordcrawl
