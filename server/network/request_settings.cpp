#include "network/request_settings.hpp"

#include <string>

#include "wordcrawl/stop_words.hpp"

namespace wordcrawl {

std::optional<page_error> check_stopwords(const stopword_choice& choice) {
  for (const auto& code : choice.languages) {
    if (find_stop_list(code) == nullptr) {
      return page_error{error_kind::bad_request, "bad request: no stop list for '" + code + "'"};
    }
  }
  return std::nullopt;
}

std::variant<answer_settings, page_error> resolve_settings(const request& asked,
                                                           const request_defaults& defaults) {
  const auto& options = asked.options;
  answer_settings settings;
  settings.k = options.k.value_or(defaults.k);
  if (settings.k > defaults.max_k) {
    return page_error{error_kind::bad_request, "bad request: \"k\" over this server's maximum of " +
                                                   std::to_string(defaults.max_k)};
  }
  const auto stopwords = options.stopwords.value_or(defaults.stopwords);
  if (auto error = check_stopwords(stopwords)) {
    return *error;
  }
  auto& words = settings.words;
  switch (stopwords.how) {
    case stopword_choice::mode::none:
      words.stopwords = word_options::stop_mode::none;
      break;
    case stopword_choice::mode::automatic:
      words.stopwords = word_options::stop_mode::automatic;
      break;
    case stopword_choice::mode::listed:
      words.stopwords = word_options::stop_mode::listed;
      words.stop_languages = stopwords.languages;
      break;
  }
  words.stem = options.stem.value_or(defaults.stem);
  words.content = options.content.value_or(defaults.content) == content_choice::main
                      ? content_scope::main
                      : content_scope::all;
  words.detect_language = asked.json || !defaults.plain();
  return settings;
}

}  // namespace wordcrawl
