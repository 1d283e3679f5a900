#include "wordcrawl/language_detector.hpp"

#include <algorithm>
#include <array>
#include <cstdio>  // CLD2's public header uses FILE without including it
#include <string>
#include <string_view>
#include <utility>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "wordcrawl/utf8.hpp"

namespace wordcrawl {

namespace {

// CLD2 reports up to three languages.
constexpr std::size_t cld2_languages = 3;

// CLD2's codes that are not ISO 639-1 although an ISO 639-1 code exists, or that name a
// variety the kernel reports under its language.
struct code_alias {
  std::string_view cld2;
  std::string_view iso;
};
constexpr std::array<code_alias, 7> code_aliases{{
    {"iw", "he"},       // Hebrew: CLD2 keeps the code withdrawn in 1989
    {"jw", "jv"},       // Javanese: likewise
    {"in", "id"},       // Indonesian: likewise (CLD2 says "id", kept for safety)
    {"no", "nb"},       // CLD2's Norwegian is trained on Bokmål; Nynorsk is "nn"
    {"zh-Hant", "zh"},  // traditional Chinese: one language, one stop list
    {"sr-ME", "cnr"},   // Montenegrin has only an ISO 639-3 code
    {"xxx", ""},        // CLD2's "ignore"
}};

// The not-a-language answers: unknown, script-only guesses ("xx-Latn") and the joke
// languages CLD2 carries for Google's interface (Pig Latin, Elmer Fudd, ...).
bool is_not_a_language(std::string_view code) {
  return code.empty() || code == "un" || code.starts_with("xx-") || code.starts_with("zz");
}

// Whether a code point is one CLD2 refuses as not interchange-valid: C0 and C1 controls other
// than tab, line feed and carriage return, DEL, and the noncharacters.
bool is_interchange_valid(char32_t cp) {
  if (cp < 0x20) {
    return cp == '\t' || cp == '\n' || cp == '\r';
  }
  if (cp >= 0x7F && cp <= 0x9F) {
    return false;
  }
  if (cp >= 0xFDD0 && cp <= 0xFDEF) {
    return false;
  }
  return (cp & 0xFFFEU) != 0xFFFEU;
}

// Length of the complete, valid UTF-8 sequence at text[i], or 0.
std::size_t sequence_at(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) {
    return 1;
  }
  const auto shape = utf8::classify_lead(lead);
  if (shape.length == 0 || text.size() - i < shape.length) {
    return 0;
  }
  const auto second = static_cast<unsigned char>(text[i + 1]);
  if (second < shape.lower || second > shape.upper) {
    return 0;
  }
  for (std::size_t k = 2; k < shape.length; ++k) {
    if (!utf8::is_continuation(static_cast<unsigned char>(text[i + k]))) {
      return 0;
    }
  }
  return shape.length;
}

// The code point of the valid sequence of length bytes at text[i].
char32_t code_point_at(std::string_view text, std::size_t i, std::size_t length) {
  const auto byte = [text, i](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(text[i + k]));
  };
  constexpr std::array<char32_t, 5> lead_mask{0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t cp = byte(0) & lead_mask.at(length);
  for (std::size_t k = 1; k < length; ++k) {
    cp = (cp << 6U) | (byte(k) & 0x3FU);
  }
  return cp;
}

// Copies text into out, each byte of an invalid or cut-short sequence and each character
// CLD2 would refuse written as a space: CLD2's checking entry point stops at the first such
// byte, and a space keeps the words on either side apart.
void make_interchange_valid(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = sequence_at(text, i);
    if (length == 0) {
      out.push_back(' ');
      ++i;
      continue;
    }
    if (is_interchange_valid(code_point_at(text, i, length))) {
      out.append(text.substr(i, length));
    } else {
      out.append(length, ' ');
    }
    i += length;
  }
}

struct cld2_answer {
  std::array<CLD2::Language, cld2_languages> languages{};
  std::array<int, cld2_languages> percents{};
  bool reliable = false;
  std::size_t valid_prefix = 0;
};

cld2_answer run_cld2(std::string_view text) {
  cld2_answer answer;
  const CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  std::array<double, cld2_languages> scores{};
  int text_bytes = 0;
  int valid_prefix = 0;
  CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true, &hints, /*flags=*/0,
      answer.languages.data(), answer.percents.data(), scores.data(),
      /*resultchunkvector=*/nullptr, &text_bytes, &answer.reliable, &valid_prefix);
  answer.valid_prefix = static_cast<std::size_t>(std::max(valid_prefix, 0));
  return answer;
}

// Adds a share, merging it into an earlier one of the same code (zh and zh-Hant both give zh).
void add_share(std::vector<language_share>& shares, std::string code, int percent) {
  const auto same = std::find_if(shares.begin(), shares.end(),
                                 [&code](const language_share& s) { return s.code == code; });
  if (same != shares.end()) {
    same->percent += percent;
    return;
  }
  shares.push_back({std::move(code), percent});
}

language_guess to_guess(const cld2_answer& answer) {
  language_guess guess;
  for (std::size_t i = 0; i < cld2_languages; ++i) {
    std::string code = normalize_language_code(CLD2::LanguageCode(answer.languages.at(i)));
    if (!code.empty() && answer.percents.at(i) > 0) {
      add_share(guess.languages, std::move(code), std::min(answer.percents.at(i), 100));
    }
  }
  std::stable_sort(
      guess.languages.begin(), guess.languages.end(),
      [](const language_share& a, const language_share& b) { return a.percent > b.percent; });
  // The main language stays whatever its share; the others must make up a real part.
  if (guess.languages.size() > 1) {
    guess.languages.erase(std::remove_if(
                              guess.languages.begin() + 1, guess.languages.end(),
                              [](const language_share& s) {
      return s.percent < language_detector::min_share_percent;
                              }),
                          guess.languages.end());
  }
  guess.reliable = answer.reliable && !guess.languages.empty();
  return guess;
}

}  // namespace

std::string language_guess::main() const {
  return languages.empty() ? std::string{} : languages.front().code;
}

std::string normalize_language_code(std::string_view cld2_code) {
  for (const auto& alias : code_aliases) {
    if (alias.cld2 == cld2_code) {
      return std::string{alias.iso};
    }
  }
  if (is_not_a_language(cld2_code)) {
    return {};
  }
  // Any other region or script suffix names a variety of the language before it.
  return std::string{cld2_code.substr(0, cld2_code.find('-'))};
}

language_detector::language_detector() = default;
language_detector::~language_detector() = default;
language_detector::language_detector(language_detector&& other) noexcept = default;
language_detector& language_detector::operator=(language_detector&& other) noexcept = default;

language_guess language_detector::detect(std::string_view utf8_text) {
  make_interchange_valid(utf8_text.substr(0, std::min(utf8_text.size(), sample_bytes)), clean_);
  cld2_answer answer = run_cld2(clean_);
  // Should CLD2 still refuse a character the cleaning kept, blank it and ask again; a few
  // rounds at most, then settle for the part before it.
  constexpr int max_retries = 4;
  for (int retry = 0; answer.valid_prefix < clean_.size(); ++retry) {
    if (retry == max_retries) {
      answer = run_cld2(std::string_view{clean_}.substr(0, answer.valid_prefix));
      break;
    }
    const std::size_t length = std::max<std::size_t>(sequence_at(clean_, answer.valid_prefix), 1);
    clean_.replace(answer.valid_prefix, length, length, ' ');
    answer = run_cld2(clean_);
  }
  return to_guess(answer);
}

}  // namespace wordcrawl
