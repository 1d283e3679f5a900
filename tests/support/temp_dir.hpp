#pragma once

// A fresh directory for the files of one test, removed with everything in it on destruction.
// mkdtemp makes the name unique, so tests running at the same time in other processes never
// share a file; the name carries the test's own name, so a directory that a crashed test left
// behind says whose it was.
//
//   const temp_dir dir;
//   const std::string urls = dir.write("urls.txt", "http://a.test/\n");

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

namespace wordcrawl::testing {

class temp_dir {
 public:
  temp_dir() : path_(make()) {}
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  temp_dir(temp_dir&&) = delete;
  temp_dir& operator=(temp_dir&&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// The path of name inside the directory; nothing is created.
  std::string file(std::string_view name) const { return (path_ / name).string(); }

  /// Writes content, byte for byte, to the file name and returns its path.
  std::string write(std::string_view name, std::string_view content) const {
    std::string path = file(name);
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      throw std::runtime_error("cannot write " + path);
    }
    return path;
  }

  /// Writes each line followed by "\n" to the file name and returns its path.
  std::string write_lines(std::string_view name, const std::vector<std::string>& lines) const {
    std::string content;
    for (const auto& line : lines) {
      content += line;
      content += '\n';
    }
    return write(name, content);
  }

 private:
  static std::filesystem::path make() {
    std::string name = "wordcrawl";
    if (const auto* test = ::testing::UnitTest::GetInstance()->current_test_info()) {
      name += std::string("-") + test->test_suite_name() + "." + test->name();
    }
    // Parameterised tests are named "Prefix/Suite.Test/0".
    std::replace(name.begin(), name.end(), '/', '_');
    std::string pattern = (std::filesystem::temp_directory_path() / (name + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a directory like " + pattern);
    }
    return pattern;
  }

  std::filesystem::path path_;
};

}  // namespace wordcrawl::testing
