// Times CLD2 and libexttextcat on page texts, for scripts/measure-language.py.
//
// measure_language ENGINE SIZES LISTING
//   ENGINE   cld2 or exttextcat
//   SIZES    comma-separated sample sizes in bytes
//   LISTING  lines of "text-file<TAB>known-language"
// Prints one line per page and size (the time is the fastest of three runs):
//   engine size file truth answer reliable nanoseconds sample-bytes
// where answer is "code:percent,..." (CLD2, up to three) or "code,..." (exttextcat, its
// candidates best first), empty when the engine does not know.
//
// Built by the script with g++, linked with -lcld2 or -lcld2_full (CLD2_NAME says which).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>  // before CLD2's header, which uses FILE without including it
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <libexttextcat/textcat.h>

// The name the CLD2 results are reported under: the script builds this file twice, against
// libcld2 and against libcld2_full.
#ifndef CLD2_NAME
#define CLD2_NAME "cld2"  // NOLINT(cppcoreguidelines-macro-usage): set with -D
#endif

namespace {

constexpr int repeats = 3;

struct page {
  std::string file;
  std::string truth;
  std::string text;
};

// The first size bytes, cut back so that no UTF-8 character is split.
std::string_view sample_of(std::string_view text, std::size_t size) {
  if (text.size() <= size) {
    return text;
  }
  std::size_t end = size;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
    --end;
  }
  return text.substr(0, end);
}

std::string cld2_answer(std::string_view sample, bool& reliable) {
  const CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  std::array<CLD2::Language, 3> languages{};
  std::array<int, 3> percents{};
  std::array<double, 3> scores{};
  int text_bytes = 0;
  int valid_prefix = 0;
  CLD2::ExtDetectLanguageSummaryCheckUTF8(
      sample.data(), static_cast<int>(sample.size()), true, &hints, 0, languages.data(),
      percents.data(), scores.data(), nullptr, &text_bytes, &reliable, &valid_prefix);
  std::string answer;
  for (std::size_t i = 0; i < languages.size(); ++i) {
    if (languages.at(i) == CLD2::UNKNOWN_LANGUAGE || percents.at(i) == 0) {
      continue;
    }
    if (!answer.empty()) {
      answer += ',';
    }
    answer += CLD2::LanguageCode(languages.at(i));
    answer += ':' + std::to_string(percents.at(i));
  }
  return answer;
}

// "[en--utf8][de--utf8]" -> "en-,de-" (the script keeps what comes before the first dash).
std::string textcat_answer(void* handle, std::string_view sample) {
  const std::string result = textcat_Classify(handle, sample.data(), sample.size());
  if (result.empty() || result[0] != '[') {
    return "";
  }
  std::string answer;
  std::size_t at = 0;
  while ((at = result.find('[', at)) != std::string::npos) {
    const std::size_t close = result.find(']', at);
    if (close == std::string::npos) {
      break;
    }
    std::string name = result.substr(at + 1, close - at - 1);
    const std::size_t suffix = name.rfind("-utf8");
    if (suffix != std::string::npos) {
      name.resize(suffix);
    }
    if (!answer.empty()) {
      answer += ',';
    }
    answer += name;
    at = close;
  }
  return answer;
}

std::vector<page> read_listing(const char* path) {
  std::vector<page> pages;
  std::ifstream listing(path);
  std::string line;
  while (std::getline(listing, line)) {
    const auto tab = line.find('\t');
    page p{line.substr(0, tab), line.substr(tab + 1), {}};
    std::ifstream in(p.file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    p.text = content.str();
    pages.push_back(std::move(p));
  }
  return pages;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: measure_language cld2|exttextcat SIZES LISTING\n";
    return 2;
  }
  const std::string engine = argv[1];
  std::vector<std::size_t> sizes;
  std::stringstream size_list(argv[2]);
  for (std::string item; std::getline(size_list, item, ',');) {
    sizes.push_back(std::stoul(item));
  }
  const auto pages = read_listing(argv[3]);
  void* textcat = nullptr;
  if (engine == "exttextcat") {
    textcat =
        special_textcat_Init("/usr/share/libexttextcat/fpdb.conf", "/usr/share/libexttextcat/");
    if (textcat == nullptr) {
      std::cerr << "cannot load the exttextcat models\n";
      return 1;
    }
  }
  const std::string name = engine == "cld2" ? CLD2_NAME : engine;
  for (const auto size : sizes) {
    for (const auto& p : pages) {
      const auto sample = sample_of(p.text, size);
      bool reliable = false;
      std::string answer;
      // The fastest of a few runs: the machine is shared, and the slower runs measure the
      // other work on it rather than the detector.
      auto elapsed = std::chrono::steady_clock::duration::max();
      for (int run = 0; run < repeats; ++run) {
        const auto start = std::chrono::steady_clock::now();
        answer =
            textcat != nullptr ? textcat_answer(textcat, sample) : cld2_answer(sample, reliable);
        elapsed = std::min(elapsed, std::chrono::steady_clock::now() - start);
      }
      std::cout << name << '\t' << size << '\t' << p.file << '\t' << p.truth << '\t' << answer
                << '\t' << (reliable ? 1 : 0) << '\t'
                << std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count() << '\t'
                << sample.size() << '\n';
    }
  }
  if (textcat != nullptr) {
    textcat_Done(textcat);
  }
  return 0;
}
