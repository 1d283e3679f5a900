#include "url_source.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <malloc.h>
#include <new>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "local_rejection.hpp"
#include "support/temp_dir.hpp"

// Every allocation of this test binary is counted so that a test can bound how much memory
// url_source holds at once. Sizes come from malloc_usable_size, which works for sized and
// unsized deletes alike.
namespace wordcrawl::testing {
namespace {

struct allocation_counters {
  std::atomic<std::size_t> live_bytes{0};
  std::atomic<std::size_t> peak_bytes{0};
};

allocation_counters& counters() {
  static allocation_counters instance;
  return instance;
}

// The replaced operator new and delete can only be built on malloc and free.
// NOLINTBEGIN(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)
void* counted_allocate(std::size_t size) {
  void* memory = std::malloc(size == 0 ? 1 : size);
  if (memory == nullptr) {
    throw std::bad_alloc();
  }
  auto& totals = counters();
  const auto now = totals.live_bytes += malloc_usable_size(memory);
  auto peak = totals.peak_bytes.load();
  while (now > peak && !totals.peak_bytes.compare_exchange_weak(peak, now)) {
  }
  return memory;
}

void counted_free(void* memory) noexcept {
  if (memory != nullptr) {
    counters().live_bytes -= malloc_usable_size(memory);
    std::free(memory);
  }
}
// NOLINTEND(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)

}  // namespace
}  // namespace wordcrawl::testing

// NOLINTBEGIN(cert-dcl54-cpp,misc-new-delete-overloads,hicpp-new-delete-operators): the
// replaceable global allocation functions, each paired with its delete.
void* operator new(std::size_t size) {
  return wordcrawl::testing::counted_allocate(size);
}
void* operator new[](std::size_t size) {
  return wordcrawl::testing::counted_allocate(size);
}
void operator delete(void* memory) noexcept {
  wordcrawl::testing::counted_free(memory);
}
void operator delete[](void* memory) noexcept {
  wordcrawl::testing::counted_free(memory);
}
void operator delete(void* memory, std::size_t /*size*/) noexcept {
  wordcrawl::testing::counted_free(memory);
}
void operator delete[](void* memory, std::size_t /*size*/) noexcept {
  wordcrawl::testing::counted_free(memory);
}
// NOLINTEND(cert-dcl54-cpp,misc-new-delete-overloads,hicpp-new-delete-operators)

namespace wordcrawl::testing {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> drain(url_source& source) {
  std::vector<std::string> urls;
  while (auto line = source.next()) {
    urls.push_back(line->url);
  }
  return urls;
}

// Makes "http://example.test/page/<i>\n" for i < count on demand, one line per underflow, and
// counts the bytes it has handed to the reader: a stream as long as we like that costs no memory.
class GeneratedLines : public std::streambuf {
 public:
  explicit GeneratedLines(std::uint64_t count) : count_(count) {}

  std::uint64_t bytes_produced() const { return produced_; }

 protected:
  int_type underflow() override {
    if (next_ == count_) {
      return traits_type::eof();
    }
    constexpr std::string_view prefix = "http://example.test/page/";
    auto* out = std::copy(prefix.begin(), prefix.end(), line_.begin());
    out = std::to_chars(out, line_.data() + line_.size() - 1, next_++).ptr;
    *out++ = '\n';
    setg(line_.data(), line_.data(), out);
    produced_ += static_cast<std::uint64_t>(out - line_.data());
    return traits_type::to_int_type(line_[0]);
  }

 private:
  std::uint64_t count_;
  std::uint64_t next_ = 0;
  std::uint64_t produced_ = 0;
  std::array<char, 64> line_{};
};

TEST(UrlSource, HandsOutLinesInOrder) {
  std::istringstream in("http://a/\nhttp://b/\nhttp://c/");
  url_source source(in);
  EXPECT_THAT(drain(source), ElementsAre("http://a/", "http://b/", "http://c/"));
  EXPECT_EQ(source.taken(), 3U);
  EXPECT_FALSE(source.next());
}

TEST(UrlSource, SkipsBlankLinesAndTrimsBlanks) {
  std::istringstream in("\n  \n\t\r\n  http://a/ \r\n\nhttp://b/\r\n\n");
  url_source source(in);
  EXPECT_THAT(drain(source), ElementsAre("http://a/", "http://b/"));
}

TEST(UrlSource, EmptyInputHasNoUrls) {
  std::istringstream in;
  url_source source(in);
  EXPECT_FALSE(source.next());
  EXPECT_EQ(source.taken(), 0U);
}

TEST(UrlSource, FlagsOverlongLinesAndGoesOn) {
  std::istringstream in("0123456789abc\n01234567\r\nxyz\n");
  url_source source(in, 8);
  const auto first = source.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->url, "01234567");
  EXPECT_TRUE(first->too_long);
  const auto exact = source.next();
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->url, "01234567");
  EXPECT_FALSE(exact->too_long);
  const auto last = source.next();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->url, "xyz");
  EXPECT_FALSE(last->too_long);
}

TEST(UrlSource, EveryLineGoesToExactlyOneThread) {
  constexpr std::size_t count = 20000;
  std::string text;
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < count; ++i) {
    expected.push_back("http://example.test/" + std::to_string(i));
    text += expected.back() + "\n";
  }
  std::istringstream in(text);
  url_source source(in);
  std::vector<std::vector<std::string>> taken(8);
  {
    std::vector<std::jthread> threads;
    threads.reserve(taken.size());
    for (auto& mine : taken) {
      threads.emplace_back([&source, &mine] { mine = drain(source); });
    }
  }
  std::vector<std::string> all;
  for (const auto& mine : taken) {
    all.insert(all.end(), mine.begin(), mine.end());
  }
  std::sort(all.begin(), all.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(all, expected);
  EXPECT_EQ(source.taken(), count);
}

TEST(UrlSource, StreamsAMillionLinesInBoundedMemory) {
  constexpr std::uint64_t count = 1'000'000;
  GeneratedLines lines(count);
  std::istream in(&lines);
  url_source source(in);
  auto& memory = counters();
  const auto baseline = memory.live_bytes.load();
  memory.peak_bytes = baseline;
  std::uint64_t handed_out = 0;
  std::uint64_t consumed = 0;
  while (auto line = source.next()) {
    ++handed_out;
    consumed += line->url.size() + 1;
    // The source reads no further ahead than the line it returns.
    if (lines.bytes_produced() != consumed) {
      ADD_FAILURE() << "read ahead at line " << handed_out;
      break;
    }
  }
  EXPECT_EQ(handed_out, count);
  // One URL string at a time, not the input: a million lines are ~33 MB.
  EXPECT_LT(memory.peak_bytes.load() - baseline, std::size_t{4096});
  EXPECT_LE(memory.live_bytes.load(), baseline);
}

TEST(UrlSource, CountsTheUrlsOfARegularFile) {
  const temp_dir dir;
  const auto path = dir.write("urls.txt", "http://a/\n\n  \nhttp://b/\nhttp://c/");
  EXPECT_EQ(count_urls_in_file(path), 3U);
  std::filesystem::remove(path);
  EXPECT_FALSE(count_urls_in_file(path));
  EXPECT_FALSE(count_urls_in_file("/proc/self"));
}

TEST(UrlCheck, SaysWhyAUrlIsNotSent) {
  EXPECT_FALSE(local_rejection({"http://a/", false}));
  EXPECT_EQ(local_rejection({"http://a/", true}), "URL longer than 8192 bytes");
  EXPECT_EQ(local_rejection({"http://a/\xff", false}), "URL is not valid UTF-8");
}

}  // namespace
}  // namespace wordcrawl::testing
