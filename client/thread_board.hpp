#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wordcrawl {

/// What a client thread is doing: connecting (first attempt), sending URLs, waiting for
/// replies, reconnecting (after a failure, backoff included), done (its part of the run is over).
enum class thread_state : std::uint8_t { connecting, sending, waiting, reconnecting, done };

/// The name the per-thread view shows for a state.
std::string_view to_string(thread_state state);

/// One thread's facts at one moment.
struct thread_view {
  std::size_t index = 0;
  std::string server;  // "host:port" it is connected or connecting to
  thread_state state = thread_state::connecting;
  std::size_t in_flight = 0;     // URLs sent or about to be, not yet answered
  std::size_t window = 0;        // --window
  std::uint64_t answers = 0;     // URLs it delivered, with words or an error
  std::uint64_t errors = 0;      // answers that were errors, plus URLs it gave up on
  std::uint64_t reconnects = 0;  // connection attempts after its first one
};

/// The per-thread view: a header and one row per thread, columns aligned, no trailing spaces:
///   thread  server          state    window  answers  errors  reconnects
///        0  127.0.0.1:7070  waiting   16/16      120       2           0
std::vector<std::string> format_thread_table(const std::vector<thread_view>& rows);

/// The per-thread facts of a run: each thread writes its own slot, the progress display reads
/// them all. Lock-free (relaxed atomics): a reader may see one thread's fields from slightly
/// different moments, which a display redrawn ten times a second can afford.
class thread_board {
 public:
  /// threads slots, each starting on server index % servers.size(); servers is never empty.
  thread_board(std::size_t threads, std::vector<std::string> servers, std::size_t window);

  void set_state(std::size_t thread, thread_state state);
  void set_server(std::size_t thread, std::size_t server);
  void set_in_flight(std::size_t thread, std::size_t count);
  void add_answer(std::size_t thread, bool error);
  void add_given_up(std::size_t thread, std::uint64_t count);
  void add_reconnect(std::size_t thread);

  /// Every thread's facts, in thread order. Thread-safe.
  std::vector<thread_view> snapshot() const;

 private:
  struct slot {
    std::atomic<thread_state> state{thread_state::connecting};
    std::atomic<std::size_t> server{0};
    std::atomic<std::size_t> in_flight{0};
    std::atomic<std::uint64_t> answers{0};
    std::atomic<std::uint64_t> errors{0};
    std::atomic<std::uint64_t> reconnects{0};
  };

  std::vector<std::string> servers_;
  std::size_t window_;
  std::vector<slot> slots_;
};

}  // namespace wordcrawl
