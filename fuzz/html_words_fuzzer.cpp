// Fuzzes the word kernel end to end (content-type sniffing, charset choice and decoding, HTML
// text extraction, word counting) and checks its central promise: the answer does not depend
// on how the body is chunked.
//
// Input: byte 0 is the declaration. Its low five bits pick a Content-Type (no charset, the
// right or a wrong one for many charsets, text/plain, no Content-Type at all so that the kind
// is sniffed); its high three bits pick a prefix put before the body (a byte-order mark, a
// <meta> declaration, or ASCII that moves the body to the end of the prescan window or of the
// sniffed bytes). The first six values mean what they always did, so older seeds keep their
// meaning. The rest of the input is the body.
//
// The body is fed once whole, then split by a seed hashed from the whole input: in chunks of
// 1 byte to 8 KiB, spread evenly over the orders of magnitude; in one cut anywhere (as a
// compressed body tends to arrive); and, for bodies of at most 4 KiB, in chunks of 1 to 16
// bytes (on longer ones they would cost more executions than they find). The full word lists,
// charset() and binary() must be equal, or the fuzzer aborts.
//
// The word options come from the same hash, so every input is also tried with some of them on
// (stop words listed or automatic, stems, main content only): the totals, the languages, the
// lists applied and the stemmed words must not depend on the chunks either.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wordcrawl/page_analyzer.hpp"

namespace {

constexpr std::array<std::string_view, 32> content_types{
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=windows-1251",
    "text/html; charset=shift_jis",
    "text/plain; charset=utf-8",
    "",
    "text/plain",
    "text/html; charset=koi8-r",
    "text/html; charset=euc-jp",
    "text/html; charset=iso-2022-jp",
    "text/html; charset=gb2312",
    "text/html; charset=gb18030",
    "text/html; charset=big5",
    "text/html; charset=euc-kr",
    "text/html; charset=iso-8859-7",
    "text/html; charset=windows-1252",
    "text/html; charset=utf-16le",
    "text/html; charset=utf-16be",
    "text/html; charset=iso-2022-kr",  // the replacement encoding
    "text/html; charset=x-user-defined",
    "text/html; charset=iso-8859-16",
    "text/html; charset=no-such-charset",
    "text/plain; charset=windows-1251",
    "text/plain; charset=shift_jis",
    "text/plain; charset=utf-16be",
    "application/xhtml+xml",
    "TEXT/HTML; CHARSET=\"KOI8-R\"",
    "; charset=windows-1251",  // no type, so sniffed, yet the charset is honoured
    "text/html; charset=ibm866",
    "text/html; charset=macintosh",
    "text/html; charset=x-mac-cyrillic",
    "text/html; charset=iso-8859-8-i",
};

// Where the prefix ends is where charset choice or sniffing stops looking: 1024 bytes of
// prescan, sniff_bytes of sniffing.
std::string ascii_up_to(std::size_t size) {
  std::string out = "<p>";
  while (out.size() < size) {
    out += "word ";
  }
  out.resize(size);
  return out;
}

const std::array<std::string, 8>& prefixes() {
  static const std::array<std::string, 8> all{
      "",
      "\xEF\xBB\xBF",
      "\xFF\xFE",
      "\xFE\xFF",
      R"(<meta charset="windows-1251">)",
      R"(<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">)",
      ascii_up_to(1020),
      ascii_up_to(wordcrawl::sniff_bytes - 5),
  };
  return all;
}

enum class plan { whole, small, wide, one_cut };

constexpr std::array<plan, 3> chunked_plans{plan::wide, plan::one_cut, plan::small};
constexpr std::size_t small_chunks_limit = 4096;

const char* plan_name(plan how) {
  switch (how) {
    case plan::whole:
      return "whole";
    case plan::small:
      return "chunks of 1-16 bytes";
    case plan::wide:
      return "chunks of 1 byte-8 KiB";
    case plan::one_cut:
      return "one cut";
  }
  return "?";
}

struct result {
  std::vector<wordcrawl::word_count> words;
  std::string charset;
  bool binary = false;
  std::uint64_t total_words = 0;
  std::uint64_t distinct_words = 0;
  std::string lang;
  std::string declared_lang;
  std::vector<std::string> stop_languages;
  std::string stemmed_as;

  friend bool operator==(const result&, const result&) = default;
};

// Bits of the input's hash choose the options; a quarter of the inputs run with none.
wordcrawl::word_options options_from(std::uint64_t seed) {
  wordcrawl::word_options options;
  const auto bits = static_cast<unsigned>(seed >> 56U);
  switch (bits & 3U) {
    case 1:
      options.stopwords = wordcrawl::word_options::stop_mode::automatic;
      break;
    case 2:
      options.stopwords = wordcrawl::word_options::stop_mode::listed;
      options.stop_languages = {"en", "ru", "ja"};
      break;
    default:
      break;
  }
  options.stem = (bits & 4U) != 0;
  options.content =
      (bits & 8U) != 0 ? wordcrawl::content_scope::main : wordcrawl::content_scope::all;
  options.detect_language = (bits & 16U) != 0;
  options.content_language = (bits & 32U) != 0 ? "ru-RU, en" : "";
  return options;
}

// Enough to start debugging from: what differs, and the first word that does.
std::string difference(const result& whole, const result& chunked) {
  std::string out;
  if (whole.charset != chunked.charset) {
    out += " charset " + whole.charset + " whole, " + chunked.charset + " chunked;";
  }
  if (whole.binary != chunked.binary) {
    out += whole.binary ? " binary only whole;" : " binary only chunked;";
  }
  if (whole.total_words != chunked.total_words || whole.distinct_words != chunked.distinct_words) {
    out += " totals " + std::to_string(whole.total_words) + "/" +
           std::to_string(whole.distinct_words) + " whole, " + std::to_string(chunked.total_words) +
           "/" + std::to_string(chunked.distinct_words) + " chunked;";
  }
  if (whole.lang != chunked.lang || whole.declared_lang != chunked.declared_lang) {
    out += " lang " + whole.lang + "/" + whole.declared_lang + " whole, " + chunked.lang + "/" +
           chunked.declared_lang + " chunked;";
  }
  if (whole.stop_languages != chunked.stop_languages || whole.stemmed_as != chunked.stemmed_as) {
    out += " stop lists or stem language differ;";
  }
  const auto [a, b] = std::mismatch(whole.words.begin(), whole.words.end(), chunked.words.begin(),
                                    chunked.words.end());
  if (a != whole.words.end()) {
    out += " whole has \"" + a->word + "\" x" + std::to_string(a->count);
  }
  if (b != chunked.words.end()) {
    out += " where chunked has \"" + b->word + "\" x" + std::to_string(b->count);
  }
  return out;
}

// FNV-1a: any change to the input moves every split point.
std::uint64_t hash(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : bytes) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  return h;
}

class splitter {
 public:
  splitter(plan how, std::uint64_t seed, std::size_t size) : how_(how), state_(seed), size_(size) {}

  std::size_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto bits = static_cast<std::uint32_t>(state_ >> 32U);
    switch (how_) {
      case plan::whole:
        return size_;
      case plan::small:
        return 1 + (bits & 15U);
      case plan::wide:
        // Evenly over the orders of magnitude, so that both tiny and long chunks occur.
        return 1 + (bits & ((1U << ((bits >> 28U) % 14U)) - 1U));
      case plan::one_cut:
        if (!cut_) {
          cut_ = true;
          return size_ == 0 ? 1 : static_cast<std::size_t>(state_ % (size_ + 1));
        }
        return size_;
    }
    return size_;
  }

 private:
  plan how_;
  std::uint64_t state_;
  std::size_t size_;
  bool cut_ = false;
};

result analyze(wordcrawl::page_analyzer& analyzer, std::string_view content_type,
               std::string_view body, plan how, std::uint64_t seed) {
  analyzer.begin(wordcrawl::classify_content_type(content_type), content_type, options_from(seed));
  splitter sizes(how, seed, body.size());
  if (how == plan::whole) {
    analyzer.feed(body);
  }
  while (how != plan::whole && !body.empty()) {
    const std::size_t n = std::min(sizes.next(), body.size());
    if (!analyzer.feed(body.substr(0, n))) {
      break;
    }
    body.remove_prefix(n);
  }
  auto page = analyzer.finish_page(std::numeric_limits<std::size_t>::max());
  result out;
  out.words = std::move(page.words);
  out.charset = analyzer.charset();
  out.binary = analyzer.binary();
  out.total_words = page.total_words;
  out.distinct_words = page.distinct_words;
  out.lang = std::move(page.lang);
  out.declared_lang = std::move(page.declared_lang);
  out.stop_languages = std::move(page.stop_languages);
  out.stemmed_as = std::move(page.stemmed_as);
  return out;
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  static wordcrawl::page_analyzer analyzer;  // reused, as a server worker reuses it
  static std::string body;
  const std::string_view content_type = content_types.at(data[0] % content_types.size());
  const std::string& prefix = prefixes().at(data[0] >> 5U);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): libFuzzer hands out bytes
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  body.assign(prefix);
  body.append(input.substr(1));
  const std::uint64_t seed = hash(input);
  const result whole = analyze(analyzer, content_type, body, plan::whole, seed);
  for (const plan how : chunked_plans) {
    if (how == plan::small && body.size() > small_chunks_limit) {
      continue;
    }
    const result chunked = analyze(analyzer, content_type, body, how, seed);
    if (chunked != whole) {
      std::cerr << "chunking changed the answer: Content-Type \"" << content_type << "\", prefix "
                << (data[0] >> 5U) << ", " << plan_name(how) << ", seed " << seed << ":"
                << difference(whole, chunked) << "\n";
      std::abort();
    }
  }
  return 0;
}
