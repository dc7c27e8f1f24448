// Indicators read from a notice's free text (ioc/notice.h).
#include "ioc/notice.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ashiato::ioc {
namespace {

std::vector<std::string> urls_in(const std::string& text) {
  std::vector<std::string> out;
  for (const Indicator& i : read_notice(text, "notice.txt", 9 * 60).indicators) {
    if (i.type == IndicatorType::kUrl) out.push_back(i.value);
  }
  return out;
}

// A notice may quote URLs in angle brackets: the brackets go, the URL stays whole. Cutting it at
// '<' once made a shorter URL that matched the compromised site's other pages.
TEST(Notice, UrlsInAngleBracketsAreReadWhole) {
  EXPECT_EQ(urls_in("C2: <http://www.example.co.jp/wp-content/uploads/img/top.php?id=1>\n"),
            std::vector<std::string>{"http://www.example.co.jp/wp-content/uploads/img/top.php?id=1"});
  EXPECT_EQ(urls_in("通信先 <hxxp://bad[.]example[.]jp/news/index.php> です。\n"),
            std::vector<std::string>{"http://bad.example.jp/news/index.php"});
  // Inside a URL a bracket is part of it (not "http://bad.example.jp/img/", a wider indicator).
  EXPECT_EQ(urls_in("C2 URL: hxxp://bad[.]example[.]jp/img/<id>/gate.php\n"),
            std::vector<std::string>{"http://bad.example.jp/img/<id>/gate.php"});
}

}  // namespace
}  // namespace ashiato::ioc
