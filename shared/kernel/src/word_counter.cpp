#include "wordcrawl/word_counter.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "char_class.hpp"
#include "kernel_isa.hpp"
#include "spaceless_segmenter.hpp"
#include "word_table.hpp"
#include "wordcrawl/ascii.hpp"
#include "wordcrawl/utf8.hpp"

namespace wordcrawl {
namespace {

namespace cc = char_class;

// Classes and folds of single bytes: ASCII as Unicode says, bytes >= 0x80 class 0 (they
// start multibyte sequences and take the slow path).
struct byte_tables {
  std::array<std::uint8_t, 256> classes{};
  std::array<char, 256> folds{};
};

constexpr byte_tables make_byte_tables() {
  byte_tables t;
  for (unsigned c = 0; c < 128; ++c) {
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lower = c >= 'a' && c <= 'z';
    const bool digit = c >= '0' && c <= '9';
    t.classes.at(c) = static_cast<std::uint8_t>((upper || lower || digit ? unsigned{cc::run} : 0U) |
                                                (upper || lower ? unsigned{cc::letter} : 0U) |
                                                (c == '\'' ? unsigned{cc::apostrophe} : 0U));
    t.folds.at(c) = ascii::to_lower(static_cast<char>(c));
  }
  return t;
}

constexpr byte_tables bytes = make_byte_tables();

// An ASCII byte that is no letter, digit or apostrophe: every word ends before it.
bool ends_words(unsigned char b) {
  return b < 0x80 && bytes.classes.at(b) == 0;
}

bool is_continuation(unsigned char b) {
  return (b & 0xC0U) == 0x80U;
}

// SWAR: for bytes below 0x80, 0x80 in each byte of v that lies in [low, high].
constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t high_bits = ones * 0x80;

std::uint64_t bytes_between(std::uint64_t v, unsigned low, unsigned high) {
  return (v + ones * (0x80U - low)) & ~(v + ones * (0x7FU - high)) & high_bits;
}

// Folds the leading ASCII letters and digits of the 8 bytes at p into out (all 8 are
// written; the caller keeps the first n) and returns n; sets the letter bit in seen when one
// of them is a letter.
std::size_t ascii_alnum_block(const unsigned char* p, char* out, unsigned& seen) {
  std::uint64_t x = 0;
  std::memcpy(&x, p, 8);
  const std::uint64_t ascii = ~x & high_bits;
  const std::uint64_t v = x & ~high_bits;
  const std::uint64_t letter = bytes_between(v | (ones * 0x20), 'a', 'z') & ascii;
  const std::uint64_t alnum = letter | (bytes_between(v, '0', '9') & ascii);
  const std::uint64_t folded = x | ((bytes_between(v, 'A', 'Z') & ascii) >> 2U);
  std::memcpy(out, &folded, 8);
  const std::uint64_t stops = ~alnum & high_bits;
  const auto n = static_cast<std::size_t>(stops == 0 ? 64 : std::countr_zero(stops)) / 8;
  const std::uint64_t prefix = n == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
  if ((letter & prefix) != 0) {
    seen |= cc::letter;
  }
  return n;
}

// Copies n <= 64 bytes in 16-byte steps (a call to memcpy for a length known only at run
// time costs more than the copy): src and dst must have 15 bytes to spare past n.
void copy_word(char* dst, const char* src, std::size_t n) {
  for (std::size_t i = 0; i < n; i += 16) {
    std::memcpy(dst + i, src + i, 16);
  }
}

// Bits below n (n <= 64).
std::uint64_t low_bits(std::size_t n) {
  return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
}

// 64 bytes classified and their ASCII letters folded at once: bit i of alnum (letters) tells
// whether byte i is an ASCII letter or digit (an ASCII letter), of special whether it is a
// byte of a non-ASCII character or an apostrophe, which only the per-character path reads.
struct ascii_block {
  // Past the 64 bytes, the padding word_table::add_padded and copy_word may read.
  alignas(32) std::array<char, 64 + word_table::padding> folded{};
  std::uint64_t alnum = 0;
  std::uint64_t letters = 0;
  std::uint64_t special = 0;
};

#if defined(__x86_64__)
// 0xFF in each byte of v within [low, high]; signed compares, as v is all ASCII here.
__attribute__((target("avx2"), always_inline)) inline __m256i between(__m256i v, char low,
                                                                      char high) {
  return _mm256_and_si256(_mm256_cmpgt_epi8(v, _mm256_set1_epi8(static_cast<char>(low - 1))),
                          _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(high + 1)), v));
}

// Fills block from the n <= 64 bytes at p (a shorter block is read from a copy padded with
// NULs, no word characters).
__attribute__((target("avx2"))) void classify_block_avx2(const unsigned char* p, std::size_t n,
                                                         ascii_block& block) {
  alignas(32) std::array<unsigned char, 64> padded{};
  if (n < 64) {
    std::memcpy(padded.data(), p, n);
    p = padded.data();
  }
  std::array<std::uint64_t, 2> alnum{};
  std::array<std::uint64_t, 2> letters{};
  std::array<std::uint64_t, 2> special{};
  for (std::size_t half = 0; half < 2; ++half) {
    __m256i x;
    std::memcpy(&x, p + 32 * half, sizeof x);
    const auto high = static_cast<unsigned>(_mm256_movemask_epi8(x));
    const auto quotes =
        static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('\''))));
    // Signed compares: bytes >= 0x80 are below every range here.
    const __m256i letter = between(_mm256_or_si256(x, _mm256_set1_epi8(0x20)), 'a', 'z');
    const __m256i digit = between(x, '0', '9');
    const __m256i upper = between(x, 'A', 'Z');
    const __m256i folded = _mm256_or_si256(x, _mm256_and_si256(upper, _mm256_set1_epi8(0x20)));
    std::memcpy(block.folded.data() + 32 * half, &folded, sizeof folded);
    letters.at(half) = static_cast<unsigned>(_mm256_movemask_epi8(letter));
    alnum.at(half) = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_or_si256(letter, digit)));
    special.at(half) = high | quotes;
  }
  block.alnum = alnum[0] | (alnum[1] << 32U);
  block.letters = letters[0] | (letters[1] << 32U);
  block.special = special[0] | (special[1] << 32U);
}
#endif

// Apostrophes and joiners only join: a piece of a cut run does not start or end with one.
std::string_view trim_joiners(std::string_view piece) {
  const auto joins = [](std::string_view s, bool front) {
    const std::string_view apostrophe = "'";
    const std::string_view zwnj = "\xE2\x80\x8C";
    const std::string_view zwj = "\xE2\x80\x8D";
    for (const auto j : {apostrophe, zwnj, zwj}) {
      if (front ? s.starts_with(j) : s.ends_with(j)) {
        return j.size();
      }
    }
    return std::size_t{0};
  };
  for (std::size_t n = joins(piece, true); n > 0; n = joins(piece, true)) {
    piece.remove_prefix(n);
  }
  for (std::size_t n = joins(piece, false); n > 0; n = joins(piece, false)) {
    piece.remove_suffix(n);
  }
  return piece;
}

}  // namespace

word_counter::word_counter()
    : table_(std::make_unique<word_table>()),
      segmenter_(std::make_unique<spaceless_segmenter>()),
      bmp_(&cc::bmp()),
      run_(max_run_bytes + word_table::padding),
      pending_(pending_capacity) {}

word_counter::~word_counter() = default;
word_counter::word_counter(word_counter&&) noexcept = default;
word_counter& word_counter::operator=(word_counter&&) noexcept = default;

void word_counter::reset() {
  pending_size_ = 0;
  table_->clear();
  segmenter_->clear();
  run_size_ = 0;
  run_kept_ = 0;
  run_has_letter_ = false;
  run_has_spaceless_ = false;
  apostrophe_pending_ = false;
  partial_length_ = 0;
}

// Short pieces of text (most are the spaces between two tags) are gathered, with a NUL for
// each boundary between them, and read in one go: a NUL is no word character, so it ends a
// word as boundary() does (the extractor never passes one on), and read together the pieces
// fill whole 64-byte blocks instead of each going character by character.
void word_counter::text(std::string_view utf8) {
  if (utf8.size() > pending_capacity - pending_size_) {
    consume_pending();
    if (utf8.size() > pending_capacity / 2) {
      consume(utf8);
      return;
    }
  }
  std::memcpy(pending_.data() + pending_size_, utf8.data(), utf8.size());
  pending_size_ += utf8.size();
}

void word_counter::boundary() {
  if (pending_size_ == 0) {
    end_word();
  } else if (pending_[pending_size_ - 1] != '\0') {
    if (pending_size_ == pending_capacity) {
      consume_pending();
      end_word();
    } else {
      pending_[pending_size_++] = '\0';
    }
  }
}

void word_counter::consume_pending() {
  const std::string_view pending(pending_.data(), pending_size_);
  pending_size_ = 0;
  consume(pending);
}

void word_counter::consume(std::string_view utf8) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): UTF-8 is read as bytes
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  // Finish a code point the previous call cut, byte by byte so that any cut gives the same.
  while (partial_length_ > 0 && p < end) {
    if (!is_continuation(*p)) {
      partial_length_ = 0;
      code_point(utf8::replacement);
      break;
    }
    partial_.at(partial_length_++) = *p++;
    if (partial_length_ == utf8::sequence_length(partial_[0])) {
      partial_length_ = 0;
      code_point(utf8::decode(partial_.data(), utf8::sequence_length(partial_[0])));
    }
  }
#if defined(__x86_64__)
  // Text shorter than 16 bytes (spaces between tags, mostly: most calls) is not worth the
  // setup of a block, not even zeroing one.
  if (end - p >= 16 && kernel_isa::active() == kernel_isa::level::avx2) {
    // 64 bytes at a time: words of ASCII letters and digits go to the table straight from
    // the folded block; a word with anything else in it (a non-ASCII character, an
    // apostrophe) goes character by character, to its end, past the block if need be. The
    // last 15 bytes or fewer go character by character too.
    ascii_block block;
    while (p < end) {
      if (end - p >= 16 && !apostrophe_pending_ && run_size_ + 64 + 3 <= max_run_bytes) {
        const auto n = std::min<std::size_t>(64, static_cast<std::size_t>(end - p));
        classify_block_avx2(p, n, block);
        p = count_block({block.alnum, block.letters, block.special, block.folded.data(), n}, p,
                        end);
        continue;
      }
      step(p, end);
    }
    return;
  }
#endif
  while (p < end) {
    step(p, end);
  }
}

// One byte, or a run starting there.
void word_counter::step(const unsigned char*& p, const unsigned char* end) {
  const std::uint8_t* classes = bytes.classes.data();
  const std::uint8_t cls = classes[*p];
  if ((cls & cc::run) != 0 || *p >= 0x80) {
    p = run_span(p, end);
  } else {
    ++p;
    if (cls != 0) {
      apostrophe();
    } else if (run_size_ != 0) {
      end_run();
    }
  }
}

// Counts the words of the block of bytes at p (no apostrophe pending before it) as the
// per-character path would: a run already open goes on with the block's first word; words of
// ASCII letters and digits the block holds whole are counted straight from folded; a word
// with a special byte goes through step(), to its end; the last word, if it reaches the
// block's end, opens the run the next bytes continue (or, if special, is read to its end).
// Returns where the next block starts.
const unsigned char* word_counter::count_block(const block_masks& block, const unsigned char* p,
                                               const unsigned char* end) {
  const std::size_t n = block.size;
  std::uint64_t rest = block.alnum | block.special;  // the bytes of words; the rest ends them
  if (run_size_ != 0 && (rest & 1U) == 0) {
    end_run();
  }
  while (rest != 0) {
    const auto from = static_cast<std::size_t>(std::countr_zero(rest));
    const auto to = std::min(n, from + static_cast<std::size_t>(std::countr_one(rest >> from)));
    const std::uint64_t word = low_bits(to) & ~low_bits(from);
    if ((block.special & word) != 0) {
      const unsigned char* q = p + from;
      if (to == n) {
        while (q < end && !ends_words(*q)) {
          step(q, end);
        }
        return q;
      }
      // step() never reads past the ASCII byte at `to`, which is no word character.
      while (q < p + to) {
        step(q, end);
      }
      if (run_size_ != 0) {
        end_run();
      }
    } else if (run_size_ != 0) {  // the word starts the block: the open run goes on
      copy_word(run_.data() + run_size_, block.folded, to);
      run_size_ += to;
      run_kept_ = run_size_;
      run_has_letter_ = run_has_letter_ || (block.letters & word) != 0;
      if (to == n) {
        return p + n;
      }
      end_run();
    } else if (to == n) {
      copy_word(run_.data(), block.folded + from, to - from);
      run_size_ = to - from;
      run_kept_ = run_size_;
      run_has_letter_ = (block.letters & word) != 0;
      return p + n;
    } else if ((block.letters & word) != 0) {
      table_->add_padded({block.folded + from, to - from});
    }
    rest &= ~low_bits(to);
  }
  return p + n;
}

// Letters, marks and digits (ASCII or BMP), folded straight into the run: the hot loop.
// Stops at anything else, at a sequence the chunk cuts, and where the run would pass
// max_run_bytes; the careful per-character path takes over from there.
const unsigned char* word_counter::run_span(const unsigned char* p, const unsigned char* end) {
  if (apostrophe_pending_) {
    append_run({}, false);  // places the apostrophe, or cuts the run if it is full
  }
  if (run_size_ + 3 > max_run_bytes) {
    return slow_code_point(p, end);
  }
  // Everything the loop reads lives in locals: stores through out may alias any member, so
  // members would be reloaded on every character.
  const std::uint8_t* classes = bytes.classes.data();
  const char* folds = bytes.folds.data();
  const std::uint8_t* bmp_classes = bmp_->classes.data();
  const char16_t* bmp_folds = bmp_->folds.data();
  char* out = run_.data() + run_size_;
  char* const out_limit = run_.data() + max_run_bytes - 3;  // room for any BMP character
  unsigned seen = 0;
  while (p < end && out < out_limit) {
    if (std::endian::native == std::endian::little && end - p >= 8 && out_limit - out >= 8) {
      const std::size_t n = ascii_alnum_block(p, out, seen);
      p += n;
      out += n;
      if (n == 8) {
        continue;
      }
    }
    const unsigned char b = *p;
    if (b < 0x80) {
      const std::uint8_t cls = classes[b];
      if ((cls & cc::run) == 0) {
        break;
      }
      seen |= cls;
      *out++ = folds[b];
      ++p;
      continue;
    }
    const std::size_t length = utf8::sequence_length(b);
    if (length == 1 || length == 4 || static_cast<std::size_t>(end - p) < length) {
      break;
    }
    const char32_t cp = utf8::decode(p, length);
    const std::uint8_t cls = bmp_classes[cp];  // decode gives U+FFFD for anything invalid
    if ((cls & cc::run) == 0) {
      break;
    }
    seen |= cls;
    const char32_t folded = bmp_folds[cp];
    if (folded < 0x800) {  // Latin, Greek, Cyrillic, Hebrew, Arabic...: two bytes
      *out++ = static_cast<char>(0xC0U | (folded >> 6U));
      *out++ = static_cast<char>(0x80U | (folded & 0x3FU));
    } else {
      *out++ = static_cast<char>(0xE0U | (folded >> 12U));
      *out++ = static_cast<char>(0x80U | ((folded >> 6U) & 0x3FU));
      *out++ = static_cast<char>(0x80U | (folded & 0x3FU));
    }
    p += length;
  }
  const auto appended = static_cast<std::size_t>(out - run_.data()) - run_size_;
  run_size_ += appended;
  if (appended > 0) {
    run_kept_ = run_size_;
    run_has_letter_ = run_has_letter_ || (seen & cc::letter) != 0;
    run_has_spaceless_ = run_has_spaceless_ || (seen & cc::spaceless) != 0;
    return p;
  }
  return slow_code_point(p, end);
}

// One character through the general rules (joiners, apostrophes, invalid or cut sequences,
// supplementary planes, the run limit).
const unsigned char* word_counter::slow_code_point(const unsigned char* p,
                                                   const unsigned char* end) {
  if (*p < 0x80) {
    const std::uint8_t cls = bytes.classes.at(*p);
    if ((cls & cc::run) != 0) {
      append_run({&bytes.folds.at(*p), 1}, (cls & cc::letter) != 0);
    } else if (cls != 0) {
      apostrophe();
    } else if (run_size_ != 0) {
      end_run();
    }
    return p + 1;
  }
  return multibyte(p, end);
}

const unsigned char* word_counter::multibyte(const unsigned char* p, const unsigned char* end) {
  const std::size_t length = utf8::sequence_length(*p);
  std::size_t have = 1;
  while (have < length && p + have < end && is_continuation(p[have])) {
    ++have;
  }
  if (have == length) {
    code_point(utf8::decode(p, length));
  } else if (p + have == end) {
    std::copy(p, p + have, partial_.begin());
    partial_length_ = have;
  } else {
    code_point(utf8::replacement);
  }
  return p + have;
}

void word_counter::code_point(char32_t cp) {
  const bool in_bmp = cp < 0x10000;
  const std::uint8_t cls = in_bmp ? bmp_->classes.at(cp) : cc::of(cp);
  if ((cls & cc::run) != 0) {
    const auto folded = utf8::encode(in_bmp ? bmp_->folds.at(cp) : cc::fold(cp));
    append_run(folded.view(), (cls & cc::letter) != 0);
    run_has_spaceless_ = run_has_spaceless_ || (cls & cc::spaceless) != 0;
  } else if ((cls & cc::joiner) != 0) {
    // Kept only inside a run; trailing joiners are dropped when the run ends.
    const auto joiner = utf8::encode(cp);
    if (run_size_ == 0 || apostrophe_pending_ || run_size_ + joiner.size > max_run_bytes) {
      end_run();
    } else {
      std::copy_n(joiner.bytes.begin(), joiner.size,
                  run_.begin() + static_cast<std::ptrdiff_t>(run_size_));
      run_size_ += joiner.size;
    }
  } else if ((cls & cc::apostrophe) != 0) {
    apostrophe();
  } else if (run_size_ != 0) {
    end_run();
  }
}

void word_counter::apostrophe() {
  if (run_size_ != 0 && run_kept_ == run_size_ && !apostrophe_pending_) {
    apostrophe_pending_ = true;
  } else if (run_size_ != 0) {
    end_run();
  }
}

// Appends one folded character (empty: only settles a pending apostrophe), cutting the run
// where it would pass max_run_bytes.
void word_counter::append_run(std::string_view folded, bool is_letter) {
  if (apostrophe_pending_) {
    apostrophe_pending_ = false;
    if (run_size_ + 1 + std::max<std::size_t>(folded.size(), 1) > max_run_bytes) {
      end_run();
    } else {
      run_[run_size_++] = '\'';
    }
  }
  if (folded.empty()) {
    return;
  }
  if (run_size_ + folded.size() > max_run_bytes) {
    end_run();
  }
  std::copy(folded.begin(), folded.end(), run_.begin() + static_cast<std::ptrdiff_t>(run_size_));
  run_size_ += folded.size();
  run_kept_ = run_size_;
  run_has_letter_ = run_has_letter_ || is_letter;
}

void word_counter::end_word() {
  if (partial_length_ > 0) {
    partial_length_ = 0;
    code_point(utf8::replacement);
  }
  // Most boundaries (one per tag) come with no run open: nothing to end, and every run flag
  // is already clear.
  if (run_size_ != 0) {
    end_run();
  }
}

void word_counter::end_run() {
  apostrophe_pending_ = false;
  const std::string_view run(run_.data(), run_kept_);
  if (run_has_spaceless_) {
    count_spaceless_run(run);
  } else if (run_has_letter_) {
    table_->add_padded(run);
  }
  run_size_ = 0;
  run_kept_ = 0;
  run_has_letter_ = false;
  run_has_spaceless_ = false;
}

// Cuts the run into pieces of spaceless scripts (segmented by ICU) and the rest (a piece
// with a letter is a word). Joiners stay with the piece they follow.
void word_counter::count_spaceless_run(std::string_view run) {
  const auto flush =
      [this, run](std::size_t from, std::size_t to, bool spaceless, bool has_letter) {
    const std::string_view piece = trim_joiners(run.substr(from, to - from));
    if (piece.empty()) {
      return;
    }
    if (spaceless) {
      if (segmenter_->queue(piece, [this](std::string_view word) { table_->add(word); })) {
        flush_segmenter();
      }
    } else if (has_letter) {
      table_->add_padded(piece);  // a piece of run_
    }
  };
  std::size_t start = 0;
  bool spaceless = false;
  bool has_letter = false;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): UTF-8 is read as bytes
  const auto* data = reinterpret_cast<const unsigned char*>(run.data());
  for (std::size_t i = 0; i < run.size();) {
    const std::size_t length = utf8::sequence_length(data[i]);
    const std::uint8_t cls = cc::of(utf8::decode(data + i, length));
    const bool is_spaceless = (cls & cc::spaceless) != 0;
    if ((cls & cc::joiner) == 0 && is_spaceless != spaceless && i > start) {
      flush(start, i, spaceless, has_letter);
      start = i;
      has_letter = false;
    }
    if ((cls & cc::joiner) == 0) {
      spaceless = is_spaceless;
    }
    has_letter = has_letter || (cls & cc::letter) != 0;
    i += length;
  }
  flush(start, run.size(), spaceless, has_letter);
}

void word_counter::flush_segmenter() {
  segmenter_->flush([this](std::string_view word) { table_->add(word); });
}

void word_counter::settle() {
  consume_pending();
  flush_segmenter();
}

std::vector<word_count> word_counter::top(std::size_t k) {
  settle();
  return table_->top(k);
}

void word_counter::for_each_word(
    const std::function<void(std::string_view, std::uint64_t)>& visit) {
  settle();
  table_->for_each(visit);
}

std::uint64_t word_counter::total_words() {
  settle();
  std::uint64_t total = 0;
  table_->for_each([&total](std::string_view, std::uint64_t count) { total += count; });
  return total;
}

std::size_t word_counter::distinct_words() {
  settle();
  return table_->size();
}

}  // namespace wordcrawl
