// Language identification as a reader of the answer sees it: the language of real
// paragraphs, several languages where a page mixes them, nothing where there is no text.
#include "wordcrawl/language_detector.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

constexpr std::string_view russian =
    "Система управления пакетами позволяет устанавливать, обновлять и удалять программы "
    "одной командой. Она сама находит зависимости и скачивает нужные файлы из архива. "
    "Если пакет больше не нужен, его можно удалить вместе с файлами настроек. "
    "Администратору не приходится следить за каждой библиотекой вручную, поэтому "
    "обслуживание сервера занимает гораздо меньше времени, чем раньше.";

constexpr std::string_view english =
    "The package manager installs, upgrades and removes programs with a single command. "
    "It works out the dependencies by itself and downloads the files it needs from the "
    "archive. When a package is no longer needed, it can be removed together with its "
    "configuration files, so the administrator does not have to keep track of every library "
    "by hand.";

constexpr std::string_view german =
    "Die Paketverwaltung installiert, aktualisiert und entfernt Programme mit einem einzigen "
    "Befehl. Sie löst die Abhängigkeiten selbst auf und lädt die benötigten Dateien aus dem "
    "Archiv herunter. Wird ein Paket nicht mehr gebraucht, kann es zusammen mit seinen "
    "Konfigurationsdateien entfernt werden, sodass der Administrator nicht jede Bibliothek "
    "von Hand verfolgen muss.";

constexpr std::string_view japanese =
    "パッケージ管理システムを使うと、一つのコマンドでプログラムをインストール、更新、"
    "削除することができます。依存関係は自動的に解決され、必要なファイルはアーカイブから"
    "ダウンロードされます。不要になったパッケージは、設定ファイルと一緒に削除することも"
    "できるので、管理者がライブラリを一つずつ手で管理する必要はありません。";

constexpr std::string_view chinese_simplified =
    "软件包管理系统可以用一条命令安装、升级和删除程序。它会自动解决依赖关系，"
    "并从软件仓库下载所需的文件。如果某个软件包不再需要，可以连同它的配置文件一起删除，"
    "这样管理员就不必手动跟踪每一个程序库，维护服务器所花的时间也比以前少得多。";

constexpr std::string_view chinese_traditional =
    "軟體套件管理系統可以用一條命令安裝、升級和刪除程式。它會自動解決相依關係，"
    "並從軟體倉庫下載所需的檔案。如果某個套件不再需要，可以連同它的設定檔一起刪除，"
    "這樣管理員就不必手動追蹤每一個程式庫，維護伺服器所花的時間也比以前少得多。";

constexpr std::string_view korean =
    "패키지 관리 시스템을 사용하면 명령 하나로 프로그램을 설치하고 업데이트하고 삭제할 수 "
    "있습니다. 의존성은 자동으로 해결되며 필요한 파일은 저장소에서 내려받습니다. 더 이상 "
    "필요하지 않은 패키지는 설정 파일과 함께 지울 수 있으므로 관리자가 모든 라이브러리를 "
    "직접 관리할 필요가 없습니다.";

constexpr std::string_view arabic =
    "يسمح نظام إدارة الحزم بتثبيت البرامج وتحديثها وإزالتها بأمر واحد. فهو يحل الاعتماديات "
    "بنفسه ويقوم بتنزيل الملفات المطلوبة من الأرشيف. وإذا لم تعد هناك حاجة إلى حزمة ما، "
    "فيمكن إزالتها مع ملفات الإعداد الخاصة بها، وبذلك لا يضطر مدير النظام إلى متابعة كل "
    "مكتبة بنفسه.";

constexpr std::string_view greek =
    "Το σύστημα διαχείρισης πακέτων εγκαθιστά, ενημερώνει και αφαιρεί προγράμματα με μία "
    "μόνο εντολή. Επιλύει μόνο του τις εξαρτήσεις και κατεβάζει τα αρχεία που χρειάζεται από "
    "το αρχείο. Όταν ένα πακέτο δεν χρειάζεται πια, μπορεί να αφαιρεθεί μαζί με τα αρχεία "
    "ρυθμίσεών του, ώστε ο διαχειριστής να μην παρακολουθεί κάθε βιβλιοθήκη με το χέρι.";

constexpr std::string_view norwegian =
    "Pakkesystemet installerer, oppgraderer og fjerner programmer med én enkelt kommando. "
    "Det finner selv ut av avhengighetene og laster ned filene det trenger fra arkivet. "
    "Når en pakke ikke lenger trengs, kan den fjernes sammen med konfigurasjonsfilene sine, "
    "slik at administratoren slipper å holde styr på hvert eneste bibliotek for hånd.";

language_guess detect(std::string_view text) {
  language_detector detector;
  return detector.detect(text);
}

bool lists(const language_guess& guess, std::string_view code) {
  return std::ranges::any_of(guess.languages,
                             [code](const language_share& share) { return share.code == code; });
}

struct paragraph_case {
  std::string_view text;
  std::string_view code;
};

TEST(LanguageDetector, ParagraphsAreDetectedInTheirLanguage) {
  constexpr std::array<paragraph_case, 10> cases{{
      {russian, "ru"},
      {english, "en"},
      {german, "de"},
      {japanese, "ja"},
      {chinese_simplified, "zh"},
      {chinese_traditional, "zh"},
      {korean, "ko"},
      {arabic, "ar"},
      {greek, "el"},
      {norwegian, "nb"},
  }};
  for (const auto& expected : cases) {
    SCOPED_TRACE(expected.code);
    const auto guess = detect(expected.text);
    EXPECT_EQ(guess.main(), expected.code);
    EXPECT_TRUE(guess.reliable);
    ASSERT_FALSE(guess.languages.empty());
    EXPECT_GE(guess.languages.front().percent, 80);
  }
}

TEST(LanguageDetector, RussianTextQuotingEnglishListsBoth) {
  const std::string text = std::string{russian} + " " + std::string{english};
  const auto guess = detect(text);
  EXPECT_EQ(guess.main(), "ru");
  EXPECT_TRUE(lists(guess, "ru"));
  EXPECT_TRUE(lists(guess, "en"));
  for (const auto& share : guess.languages) {
    EXPECT_GE(share.percent, language_detector::min_share_percent) << share.code;
    EXPECT_LE(share.percent, 100) << share.code;
  }
}

TEST(LanguageDetector, MonolingualParagraphListsOneLanguage) {
  const auto guess = detect(german);
  ASSERT_EQ(guess.languages.size(), 1U);
  EXPECT_EQ(guess.languages.front().code, "de");
}

TEST(LanguageDetector, EmptyTextIsUnknown) {
  const auto guess = detect("");
  EXPECT_EQ(guess.main(), "");
  EXPECT_TRUE(guess.languages.empty());
  EXPECT_FALSE(guess.reliable);
}

TEST(LanguageDetector, DigitsAndPunctuationAreUnknown) {
  const auto guess = detect("12 345 678,90 -- 2024-01-31 (42) [7] {3.14159} ... !!! ??? 100% #1");
  EXPECT_EQ(guess.main(), "");
  EXPECT_FALSE(guess.reliable);
}

TEST(LanguageDetector, InvalidUtf8IsReadAsSpaces) {
  std::string text{english};
  // A stray continuation byte, an overlong, a surrogate, a cut-short sequence and controls.
  text.insert(40, "\x80\xC0\xAF\xED\xA0\x80\xE2\x82");
  text.insert(10, std::string{"\x01\x7F\xC2\x85", 4});
  text.push_back('\0');
  text += "\xF4\x90\x80\x80\xFF";
  const auto guess = detect(text);
  EXPECT_EQ(guess.main(), "en");
}

TEST(LanguageDetector, OnlyInvalidBytesAreUnknown) {
  std::string text;
  for (int i = 0; i < 4096; ++i) {
    text.push_back(static_cast<char>(0x80 + (i % 0x80)));
  }
  EXPECT_EQ(detect(text).main(), "");
}

TEST(LanguageDetector, SampleLongerThanTheLimitIsReadOnlyUpToIt) {
  // English up to the limit, then a character cut in half at it, then Russian past it.
  std::string text;
  while (text.size() + english.size() + 1 < language_detector::sample_bytes) {
    text += english;
    text += ' ';
  }
  text.append(language_detector::sample_bytes - 1 - text.size(), 'a');
  text += "я";  // its first byte is the last one read
  while (text.size() < 4 * language_detector::sample_bytes) {
    text += russian;
  }
  const auto guess = detect(text);
  EXPECT_EQ(guess.main(), "en");
  EXPECT_FALSE(lists(guess, "ru"));
}

TEST(LanguageDetector, TextCutInsideACharacterDoesNotCrash) {
  for (std::size_t length = 0; length <= russian.size(); length += 7) {
    const auto guess = detect(russian.substr(0, length));
    if (length > russian.size() / 2) {
      EXPECT_EQ(guess.main(), "ru") << length;
    }
  }
}

TEST(LanguageDetector, IsReusableAcrossPages) {
  language_detector detector;
  const auto first = detector.detect(russian);
  const auto other = detector.detect(japanese);
  const auto second = detector.detect(russian);
  EXPECT_EQ(first.main(), "ru");
  EXPECT_EQ(other.main(), "ja");
  ASSERT_EQ(first.languages.size(), second.languages.size());
  for (std::size_t i = 0; i < first.languages.size(); ++i) {
    EXPECT_EQ(first.languages[i].code, second.languages[i].code);
    EXPECT_EQ(first.languages[i].percent, second.languages[i].percent);
  }
  EXPECT_EQ(first.reliable, second.reliable);
}

TEST(LanguageDetector, MovedDetectorStillWorks) {
  language_detector detector;
  EXPECT_EQ(detector.detect(greek).main(), "el");
  language_detector moved = std::move(detector);
  EXPECT_EQ(moved.detect(korean).main(), "ko");
}

TEST(LanguageCodes, AreIso639OneWhereOneExists) {
  EXPECT_EQ(normalize_language_code("iw"), "he");
  EXPECT_EQ(normalize_language_code("jw"), "jv");
  EXPECT_EQ(normalize_language_code("no"), "nb");
  EXPECT_EQ(normalize_language_code("nn"), "nn");
  EXPECT_EQ(normalize_language_code("zh"), "zh");
  EXPECT_EQ(normalize_language_code("zh-Hant"), "zh");
  EXPECT_EQ(normalize_language_code("sr-ME"), "cnr");
  EXPECT_EQ(normalize_language_code("haw"), "haw");
  EXPECT_EQ(normalize_language_code("un"), "");
  EXPECT_EQ(normalize_language_code("xx-Latn"), "");
  EXPECT_EQ(normalize_language_code("xxx"), "");
  EXPECT_EQ(normalize_language_code("zzp"), "");
}

}  // namespace
}  // namespace wordcrawl::testing
