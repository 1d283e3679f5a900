#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace wordcrawl::testing {

/// Polls pred until it holds or timeout passes; true if it held. For conditions nobody can
/// notify on (another process, a counter in a fixture's thread).
inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace wordcrawl::testing
