#pragma once

// The answer's words when stop words or stems are asked for: a pass over the distinct words of
// the page (not over its text), so it costs nothing while counting.

#include <cstddef>
#include <string_view>
#include <vector>

#include "word_stemmer.hpp"
#include "wordcrawl/stop_words.hpp"
#include "wordcrawl/word_count.hpp"
#include "wordcrawl/word_counter.hpp"

namespace wordcrawl {

/// The k most frequent words of counter, leaving out words on any of stops, and, if
/// stem_language is not empty, merged by their stem in it: a group counts the sum of its
/// words and shows its most frequent word (the smallest by bytes on a tie). Order: count
/// descending, then word ascending, as for word_counter::top.
std::vector<word_count> select_words(word_counter& counter,
                                     const std::vector<const stop_list*>& stops,
                                     word_stemmer& stemmer, std::string_view stem_language,
                                     std::size_t k);

}  // namespace wordcrawl
