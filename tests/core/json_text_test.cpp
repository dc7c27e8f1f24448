#include "core/json_text.h"

#include <gtest/gtest.h>

namespace ashiato {
namespace {

std::string quoted(std::string_view text) {
  std::string out = "prefix:";
  append_json_string(out, text);
  return out;
}

TEST(JsonText, KeepsPlainTextAndUtf8AsIs) {
  EXPECT_EQ(quoted(""), "prefix:\"\"");
  EXPECT_EQ(quoted("C:/Windows/System32/at.exe"), "prefix:\"C:/Windows/System32/at.exe\"");
  EXPECT_EQ(quoted("標的型攻撃"), "prefix:\"標的型攻撃\"");
}

TEST(JsonText, EscapesQuotesBackslashesAndControlCharactersAnywhere) {
  EXPECT_EQ(quoted("\"cmd\" /c"), "prefix:\"\\\"cmd\\\" /c\"");
  EXPECT_EQ(quoted("C:\\Windows\\"), "prefix:\"C:\\\\Windows\\\\\"");
  EXPECT_EQ(quoted("a\nb\rc\td"), "prefix:\"a\\nb\\rc\\td\"");
  EXPECT_EQ(quoted(std::string_view("\x00\x1f", 2)), "prefix:\"\\u0000\\u001f\"");
  EXPECT_EQ(quoted("\x7f"), "prefix:\"\x7f\"");  // DEL is allowed in JSON strings
}

}  // namespace
}  // namespace ashiato
