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
