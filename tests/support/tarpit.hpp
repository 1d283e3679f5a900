#pragma once

// A TCP listener that accepts connections and never answers: the upstream that holds a fetch
// until its timeout. It counts what it accepted and how many its peers gave up on, so a test
// can wait for "four fetches are stuck here" and check "none has ended yet".

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace wordcrawl::testing {

class tarpit {
 public:
  /// Listens on address (a loopback address), port chosen by the kernel.
  explicit tarpit(const std::string& address = "127.0.0.1");
  ~tarpit();
  tarpit(const tarpit&) = delete;
  tarpit& operator=(const tarpit&) = delete;
  tarpit(tarpit&&) = delete;
  tarpit& operator=(tarpit&&) = delete;

  std::uint16_t port() const;
  /// "http://<address>:<port><target>".
  std::string url(std::string_view target) const;
  /// Connections accepted so far.
  std::size_t accepted() const;
  /// Connections the peer closed (or reset) so far.
  std::size_t abandoned() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace wordcrawl::testing
