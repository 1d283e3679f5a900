#pragma once

// HTML inputs for the kernel tests: a bounded random generator of tricky markup and the
// documentation pages Debian installs (debian-handbook in 26 languages, the Python manual).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "wordcrawl/word_count.hpp"

namespace wordcrawl::testing {

/// A random page of tricky but well-nested HTML; the same seed gives the same page.
std::string generate_page(unsigned seed);

/// A random page of landmarks (<nav>, <header>, <footer>, <aside>, role attributes in odd
/// case and lists) nested at random with the ways HTML ends elements: implied ends, unclosed
/// elements, misnested and stray end tags, void elements, self-closing syntax, text after
/// </body>. Words stand between spaces, so that text nodes the tree builder merges give the
/// same words. The same seed gives the same page.
std::string generate_landmark_page(unsigned seed);

/// Every stride-th HTML page of each handbook language and of the Python manual, sorted;
/// empty if none is installed.
std::vector<std::filesystem::path> documentation_pages(std::size_t stride);

/// The first few words whose counts differ between the reference's list and the kernel's,
/// for a readable failure message of a differential test.
std::string word_difference(const std::vector<word_count>& expected,
                            const std::vector<word_count>& actual);

/// A whole file's bytes ("" if it cannot be read).
std::string read_file(const std::filesystem::path& path);

}  // namespace wordcrawl::testing
