#pragma once

// Decodes a page body to UTF-8 while it streams in, choosing the charset as browsers do:
// byte-order mark, then the HTTP Content-Type charset, then a <meta charset> or http-equiv
// declaration in the first 1024 bytes (HTML only), then statistical detection (ICU ucsdet),
// then windows-1252. Labels are mapped as the WHATWG Encoding Standard says (gb2312 and gbk
// decode as gb18030, latin1 and us-ascii as windows-1252, ...). Invalid bytes become U+FFFD;
// decoding never fails.

#include <memory>
#include <string>
#include <string_view>

namespace wordcrawl {

class charset_decoder {
 public:
  charset_decoder();
  ~charset_decoder();
  charset_decoder(const charset_decoder&) = delete;
  charset_decoder& operator=(const charset_decoder&) = delete;
  charset_decoder(charset_decoder&& other) noexcept;
  charset_decoder& operator=(charset_decoder&& other) noexcept;

  /// Starts a new body. content_type is the HTTP header value (may be empty); html enables
  /// the <meta> prescan.
  void reset(std::string_view content_type, bool html);

  /// Decodes the next bytes. The returned UTF-8 stays valid until the next call and while
  /// bytes does: valid UTF-8 comes back as a view of bytes itself, without a copy. It may be
  /// empty while the first bytes are held back to choose the charset.
  std::string_view decode(std::string_view bytes);

  /// Ends the body: decodes whatever is held back (an incomplete sequence becomes U+FFFD).
  std::string_view finish();

  /// WHATWG name of the charset in use ("utf-8", "windows-1251", ...); empty until chosen.
  const std::string& name() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The WHATWG Encoding Standard name for a label ("cp1251" -> "windows-1251",
/// "gb2312" -> "gbk"), or empty if the label is unknown.
std::string whatwg_encoding_name(std::string_view label);

}  // namespace wordcrawl
