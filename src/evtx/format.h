// Constants of the EVTX format (see docs/evtx.md and libyal's EVTX specification).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ashiato::evtx {

inline constexpr std::size_t kFileHeaderSize = 4096;
inline constexpr std::size_t kChunkSize = 65536;
inline constexpr std::size_t kChunkHeaderSize = 512;
inline constexpr std::size_t kRecordHeaderSize = 24;
inline constexpr std::size_t kMinRecordSize = 28;  // header + size copy
inline constexpr char kFileMagic[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', '\0'};
inline constexpr char kChunkMagic[8] = {'E', 'l', 'f', 'C', 'h', 'n', 'k', '\0'};
inline constexpr std::uint32_t kRecordMagic = 0x00002a2a;
inline constexpr std::uint32_t kFileFlagDirty = 0x1;
inline constexpr std::uint32_t kFileFlagFull = 0x2;

enum Token : std::uint8_t {
  kEndOfFragment = 0x00,
  kOpenStartElement = 0x01,
  kCloseStartElement = 0x02,
  kCloseEmptyElement = 0x03,
  kEndElement = 0x04,
  kValue = 0x05,
  kAttribute = 0x06,
  kCData = 0x07,
  kCharRef = 0x08,
  kEntityRef = 0x09,
  kPITarget = 0x0a,
  kPIData = 0x0b,
  kTemplateInstance = 0x0c,
  kNormalSubstitution = 0x0d,
  kOptionalSubstitution = 0x0e,
  kFragmentHeader = 0x0f,
};
inline constexpr std::uint8_t kTokenMoreFlag = 0x40;

enum ValueType : std::uint8_t {
  kNull = 0x00,
  kString = 0x01,
  kAnsiString = 0x02,
  kInt8 = 0x03,
  kUInt8 = 0x04,
  kInt16 = 0x05,
  kUInt16 = 0x06,
  kInt32 = 0x07,
  kUInt32 = 0x08,
  kInt64 = 0x09,
  kUInt64 = 0x0a,
  kReal32 = 0x0b,
  kReal64 = 0x0c,
  kBool = 0x0d,
  kBinary = 0x0e,
  kGuid = 0x0f,
  kSizeT = 0x10,
  kFileTime = 0x11,
  kSystemTime = 0x12,
  kSid = 0x13,
  kHexInt32 = 0x14,
  kHexInt64 = 0x15,
  kEvtHandle = 0x20,
  kBinXml = 0x21,
  kEvtXml = 0x23,
};
inline constexpr std::uint8_t kArrayFlag = 0x80;

// Bytes of one value of a fixed-size type, 0 for variable-size types.
inline std::uint32_t fixed_value_size(std::uint8_t type) {
  switch (type) {
    case kInt8:
    case kUInt8: return 1;
    case kInt16:
    case kUInt16: return 2;
    case kInt32:
    case kUInt32:
    case kReal32:
    case kBool:
    case kHexInt32: return 4;
    case kInt64:
    case kUInt64:
    case kReal64:
    case kFileTime:
    case kHexInt64: return 8;
    case kGuid:
    case kSystemTime: return 16;
    default: return 0;
  }
}

inline std::uint16_t le16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t le32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline std::uint64_t le64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace ashiato::evtx
