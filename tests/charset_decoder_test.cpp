#include "wordcrawl/charset_decoder.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>

namespace wordcrawl::testing {
namespace {

// Bytes of utf8 text in another charset, made by ICU so that no fixture is typed by hand.
std::string encode(const char* charset, std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  const auto length = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                                   utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << charset << ": " << u_errorName(status);
  out.resize(static_cast<std::size_t>(std::max(length, 0)));
  return out;
}

// Decodes a whole body fed in chunks of chunk_size bytes (0: all at once).
std::string decode_all(charset_decoder& decoder, std::string_view body,
                       std::size_t chunk_size = 0) {
  std::string out;
  if (chunk_size == 0) {
    chunk_size = std::max<std::size_t>(body.size(), 1);
  }
  for (std::size_t at = 0; at < body.size(); at += chunk_size) {
    out += decoder.decode(body.substr(at, chunk_size));
  }
  out += decoder.finish();
  return out;
}

std::string decode_body(std::string_view content_type, bool html, std::string_view body,
                        std::string* name = nullptr, std::size_t chunk_size = 0) {
  charset_decoder decoder;
  decoder.reset(content_type, html);
  auto out = decode_all(decoder, body, chunk_size);
  if (name != nullptr) {
    *name = decoder.name();
  }
  return out;
}

constexpr std::string_view russian =
    "Съешь же ещё этих мягких французских булок, да выпей чаю. Широкая электрификация южных "
    "губерний даст мощный толчок подъёму сельского хозяйства. Всё это происходило в городе, "
    "который стоял на берегу большой реки, и люди говорили о погоде, о работе и о детях.";
constexpr std::string_view japanese =
    "日本語の文章です。今日はとても良い天気なので、公園へ散歩に行きました。"
    "桜の花がきれいに咲いていて、たくさんの人が写真を撮っていました。"
    "夕方には友達と一緒に駅の近くのレストランで晩ご飯を食べました。";

TEST(CharsetDecoderTest, DecodesWindows1251FromHeader) {
  std::string name;
  EXPECT_EQ(
      decode_body("text/html; charset=windows-1251", true, encode("windows-1251", russian), &name),
      russian);
  EXPECT_EQ(name, "windows-1251");
}

TEST(CharsetDecoderTest, DecodesKoi8r) {
  std::string name;
  EXPECT_EQ(decode_body("text/plain; charset=KOI8-R", false, encode("KOI8-R", russian), &name),
            russian);
  EXPECT_EQ(name, "koi8-r");
}

TEST(CharsetDecoderTest, ReadsTheHeaderCharsetAsBrowsersDo) {
  const std::string body = encode("KOI8-R", russian);
  std::string name;
  EXPECT_EQ(decode_body("Text/Plain ; format=flowed; CharSet = \"koi8-R\" ", false, body, &name),
            russian);
  EXPECT_EQ(name, "koi8-r");
  // Only the first charset parameter counts; an unknown one leaves the charset to the body,
  // which a <meta> then names.
  const std::string page = "<meta charset=koi8-r>" + body;
  EXPECT_EQ(decode_body("text/html; charset=bogus; charset=windows-1251", true, page, &name),
            "<meta charset=koi8-r>" + std::string(russian));
  EXPECT_EQ(name, "koi8-r");
}

TEST(CharsetDecoderTest, DecodesShiftJis) {
  std::string name;
  EXPECT_EQ(decode_body("text/html;charset=Shift_JIS", true, encode("Shift_JIS", japanese), &name),
            japanese);
  EXPECT_EQ(name, "shift_jis");
}

TEST(CharsetDecoderTest, DecodesGb2312AsGb18030) {
  // U+20000 has no GB2312 or GBK code: only the four-byte form of GB18030 reaches it.
  const std::string text = "中文网页，简体字。\U00020000";
  std::string name;
  EXPECT_EQ(decode_body("text/html; charset=gb2312", true, encode("GB18030", text), &name), text);
  EXPECT_EQ(name, "gbk");
}

TEST(CharsetDecoderTest, DecodesBig5) {
  const std::string text = "繁體中文的網頁，臺灣與香港。";
  std::string name;
  EXPECT_EQ(decode_body("text/html; charset=big5", true, encode("windows-950", text), &name), text);
  EXPECT_EQ(name, "big5");
}

TEST(CharsetDecoderTest, DecodesUtf16WithByteOrderMark) {
  std::string name;
  EXPECT_EQ(decode_body("", true, "\xFF\xFE" + encode("UTF-16LE", russian), &name), russian);
  EXPECT_EQ(name, "utf-16le");
  EXPECT_EQ(decode_body("", false, "\xFE\xFF" + encode("UTF-16BE", japanese), &name), japanese);
  EXPECT_EQ(name, "utf-16be");
}

TEST(CharsetDecoderTest, ByteOrderMarkOverridesHeader) {
  std::string name;
  const std::string body = "\xEF\xBB\xBF" + std::string(russian);
  EXPECT_EQ(decode_body("text/html; charset=windows-1251", true, body, &name), russian);
  EXPECT_EQ(name, "utf-8");
}

TEST(CharsetDecoderTest, HeaderOverridesMeta) {
  const std::string body =
      "<html><head><meta charset=\"windows-1251\"></head><body>" + encode("KOI8-R", russian);
  std::string name;
  const auto out = decode_body("text/html; charset=koi8-r", true, body, &name);
  EXPECT_EQ(name, "koi8-r");
  EXPECT_NE(out.find(russian), std::string::npos);
}

TEST(CharsetDecoderTest, HonoursMetaHttpEquiv) {
  const std::string body =
      "<!DOCTYPE html><html><head><title>t</title>\n<META HTTP-EQUIV='Content-Type' "
      "CONTENT='text/html; charset=windows-1251'></head><body>" +
      encode("windows-1251", russian);
  std::string name;
  const auto out = decode_body("text/html", true, body, &name);
  EXPECT_EQ(name, "windows-1251");
  EXPECT_NE(out.find(russian), std::string::npos);
}

TEST(CharsetDecoderTest, IgnoresContentCharsetWithoutHttpEquiv) {
  const std::string body =
      "<meta content='text/html; charset=koi8-r'><p>" + encode("windows-1251", russian);
  std::string name;
  decode_body("", true, body, &name);
  EXPECT_NE(name, "koi8-r");
}

TEST(CharsetDecoderTest, FindsMetaAfterComment) {
  const std::string body =
      "<!-- <meta charset=\"koi8-r\"> --><!--><head a=\"<meta charset=koi8-r>\">"
      "<meta name=x charset=windows-1251>" +
      encode("windows-1251", russian);
  std::string name;
  const auto out = decode_body("", true, body, &name);
  EXPECT_EQ(name, "windows-1251");
  EXPECT_NE(out.find(russian), std::string::npos);
}

TEST(CharsetDecoderTest, IgnoresMetaBeyondFirst1024Bytes) {
  const std::string filler(1100, 'x');
  std::string name;
  decode_body("", true, "<p>" + filler + "<meta charset=koi8-r><p>plain", &name);
  EXPECT_EQ(name, "windows-1252");
  const std::string near(900, 'x');
  decode_body("", true, "<p>" + near + "<meta charset=koi8-r><p>plain", &name);
  EXPECT_EQ(name, "koi8-r");
}

TEST(CharsetDecoderTest, ParsesMetaAttributesAsThePrescan) {
  const auto prescanned = [](const std::string& head) {
    std::string name;
    decode_body("", true, head + "<p>x", &name);
    return name;
  };
  EXPECT_EQ(prescanned("<META CHARSET=KOI8-R>"), "koi8-r");
  EXPECT_EQ(prescanned("<meta/charset='koi8-r'/>"), "koi8-r");
  EXPECT_EQ(prescanned("<meta name = 'a' charset = \"koi8-r\" >"), "koi8-r");
  EXPECT_EQ(prescanned("<meta charset=koi8-r charset=windows-1251>"), "koi8-r");
  EXPECT_EQ(prescanned("<meta charset=no-such><meta charset=koi8-r>"), "koi8-r");
  EXPECT_EQ(prescanned("<meta charset>"), "windows-1252");
  EXPECT_EQ(prescanned("<meta charset=>"), "windows-1252");
  EXPECT_EQ(prescanned("<meta =x charset=koi8-r>"), "koi8-r");
  EXPECT_EQ(prescanned("<meta x charset=koi8-r>"), "koi8-r");
  EXPECT_EQ(prescanned("<metal charset=windows-1251><meta charset=koi8-r>"), "koi8-r");
  EXPECT_EQ(prescanned("<meta charset=x-user-defined>"), "windows-1252");
  EXPECT_EQ(prescanned("<?xml charset=windows-1251?><meta charset=koi8-r>"), "koi8-r");
  EXPECT_EQ(prescanned("<!doctype charset=windows-1251><meta charset=koi8-r>"), "koi8-r");
  EXPECT_EQ(prescanned("</p title='<meta charset=windows-1251>'><meta charset=koi8-r>"), "koi8-r");
  EXPECT_EQ(prescanned("< meta charset=koi8-r>"), "windows-1252");
  EXPECT_EQ(prescanned("<meta http-equiv=content-type content=\"text/html;charset='koi8-r'\">"),
            "koi8-r");
  EXPECT_EQ(prescanned("<meta content='charset koi8-r; charset = koi8-r' http-equiv=Content-Type>"),
            "koi8-r");
  EXPECT_EQ(prescanned("<meta http-equiv=content-type content='charset=\"koi8-r'>"),
            "windows-1252");
  EXPECT_EQ(prescanned("<meta http-equiv=content-type content='text/html'>"), "windows-1252");
  EXPECT_EQ(prescanned("<meta http-equiv=content-type content='charset='>"), "windows-1252");
  EXPECT_EQ(prescanned("<meta http-equiv=refresh content='0; charset=koi8-r'>"), "windows-1252");
}

TEST(CharsetDecoderTest, UnfinishedMarkupAtTheLimitIsIgnored) {
  std::string name;
  for (const std::string tail : {"<meta charset=koi8-r", "<meta charset='koi8-r", "<!-- x",
                                 "<p title='x", "<meta ", "<meta", "<", "<p a", "<meta a ="}) {
    decode_body("", true, std::string(1024 - tail.size(), ' ') + tail + "><p>x", &name);
    EXPECT_EQ(name, "windows-1252") << tail;
    decode_body("", true, tail, &name);
    EXPECT_EQ(name, "windows-1252") << tail;
  }
}

TEST(CharsetDecoderTest, MetaDeclaringUtf16MeansUtf8) {
  std::string name;
  const std::string body = "<meta charset=utf-16><p>" + std::string(russian);
  EXPECT_EQ(decode_body("", true, body, &name), body);
  EXPECT_EQ(name, "utf-8");
}

TEST(CharsetDecoderTest, DetectsUndeclaredWindows1251) {
  const std::string body = "<html><body><p>" + encode("windows-1251", russian) + "</p>";
  std::string name;
  const auto out = decode_body("text/html", true, body, &name);
  EXPECT_EQ(name, "windows-1251");
  EXPECT_NE(out.find(russian), std::string::npos);
}

TEST(CharsetDecoderTest, DetectsUndeclaredShiftJis) {
  std::string name;
  EXPECT_EQ(decode_body("text/plain", false, encode("Shift_JIS", japanese), &name), japanese);
  EXPECT_EQ(name, "shift_jis");
}

TEST(CharsetDecoderTest, DetectsUndeclaredUtf8) {
  std::string name;
  const std::string body = "<p>" + std::string(japanese);
  EXPECT_EQ(decode_body("", true, body, &name), body);
  EXPECT_EQ(name, "utf-8");
}

TEST(CharsetDecoderTest, FallsBackToWindows1252) {
  std::string name;
  EXPECT_EQ(decode_body("", true, "<p>plain ascii page</p>", &name), "<p>plain ascii page</p>");
  EXPECT_EQ(name, "windows-1252");
  EXPECT_EQ(decode_body("", false, "", &name), "");
  EXPECT_EQ(name, "windows-1252");
}

TEST(CharsetDecoderTest, InvalidUtf8BecomesReplacementCharacter) {
  // One U+FFFD per maximal ill-formed subsequence: a stray continuation byte, a lead byte cut
  // short, an encoded surrogate (three bytes, three errors) and an overlong form.
  const std::string body =
      "a\x80"
      "b\xE2\x82"
      "c\xED\xA0\x80"
      "d\xC0\xAF"
      "e\xF0\x9F\x98";
  const std::string fffd = "\xEF\xBF\xBD";
  const std::string expected =
      "a" + fffd + "b" + fffd + "c" + fffd + fffd + fffd + "d" + fffd + fffd + "e" + fffd;
  EXPECT_EQ(decode_body("text/plain; charset=utf-8", false, body), expected);
  EXPECT_EQ(decode_body("text/plain; charset=utf-8", false, body, nullptr, 1), expected);
}

// ICU's own UTF-8 converter also replaces each maximal ill-formed subsequence by one U+FFFD.
std::string icu_utf8_repair(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open("UTF-8", &status);
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr, &status);
  std::u16string utf16(bytes.size() + 1, u'\0');
  const auto units = ucnv_toUChars(converter, utf16.data(), static_cast<int32_t>(utf16.size()),
                                   bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  ucnv_close(converter);
  std::string out(static_cast<std::size_t>(units) * 3 + 1, '\0');
  int32_t length = 0;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &length, utf16.data(), units, &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  out.resize(static_cast<std::size_t>(length));
  return out;
}

TEST(CharsetDecoderTest, RepairsRandomBytesLikeIcuForAnyChunking) {
  // A fixed seed keeps a failure reproducible.
  std::mt19937 random(12345);  // NOLINT(cert-msc32-c,cert-msc51-cpp)
  // Mostly valid text with damage: the interesting bytes are leads, continuations and ASCII.
  const std::array<std::string, 14> pieces = {
      "a",        "\xC3\xA9", "\xE6\x97\xA5", "\xF0\x9F\x98\x80", "\x80", "\xBF",     "\xC3",
      "\xE6\x97", "\xF0\x9F", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\xC0\x80", " "};
  for (int round = 0; round < 300; ++round) {
    std::string body;
    const auto count = random() % 40;
    for (std::size_t i = 0; i < count; ++i) {
      body += pieces.at(random() % pieces.size());
    }
    const auto expected = icu_utf8_repair(body);
    EXPECT_EQ(decode_body("text/plain; charset=utf-8", false, body), expected) << round;
    const std::size_t chunk = 1 + random() % 5;
    EXPECT_EQ(decode_body("text/plain; charset=utf-8", false, body, nullptr, chunk), expected)
        << round << " chunk " << chunk;
  }
}

TEST(CharsetDecoderTest, InvalidLegacyBytesBecomeReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  // A lead byte with an ASCII trail: the trail survives, as the Encoding Standard says.
  EXPECT_EQ(decode_body("text/plain; charset=shift_jis", false, "a\x81 b"), "a" + fffd + " b");
  // A lead byte cut off by the end of the body.
  EXPECT_EQ(decode_body("text/plain; charset=shift_jis", false, "ab\x82"), "ab" + fffd);
  EXPECT_EQ(decode_body("text/plain; charset=euc-kr", false, "ab\xB0", nullptr, 1), "ab" + fffd);
  // UTF-16 with an odd byte count.
  EXPECT_EQ(decode_body("", false, std::string("\xFF\xFEh\0i\0!", 7)), "hi" + fffd);
}

TEST(CharsetDecoderTest, UndeclaredIso2022KrIsNotReplaced) {
  // Detection may recognise ISO-2022-KR, whose label means the replacement encoding: a page
  // that never declared it must not be wiped out to a single U+FFFD.
  const auto body = encode("ISO-2022-KR", "한국어 웹 페이지입니다. 오늘은 날씨가 좋습니다.");
  std::string name;
  const auto out = decode_body("", false, body, &name);
  EXPECT_NE(name, "replacement");
  EXPECT_GT(out.size(), 3U);
}

TEST(CharsetDecoderTest, ValidUtf8IsReturnedWithoutCopy) {
  charset_decoder decoder;
  decoder.reset("text/html; charset=utf-8", true);
  const std::string body = "<p>" + std::string(russian) + "</p>";
  const auto out = decoder.decode(body);
  EXPECT_EQ(out, body);
  EXPECT_EQ(out.data(), body.data());
}

struct chunking_case {
  const char* content_type;
  bool html;
  std::string body;
};

TEST(CharsetDecoderTest, OutputDoesNotDependOnChunking) {
  const std::vector<chunking_case> cases = {
      {"text/plain; charset=utf-8", false, std::string(japanese) + "\xF0\x9F\x98\x80 \xE2\x82"},
      {"text/html; charset=shift_jis", true, encode("Shift_JIS", japanese)},
      {"text/html; charset=gb18030", true, encode("GB18030", "中文\U00020000网页")},
      {"text/html; charset=iso-2022-jp", true, encode("ISO-2022-JP", japanese)},
      {"", true, "\xFF\xFE" + encode("UTF-16LE", "\U0001F600" + std::string(japanese))},
      {"", true, "<p>" + encode("windows-1251", russian)},
      {"", true, "<meta charset=euc-jp>" + encode("EUC-JP", japanese)},
      {"", false, std::string(russian)},
  };
  for (const auto& c : cases) {
    const auto whole = decode_body(c.content_type, c.html, c.body);
    for (const std::size_t chunk : {1U, 2U, 3U, 5U, 7U, 64U, 1000U}) {
      EXPECT_EQ(decode_body(c.content_type, c.html, c.body, nullptr, chunk), whole)
          << c.content_type << " chunk " << chunk;
    }
  }
}

TEST(CharsetDecoderTest, PrescanHoldsAtMost1024Bytes) {
  charset_decoder decoder;
  decoder.reset("text/html", true);
  const std::string ascii(1023, 'a');
  EXPECT_TRUE(decoder.decode(ascii).empty());
  EXPECT_EQ(decoder.decode("b"), ascii + "b");
  EXPECT_EQ(decoder.decode("c"), "c");
}

TEST(CharsetDecoderTest, DecodesSpecialEncodings) {
  std::string name;
  EXPECT_EQ(decode_body("text/plain; charset=iso-2022-kr", false, "anything", &name),
            "\xEF\xBF\xBD");
  EXPECT_EQ(name, "replacement");
  EXPECT_EQ(decode_body("text/plain; charset=iso-2022-kr", false, "any thing", &name, 2),
            "\xEF\xBF\xBD");
  EXPECT_EQ(decode_body("text/plain; charset=iso-2022-kr", false, "", &name), "");
  EXPECT_EQ(decode_body("text/plain; charset=x-user-defined", false, "a\x80\xFF", &name),
            "a\xEF\x9E\x80\xEF\x9F\xBF");
  EXPECT_EQ(decode_body("text/plain; charset=iso-8859-16", false, "\xAA\xE9\x90", &name),
            "\xC8\x98\xC3\xA9\xC2\x90");
  EXPECT_EQ(name, "iso-8859-16");
}

TEST(CharsetDecoderTest, ParsesQuotedCharsetAmongParameters) {
  std::string name;
  decode_body("text/html; q=1; charset=\"KOI8-R\"; x=y", true, "", &name);
  EXPECT_EQ(name, "koi8-r");
  decode_body("text/html; charset=no-such-charset", true, "", &name);
  EXPECT_EQ(name, "windows-1252");
  decode_body("text/html; charsets=koi8-r; charset=   ; charset=shift_jis", true, "", &name);
  EXPECT_EQ(name, "windows-1252");
  decode_body("text/html; CharSet = shift_jis", true, "", &name);
  EXPECT_EQ(name, "shift_jis");
}

TEST(CharsetDecoderTest, ReusesDecoderAcrossBodies) {
  charset_decoder decoder;
  decoder.reset("text/plain; charset=koi8-r", false);
  EXPECT_EQ(decode_all(decoder, encode("KOI8-R", russian), 10), russian);
  decoder.reset("text/plain; charset=koi8-r", false);
  EXPECT_EQ(decode_all(decoder, encode("KOI8-R", russian), 7), russian);
  decoder.reset("", true);
  EXPECT_EQ(decode_all(decoder, "\xEF\xBB\xBF" + std::string(japanese), 3), japanese);
  EXPECT_EQ(decoder.name(), "utf-8");
  decoder.reset("", false);
  EXPECT_EQ(decode_all(decoder, "\xEF\xBB\xBF" + std::string(japanese), 1), japanese);
  charset_decoder moved = std::move(decoder);
  moved.reset("text/plain; charset=windows-1251", false);
  EXPECT_EQ(decode_all(moved, encode("windows-1251", russian)), russian);
  charset_decoder assigned;
  assigned = std::move(moved);
  assigned.reset("text/plain; charset=koi8-r", false);
  EXPECT_EQ(decode_all(assigned, encode("KOI8-R", russian)), russian);
}

TEST(CharsetDecoderTest, MapsLabelsAsTheEncodingStandard) {
  EXPECT_EQ(whatwg_encoding_name("latin1"), "windows-1252");
  EXPECT_EQ(whatwg_encoding_name("us-ascii"), "windows-1252");
  EXPECT_EQ(whatwg_encoding_name("cp1251"), "windows-1251");
  EXPECT_EQ(whatwg_encoding_name("x-sjis"), "shift_jis");
  EXPECT_EQ(whatwg_encoding_name("gb2312"), "gbk");
  EXPECT_EQ(whatwg_encoding_name("utf8"), "utf-8");
  EXPECT_EQ(whatwg_encoding_name(" \tUTF-8\n "), "utf-8");
  EXPECT_EQ(whatwg_encoding_name("Big5-HKSCS"), "big5");
  EXPECT_EQ(whatwg_encoding_name("iso-2022-kr"), "replacement");
  EXPECT_EQ(whatwg_encoding_name("unicodefffe"), "utf-16be");
  EXPECT_EQ(whatwg_encoding_name("utf-16"), "utf-16le");
  EXPECT_EQ(whatwg_encoding_name("unknown"), "");
  EXPECT_EQ(whatwg_encoding_name(""), "");
  EXPECT_EQ(whatwg_encoding_name(std::string(100, 'a')), "");
}

}  // namespace
}  // namespace wordcrawl::testing
