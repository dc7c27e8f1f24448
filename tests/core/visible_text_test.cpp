// Text shown to a person: control characters and invisible format characters are shown, never
// obeyed (terminal escape injection, bidirectional spoofing).
#include "core/visible_text.h"

#include <gtest/gtest.h>

namespace ashiato {
namespace {

TEST(VisibleText, PlainTextAndJapaneseComeBackUnchanged) {
  EXPECT_EQ(visible("PC-017 adm-tanaka 198.51.100.7"), "PC-017 adm-tanaka 198.51.100.7");
  EXPECT_EQ(visible("感染端末 東京本社"), "感染端末 東京本社");
  EXPECT_EQ(visible("café \xF0\x9F\x94\x92"), "café \xF0\x9F\x94\x92");
}

TEST(VisibleText, TerminalEscapesAreShownNotObeyed) {
  // Clear screen and home, then a window title: a DHCP host name as an attacker would set it.
  EXPECT_EQ(visible("PC\x1b[2J\x1b[H-017"), "PC\\x1b[2J\\x1b[H-017");
  EXPECT_EQ(visible("\x1b]0;owned\x07x"), "\\x1b]0;owned\\x07x");
  EXPECT_EQ(visible("a\tb\nc\rd\x7f"), "a\\tb\\nc\\rd\\x7f");
  // C1 controls in UTF-8 (U+009B is CSI on terminals that take 8-bit controls).
  EXPECT_EQ(visible("x\xC2\x9B"
                    "2Jy"),
            "x\\x9b2Jy");
  // Bytes that are not UTF-8 (a lone continuation byte, a cut sequence, an overlong slash).
  EXPECT_EQ(visible("a\x80z\xE3\x81"), "a\\x80z\\xe3\\x81");
  EXPECT_EQ(visible("\xC0\xAF"), "\\xc0\\xaf");
}

TEST(VisibleText, BidirectionalAndInvisibleCharactersAreNamed) {
  // U+202E RIGHT-TO-LEFT OVERRIDE: "\u202e710-CP" reads as "PC-017".
  EXPECT_EQ(visible("\xE2\x80\xAE"
                    "710-CP"),
            "<U+202E>710-CP");
  EXPECT_EQ(visible("invoice\xE2\x80\xAE"
                    "fdp.exe"),
            "invoice<U+202E>fdp.exe");
  EXPECT_EQ(visible("ad\xE2\x80\x8Bmin"), "ad<U+200B>min");  // zero width space
  EXPECT_EQ(visible("\xEF\xBB\xBFname"), "<U+FEFF>name");
  EXPECT_TRUE(
      has_deceptive_characters("\xE2\x80\xAE"
                               "710-CP"));
  EXPECT_TRUE(
      has_deceptive_characters("a\xE2\x81\xA6"
                               "b"));  // U+2066 LEFT-TO-RIGHT ISOLATE
  EXPECT_FALSE(has_deceptive_characters("PC-017 感染端末"));
  EXPECT_FALSE(has_deceptive_characters("\x1b[2J"));  // shown by visible(), but not a look-alike
}

}  // namespace
}  // namespace ashiato
