// Deadlines against a name server that never answers. The server binary runs in a mount
// namespace of its own whose /etc/resolv.conf points at a UDP socket this test binds and never
// reads, with a resolver timeout far longer than the fetch deadline: an answer or an exit that
// waits for the resolver shows up as a clear gap in time. The connect timeout is tested the same
// way against a black hole in a network namespace of the server's own.

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <sched.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace wordcrawl {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr const char* unshare_program = "/usr/bin/unshare";
// The resolver's own patience; every deadline under test is far shorter.
constexpr int resolver_timeout_s = 10;
// A name no /etc/hosts knows, so glibc must ask the name server.
constexpr const char* stalled_url = "http://stalled.wordcrawl.test/";

milliseconds since(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
}

// A file descriptor closed on scope exit.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&&) = delete;
  UniqueFd& operator=(UniqueFd&&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A name server that receives every query and answers none. Port 53 is fixed by resolv.conf,
// so it takes a loopback address nothing else uses; binding needs root, as the namespace does.
class SilentNameServer {
 public:
  SilentNameServer() : socket_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(53);
    // 127.53.x.y from the pid, so parallel test processes do not collide.
    const auto pid = static_cast<std::uint32_t>(::getpid());
    address.sin_addr.s_addr = htonl((127U << 24) | (53U << 16) | (pid & 0xffffU));
    std::array<char, INET_ADDRSTRLEN> text{};
    address_ = ::inet_ntop(AF_INET, &address.sin_addr, text.data(), text.size());
    bound_ = socket_.get() >= 0 &&
             ::bind(socket_.get(), reinterpret_cast<const sockaddr*>(&address),  // NOLINT
                    sizeof address) == 0;
  }

  bool bound() const { return bound_; }
  const std::string& address() const { return address_; }

  /// True once a query has arrived (it stays unread, so later calls stay true).
  bool wait_for_query(milliseconds timeout) const {
    pollfd entry{socket_.get(), POLLIN, 0};
    return ::poll(&entry, 1, static_cast<int>(timeout.count())) == 1;
  }

 private:
  UniqueFd socket_;
  std::string address_;
  bool bound_ = false;
};

// A resolv.conf that sends every query to name_server and waits resolver_timeout_s for it.
std::string write_resolver_config(const testing::temp_dir& dir, const std::string& name_server) {
  return dir.write("resolv.conf", "nameserver " + name_server + "\noptions timeout:" +
                                      std::to_string(resolver_timeout_s) + " attempts:1\n");
}

// Whether this machine lets the test make these namespaces and run setup in them (root, no
// seccomp veto, the tools installed).
bool can_run_in_namespaces(const std::vector<std::string>& unshare_flags,
                           const std::string& setup) {
  std::vector<std::string> args = unshare_flags;
  args.insert(args.end(), {"sh", "-c", "PATH=/usr/sbin:/usr/bin:/sbin:/bin; " + setup});
  testing::child_process probe(unshare_program, args);
  return probe.wait(10s) == 0;
}

// The server binary in namespaces of its own (unshare_flags), started once the shell command
// setup has prepared them. With --net the test reaches the listener through the server's
// network namespace; otherwise the network is shared with the test.
class NamespacedServer {
 public:
  NamespacedServer(const std::vector<std::string>& unshare_flags, const std::string& setup,
                   const std::vector<std::string>& options)
      : own_network_(std::find(unshare_flags.begin(), unshare_flags.end(), "--net") !=
                     unshare_flags.end()) {
    std::vector<std::string> args = unshare_flags;
    args.insert(
        args.end(),
        {"sh", "-c", "PATH=/usr/sbin:/usr/bin:/sbin:/bin; " + setup + R"( && exec "$0" "$@")",
         WORDCRAWL_SERVER_BIN, "--port", "0", "--rate-interval", "3600", "--retries", "0",
         "--workers", "1"});
    args.insert(args.end(), options.begin(), options.end());
    process_.emplace(unshare_program, args);
    const auto line = process_->read_line(10s);
    const std::string prefix = "listening on 127.0.0.1:";
    if (!line || line->rfind(prefix, 0) != 0) {
      throw std::runtime_error("server did not start: " + process_->stderr_text());
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
  }

  testing::child_process& process() { return *process_; }

  /// Connects and sends one URL line; the connection stays open for the answer.
  void send_url(const std::string& url) {
    connection_.emplace(make_socket());
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(connection_->get(), reinterpret_cast<const sockaddr*>(&address),  // NOLINT
                  sizeof address) != 0) {
      throw std::runtime_error("cannot connect to the server");
    }
    const std::string line = url + "\n";
    if (::send(connection_->get(), line.data(), line.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(line.size())) {
      throw std::runtime_error("cannot send to the server");
    }
  }

  /// The first answer line, or nullopt if none came within timeout.
  std::optional<std::string> read_answer(milliseconds timeout) {
    const auto deadline = steady_clock::now() + timeout;
    std::string data;
    while (data.find('\n') == std::string::npos) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
      pollfd entry{connection_->get(), POLLIN, 0};
      if (left.count() <= 0 || ::poll(&entry, 1, static_cast<int>(left.count())) != 1) {
        return std::nullopt;
      }
      std::array<char, 4096> buffer{};
      const ssize_t got = ::recv(connection_->get(), buffer.data(), buffer.size(), 0);
      if (got <= 0) {
        return std::nullopt;
      }
      data.append(buffer.data(), static_cast<std::size_t>(got));
    }
    return data.substr(0, data.find('\n'));
  }

 private:
  // A socket belongs to the network namespace of the thread that makes it, so a short-lived
  // thread enters the server's namespace and the test's own threads stay where they are.
  int make_socket() const {
    if (!own_network_) {
      return ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    }
    int fd = -1;
    const std::string path = "/proc/" + std::to_string(process_->pid()) + "/ns/net";
    std::thread([&fd, &path] {
      const UniqueFd ns(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
      if (ns.get() >= 0 && ::setns(ns.get(), CLONE_NEWNET) == 0) {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      }
    }).join();
    return fd;
  }

  bool own_network_;
  std::optional<testing::child_process> process_;
  std::optional<UniqueFd> connection_;
  std::uint16_t port_ = 0;
};

// Setup for a mount namespace whose /etc/resolv.conf is resolv_conf.
std::string replace_resolv_conf(const std::string& resolv_conf) {
  return "mount --bind '" + resolv_conf + "' /etc/resolv.conf";
}

class StalledDnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!dns_.bound()) {
      GTEST_SKIP() << "cannot bind " << dns_.address() << ":53 (needs root)";
    }
    if (!can_run_in_namespaces({"--mount"}, replace_resolv_conf(config_))) {
      GTEST_SKIP() << "no mount namespace here (unshare --mount failed)";
    }
  }

  SilentNameServer dns_;
  testing::temp_dir dir_;
  std::string config_ = write_resolver_config(dir_, dns_.address());
};

TEST_F(StalledDnsTest, TotalTimeoutBoundsNameResolution) {
  NamespacedServer server({"--mount"}, replace_resolv_conf(config_), {"--timeout", "1"});
  const auto start = steady_clock::now();
  server.send_url(stalled_url);
  const auto answer = server.read_answer(milliseconds(resolver_timeout_s * 2000));
  const auto elapsed = since(start);
  ASSERT_TRUE(answer.has_value()) << server.process().stderr_text();
  EXPECT_TRUE(dns_.wait_for_query(0ms)) << "the name server was never asked";
  EXPECT_NE(answer->find("timeout after 1 s"), std::string::npos) << *answer;
  EXPECT_LT(elapsed, 3s) << "answered after " << elapsed.count() << " ms";
}

TEST_F(StalledDnsTest, ConnectTimeoutBoundsNameResolution) {
  NamespacedServer server({"--mount"}, replace_resolv_conf(config_),
                          {"--timeout", "30", "--connect-timeout", "1"});
  const auto start = steady_clock::now();
  server.send_url(stalled_url);
  const auto answer = server.read_answer(milliseconds(resolver_timeout_s * 2000));
  const auto elapsed = since(start);
  ASSERT_TRUE(answer.has_value()) << server.process().stderr_text();
  EXPECT_NE(answer->find("\"timeout\""), std::string::npos) << *answer;
  EXPECT_LT(elapsed, 3s) << "answered after " << elapsed.count() << " ms";
}

TEST_F(StalledDnsTest, ShutdownDoesNotWaitForTheResolver) {
  NamespacedServer server({"--mount"}, replace_resolv_conf(config_),
                          {"--timeout", "30", "--grace", "0.2"});
  server.send_url(stalled_url);
  ASSERT_TRUE(dns_.wait_for_query(10s)) << server.process().stderr_text();
  const auto start = steady_clock::now();
  server.process().send_signal(SIGTERM);
  const auto answer = server.read_answer(milliseconds(resolver_timeout_s * 2000));
  const auto status = server.process().wait(milliseconds(resolver_timeout_s * 2000));
  const auto elapsed = since(start);
  ASSERT_TRUE(answer.has_value()) << server.process().stderr_text();
  EXPECT_NE(answer->find("server shutting down"), std::string::npos) << *answer;
  EXPECT_EQ(status, 0) << server.process().stderr_text();
  EXPECT_LT(elapsed, 3s) << "exited " << elapsed.count() << " ms after SIGTERM";
}

// A network namespace with a route to 198.51.100.0/24 over a veth pair whose peer owns no
// address there: frames to the fixed neighbour's MAC are dropped, so a SYN to 198.51.100.1
// vanishes as on a firewalled host, and the connect can only end by its timeout.
constexpr const char* black_hole_setup =
    "ip link set lo up && ip link add wc0 type veth peer name wc1 && ip link set wc0 up && "
    "ip link set wc1 up && ip addr add 198.51.100.2/24 dev wc0 && "
    "ip neigh replace 198.51.100.1 lladdr 02:00:00:00:00:01 dev wc0 nud permanent";

TEST(ConnectTimeoutTest, EndsAConnectToABlackHole) {
  if (!can_run_in_namespaces({"--net"}, black_hole_setup)) {
    GTEST_SKIP() << "no network namespace with a veth pair here";
  }
  NamespacedServer server({"--net"}, black_hole_setup,
                          {"--timeout", "30", "--connect-timeout", "1"});
  const auto start = steady_clock::now();
  server.send_url("http://198.51.100.1/");
  const auto answer = server.read_answer(20s);
  const auto elapsed = since(start);
  ASSERT_TRUE(answer.has_value()) << server.process().stderr_text();
  EXPECT_NE(answer->find("Failed to connect to 198.51.100.1"), std::string::npos) << *answer;
  EXPECT_NE(answer->find("\"timeout\""), std::string::npos) << *answer;
  EXPECT_GE(elapsed, 900ms);
  EXPECT_LT(elapsed, 3s) << "answered after " << elapsed.count() << " ms";
}

}  // namespace
}  // namespace wordcrawl
