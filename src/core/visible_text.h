// Text from logs made safe to show to a person. Every field of every log line is attacker input:
// an ESC sequence in a DHCP host name can clear the responder's terminal or rewrite what it shows
// (`\033[2J`, `\033]0;title\007`), and a right-to-left override makes "\u202e710-CP" read as
// "PC-017" (the trick attachment names use too). Terminal and table output passes through
// visible(), which shows such characters instead of letting them act.
#pragma once
#include <string>
#include <string_view>

namespace ashiato {

// `s` with C0 controls, DEL and C1 controls written as \xNN (\t \n \r as themselves escaped:
// \t, \n, \r), bytes that are not UTF-8 as \xNN, and bidirectional controls and other invisible
// format characters (U+200B..U+200F, U+202A..U+202E, U+2060..U+206F, U+FEFF, U+061C, ...) as
// <U+XXXX>. Plain text comes back unchanged.
std::string visible(std::string_view s);
void append_visible(std::string& out, std::string_view s);

// Whether `s` holds a bidirectional control or invisible format character: a value built to
// look like another (flagged as suspicious in the report).
bool has_deceptive_characters(std::string_view s);

}  // namespace ashiato
