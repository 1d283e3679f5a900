// The kernel's language_detector on the measured pages, for scripts/measure-language.py:
// what the kernel reports (after its code mapping and share threshold) and how fast.
//
// detector_check LISTING
//   LISTING  lines of "text-file<TAB>known-language"
// Prints one line per page: file truth main codes reliable nanoseconds sample-bytes
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "wordcrawl/language_detector.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: detector_check LISTING\n";
    return 2;
  }
  constexpr int repeats = 3;
  wordcrawl::language_detector detector;
  std::ifstream listing(argv[1]);
  std::string line;
  while (std::getline(listing, line)) {
    const auto tab = line.find('\t');
    const std::string file = line.substr(0, tab);
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    // Callers pass at most sample_bytes; the detector itself cuts a split character.
    const std::string text = content.str().substr(0, wordcrawl::language_detector::sample_bytes);
    wordcrawl::language_guess guess;
    auto elapsed = std::chrono::steady_clock::duration::max();
    for (int run = 0; run < repeats; ++run) {
      const auto start = std::chrono::steady_clock::now();
      guess = detector.detect(text);
      elapsed = std::min(elapsed, std::chrono::steady_clock::now() - start);
    }
    std::string codes;
    for (const auto& share : guess.languages) {
      codes += (codes.empty() ? "" : ",") + share.code + ':' + std::to_string(share.percent);
    }
    std::cout << file << '\t' << line.substr(tab + 1) << '\t' << guess.main() << '\t' << codes
              << '\t' << (guess.reliable ? 1 : 0) << '\t'
              << std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count() << '\t'
              << text.size() << '\n';
  }
  return 0;
}
