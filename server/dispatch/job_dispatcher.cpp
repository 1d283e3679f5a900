#include "dispatch/job_dispatcher.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/post.hpp>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {

job_dispatcher::job_dispatcher(boost::asio::io_context& io, const dispatch_limits& limits,
                               reply_budget& budget, progress_log& log, crawl_policy policy)
    : io_(io),
      budget_(budget),
      log_(log),
      queue_(limits.queue, limits.per_host, budget, policy),
      robots_(policy.robots) {
  if (robots_ != nullptr) {
    robots_->on_landed([this] { queue_.wake_all(); });
  }
  budget_.on_room([this] { queue_.wake(); });
}

job_dispatcher::~job_dispatcher() {
  // Sessions closed after the dispatcher still give bytes back to the budget.
  budget_.on_room(nullptr);
  if (robots_ != nullptr) {
    robots_->on_landed(nullptr);
  }
}

bool job_dispatcher::submit(job& item) {
  if (queue_.try_push(item, !parked_.empty())) {
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

void job_dispatcher::close_lane(lane_id lane) {
  for (std::size_t i = queue_.remove_lane(lane).size(); i > 0; --i) {
    log_.record_dropped();
  }
  const auto before = parked_.size();
  parked_.erase(std::remove_if(parked_.begin(), parked_.end(),
                               [lane](const job& item) { return item.lane == lane; }),
                parked_.end());
  for (auto i = parked_.size(); i < before; ++i) {
    log_.record_dropped();
  }
  parked_count_ = parked_.size();
}

void job_dispatcher::abandon() {
  abandoned_ = true;
  queue_.open_all();
  auto parked = std::exchange(parked_, {});
  parked_count_ = 0;
  for (auto& item : parked) {
    answer_shutting_down(item);
  }
}

void job_dispatcher::answer_shutting_down(job& item) {
  auto owner = item.owner.lock();
  if (!owner) {
    log_.record_dropped();
    return;
  }
  log_.record_shutting_down();
  auto line = encode_reply(item.url,
                           page_result::failure(error_kind::shutting_down, shutting_down_message));
  const auto bytes = line.size();
  budget_.add(bytes);
  if (!owner->deliver(std::move(line))) {
    budget_.release(bytes);
  }
  owner->on_unparked();
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

std::optional<job> job_dispatcher::try_take() {
  auto item = queue_.try_pop();
  if (item) {
    boost::asio::post(io_, [this] { on_space(); });
  }
  return item;
}

void job_dispatcher::deliver(const job& item, const page_result& result) {
  // Encoded here, on the worker: a long word list costs the I/O thread nothing.
  deliver_line(item, encode_reply(item.url, result));
}

void job_dispatcher::deliver_line(const job& item, std::string line) {
  queue_.finish(item);
  const auto bytes = line.size();
  // Counted now, so the budget never holds less than what is on its way to the I/O thread.
  if (item.reserved) {
    budget_.settle_job(bytes);
  } else {
    budget_.add(bytes);
  }
  boost::asio::post(io_, [this, owner = item.owner, line = std::move(line), bytes]() mutable {
    auto target = owner.lock();
    if (!target || !target->deliver(std::move(line))) {
      budget_.release(bytes);
    }
  });
}

bool job_dispatcher::settle_if_moot(const job& item) {
  if (item.owner.expired()) {
    log_.record_dropped();
    drop(item);
    return true;
  }
  if (abandoned()) {
    log_.record_shutting_down();
    deliver(item, page_result::failure(error_kind::shutting_down, shutting_down_message));
    return true;
  }
  return false;
}

void job_dispatcher::drop(const job& item) {
  queue_.finish(item);
  if (item.reserved) {
    budget_.release(reply_budget::per_job);
  }
}

}  // namespace wordcrawl
