#include "dispatch/job_dispatcher.hpp"

#include <utility>

#include <boost/asio/post.hpp>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {

job_dispatcher::job_dispatcher(boost::asio::io_context& io, std::size_t capacity, progress_log& log)
    : io_(io), log_(log), queue_(capacity) {}

bool job_dispatcher::submit(job& item) {
  if (parked_.empty() && queue_.try_push(item)) {
    ++admitted_;
    return true;
  }
  parked_.push_back(std::move(item));
  parked_count_ = parked_.size();
  return false;
}

void job_dispatcher::on_space() {
  while (!parked_.empty()) {
    auto owner = parked_.front().owner.lock();
    if (!owner) {
      parked_.pop_front();
      parked_count_ = parked_.size();
      log_.record_dropped();
      continue;
    }
    if (!queue_.try_push(parked_.front())) {
      return;
    }
    ++admitted_;
    parked_.pop_front();
    parked_count_ = parked_.size();
    // The owner may park a new job at the back: that is the round-robin turn.
    owner->on_unparked();
  }
}

void job_dispatcher::abandon() {
  abandoned_ = true;
  auto parked = std::exchange(parked_, {});
  parked_count_ = 0;
  for (auto& item : parked) {
    if (auto owner = item.owner.lock()) {
      log_.record_shutting_down();
      owner->deliver(encode_reply(
          item.url, page_result::failure(error_kind::shutting_down, shutting_down_message)));
      owner->on_unparked();
    } else {
      log_.record_dropped();
    }
  }
}

void job_dispatcher::close() {
  queue_.close();
}

std::optional<job> job_dispatcher::take() {
  auto item = queue_.pop();
  if (item) {
    boost::asio::post(io_, [this] { on_space(); });
  }
  return item;
}

void job_dispatcher::deliver(const job& item, const page_result& result) {
  // Encoded here, on the worker: a long word list costs the I/O thread nothing.
  boost::asio::post(io_, [owner = item.owner, line = encode_reply(item.url, result)]() mutable {
    if (auto target = owner.lock()) {
      target->deliver(std::move(line));
    }
  });
}

}  // namespace wordcrawl
