// The server's --config file: what an operator puts in /etc instead of on the command line.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "server_options.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct parse_run {
  parsed_options result;
  std::string out;
  std::string err;
};

parse_run parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"server"};
  for (const auto& arg : args) {
    argv.push_back(arg.c_str());
  }
  std::ostringstream out;
  std::ostringstream err;
  auto result = parse_server_options(static_cast<int>(argv.size()), argv.data(), out, err);
  return {std::move(result), out.str(), err.str()};
}

// A config file in the temporary directory, removed with the test.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text)
      : path_(fs::temp_directory_path() /
              ("wordcrawl-config-" + std::to_string(getpid()) + "-" + std::to_string(next()))) {
    std::ofstream(path_) << text;
  }
  ConfigFile(const ConfigFile&) = delete;
  ConfigFile& operator=(const ConfigFile&) = delete;
  ~ConfigFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  static int next() {
    static int count = 0;
    return ++count;
  }
  fs::path path_;
};

TEST(ServerConfigTest, AFileSetsOptionsOfEveryKind) {
  const ConfigFile file(
      "# a comment\n"
      "workers = 5\n"
      "top-k = 3\n"
      "host = \"::1\"\n"
      "robots = \"ignore\"\n"
      "delay = 0.5\n"
      "stem = true\n"
      "stopwords = \"en,ru\"\n"
      "allow-private = [\"10.0.0.0/8\", \"192.168.0.0/16\"]\n"
      "max-clients = 12\n");
  const auto run = parse({"--config", file.path()});
  ASSERT_TRUE(run.result.options) << run.err;
  const auto& options = *run.result.options;
  EXPECT_EQ(options.workers, 5U);
  EXPECT_EQ(options.top_k, 3U);
  EXPECT_EQ(options.host, "::1");
  EXPECT_FALSE(options.fetch.obey_robots);
  EXPECT_EQ(options.fetch.delay, 500ms);
  EXPECT_TRUE(options.words.stem);
  EXPECT_TRUE(options.fetch.filter.permits(boost::asio::ip::make_address("10.1.2.3")));
  EXPECT_TRUE(options.fetch.filter.permits(boost::asio::ip::make_address("192.168.4.5")));
  EXPECT_FALSE(options.fetch.filter.permits(boost::asio::ip::make_address("172.16.0.1")));
  EXPECT_EQ(options.max_clients, 12U);
  // Set in a file counts as given: the binary must not lower it to the open files limit.
  EXPECT_TRUE(options.max_clients_given);
}

TEST(ServerConfigTest, TheCommandLineWinsOverTheFile) {
  const ConfigFile file("workers = 5\ntop-k = 3\n");
  const auto run = parse({"-w", "2", "--config", file.path()});
  ASSERT_TRUE(run.result.options) << run.err;
  EXPECT_EQ(run.result.options->workers, 2U);
  EXPECT_EQ(run.result.options->top_k, 3U);
}

TEST(ServerConfigTest, MistakesInTheFileStopTheStartAndSayWhere) {
  struct bad_case {
    std::string text;
    std::string said;
  };
  for (const auto& bad :
       std::vector<bad_case>{{"worker = 5\n", "no such option: worker"},
                             {"workers = 0\n", "workers"},
                             {"workers = many\n", "workers"},
                             {"robots = \"sometimes\"\n", "robots"},
                             {"allow-private = \"10.0.0.0/99\"\n", "--allow-private"}}) {
    const ConfigFile file(bad.text);
    const auto run = parse({"--config", file.path()});
    EXPECT_FALSE(run.result.options) << bad.text;
    EXPECT_EQ(run.result.exit_code, 2) << bad.text;
    EXPECT_NE(run.err.find(bad.said), std::string::npos) << bad.text << " gave: " << run.err;
  }
  const auto missing = parse({"--config", "/nonexistent/wordcrawl.conf"});
  EXPECT_EQ(missing.result.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/wordcrawl.conf"), std::string::npos) << missing.err;
}

// The long names --help lists, but the ones that act at once instead of setting an option.
std::set<std::string> settable_options() {
  const auto help = parse({"--help"});
  std::set<std::string> names;
  const std::regex long_name(R"(--([a-z][a-z0-9-]+))");
  for (std::sregex_iterator it(help.out.begin(), help.out.end(), long_name), end; it != end; ++it) {
    names.insert((*it)[1].str());
  }
  for (const char* acting : {"help", "version", "config", "print-config"}) {
    names.erase(acting);
  }
  return names;
}

TEST(ServerConfigTest, PrintConfigListsEveryOptionAndReadsBackToTheSameOptions) {
  const auto printed = parse({"-w", "3", "--robots", "ignore", "--allow-private", "10.0.0.0/8",
                              "--status-port", "0", "--print-config"});
  EXPECT_EQ(printed.result.exit_code, 0) << printed.err;
  EXPECT_FALSE(printed.result.options);
  for (const auto& name : settable_options()) {
    const std::regex key("^(# )?" + name + "=", std::regex::multiline);
    EXPECT_TRUE(std::regex_search(printed.out, key)) << name << " missing from:\n" << printed.out;
  }
  // What was set is active; every default is there, commented out.
  EXPECT_NE(printed.out.find("\nworkers=3\n"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("\n# top-k=10\n"), std::string::npos) << printed.out;

  const ConfigFile file(printed.out);
  const auto read_back = parse({"--config", file.path()});
  ASSERT_TRUE(read_back.result.options) << read_back.err;
  const auto& options = *read_back.result.options;
  EXPECT_EQ(options.workers, 3U);
  EXPECT_EQ(options.top_k, 10U);
  EXPECT_FALSE(options.fetch.obey_robots);
  EXPECT_TRUE(options.fetch.filter.permits(boost::asio::ip::make_address("10.0.0.1")));
  ASSERT_TRUE(options.status_port);
  EXPECT_EQ(*options.status_port, 0);
  EXPECT_FALSE(options.max_clients_given);
}

TEST(ServerConfigTest, HelpAndVersionNameTheProgramAsItWasStarted) {
  std::vector<const char*> argv{"/usr/bin/wordcrawl-server", "--version"};
  std::ostringstream out;
  std::ostringstream err;
  parse_server_options(static_cast<int>(argv.size()), argv.data(), out, err);
  EXPECT_EQ(out.str().rfind("wordcrawl-server (wordcrawl) ", 0), 0U) << out.str();
}

}  // namespace
}  // namespace wordcrawl::testing
