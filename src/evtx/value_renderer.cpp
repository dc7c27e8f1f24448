#include "evtx/value_renderer.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>

#include "core/timestamp.h"
#include "core/utf16.h"
#include "evtx/format.h"

namespace ashiato::evtx {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

void append_hex_bytes(std::string& out, const std::uint8_t* data, std::uint32_t size) {
  for (std::uint32_t i = 0; i < size; ++i) {
    out.push_back(kHexUpper[data[i] >> 4]);
    out.push_back(kHexUpper[data[i] & 0xF]);
  }
}

// std::to_chars: no format-string parsing on the hot path.
template <typename Int>
void append_int(std::string& out, Int v, int base = 10) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, base);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

template <typename Int>
void append_hex(std::string& out, Int v) {
  out += "0x";
  append_int(out, v, 16);
}

void append_guid(std::string& out, const std::uint8_t* d) {
  // Data1-3 are little-endian integers, Data4 is 8 bytes in order.
  const std::uint8_t be[8] = {d[3], d[2], d[1], d[0], d[5], d[4], d[7], d[6]};
  out.push_back('{');
  append_hex_bytes(out, be, 4);
  out.push_back('-');
  append_hex_bytes(out, be + 4, 2);
  out.push_back('-');
  append_hex_bytes(out, be + 6, 2);
  out.push_back('-');
  append_hex_bytes(out, d + 8, 2);
  out.push_back('-');
  append_hex_bytes(out, d + 10, 6);
  out.push_back('}');
}

void append_sid(std::string& out, const std::uint8_t* d, std::uint32_t size) {
  if (size < 8) {
    append_hex_bytes(out, d, size);
    return;
  }
  const unsigned revision = d[0];
  unsigned count = d[1];
  std::uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = (authority << 8) | d[i];
  out += "S-";
  append_int(out, revision);
  out.push_back('-');
  append_int(out, authority);
  // An incomplete SID (fewer sub-authorities than announced) renders the ones present.
  if (8 + 4ULL * count > size) count = (size - 8) / 4;
  for (unsigned i = 0; i < count; ++i) {
    out.push_back('-');
    append_int(out, le32(d + 8 + 4ULL * i));
  }
}

void append_systemtime(std::string& out, const std::uint8_t* d) {
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", le16(d), le16(d + 2),
                 le16(d + 6), le16(d + 8), le16(d + 10), le16(d + 12), le16(d + 14));
}

void append_real(std::string& out, double v) {
  fmt::format_to(std::back_inserter(out), "{}", v);
}

std::uint32_t element_size(std::uint8_t type, std::uint32_t total) {
  if (type == kSizeT) return total % 8 == 0 ? 8 : 4;
  return fixed_value_size(type);
}

void append_scalar(std::string& out, std::uint8_t type, const std::uint8_t* d, std::uint32_t size) {
  if (size < element_size(type, size)) {
    append_hex_bytes(out, d, size);  // truncated value: show what is there
    return;
  }
  switch (type) {
    case kNull: break;
    case kString: {
      std::uint32_t units = size / 2;
      while (units > 0 && d[2 * units - 2] == 0 && d[2 * units - 1] == 0) --units;  // trailing NULs
      append_utf16le(out, d, units);
      break;
    }
    case kAnsiString: {
      std::uint32_t n = size;
      while (n > 0 && d[n - 1] == 0) --n;
      for (std::uint32_t i = 0; i < n; ++i) {
        if (d[i] < 0x80) {
          out.push_back(static_cast<char>(d[i]));
        } else {  // Latin-1 bytes to UTF-8
          out.push_back(static_cast<char>(0xC0 | (d[i] >> 6)));
          out.push_back(static_cast<char>(0x80 | (d[i] & 0x3F)));
        }
      }
      break;
    }
    case kInt8: append_int(out, static_cast<int>(static_cast<std::int8_t>(d[0]))); break;
    case kUInt8: append_int(out, static_cast<unsigned>(d[0])); break;
    case kInt16: append_int(out, static_cast<int>(static_cast<std::int16_t>(le16(d)))); break;
    case kUInt16: append_int(out, static_cast<unsigned>(le16(d))); break;
    case kInt32: append_int(out, static_cast<std::int32_t>(le32(d))); break;
    case kUInt32: append_int(out, le32(d)); break;
    case kInt64: append_int(out, static_cast<std::int64_t>(le64(d))); break;
    case kUInt64: append_int(out, le64(d)); break;
    case kReal32: {
      float f;
      std::memcpy(&f, d, 4);
      append_real(out, f);
      break;
    }
    case kReal64: {
      double f;
      std::memcpy(&f, d, 8);
      append_real(out, f);
      break;
    }
    case kBool: out += le32(d) != 0 ? "true" : "false"; break;
    case kGuid: append_guid(out, d); break;
    case kSizeT:
      if (size == 8) {
        append_hex(out, le64(d));
      } else {
        append_hex(out, le32(d));
      }
      break;
    case kFileTime: append_iso8601(out, Timestamp::from_filetime(le64(d)), 6); break;
    case kSystemTime: append_systemtime(out, d); break;
    case kSid: append_sid(out, d, size); break;
    case kHexInt32: append_hex(out, le32(d)); break;
    case kHexInt64: append_hex(out, le64(d)); break;
    default: append_hex_bytes(out, d, size); break;  // binary, handles, EvtXml
  }
}

}  // namespace

void append_value(std::string& out, std::uint8_t type, const std::uint8_t* data, std::uint32_t size) {
  if ((type & kArrayFlag) == 0) {
    append_scalar(out, type, data, size);
    return;
  }
  // Arrays render as their elements joined by ", " (strings are NUL-separated UTF-16).
  const std::uint8_t base = type & ~kArrayFlag;
  bool first = true;
  if (base == kString) {
    std::uint32_t start = 0;
    for (std::uint32_t i = 0; i + 1 < size; i += 2) {
      if (data[i] == 0 && data[i + 1] == 0) {
        if (!first) out += ", ";
        append_utf16le(out, data + start, (i - start) / 2);
        first = false;
        start = i + 2;
      }
    }
    if (start + 1 < size) {
      if (!first) out += ", ";
      append_utf16le(out, data + start, (size - start) / 2);
    }
    return;
  }
  if (base == kSid) {  // variable-size elements
    std::uint32_t off = 0;
    while (off + 8 <= size) {
      const std::uint32_t len = 8 + 4U * data[off + 1];
      if (!first) out += ", ";
      append_sid(out, data + off, std::min(len, size - off));
      first = false;
      off += len;
    }
    return;
  }
  const std::uint32_t step = element_size(base, size);
  if (step == 0) {
    append_hex_bytes(out, data, size);
    return;
  }
  for (std::uint32_t off = 0; off + step <= size; off += step) {
    if (!first) out += ", ";
    append_scalar(out, base, data + off, step);
    first = false;
  }
}

bool is_json_scalar(std::uint8_t type) {
  switch (type) {
    case kInt8:
    case kUInt8:
    case kInt16:
    case kUInt16:
    case kInt32:
    case kUInt32:
    case kInt64:
    case kUInt64:
    case kReal32:
    case kReal64:
    case kBool: return true;
    default: return false;
  }
}

void append_piece_text(std::string& out, const Piece& piece) {
  switch (piece.kind) {
    case PieceKind::kValue: append_value(out, piece.value_type, piece.data, piece.size); break;
    case PieceKind::kCData: append_utf16le(out, piece.data, piece.size / 2); break;
    case PieceKind::kCharRef: {
      std::uint8_t utf16[2] = {static_cast<std::uint8_t>(piece.size & 0xFF),
                               static_cast<std::uint8_t>(piece.size >> 8)};
      append_utf16le(out, utf16, 1);
      break;
    }
    case PieceKind::kEntityRef: {
      const std::string& n = piece.name->text;
      if (n == "amp")
        out.push_back('&');
      else if (n == "lt")
        out.push_back('<');
      else if (n == "gt")
        out.push_back('>');
      else if (n == "quot")
        out.push_back('"');
      else if (n == "apos")
        out.push_back('\'');
      else
        out += "&" + n + ";";
      break;
    }
    case PieceKind::kElement:
    case PieceKind::kPI:
    case PieceKind::kSubstitution: break;
  }
}

void append_pieces_text(std::string& out, const RecordTree& tree, std::uint32_t first) {
  for (std::uint32_t p = first; p != kNone; p = tree.pieces[p].next) append_piece_text(out, tree.pieces[p]);
}

}  // namespace ashiato::evtx
