#pragma once

// Runs a program as a child process for end-to-end tests: stdin can be written, stdout is read
// line by line with a deadline, stderr is collected in the background so the child never
// blocks on it. Every wait is bounded; the destructor kills a child still running.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace wordcrawl::testing {

class child_process {
 public:
  /// Starts program with args (argv[0] excluded).
  child_process(const std::string& program, const std::vector<std::string>& args);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  child_process(child_process&&) = delete;
  child_process& operator=(child_process&&) = delete;

  /// Writes to the child's stdin.
  void write_stdin(const std::string& data);
  /// Closes the child's stdin (end of input).
  void close_stdin();
  /// The next stdout line without its "\n", or nullopt at timeout or end of output.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  /// All remaining stdout until the child closes it, bounded by timeout.
  std::string read_rest(std::chrono::milliseconds timeout);
  /// Sends a signal to the child.
  void send_signal(int signal_number);
  /// Exit status (128 + signal if killed), or nullopt if still running after timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  /// What the child wrote to stderr so far.
  std::string stderr_text() const;
  pid_t pid() const { return pid_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  int pidfd_ = -1;
  std::string stdout_buffer_;
  bool stdout_closed_ = false;
  std::optional<int> status_;
  mutable std::mutex stderr_mutex_;
  std::string stderr_;
  std::thread stderr_reader_;
};

}  // namespace wordcrawl::testing
