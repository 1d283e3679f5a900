// Throughput of the word kernel (page_analyzer: HTML bytes in, top-k out) on real pages,
// single thread, compared with `wc -w` over the same bytes.
//
//   kernel_bench [benchmark flags] [DIR...]
//
// DIRs (or WORDCRAWL_BENCH_CORPUS, ':'-separated) hold the *.html pages to load; by default
// the debian-handbook (26 languages) and the Python 3.11 manual.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <spawn.h>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "wordcrawl/page_analyzer.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t chunk_bytes =
    std::size_t{16} * 1024;  // about what libcurl hands a write callback
constexpr std::size_t top_k = 10;
constexpr int repeats = 5;

struct corpus {
  std::vector<std::string> pages;
  std::size_t bytes = 0;
};

corpus& the_corpus() {
  static corpus instance;
  return instance;
}

void load(const fs::path& dir, corpus& into) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".html") {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    into.bytes += content.str().size();
    into.pages.push_back(std::move(content).str());
  }
}

std::vector<std::string> corpus_dirs(int argc, char** argv) {
  std::vector<std::string> dirs(argv + 1, argv + argc);
  if (dirs.empty()) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read at startup, before any thread exists
    if (const char* env = std::getenv("WORDCRAWL_BENCH_CORPUS"); env != nullptr) {
      std::istringstream list(env);
      for (std::string dir; std::getline(list, dir, ':');) {
        dirs.push_back(dir);
      }
    }
  }
  if (dirs.empty()) {
    dirs = {"/usr/share/doc/debian-handbook/html", "/usr/share/doc/python3.11/html"};
  }
  return dirs;
}

// One pass of the kernel over the whole corpus; returns a checksum so nothing is optimised out.
// With options, through finish_page() as the server answers a word-statistics request.
std::uint64_t analyze_all(wordcrawl::page_analyzer& analyzer, const corpus& pages,
                          const wordcrawl::word_options* options = nullptr) {
  std::uint64_t checksum = 0;
  for (const std::string_view page : pages.pages) {
    if (options != nullptr) {
      analyzer.begin(wordcrawl::body_kind::html, "text/html; charset=utf-8", *options);
    } else {
      analyzer.begin(wordcrawl::body_kind::html, "text/html; charset=utf-8");
    }
    for (std::size_t at = 0; at < page.size(); at += chunk_bytes) {
      analyzer.feed(page.substr(at, chunk_bytes));
    }
    const auto words =
        options != nullptr ? analyzer.finish_page(top_k).words : analyzer.finish(top_k);
    for (const auto& entry : words) {
      checksum += entry.count;
    }
  }
  return checksum;
}

// stopwords=auto, stem, content=main: every option on.
const wordcrawl::word_options& all_options() {
  static const wordcrawl::word_options options = [] {
    wordcrawl::word_options o;
    o.stopwords = wordcrawl::word_options::stop_mode::automatic;
    o.stem = true;
    o.content = wordcrawl::content_scope::main;
    return o;
  }();
  return options;
}

void page_analyzer_html_to_top_k(benchmark::State& state) {
  const corpus& pages = the_corpus();
  wordcrawl::page_analyzer analyzer;
  // NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): Google Benchmark's loop variable
  for (auto _ : state) {
    benchmark::DoNotOptimize(analyze_all(analyzer, pages));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(pages.bytes));
  state.counters["pages"] = static_cast<double>(pages.pages.size());
}
BENCHMARK(page_analyzer_html_to_top_k)->Unit(benchmark::kMillisecond)->MinTime(3.0);

double seconds_of(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

// CPU seconds this thread has used: on a shared machine wall time measures the neighbours.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Runs `wc -w file` with the given LC_ALL, output discarded; its CPU seconds (user + system),
// or -1 on failure.
double time_wc(const std::string& file, const std::string& locale) {
  std::vector<std::string> env_strings{"LC_ALL=" + locale, "PATH=/usr/bin:/bin"};
  std::vector<char*> env;
  env.reserve(env_strings.size() + 1);
  for (auto& entry : env_strings) {
    env.push_back(entry.data());
  }
  env.push_back(nullptr);
  std::string program = "wc";
  std::string flag = "-w";
  std::string path = file;
  std::vector<char*> args{program.data(), flag.data(), path.data(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "wc", &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage usage{};
  if (spawned != 0 || wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    return -1;
  }
  return seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
}

double best_of(int runs, const auto& timed) {
  double best = -1;
  for (int i = 0; i < runs; ++i) {
    const double seconds = timed();
    if (seconds > 0 && (best < 0 || seconds < best)) {
      best = seconds;
    }
  }
  return best;
}

// The kernel and `wc -w` over the same bytes, best of several runs each, in CPU time.
void compare_with_wc(const corpus& pages) {
  const fs::path file = fs::temp_directory_path() / ("kernel_bench_" + std::to_string(getpid()));
  {
    std::ofstream out(file, std::ios::binary);
    for (const auto& page : pages.pages) {
      out << page;
    }
  }
  // Warm the page cache so that wc measures counting, not disk reads.
  time_wc(file.string(), "C");
  wordcrawl::page_analyzer analyzer;
  const double kernel = best_of(repeats, [&] {
    const double start = thread_cpu_seconds();
    benchmark::DoNotOptimize(analyze_all(analyzer, pages));
    return thread_cpu_seconds() - start;
  });
  const double mb = static_cast<double>(pages.bytes) / 1e6;
  std::printf("\ncorpus: %zu pages, %.1f MB; MB/s of CPU time, best of %d\n", pages.pages.size(),
              mb, repeats);
  std::printf("%-28s %8.1f MB/s\n", "kernel (page_analyzer)", mb / kernel);
  const double with_options = best_of(repeats, [&] {
    const double start = thread_cpu_seconds();
    benchmark::DoNotOptimize(analyze_all(analyzer, pages, &all_options()));
    return thread_cpu_seconds() - start;
  });
  std::printf("%-28s %8.1f MB/s   (stopwords=auto, stem, content=main)\n", "kernel, all options",
              mb / with_options);
  for (const char* locale : {"C.UTF-8", "C"}) {
    const double wc = best_of(repeats, [&] { return time_wc(file.string(), locale); });
    if (wc < 0) {
      std::printf("wc -w (LC_ALL=%s): could not run\n", locale);
      continue;
    }
    std::printf("%-28s %8.1f MB/s   kernel/wc = %.2f\n",
                (std::string("wc -w (LC_ALL=") + locale + ")").c_str(), mb / wc, wc / kernel);
  }
  fs::remove(file);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (const auto& dir : corpus_dirs(argc, argv)) {
    load(dir, the_corpus());
  }
  if (the_corpus().pages.empty()) {
    std::cerr << "kernel_bench: no *.html pages found\n";
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  compare_with_wc(the_corpus());
  return 0;
}
