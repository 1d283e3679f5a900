#include "cjk_segmenter.hpp"

#include <array>
#include <limits>
#include <memory>

#include <unicode/uchar.h>
#include <unicode/ucharstrie.h>
#include <unicode/udata.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/unorm2.h>

#include "wordcrawl/utf8.hpp"

namespace wordcrawl {
namespace {

// The constants of ICU's dictionary engine for Chinese and Japanese (CjkBreakEngine).
constexpr std::size_t max_match_units = 20;   // UTF-16 units a dictionary word may span
constexpr std::uint32_t unknown_cost = 255;   // a character no dictionary word starts with
constexpr std::size_t max_katakana_run = 20;  // a longer katakana run is no candidate
constexpr std::array<std::uint32_t, 9> katakana_costs{8192, 984, 408, 240, 204, 252, 300, 372, 480};

bool is_katakana(char32_t c) {
  return (c >= 0x30A1 && c <= 0x30FE && c != 0x30FB) || (c >= 0xFF66 && c <= 0xFF9F);
}

constexpr std::uint32_t long_katakana_cost = 8192;  // a run longer than the table

std::uint32_t katakana_cost(std::size_t length) {
  return length < katakana_costs.size() ? katakana_costs.at(length) : long_katakana_cost;
}

// The layout of ICU's dictionary files (brkitr/*.dict, format "Dict"): 8 int32 indexes, the
// first the offset of the trie, the fifth its type.
constexpr std::int32_t trie_type_mask = 7;
constexpr std::int32_t trie_type_uchars = 1;
constexpr std::int32_t trie_has_values = 8;

// The characters ICU's engine takes and leaves as they are: its set, less what NFKC
// changes and the combining marks.
std::vector<std::uint64_t> handled_set(UErrorCode& status) {
  std::vector<std::uint64_t> bits((0x110000 + 63) / 64, 0);
  const icu::UnicodeSet set(
      icu::UnicodeString(u"[[:Han:][:Hiragana:][:Katakana:]\\u30fc\\uff70\\uff9e\\uff9f]"), status);
  if (U_FAILURE(status) != 0) {
    return bits;
  }
  for (std::int32_t r = 0; r < set.getRangeCount(); ++r) {
    for (UChar32 c = set.getRangeStart(r); c <= set.getRangeEnd(r); ++c) {
      if (u_getIntPropertyValue(c, UCHAR_NFKC_QUICK_CHECK) == UNORM_YES &&
          u_getCombiningClass(c) == 0) {
        const auto cp = static_cast<std::uint32_t>(c);
        bits.at(cp >> 6U) |= std::uint64_t{1} << (cp & 63U);
      }
    }
  }
  return bits;
}

}  // namespace

void cjk_segmenter::data_closer::operator()(UDataMemory* data) const {
  udata_close(data);
}

const cjk_segmenter* cjk_segmenter::load() {
  UErrorCode status = U_ZERO_ERROR;
  dictionary_data data(
      udata_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", "dict", "cjdict", &status));
  if (U_FAILURE(status) != 0 || !data) {
    return nullptr;
  }
  const auto* indexes = static_cast<const std::int32_t*>(udata_getMemory(data.get()));
  const std::int32_t offset = indexes[0];
  const std::int32_t type = indexes[4];
  if (offset < 8 * static_cast<std::int32_t>(sizeof(std::int32_t)) ||
      (type & trie_type_mask) != trie_type_uchars || (type & trie_has_values) == 0) {
    return nullptr;
  }
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the trie inside ICU's data
  const auto* trie = reinterpret_cast<const char16_t*>(
      // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
      reinterpret_cast<const char*>(indexes) + offset);
  std::vector<std::uint64_t> handled = handled_set(status);
  if (U_FAILURE(status) != 0) {
    return nullptr;
  }
  return new cjk_segmenter(std::move(data), trie, std::move(handled));
}

cjk_segmenter::cjk_segmenter(dictionary_data data, const char16_t* trie,
                             std::vector<std::uint64_t> handled)
    : data_(std::move(data)),
      trie_(trie),
      handled_(std::move(handled)),
      first_steps_(first_steps_to - first_steps_from) {
  for (char32_t c = first_steps_from; c < first_steps_to; ++c) {
    if (!takes(c)) {
      continue;
    }
    icu::UCharsTrie walk(trie_);
    first_step& step = first_steps_[c - first_steps_from];
    step.result = walk.first(static_cast<UChar32>(c));
    if (USTRINGTRIE_HAS_VALUE(step.result)) {
      step.value = walk.getValue();
    }
    walk.saveState(step.state);
  }
}

const cjk_segmenter* cjk_segmenter::get() {
  // Built once, read by every thread after; it lives as long as the process.
  static const std::unique_ptr<const cjk_segmenter> instance(load());
  return instance.get();
}

bool cjk_segmenter::handles(std::string_view utf8) const {
  scratch s;
  return decode(utf8, s);
}

template <typename OnMatch>
void cjk_segmenter::matches(const scratch& s, std::size_t from, const OnMatch& on_match) const {
  icu::UCharsTrie trie(trie_);
  const char32_t first = s.text[from];
  UStringTrieResult result = USTRINGTRIE_NO_MATCH;
  std::int32_t value = 0;
  if (first >= first_steps_from && first < first_steps_to) {  // the root's branch is skipped
    const first_step& step = first_steps_[first - first_steps_from];
    result = step.result;
    value = step.value;
    if (result != USTRINGTRIE_NO_MATCH) {
      trie.resetToState(step.state);
    }
  } else {
    result = trie.first(static_cast<UChar32>(first));
    value = USTRINGTRIE_HAS_VALUE(result) ? trie.getValue() : 0;
  }
  std::size_t units = first >= 0x10000 ? 2 : 1;
  for (std::size_t j = from + 1;; ++j) {
    if (USTRINGTRIE_HAS_VALUE(result)) {
      on_match(j - from, static_cast<std::uint32_t>(value));
      if (result == USTRINGTRIE_FINAL_VALUE) {
        return;
      }
    } else if (result == USTRINGTRIE_NO_MATCH) {
      return;
    }
    if (units >= max_match_units || j == s.text.size()) {
      return;
    }
    const auto c = static_cast<UChar32>(s.text[j]);
    result = trie.next(c);
    value = USTRINGTRIE_HAS_VALUE(result) ? trie.getValue() : 0;
    units += c >= 0x10000 ? 2 : 1;
  }
}

bool cjk_segmenter::decode(std::string_view utf8, scratch& s) const {
  s.text.clear();
  s.offsets.clear();
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): UTF-8 is read as bytes
  const auto* bytes = reinterpret_cast<const unsigned char*>(utf8.data());
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t length = utf8::sequence_length(bytes[i]);
    if (length < 3 || length > utf8.size() - i) {
      return false;
    }
    const char32_t c = utf8::decode(bytes + i, length);
    if (!takes(c)) {
      return false;
    }
    s.text.push_back(c);
    s.offsets.push_back(static_cast<std::uint32_t>(i));
    i += length;
  }
  s.offsets.push_back(static_cast<std::uint32_t>(utf8.size()));
  // A character alone is no dictionary range: ICU's rules decide whether it is a word (a lone
  // 々 is not), and pieces that short repeat, so the segment cache keeps them.
  return s.text.size() >= 2;
}

std::size_t cjk_segmenter::cut_points(scratch& s) const {
  const std::size_t n = s.text.size();
  s.best.assign(n + 1, std::numeric_limits<std::uint32_t>::max());
  s.previous.assign(n + 1, -1);
  s.best[0] = 0;
  // Every position is reached (a character alone is always a candidate), so best[i] is set
  // when i is read. Candidates are tried in ICU's order and only a cheaper one replaces: on a
  // tie the one found first stays.
  const auto offer = [&s](std::size_t from, std::size_t length, std::uint32_t cost) {
    const std::uint32_t total = s.best[from] + cost;
    if (total < s.best[from + length]) {
      s.best[from + length] = total;
      s.previous[from + length] = static_cast<std::int32_t>(from);
    }
  };
  bool previous_katakana = false;
  for (std::size_t i = 0; i < n; ++i) {
    bool single = false;
    matches(s, i, [&](std::size_t length, std::uint32_t cost) {
      single = single || length == 1;
      offer(i, length, cost);
    });
    if (!single) {
      offer(i, 1, unknown_cost);
    }
    const bool katakana = is_katakana(s.text[i]);
    if (katakana && !previous_katakana) {
      std::size_t run = 1;
      while (i + run < n && run < max_katakana_run && is_katakana(s.text[i + run])) {
        ++run;
      }
      if (run < max_katakana_run) {
        offer(i, run, katakana_cost(run));
      }
    }
    previous_katakana = katakana;
  }
  s.word_starts.clear();
  for (std::size_t end = n; end > 0;) {
    end = static_cast<std::size_t>(s.previous[end]);
    s.word_starts.push_back(static_cast<std::uint32_t>(end));
  }
  return s.word_starts.size();
}

}  // namespace wordcrawl
