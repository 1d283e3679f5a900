#pragma once

// What each worker thread is doing, published by the worker itself into a slot of its own:
// a scrape locks each slot for a moment, a worker only ever waits for a scrape of its own slot,
// never for another worker (no global lock on the hot path).

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wordcrawl {

enum class worker_state { idle, fetching, counting };

/// "idle", "fetching", "counting".
std::string_view to_string(worker_state state);

/// One worker as a scrape sees it.
struct worker_view {
  worker_state state = worker_state::idle;
  std::string host;
  std::string url;
  std::chrono::milliseconds for_time{0};  // in this state since
};

/// The longest URL a slot keeps: enough to recognise a page, bounded whatever a client sends.
inline constexpr std::size_t max_shown_url_bytes = 200;

class worker_board {
 public:
  explicit worker_board(std::size_t workers);

  std::size_t size() const { return size_; }

  /// Worker i's thread: it took url (of host) and starts on it.
  void start(std::size_t i, std::string_view host, std::string_view url);
  /// Worker i's thread: the body is in, its words are being counted.
  void counting(std::size_t i);
  /// Worker i's thread: done; how long it counted, if it said it did.
  std::optional<std::chrono::steady_clock::duration> idle(std::size_t i);

  /// Every worker, in order.
  std::vector<worker_view> read() const;

  /// Binds the calling thread to slot i, so that note_counting() on it marks that slot.
  void bind_thread(std::size_t i);

 private:
  struct alignas(64) slot {  // one cache line each: workers do not share lines
    mutable std::mutex mutex;
    worker_state state = worker_state::idle;
    std::string host;
    std::string url;
    std::chrono::steady_clock::time_point since{};
  };

  std::size_t size_;
  std::deque<slot> slots_;  // built in place, never resized: the mutexes stay put
};

/// Called by a processor when its fetch is over and counting begins; nothing if the calling
/// thread is bound to no board (tests, the cluster's workers).
void note_counting();

/// url cut to at most max bytes, at a UTF-8 character boundary, "..." added when cut.
std::string shorten_url(std::string_view url, std::size_t max);

}  // namespace wordcrawl
