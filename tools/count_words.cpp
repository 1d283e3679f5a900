// count_words: the word kernel on local files, for checking it against other implementations.
//   count_words [-k N] [--content-type T] FILE...
// prints "<path>\t{"word": count, ...}" per file, reading each in chunks as the server would.

#include <array>
#include <cstddef>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "wordcrawl/page_analyzer.hpp"
#include "wordcrawl/protocol.hpp"

namespace {

constexpr std::size_t chunk_bytes = std::size_t{64} * 1024;

// Counts one file; false (with a message on stderr) if it cannot be read or counted.
bool count_file(wordcrawl::page_analyzer& analyzer, const std::string& path,
                const std::string& content_type, std::size_t k) {
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
  analyzer.begin(kind, content_type);
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
  const auto words = analyzer.finish(k);
  if (analyzer.binary()) {
    std::cerr << path << ": not text (binary bytes and no content type)\n";
    return false;
  }
  std::cout << path << '\t' << wordcrawl::format_words(words) << '\n';
  return true;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{
      "Prints the top words of local HTML or text files, as the wordcrawl server counts them"};
  std::size_t k = 10;
  std::string content_type = "text/html";
  std::vector<std::string> files;
  app.add_option("-k", k, "How many words to print per file")->check(CLI::PositiveNumber);
  app.add_option("--content-type", content_type,
                 "Content-Type the files are read as (\"\" sniffs each file)");
  app.add_option("files", files, "Files to count")->required();
  CLI11_PARSE(app, argc, argv);

  wordcrawl::page_analyzer analyzer;
  bool all_ok = true;
  for (const auto& path : files) {
    all_ok = count_file(analyzer, path, content_type, k) && all_ok;
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
