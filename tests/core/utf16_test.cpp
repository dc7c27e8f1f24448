#include "core/utf16.h"

#include <gtest/gtest.h>

namespace ashiato {
namespace {

std::string round_trip(const std::string& s) {
  const std::string u16 = to_utf16le(s);
  std::string out;
  append_utf16le(out, reinterpret_cast<const std::uint8_t*>(u16.data()), u16.size() / 2);
  return out;
}

TEST(Utf16, RoundTripsAsciiJapaneseAndAstralCharacters) {
  EXPECT_EQ(round_trip("net use \\\\dc01"), "net use \\\\dc01");
  EXPECT_EQ(round_trip("標的型攻撃の足跡"), "標的型攻撃の足跡");
  EXPECT_EQ(round_trip("emoji \xF0\x9F\x94\x8D"), "emoji \xF0\x9F\x94\x8D");
}

TEST(Utf16, LongStringsWithAJapaneseCharacterAnywhereConvertExactly) {
  // Strings of 16 code units and more take the eight-at-a-time path; a non-ASCII unit at any
  // position (inside, at, or after the eight-unit blocks) must hand over to the exact path.
  const std::string ascii = "C:\\Windows\\System32\\cmd.exe /c whoami /all";
  for (std::size_t at = 0; at <= ascii.size(); ++at) {
    const std::string s = ascii.substr(0, at) + "足" + ascii.substr(at);
    const std::string u16 = to_utf16le(s);
    std::string out = "prefix|";
    append_utf16le(out, reinterpret_cast<const std::uint8_t*>(u16.data()), u16.size() / 2);
    EXPECT_EQ(out, "prefix|" + s) << at;
  }
}

TEST(Utf16, UnpairedSurrogateBecomesReplacementCharacter) {
  const std::uint8_t lone_high[] = {0x3D, 0xD8, 'a', 0};
  std::string out;
  append_utf16le(out, lone_high, 2);
  EXPECT_EQ(out,
            "\xEF\xBF\xBD"
            "a");
}

}  // namespace
}  // namespace ashiato
