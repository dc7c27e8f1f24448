#include "core/json_text.h"

#include <gtest/gtest.h>

namespace ashiato {
namespace {

std::string as_json(std::string_view text) {
  std::string out = "prefix:";
  append_json_string(out, text);
  return out;
}

TEST(JsonText, KeepsPlainTextAndUtf8AsIs) {
  EXPECT_EQ(as_json(""), "prefix:\"\"");
  EXPECT_EQ(as_json("C:/Windows/System32/at.exe"), "prefix:\"C:/Windows/System32/at.exe\"");
  EXPECT_EQ(as_json("標的型攻撃"), "prefix:\"標的型攻撃\"");
}

TEST(JsonText, EscapesQuotesBackslashesAndControlCharactersAnywhere) {
  EXPECT_EQ(as_json("\"cmd\" /c"), "prefix:\"\\\"cmd\\\" /c\"");
  EXPECT_EQ(as_json("C:\\Windows\\"), "prefix:\"C:\\\\Windows\\\\\"");
  EXPECT_EQ(as_json("a\nb\rc\td"), "prefix:\"a\\nb\\rc\\td\"");
  EXPECT_EQ(as_json(std::string_view("\x00\x1f", 2)), "prefix:\"\\u0000\\u001f\"");
  EXPECT_EQ(as_json("\x7f"), "prefix:\"\x7f\"");  // DEL is allowed in JSON strings
}

TEST(JsonText, FindsEscapesAtEveryPositionOfLongText) {
  // Long values are checked 16 bytes at a time: a special byte in each position of a block, and
  // bytes above 0x7f (UTF-8) next to it, which are not control characters.
  for (std::size_t at = 0; at < 40; ++at) {
    for (const char special : {'"', '\\', '\x01', '\x1f'}) {
      std::string text(40, 'a');
      text[at] = special;
      if (at + 1 < text.size()) text[at + 1] = '\xe3';
      std::string expected = "prefix:\"";
      for (const char c : text) {
        if (c == '"' || c == '\\') {
          expected += '\\';
          expected += c;
        } else if (c == '\x01') {
          expected += "\\u0001";
        } else if (c == '\x1f') {
          expected += "\\u001f";
        } else {
          expected += c;
        }
      }
      expected += '"';
      EXPECT_EQ(as_json(text), expected) << "at " << at;
    }
  }
}

}  // namespace
}  // namespace ashiato
