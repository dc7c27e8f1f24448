// One event record's XML document as parsed from BinXML, with templates already expanded.
// Storage is a few flat vectors reused from record to record (no allocation once warm).
// Values stay as typed raw bytes pointing into the chunk; renderers convert them to text.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/field_id.h"

namespace ashiato::evtx {

inline constexpr std::uint32_t kNone = 0xffffffffU;

// A name from the chunk's string table, decoded to UTF-8 once per chunk.
struct Name {
  std::string text;
  // Field ids interned lazily by the event builder: the name alone, and "<name>_<attribute>".
  FieldId field = kNoField;
  std::vector<std::pair<const Name*, FieldId>> with_attribute;
};

enum class PieceKind : std::uint8_t {
  kValue,      // typed value (type, data, size)
  kElement,    // child element (element index)
  kEntityRef,  // &name; (name)
  kCharRef,    // &#N; (number)
  kCData,      // CDATA section (UTF-16 data)
  kPI,         // processing instruction (name = target, UTF-16 data)
  // Only in a template's own tree (see BinXmlParser::parse_template): the place of substitution
  // number `size`, with the declared type in value_type; filled in per record.
  kSubstitution,
};

// One item of element content or of an attribute value, linked in document order.
struct Piece {
  PieceKind kind;
  std::uint8_t value_type = 0;
  std::uint32_t next = kNone;
  std::uint32_t size = 0;  // bytes of data, or element index, or character number
  const std::uint8_t* data = nullptr;
  const Name* name = nullptr;
};

struct Attribute {
  const Name* name;
  std::uint32_t first_piece = kNone;
  std::uint32_t last_piece = kNone;
  std::uint32_t next = kNone;
};

struct Element {
  const Name* name;
  std::uint32_t first_attribute = kNone;
  std::uint32_t last_attribute = kNone;
  std::uint32_t first_piece = kNone;
  std::uint32_t last_piece = kNone;
};

struct RecordTree {
  std::vector<Element> elements;
  std::vector<Attribute> attributes;
  std::vector<Piece> pieces;
  std::uint32_t root = kNone;  // first top-level element

  void clear() {
    elements.clear();
    attributes.clear();
    pieces.clear();
    root = kNone;
  }
  // Iterates the element children of `element` (skipping text).
  template <typename Fn>
  void for_each_child(std::uint32_t element, Fn&& fn) const {
    for (std::uint32_t p = elements[element].first_piece; p != kNone; p = pieces[p].next) {
      if (pieces[p].kind == PieceKind::kElement) fn(pieces[p].size);
    }
  }
  std::uint32_t find_child(std::uint32_t element, std::string_view name) const {
    for (std::uint32_t p = elements[element].first_piece; p != kNone; p = pieces[p].next) {
      if (pieces[p].kind == PieceKind::kElement && elements[pieces[p].size].name->text == name) return pieces[p].size;
    }
    return kNone;
  }
  bool has_child_elements(std::uint32_t element) const {
    for (std::uint32_t p = elements[element].first_piece; p != kNone; p = pieces[p].next) {
      if (pieces[p].kind == PieceKind::kElement) return true;
    }
    return false;
  }
};

}  // namespace ashiato::evtx
