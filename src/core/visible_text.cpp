#include "core/visible_text.h"

#include <cstdint>
#include <cstdio>

namespace ashiato {
namespace {

// The code point of the UTF-8 sequence at `i` and its length, or length 0 when the bytes there
// are not valid UTF-8 (overlong forms and surrogates included).
struct Decoded {
  std::uint32_t code = 0;
  std::size_t length = 0;
};

Decoded decode(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t n = 0;
  std::uint32_t code = 0;
  std::uint32_t least = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, code = b0 & 0x1F, least = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, code = b0 & 0x0F, least = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, code = b0 & 0x07, least = 0x10000;
  } else {
    return {};
  }
  if (i + n > s.size()) return {};
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {};
    code = (code << 6) | (b & 0x3F);
  }
  if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {code, n};
}

// Characters that change the order text is shown in or take no space: what a spoofed name uses.
bool deceptive(std::uint32_t c) {
  return c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || c == 0x180E ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0x3164 ||
         (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0xFFA0 || (c >= 0xFFF9 && c <= 0xFFFB) ||
         (c >= 0xE0000 && c <= 0xE007F);
}

void append_hex_byte(std::string& out, unsigned char b) {
  char text[8];
  std::snprintf(text, sizeof text, "\\x%02x", b);
  out += text;
}

}  // namespace

void append_visible(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b < 0x7F) {  // the usual case, one byte at a time
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    if (b < 0x20 || b == 0x7F) {
      if (b == '\t') {
        out += "\\t";
      } else if (b == '\n') {
        out += "\\n";
      } else if (b == '\r') {
        out += "\\r";
      } else {
        append_hex_byte(out, b);
      }
      ++i;
      continue;
    }
    const Decoded d = decode(s, i);
    if (d.length == 0) {
      append_hex_byte(out, b);
      ++i;
    } else if (d.code >= 0x80 && d.code <= 0x9F) {  // C1 controls (CSI is U+009B)
      append_hex_byte(out, static_cast<unsigned char>(d.code));
      i += d.length;
    } else if (deceptive(d.code)) {
      char text[16];
      std::snprintf(text, sizeof text, "<U+%04X>", static_cast<unsigned>(d.code));
      out += text;
      i += d.length;
    } else {
      out.append(s.substr(i, d.length));
      i += d.length;
    }
  }
}

std::string visible(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_visible(out, s);
  return out;
}

bool has_deceptive_characters(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    const Decoded d = decode(s, i);
    if (d.length != 0 && deceptive(d.code)) return true;
    i += d.length == 0 ? 1 : d.length;
  }
  return false;
}

}  // namespace ashiato
