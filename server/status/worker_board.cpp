#include "status/worker_board.hpp"

#include <algorithm>

#include "fetch/url_check.hpp"

namespace wordcrawl {
namespace {

struct bound_slot {
  worker_board* board = nullptr;
  std::size_t index = 0;
};

// The slot of the worker running on this thread, if any.
bound_slot& this_thread_slot() {
  thread_local bound_slot slot;
  return slot;
}

}  // namespace

std::string_view to_string(worker_state state) {
  switch (state) {
    case worker_state::fetching:
      return "fetching";
    case worker_state::counting:
      return "counting";
    case worker_state::idle:
      break;
  }
  return "idle";
}

worker_board::worker_board(std::size_t workers) : size_(workers), slots_(workers) {}

void worker_board::start(std::size_t i, std::string_view host, std::string_view url) {
  if (i >= size_) {
    return;
  }
  auto shown = shorten_url(url, max_shown_url_bytes);
  auto shown_host = host.empty() ? url_host(url) : std::string(host);
  const std::lock_guard lock(slots_[i].mutex);
  slots_[i].state = worker_state::fetching;
  slots_[i].host = std::move(shown_host);
  slots_[i].url = std::move(shown);
  slots_[i].since = std::chrono::steady_clock::now();
}

void worker_board::counting(std::size_t i) {
  if (i >= size_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(slots_[i].mutex);
  slots_[i].state = worker_state::counting;
  slots_[i].since = now;
}

std::optional<std::chrono::steady_clock::duration> worker_board::idle(std::size_t i) {
  if (i >= size_) {
    return std::nullopt;
  }
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(slots_[i].mutex);
  std::optional<std::chrono::steady_clock::duration> counted;
  if (slots_[i].state == worker_state::counting) {
    counted = now - slots_[i].since;
  }
  slots_[i].state = worker_state::idle;
  slots_[i].host.clear();
  slots_[i].url.clear();
  slots_[i].since = now;
  return counted;
}

std::vector<worker_view> worker_board::read() const {
  const auto now = std::chrono::steady_clock::now();
  std::vector<worker_view> out(size_);
  for (std::size_t i = 0; i < size_; ++i) {
    const std::lock_guard lock(slots_[i].mutex);
    out[i].state = slots_[i].state;
    out[i].host = slots_[i].host;
    out[i].url = slots_[i].url;
    if (slots_[i].since != std::chrono::steady_clock::time_point{}) {
      out[i].for_time =
          std::chrono::duration_cast<std::chrono::milliseconds>(now - slots_[i].since);
    }
  }
  return out;
}

void worker_board::bind_thread(std::size_t i) {
  this_thread_slot() = bound_slot{this, i};
}

void note_counting() {
  const auto& bound = this_thread_slot();
  if (bound.board != nullptr) {
    bound.board->counting(bound.index);
  }
}

std::string shorten_url(std::string_view url, std::size_t max) {
  if (url.size() <= max) {
    return std::string(url);
  }
  std::size_t cut = max;
  // Back off continuation bytes (10xxxxxx) so that no character is cut in half.
  while (cut > 0 && (static_cast<unsigned char>(url[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return std::string(url.substr(0, cut)) + "...";
}

}  // namespace wordcrawl
