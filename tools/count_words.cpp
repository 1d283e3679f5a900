// count_words: the word kernel on local files, for checking it against other implementations.
//   count_words [-k N] [--content-type T] [--stopwords S] [--stem] [--content main] [--stats]
//               FILE...
// prints "<path>\t{"word": count, ...}" per file, reading each in chunks as the server would;
// with word options or --stats, a third column says what was done:
// {"total_words": n, "distinct_words": n, "lang": "ru", "stopwords": "ru,en", "stemmed_as": "ru"}

#include <array>
#include <cstddef>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "wordcrawl/page_analyzer.hpp"
#include "wordcrawl/protocol.hpp"
#include "wordcrawl/request.hpp"

namespace {

constexpr std::size_t chunk_bytes = std::size_t{64} * 1024;

struct count_settings {
  std::string content_type = "text/html";
  std::size_t k = 10;
  wordcrawl::word_options options;
  bool stats = false;
};

std::string stats_of(const wordcrawl::page_words& page) {
  nlohmann::ordered_json out = {{"total_words", page.total_words},
                                {"distinct_words", page.distinct_words}};
  out["lang"] = page.lang;
  out["declared_lang"] = page.declared_lang;
  std::string lists;
  for (const auto& code : page.stop_languages) {
    lists += (lists.empty() ? "" : ",") + code;
  }
  out["stopwords"] = lists;
  out["stemmed_as"] = page.stemmed_as;
  out["not_stemmed"] = page.not_stemmed;
  return out.dump();
}

// Counts one file; false (with a message on stderr) if it cannot be read or counted.
bool count_file(wordcrawl::page_analyzer& analyzer, const std::string& path,
                const count_settings& settings) {
  const auto& content_type = settings.content_type;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": cannot open\n";
    return false;
  }
  const auto kind = wordcrawl::classify_content_type(content_type);
  if (kind == wordcrawl::body_kind::unsupported) {
    std::cerr << path << ": not text (content type \"" << content_type << "\")\n";
    return false;
  }
  analyzer.begin(kind, content_type, settings.options);
  std::vector<char> buffer(chunk_bytes);
  bool text = true;
  while (in && text) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    text = analyzer.feed({buffer.data(), static_cast<std::size_t>(in.gcount())});
  }
  if (in.bad()) {
    std::cerr << path << ": read error\n";
    return false;
  }
  const auto page = analyzer.finish_page(settings.k);
  if (analyzer.binary()) {
    std::cerr << path << ": not text (binary bytes and no content type)\n";
    return false;
  }
  std::cout << path << '\t' << wordcrawl::format_words(page.words);
  if (settings.stats) {
    std::cout << '\t' << stats_of(page);
  }
  std::cout << '\n';
  return true;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{
      "Prints the top words of local HTML or text files, as the wordcrawl server counts them"};
  count_settings settings;
  std::string stopwords = "none";
  std::string content = "all";
  std::vector<std::string> files;
  app.add_option("-k", settings.k, "How many words to print per file")->check(CLI::PositiveNumber);
  app.add_option("--content-type", settings.content_type,
                 "Content-Type the files are read as (\"\" sniffs each file)");
  app.add_option("--stopwords", stopwords, "none, auto, or language codes such as en,ru");
  app.add_flag("--stem", settings.options.stem, "Merge words by their Snowball stem");
  app.add_option("--content", content, "all, or main (without nav, header, footer, aside)");
  app.add_flag("--stats", settings.stats,
               "Print the totals and languages (implied by any word option)");
  app.add_option("files", files, "Files to count")->required();
  CLI11_PARSE(app, argc, argv);
  const auto choice = wordcrawl::parse_stopwords(stopwords);
  const auto scope = wordcrawl::parse_content(content);
  if (!choice || !scope) {
    std::cerr << "count_words: bad --stopwords or --content\n";
    return 2;
  }
  auto& options = settings.options;
  options.stop_languages = choice->languages;
  options.stopwords = choice->how == wordcrawl::stopword_choice::mode::none
                          ? wordcrawl::word_options::stop_mode::none
                      : choice->how == wordcrawl::stopword_choice::mode::automatic
                          ? wordcrawl::word_options::stop_mode::automatic
                          : wordcrawl::word_options::stop_mode::listed;
  options.content = *scope == wordcrawl::content_choice::main ? wordcrawl::content_scope::main
                                                              : wordcrawl::content_scope::all;
  const bool any_option = options.stopwords != wordcrawl::word_options::stop_mode::none ||
                          options.stem || options.content != wordcrawl::content_scope::all;
  settings.stats = settings.stats || any_option;
  options.detect_language = settings.stats;

  wordcrawl::page_analyzer analyzer;
  bool all_ok = true;
  for (const auto& path : files) {
    all_ok = count_file(analyzer, path, settings) && all_ok;
  }
  return all_ok ? 0 : 1;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "count_words: " << e.what() << '\n';
    return 1;
  }
}
