#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace wordcrawl {

/// The shortest token a server accepts in its token file: shorter ones are guessable.
inline constexpr std::size_t min_token_bytes = 16;

/// The tokens a server accepts on a connection's auth line (--auth-token-file). Only their
/// SHA-256 digests are kept, so that every comparison is over 32 bytes whatever was sent.
class auth_tokens {
 public:
  using digest = std::array<unsigned char, 32>;

  /// No token: the server asks for none.
  auth_tokens() = default;

  /// The tokens of a token file's text (wordcrawl::token_lines), or an error message when it
  /// holds none or one shorter than min_token_bytes.
  static std::variant<auth_tokens, std::string> parse(std::string_view text);
  /// The same for the file at path; an unreadable file is an error too.
  static std::variant<auth_tokens, std::string> load(const std::string& path);

  bool empty() const { return digests_.empty(); }
  std::size_t size() const { return digests_.size(); }

  /// True if token is one of them. Constant time: every configured digest is compared with
  /// CRYPTO_memcmp, and a match does not end the loop.
  bool accepts(std::string_view token) const;

 private:
  std::vector<digest> digests_;
};

}  // namespace wordcrawl
