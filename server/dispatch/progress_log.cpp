#include "dispatch/progress_log.hpp"

#include <array>
#include <condition_variable>
#include <deque>
#include <ostream>
#include <sstream>
#include <thread>
#include <utility>

namespace wordcrawl {

/// What a line is, for deciding whether it may be skipped and how a gap is reported.
enum class line_kind : std::uint8_t {
  progress,  // skipped when the buffer is full
  rate,      // skipped when the buffer is full
  always,    // banner, summary: never skipped
};

/// Writes lines to one stream without making the caller wait for it (see progress_log).
class line_writer {
 public:
  line_writer(std::ostream& stream, std::size_t capacity)
      : stream_(stream),
        // A string buffer cannot block: writing in place keeps str() exact at every moment.
        direct_(dynamic_cast<std::stringbuf*>(stream.rdbuf()) != nullptr),
        capacity_(capacity) {
    if (!direct_) {
      thread_ = std::thread([this] { run(); });
    }
  }
  line_writer(const line_writer&) = delete;
  line_writer& operator=(const line_writer&) = delete;
  line_writer(line_writer&&) = delete;
  line_writer& operator=(line_writer&&) = delete;

  ~line_writer() {
    if (thread_.joinable()) {
      {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
      }
      changed_.notify_all();
      thread_.join();
    }
  }

  // Never waits for the stream. A skippable line that finds the buffer full is only counted.
  void post(std::string line, line_kind kind) {
    if (direct_) {
      stream_ << line;
      stream_.flush();
      return;
    }
    {
      const std::lock_guard lock(mutex_);
      if (kind != line_kind::always && lines_.size() >= capacity_) {
        ++skipped_.at(static_cast<std::size_t>(kind));
        return;
      }
      push_skip_notices();
      lines_.push_back(std::move(line));
    }
    changed_.notify_all();
  }

  void flush() {
    if (direct_) {
      return;
    }
    std::unique_lock lock(mutex_);
    push_skip_notices();
    changed_.notify_all();
    changed_.wait(lock, [this] { return lines_.empty() && !writing_; });
  }

 private:
  // Called with the mutex held; the notices may go one or two lines over the capacity.
  void push_skip_notices() {
    static constexpr std::array<std::string_view, 2> names{"progress", "rate"};
    for (std::size_t i = 0; i < skipped_.size(); ++i) {
      if (skipped_.at(i) > 0) {
        // Appended piece by piece: "(" + std::string&& trips GCC 12's -Wrestrict.
        std::string notice = "(";
        notice.append(std::to_string(skipped_.at(i)))
            .append(" ")
            .append(names.at(i))
            .append(" lines skipped: output too slow)\n");
        lines_.push_back(std::move(notice));
        skipped_.at(i) = 0;
      }
    }
  }

  void run() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [this] { return stopping_ || !lines_.empty(); });
      if (lines_.empty()) {
        push_skip_notices();
        if (lines_.empty()) {
          return;  // stopping, and everything is written
        }
      }
      auto batch = std::exchange(lines_, {});
      writing_ = true;
      lock.unlock();
      // The stream may block here for as long as its reader pleases; nobody else waits.
      for (const auto& line : batch) {
        stream_ << line;
      }
      stream_.flush();
      lock.lock();
      writing_ = false;
      changed_.notify_all();
    }
  }

  std::ostream& stream_;
  const bool direct_;
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> lines_;
  std::array<std::uint64_t, 2> skipped_{};  // by line_kind: progress, rate
  bool writing_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything it uses exists
};

progress_log::progress_log(std::ostream& out, std::ostream& err, std::size_t buffered_lines)
    : out_(std::make_unique<line_writer>(out, buffered_lines)),
      own_err_(&out == &err ? nullptr : std::make_unique<line_writer>(err, buffered_lines)),
      err_(own_err_ ? own_err_.get() : out_.get()) {}

progress_log::~progress_log() = default;

void progress_log::record_processed(const page_result& result) {
  const std::lock_guard lock(mutex_);
  ++totals_.processed;
  if (result.error) {
    ++totals_.failed;
    ++failures_[result.error->kind];
  } else {
    ++totals_.ok;
  }
  out_->post("processed " + std::to_string(totals_.processed) + " (ok " +
                 std::to_string(totals_.ok) + ", failed " + std::to_string(totals_.failed) + ")\n",
             line_kind::progress);
}

void progress_log::record_rejected() {
  const std::lock_guard lock(mutex_);
  ++totals_.rejected;
}

void progress_log::record_dropped() {
  const std::lock_guard lock(mutex_);
  ++totals_.dropped;
}

void progress_log::record_shutting_down() {
  const std::lock_guard lock(mutex_);
  ++totals_.shutting_down;
}

void progress_log::write_rate(std::chrono::steady_clock::duration interval, std::size_t queued,
                              std::size_t clients) {
  const std::lock_guard lock(mutex_);
  const auto seconds = std::chrono::duration<double>(interval).count();
  const auto done = totals_.processed - processed_at_last_rate_;
  processed_at_last_rate_ = totals_.processed;
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  std::ostringstream line;
  line.setf(std::ios::fixed);
  line.precision(1);
  line << "rate: " << rate << " URLs/s, queue " << queued << ", clients " << clients << '\n';
  err_->post(line.str(), line_kind::rate);
  ++rate_lines_;
}

void progress_log::write_summary() {
  {
    const std::lock_guard lock(mutex_);
    std::ostringstream text;
    text << "summary: processed " << totals_.processed << " (ok " << totals_.ok << ", failed "
         << totals_.failed << "), rejected " << totals_.rejected << ", dropped " << totals_.dropped
         << ", shutting down " << totals_.shutting_down << '\n';
    for (const auto& [kind, count] : failures_) {
      text << "  failed: " << to_string(kind) << ": " << count << '\n';
    }
    err_->post(text.str(), line_kind::always);
  }
  flush();
}

void progress_log::write_line(std::string_view line) {
  const std::lock_guard lock(mutex_);
  out_->post(std::string(line) + '\n', line_kind::always);
}

void progress_log::write_note(std::string_view line) {
  const std::lock_guard lock(mutex_);
  err_->post("server: " + std::string(line) + '\n', line_kind::always);
}

void progress_log::flush() {
  out_->flush();
  err_->flush();
}

progress_log::totals progress_log::snapshot() const {
  const std::lock_guard lock(mutex_);
  return totals_;
}

std::uint64_t progress_log::rate_lines() const {
  const std::lock_guard lock(mutex_);
  return rate_lines_;
}

}  // namespace wordcrawl
