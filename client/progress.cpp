#include "progress.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace wordcrawl {
namespace {

std::string format_duration(double seconds) {
  const auto total = static_cast<std::uint64_t>(std::llround(seconds));
  std::ostringstream text;
  if (total >= 3600) {
    text << total / 3600 << ':' << std::setw(2) << std::setfill('0') << total / 60 % 60;
  } else {
    text << total / 60;
  }
  text << ':' << std::setw(2) << std::setfill('0') << total % 60;
  return text.str();
}

}  // namespace

std::string format_progress(const tally_snapshot& counts, std::optional<std::uint64_t> total,
                            std::chrono::duration<double> elapsed) {
  const double seconds = elapsed.count();
  const auto done = counts.done();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  std::ostringstream text;
  text << std::fixed << std::setprecision(1);
  if (total) {
    const auto percent =
        *total == 0 ? 100.0 : 100.0 * static_cast<double>(done) / static_cast<double>(*total);
    text << '[' << done << '/' << *total << ' ' << std::setprecision(0) << percent << "%] "
         << std::setprecision(1) << rate << " URLs/s, " << counts.failed << " errors, ETA ";
    if (rate > 0 && done <= *total) {
      text << format_duration(static_cast<double>(*total - done) / rate);
    } else {
      text << '?';
    }
  } else {
    text << done << " done, " << rate << " URLs/s, " << counts.failed << " errors";
  }
  return text.str();
}

std::vector<std::string> format_thread_progress(const std::vector<thread_view>& threads,
                                                const tally_snapshot& counts,
                                                std::optional<std::uint64_t> total,
                                                std::chrono::duration<double> elapsed) {
  auto lines = format_thread_table(threads);
  lines.push_back(format_progress(counts, total, elapsed));
  return lines;
}

progress::progress(console& con, bool enabled, std::optional<std::uint64_t> total,
                   clock::time_point start, const thread_board* board, bool in_place)
    : console_(con),
      enabled_(enabled),
      total_(total),
      start_(start),
      board_(board),
      in_place_(in_place) {}

std::chrono::milliseconds progress::interval() const {
  return board_ != nullptr && !in_place_ ? appended_interval : redraw_interval;
}

void progress::draw_locked(const tally& counts, clock::time_point now) {
  last_draw_ = now;
  if (board_ == nullptr) {
    console_.status(format_progress(counts.snapshot(0), total_, now - start_));
    return;
  }
  const auto lines =
      format_thread_progress(board_->snapshot(), counts.snapshot(0), total_, now - start_);
  if (in_place_) {
    console_.status_block(lines);
    return;
  }
  // Without cursor movement each block is whole lines, so diagnostics fall between blocks.
  std::string block;
  for (const auto& line : lines) {
    if (!block.empty()) {
      block.push_back('\n');
    }
    block.append(line);
  }
  console_.line(block);
}

void progress::update(const tally& counts, clock::time_point now) {
  if (!enabled_) {
    return;
  }
  const std::lock_guard lock(mutex_);
  if (last_draw_ && now - *last_draw_ < interval()) {
    return;
  }
  draw_locked(counts, now);
}

void progress::finish(const tally& counts, clock::time_point now) {
  if (!enabled_) {
    return;
  }
  const std::lock_guard lock(mutex_);
  draw_locked(counts, now);
  console_.end_status();
}

}  // namespace wordcrawl
