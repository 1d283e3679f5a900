#include "child_process.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <system_error>
#include <unistd.h>
#include <utility>

#include <sys/syscall.h>
#include <sys/wait.h>

namespace wordcrawl::testing {
namespace {

std::array<int, 2> make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  return fds;
}

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

int decode_status(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

child_process::child_process(const std::string& program, const std::vector<std::string>& args) {
  const auto in = make_pipe();
  const auto out = make_pipe();
  const auto err = make_pipe();
  posix_spawn_file_actions_t actions{};
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);

  std::vector<std::string> storage{program};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(storage.size() + 1);
  for (auto& arg : storage) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  const int rc = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  if (rc != 0) {
    throw std::system_error(rc, std::generic_category(), "posix_spawn " + program);
  }
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd_ < 0) {
    throw std::system_error(errno, std::generic_category(), "pidfd_open");
  }
  stderr_reader_ = std::thread([this] {
    std::array<char, 4096> chunk{};
    for (;;) {
      const auto n = ::read(stderr_fd_, chunk.data(), chunk.size());
      if (n <= 0) {
        return;
      }
      const std::lock_guard lock(stderr_mutex_);
      stderr_.append(chunk.data(), static_cast<std::size_t>(n));
    }
  });
}

child_process::~child_process() {
  close_stdin();
  if (!status_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
  // The child is gone, so its stderr reaches end of file and the reader returns.
  if (stderr_reader_.joinable()) {
    stderr_reader_.join();
  }
  ::close(stdout_fd_);
  ::close(stderr_fd_);
  ::close(pidfd_);
}

// Not const: writing to the child changes what the child does next.
// NOLINTNEXTLINE(readability-make-member-function-const)
void child_process::write_stdin(const std::string& data) {
  std::size_t written = 0;
  while (written < data.size()) {
    const auto n = ::write(stdin_fd_, data.data() + written, data.size() - written);
    if (n <= 0) {
      throw std::system_error(errno, std::generic_category(), "write to child stdin");
    }
    written += static_cast<std::size_t>(n);
  }
}

void child_process::close_stdin() {
  if (stdin_fd_ >= 0) {
    ::close(stdin_fd_);
    stdin_fd_ = -1;
  }
}

bool child_process::fill(std::chrono::steady_clock::time_point deadline) {
  if (stdout_closed_) {
    return false;
  }
  pollfd poll_fd{stdout_fd_, POLLIN, 0};
  if (::poll(&poll_fd, 1, remaining_ms(deadline)) <= 0) {
    return false;
  }
  std::array<char, 65536> chunk{};
  const auto n = ::read(stdout_fd_, chunk.data(), chunk.size());
  if (n <= 0) {
    stdout_closed_ = true;
    return false;
  }
  stdout_buffer_.append(chunk.data(), static_cast<std::size_t>(n));
  return true;
}

std::optional<std::string> child_process::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto newline = stdout_buffer_.find('\n'); newline != std::string::npos) {
      auto line = stdout_buffer_.substr(0, newline);
      stdout_buffer_.erase(0, newline + 1);
      return line;
    }
    if (!fill(deadline)) {
      return std::nullopt;
    }
  }
}

std::string child_process::read_rest(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (fill(deadline)) {
  }
  return std::exchange(stdout_buffer_, {});
}

void child_process::send_signal(int signal_number) {
  if (!status_) {
    ::kill(pid_, signal_number);
  }
}

std::optional<int> child_process::wait(std::chrono::milliseconds timeout) {
  if (!status_) {
    // A pidfd becomes readable when the child exits, so the exit can be awaited with poll.
    pollfd poll_fd{pidfd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, static_cast<int>(timeout.count())) <= 0) {
      return std::nullopt;
    }
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) {
      status_ = decode_status(status);
    }
    // The child is gone: its stderr ends, so everything it wrote is collected after the join.
    if (stderr_reader_.joinable()) {
      stderr_reader_.join();
    }
  }
  return status_;
}

std::string child_process::stderr_text() const {
  const std::lock_guard lock(stderr_mutex_);
  return stderr_;
}

}  // namespace wordcrawl::testing
