// Throughput of the word kernel (page_analyzer: HTML bytes in, top-k out) on real pages,
// single thread, compared with `wc -w` over the same bytes.
//
//   kernel_bench [benchmark flags] [DIR...]
//
// DIRs (or WORDCRAWL_BENCH_CORPUS, ':'-separated) hold the *.html pages to load; by default
// the debian-handbook (26 languages) and the Python 3.11 manual.
//
// After the totals comes a breakdown: each stage run alone over the corpus (charset decoding,
// HTML text extraction, word counting, top-k, the dictionary segmentation of spaceless
// scripts) and the kernel per script family (pages grouped by the script most of their
// letters are in). WORDCRAWL_KERNEL_ISA=portable measures the kernel without its vector paths.
// WORDCRAWL_BENCH_LOOP=N runs only N passes of the plain kernel and prints the best, for a
// profiler or bench/kernel-ceiling.sh.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <spawn.h>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "char_class.hpp"
#include "kernel_isa.hpp"
#include "spaceless_segmenter.hpp"
#include "wordcrawl/charset_decoder.hpp"
#include "wordcrawl/html_text_extractor.hpp"
#include "wordcrawl/page_analyzer.hpp"
#include "wordcrawl/utf8.hpp"
#include "wordcrawl/word_counter.hpp"

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

// --- the breakdown ---

// One page as each stage sees it: decoded text, and the extractor's output (text pieces;
// an empty piece stands for a boundary).
struct staged_page {
  std::size_t html_bytes = 0;
  std::string decoded;
  std::vector<std::string> pieces;
};

class recording_sink final : public wordcrawl::text_sink {
 public:
  explicit recording_sink(std::vector<std::string>& pieces) : pieces_(pieces) {}
  void text(std::string_view utf8) override { pieces_.emplace_back(utf8); }
  void boundary() override { pieces_.emplace_back(); }

 private:
  std::vector<std::string>& pieces_;
};

class null_sink final : public wordcrawl::text_sink {
 public:
  void text(std::string_view utf8) override { bytes_ += utf8.size(); }
  void boundary() override { ++bytes_; }
  std::size_t bytes() const { return bytes_; }

 private:
  std::size_t bytes_ = 0;
};

template <typename Sink>
void decode_page(wordcrawl::charset_decoder& decoder, std::string_view page, Sink&& out) {
  decoder.reset("text/html; charset=utf-8", true);
  for (std::size_t at = 0; at < page.size(); at += chunk_bytes) {
    out(decoder.decode(page.substr(at, chunk_bytes)));
  }
  out(decoder.finish());
}

void extract_page(wordcrawl::html_text_extractor& extractor, std::string_view decoded,
                  wordcrawl::text_sink& sink) {
  extractor.reset();
  for (std::size_t at = 0; at < decoded.size(); at += chunk_bytes) {
    extractor.feed(decoded.substr(at, chunk_bytes), sink);
  }
  extractor.finish(sink);
}

void count_page(wordcrawl::word_counter& counter, const staged_page& page) {
  counter.reset();
  for (const auto& piece : page.pieces) {
    if (piece.empty()) {
      counter.boundary();
    } else {
      counter.text(piece);
    }
  }
  counter.boundary();
}

std::vector<staged_page> stage(const corpus& pages) {
  std::vector<staged_page> staged(pages.pages.size());
  wordcrawl::charset_decoder decoder;
  wordcrawl::html_text_extractor extractor;
  for (std::size_t i = 0; i < staged.size(); ++i) {
    staged[i].html_bytes = pages.pages[i].size();
    decode_page(decoder, pages.pages[i],
                [&](std::string_view text) { staged[i].decoded.append(text); });
    recording_sink sink(staged[i].pieces);
    extract_page(extractor, staged[i].decoded, sink);
  }
  return staged;
}

// Script families, by the code points of the letters.
enum class family : std::uint8_t { latin, cyrillic, greek, arabic, cjk, hangul, thai, other };
constexpr std::array<const char*, 8> family_names{"Latin",           "Cyrillic", "Greek", "Arabic",
                                                  "CJK (Han, kana)", "Hangul",   "Thai",  "other"};

family family_of(char32_t cp) {
  if (cp < 0x250) {
    return family::latin;
  }
  if (cp >= 0x370 && cp < 0x400) {
    return family::greek;
  }
  if (cp >= 0x400 && cp < 0x530) {
    return family::cyrillic;
  }
  if ((cp >= 0x600 && cp < 0x800) || (cp >= 0xFB50 && cp < 0xFF00)) {
    return family::arabic;
  }
  if (cp >= 0xE00 && cp < 0xE80) {
    return family::thai;
  }
  if ((cp >= 0x1100 && cp < 0x1200) || (cp >= 0x3130 && cp < 0x3190) ||
      (cp >= 0xAC00 && cp < 0xD7B0)) {
    return family::hangul;
  }
  if ((cp >= 0x3040 && cp < 0x3100) || (cp >= 0x3400 && cp < 0xA000) ||
      (cp >= 0x20000 && cp < 0x32000)) {
    return family::cjk;
  }
  return family::other;
}

// Calls visit(code point) for each letter of the page's text.
template <typename Visit>
void for_each_letter(const staged_page& page, Visit&& visit) {
  namespace cc = wordcrawl::char_class;
  for (const auto& piece : page.pieces) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): UTF-8 is read as bytes
    const auto* p = reinterpret_cast<const unsigned char*>(piece.data());
    const auto* end = p + piece.size();
    while (p < end) {
      const std::size_t length = std::min<std::size_t>(wordcrawl::utf8::sequence_length(*p),
                                                       static_cast<std::size_t>(end - p));
      const char32_t cp = wordcrawl::utf8::decode(p, length);
      if ((cc::of(cp) & cc::letter) != 0) {
        visit(cp);
      }
      p += length;
    }
  }
}

// The family most of the page's letter bytes are in (bytes, not letters: a Han character
// stands for more text than a Latin letter).
family dominant_family(const staged_page& page) {
  std::array<std::size_t, family_names.size()> counts{};
  for_each_letter(page, [&counts](char32_t cp) {
    counts.at(static_cast<std::size_t>(family_of(cp))) += wordcrawl::utf8::encode(cp).size;
  });
  return static_cast<family>(std::max_element(counts.begin(), counts.end()) - counts.begin());
}

// Seconds of `run` over the pages selected, best of `repeats`.
template <typename Run>
double best_seconds(const Run& run) {
  return best_of(repeats, [&] {
    const double start = thread_cpu_seconds();
    run();
    return thread_cpu_seconds() - start;
  });
}

void print_stage(const char* name, double mb, double seconds, double kernel_seconds) {
  std::printf("  %-36s %8.1f MB/s  %5.1f%% of the kernel's time\n", name, mb / seconds,
              100 * seconds / kernel_seconds);
}

// The spaceless pieces of a page's text: maximal stretches of spaceless-script letters, marks
// and digits (punctuation ends a run), about as the counter hands them to the segmenter.
std::vector<std::string> spaceless_pieces(const staged_page& page) {
  namespace cc = wordcrawl::char_class;
  std::vector<std::string> pieces(1);
  for (const auto& text : page.pieces) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): UTF-8 is read as bytes
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    if (text.empty() && !pieces.back().empty()) {
      pieces.emplace_back();
    }
    while (p < end) {
      const std::size_t length = std::min<std::size_t>(wordcrawl::utf8::sequence_length(*p),
                                                       static_cast<std::size_t>(end - p));
      const char32_t cp = wordcrawl::utf8::decode(p, length);
      if ((cc::of(cp) & (cc::spaceless | cc::run)) == (cc::spaceless | cc::run)) {
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): back from bytes
        pieces.back().append(reinterpret_cast<const char*>(p), length);
      } else if (!pieces.back().empty()) {
        pieces.emplace_back();
      }
      p += length;
    }
  }
  if (pieces.back().empty()) {
    pieces.pop_back();
  }
  return pieces;
}

void segment(wordcrawl::spaceless_segmenter& segmenter, const std::vector<std::string>& pieces,
             std::size_t& words) {
  const auto on_word = [&words](std::string_view) {
    ++words;
  };
  for (const auto& piece : pieces) {
    if (segmenter.queue(piece, on_word)) {
      segmenter.flush(on_word);
    }
  }
  segmenter.flush(on_word);
}

void print_stages(const corpus& pages, const std::vector<staged_page>& staged,
                  double kernel_seconds) {
  const double mb = static_cast<double>(pages.bytes) / 1e6;
  std::printf("\nstages, each alone over the same pages (MB/s of the pages' HTML bytes):\n");
  wordcrawl::charset_decoder decoder;
  std::size_t sum = 0;
  print_stage("charset (UTF-8 check)", mb, best_seconds([&] {
                for (const auto& page : pages.pages) {
                  decode_page(decoder, page, [&sum](std::string_view text) { sum += text.size(); });
                }
              }),
              kernel_seconds);
  wordcrawl::html_text_extractor extractor;
  null_sink sink;
  print_stage("HTML text extraction", mb, best_seconds([&] {
                for (const auto& page : staged) {
                  extract_page(extractor, page.decoded, sink);
                }
              }),
              kernel_seconds);
  wordcrawl::word_counter counter;
  print_stage("words: runs, folding, table, segmenting", mb, best_seconds([&] {
                for (const auto& page : staged) {
                  count_page(counter, page);
                  sum += counter.distinct_words();  // cuts what is still queued
                }
              }),
              kernel_seconds);
  double top_seconds = 0;
  for (const auto& page : staged) {
    count_page(counter, page);
    sum += counter.distinct_words();
    const double start = thread_cpu_seconds();
    sum += counter.top(top_k).size();
    top_seconds += thread_cpu_seconds() - start;
  }
  print_stage("top-k", mb, top_seconds, kernel_seconds);
  std::vector<std::vector<std::string>> pieces;
  pieces.reserve(staged.size());
  for (const auto& page : staged) {
    pieces.push_back(spaceless_pieces(page));
  }
  wordcrawl::spaceless_segmenter warm;
  print_stage("spaceless segmenting, cache warm", mb, best_seconds([&] {
                for (const auto& page : pieces) {
                  segment(warm, page, sum);
                }
              }),
              kernel_seconds);
  print_stage("spaceless segmenting, cache cold", mb, best_seconds([&] {
                for (const auto& page : pieces) {
                  wordcrawl::spaceless_segmenter cold;
                  segment(cold, page, sum);
                }
              }),
              kernel_seconds);
  benchmark::DoNotOptimize(sum);
  benchmark::DoNotOptimize(sink.bytes());
}

void print_families(const corpus& pages, const std::vector<staged_page>& staged) {
  std::map<family, corpus> groups;
  std::map<family, std::vector<const staged_page*>> staged_groups;
  for (std::size_t i = 0; i < staged.size(); ++i) {
    const family f = dominant_family(staged[i]);
    groups[f].pages.push_back(pages.pages[i]);
    groups[f].bytes += pages.pages[i].size();
    staged_groups[f].push_back(&staged[i]);
  }
  std::printf(
      "\nper script family (pages by the script most of their letters' bytes are in; MB/s of "
      "HTML):\n");
  std::printf("  %-16s %6s %8s %12s %12s %12s\n", "family", "pages", "MB", "kernel", "words",
              "segmenting");
  wordcrawl::page_analyzer analyzer;
  wordcrawl::word_counter counter;
  wordcrawl::spaceless_segmenter segmenter;
  for (std::size_t f = 0; f < family_names.size(); ++f) {
    const auto group = groups.find(static_cast<family>(f));
    if (group == groups.end()) {
      std::printf("  %-16s %6d   (no pages in this corpus)\n", family_names.at(f), 0);
      continue;
    }
    const double mb = static_cast<double>(group->second.bytes) / 1e6;
    const double kernel =
        best_seconds([&] { benchmark::DoNotOptimize(analyze_all(analyzer, group->second)); });
    const auto& members = staged_groups[group->first];
    std::size_t sum = 0;
    const double words = best_seconds([&] {
      for (const auto* page : members) {
        count_page(counter, *page);
        sum += counter.distinct_words();
      }
    });
    std::vector<std::vector<std::string>> pieces;
    for (const auto* page : members) {
      pieces.push_back(spaceless_pieces(*page));
    }
    const double segmenting = best_seconds([&] {
      for (const auto& page : pieces) {
        segment(segmenter, page, sum);
      }
    });
    benchmark::DoNotOptimize(sum);
    std::printf("  %-16s %6zu %8.1f %7.1f MB/s %7.1f MB/s %5.1f%% of kernel\n", family_names.at(f),
                group->second.pages.size(), mb, mb / kernel, mb / words, 100 * segmenting / kernel);
  }
}

void print_breakdown(const corpus& pages) {
  std::printf(
      "\n=== breakdown (vector path: %s; WORDCRAWL_KERNEL_ISA=portable for the other) ===\n",
      std::string(wordcrawl::kernel_isa::name(wordcrawl::kernel_isa::active())).c_str());
  const auto staged = stage(pages);
  wordcrawl::page_analyzer analyzer;
  const double kernel =
      best_seconds([&] { benchmark::DoNotOptimize(analyze_all(analyzer, pages)); });
  std::printf("whole kernel: %.1f MB/s\n", static_cast<double>(pages.bytes) / 1e6 / kernel);
  print_stages(pages, staged, kernel);
  print_families(pages, staged);
}

// WORDCRAWL_BENCH_LOOP=N: N passes of the plain kernel and nothing else, for a profiler
// (perf record, callgrind) or to compare builds; prints the best pass.
int only_the_kernel(const corpus& pages, int passes) {
  if (passes <= 0 || passes > 1000) {
    std::cerr << "kernel_bench: WORDCRAWL_BENCH_LOOP wants a number of passes, 1 to 1000\n";
    return 2;
  }
  wordcrawl::page_analyzer analyzer;
  const double seconds = best_of(passes, [&] {
    const double start = thread_cpu_seconds();
    benchmark::DoNotOptimize(analyze_all(analyzer, pages));
    return thread_cpu_seconds() - start;
  });
  std::printf("kernel (page_analyzer)        %7.1f MB/s   best of %d passes, %zu pages, %.1f MB\n",
              static_cast<double>(pages.bytes) / 1e6 / seconds, passes, pages.pages.size(),
              static_cast<double>(pages.bytes) / 1e6);
  return 0;
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
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read at startup, before any thread exists
  if (const char* loop = std::getenv("WORDCRAWL_BENCH_LOOP"); loop != nullptr) {
    const std::string_view text(loop);
    int passes = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), passes);
    const bool number = error == std::errc{} && end == text.data() + text.size();
    return only_the_kernel(the_corpus(), number ? passes : 0);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  compare_with_wc(the_corpus());
  print_breakdown(the_corpus());
  return 0;
}
