#include "thread_board.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace wordcrawl {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

constexpr std::size_t column_count = 7;
using table_row = std::array<std::string, column_count>;

constexpr std::array<std::string_view, column_count> header{
    "thread", "server", "state", "window", "answers", "errors", "reconnects"};
// Names and states read left to right; numbers line up on their last digit.
constexpr std::array<bool, column_count> right_aligned{true, false, false, true, true, true, true};

table_row cells_of(const thread_view& row) {
  std::string window = std::to_string(row.in_flight);
  window.push_back('/');
  window.append(std::to_string(row.window));
  return {std::to_string(row.index),         row.server,
          std::string(to_string(row.state)), std::move(window),
          std::to_string(row.answers),       std::to_string(row.errors),
          std::to_string(row.reconnects)};
}

std::string join_row(const table_row& cells, const std::array<std::size_t, column_count>& widths) {
  std::string line;
  for (std::size_t column = 0; column < column_count; ++column) {
    if (column > 0) {
      line.append("  ");
    }
    const auto padding = std::string(widths.at(column) - cells.at(column).size(), ' ');
    if (right_aligned.at(column)) {
      line.append(padding).append(cells.at(column));
    } else {
      line.append(cells.at(column)).append(padding);
    }
  }
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

}  // namespace

std::string_view to_string(thread_state state) {
  switch (state) {
    case thread_state::connecting:
      return "connecting";
    case thread_state::sending:
      return "sending";
    case thread_state::waiting:
      return "waiting";
    case thread_state::reconnecting:
      return "reconnecting";
    case thread_state::done:
      return "done";
  }
  return "?";
}

std::vector<std::string> format_thread_table(const std::vector<thread_view>& rows) {
  std::vector<table_row> cells(1);
  std::copy(header.begin(), header.end(), cells.front().begin());
  std::transform(rows.begin(), rows.end(), std::back_inserter(cells), cells_of);
  std::array<std::size_t, column_count> widths{};
  for (const auto& row : cells) {
    for (std::size_t column = 0; column < column_count; ++column) {
      widths.at(column) = std::max(widths.at(column), row.at(column).size());
    }
  }
  std::vector<std::string> lines;
  lines.reserve(cells.size());
  for (const auto& row : cells) {
    lines.push_back(join_row(row, widths));
  }
  return lines;
}

thread_board::thread_board(std::size_t threads, std::vector<std::string> servers,
                           std::size_t window)
    : servers_(std::move(servers)), window_(window), slots_(threads) {
  for (std::size_t i = 0; i < threads; ++i) {
    slots_[i].server.store(i % servers_.size(), relaxed);
  }
}

void thread_board::set_state(std::size_t thread, thread_state state) {
  slots_.at(thread).state.store(state, relaxed);
}

void thread_board::set_server(std::size_t thread, std::size_t server) {
  slots_.at(thread).server.store(server, relaxed);
}

void thread_board::set_in_flight(std::size_t thread, std::size_t count) {
  slots_.at(thread).in_flight.store(count, relaxed);
}

void thread_board::add_answer(std::size_t thread, bool error) {
  auto& facts = slots_.at(thread);
  facts.answers.fetch_add(1, relaxed);
  if (error) {
    facts.errors.fetch_add(1, relaxed);
  }
}

void thread_board::add_given_up(std::size_t thread, std::uint64_t count) {
  slots_.at(thread).errors.fetch_add(count, relaxed);
}

void thread_board::add_reconnect(std::size_t thread) {
  slots_.at(thread).reconnects.fetch_add(1, relaxed);
}

std::vector<thread_view> thread_board::snapshot() const {
  std::vector<thread_view> rows;
  rows.reserve(slots_.size());
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const auto& facts = slots_[i];
    rows.push_back({i, servers_.at(facts.server.load(relaxed)), facts.state.load(relaxed),
                    facts.in_flight.load(relaxed), window_, facts.answers.load(relaxed),
                    facts.errors.load(relaxed), facts.reconnects.load(relaxed)});
  }
  return rows;
}

}  // namespace wordcrawl
