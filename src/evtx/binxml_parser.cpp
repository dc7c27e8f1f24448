#include "evtx/binxml_parser.h"

#include <string>

#include "evtx/array_items.h"
#include "evtx/format.h"

namespace ashiato::evtx {
namespace {

constexpr int kMaxDepth = 128;         // element nesting, including nested BinXML values
constexpr int kMaxTemplateDepth = 16;  // templates within substitution values within templates

std::string hex(std::uint32_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  bool started = false;
  for (int shift = 28; shift >= 0; shift -= 4) {
    const unsigned d = (v >> shift) & 0xF;
    if (d != 0 || started || shift == 0) {
      s.push_back(digits[d]);
      started = true;
    }
  }
  return s;
}

}  // namespace

void BinXmlParser::truncated(const Cursor& c, std::uint32_t n) const {
  throw ParseError(c.pos, "BinXML truncated: need " + std::to_string(n) + " bytes at chunk offset " + hex(c.pos));
}

void BinXmlParser::parse(std::uint32_t begin, std::uint32_t end, RecordTree& tree) {
  tree.clear();
  tree_ = &tree;
  template_depth_ = 0;
  placeholders_ = false;
  Cursor c{begin, end};
  parse_content(c, Substitutions{}, kNone, 0);
  if (tree.root == kNone) throw ParseError(begin, "record holds no XML element");
}

void BinXmlParser::parse_template(const TemplateDefinition& definition, bool under_root, RecordTree& tree) {
  tree.clear();
  tree_ = &tree;
  template_depth_ = 1;
  placeholders_ = true;
  std::uint32_t parent = kNone;
  if (under_root) {
    tree.elements.push_back(Element{nullptr});
    tree.root = parent = 0;
  }
  Cursor c{definition.body, definition.body + definition.size};
  // Depth 1, as when the template is expanded from a record's top level.
  static const Value kNoValue{kNull, 0, 0};
  parse_content(c, Substitutions{&kNoValue, 0}, parent, 1);
  placeholders_ = false;
  if (tree.root == kNone) throw ParseError(definition.body, "template holds no XML element");
}

const Name& BinXmlParser::read_name(Cursor& c) {
  const std::uint32_t offset = u32(c);
  const Name& name = chunk_.name_at(offset);
  // A name is stored inline the first time the chunk uses it, right where its offset points.
  if (offset == c.pos) {
    const std::uint32_t size = chunk_.inline_name_size(offset);
    need(c, size);
    c.pos += size;
  }
  return name;
}

bool BinXmlParser::element_has_dependency_id(const Cursor& c) const {
  // Element starts carry a 2-byte dependency id, except (per MS-EVEN6) inside BinXML substitution
  // values; some writers differ, so decide from where the name offset points: a name offset is
  // either the position right after it (inline name) or an earlier, valid offset in the chunk.
  const auto bytes = chunk_.bytes();
  auto plausible = [&](std::uint32_t at) {
    if (static_cast<std::size_t>(at) + 4 > bytes.size() || at + 4 > c.end) return false;
    const std::uint32_t name = le32(bytes.data() + at);
    return name == at + 4 || (name >= kChunkHeaderSize && name < at && name + 8 <= bytes.size());
  };
  const std::uint32_t after_token = c.pos;  // token byte already consumed
  if (plausible(after_token + 6)) return true;
  if (plausible(after_token + 4)) return false;
  return true;
}

void BinXmlParser::add_piece(std::uint32_t element, std::uint32_t attribute, PieceKind kind, std::uint8_t value_type,
                             std::uint32_t size, const std::uint8_t* data, const Name* name) {
  // Built in place from scalars: copying a just-built temporary Piece stalled on store forwarding.
  auto& pieces = tree_->pieces;
  const auto index = static_cast<std::uint32_t>(pieces.size());
  Piece& piece = pieces.emplace_back();
  piece.kind = kind;
  piece.value_type = value_type;
  piece.size = size;
  piece.data = data;
  piece.name = name;
  std::uint32_t* first;
  std::uint32_t* last;
  if (attribute != kNone) {
    first = &tree_->attributes[attribute].first_piece;
    last = &tree_->attributes[attribute].last_piece;
  } else {
    first = &tree_->elements[element].first_piece;
    last = &tree_->elements[element].last_piece;
  }
  if (*last == kNone) {
    *first = index;
  } else {
    pieces[*last].next = index;
  }
  *last = index;
}

void BinXmlParser::parse_content(Cursor& c, const Substitutions& subs, std::uint32_t parent, int depth) {
  if (depth > kMaxDepth) throw ParseError(c.pos, "BinXML nested too deeply");
  while (c.pos < c.end) {
    const std::uint32_t at = c.pos;
    const std::uint8_t token = u8(c);
    switch (token & ~kTokenMoreFlag) {
      case kEndOfFragment: return;
      case kEndElement:
        if (parent == kNone) throw ParseError(at, "end-of-element token outside an element");
        return;
      case kFragmentHeader:
        need(c, 3);
        c.pos += 3;
        break;
      case kOpenStartElement: parse_element(c, subs, parent, token, depth + 1); break;
      case kValue:
        if (parent == kNone) throw ParseError(at, "text outside the root element");
        add_text_value(c, parent, kNone);
        break;
      case kNormalSubstitution:
      case kOptionalSubstitution: add_substitution(c, subs, token, parent, kNone, depth); break;
      case kCData: {
        const std::uint16_t chars = u16(c);
        need(c, 2U * chars);
        if (parent != kNone) {
          add_piece(parent, kNone, PieceKind::kCData, kString, 2U * chars, chunk_.bytes().data() + c.pos, nullptr);
        }
        c.pos += 2U * chars;
        break;
      }
      case kCharRef: {
        const std::uint16_t ch = u16(c);
        if (parent != kNone) add_piece(parent, kNone, PieceKind::kCharRef, 0, ch, nullptr, nullptr);
        break;
      }
      case kEntityRef: {
        const Name& name = read_name(c);
        if (parent != kNone) add_piece(parent, kNone, PieceKind::kEntityRef, 0, 0, nullptr, &name);
        break;
      }
      case kPITarget: {
        const Name& target = read_name(c);
        std::uint32_t data_size = 0;
        const std::uint8_t* data = nullptr;
        if (c.pos < c.end && chunk_.bytes()[c.pos] == kPIData) {
          c.pos++;
          const std::uint16_t chars = u16(c);
          need(c, 2U * chars);
          data = chunk_.bytes().data() + c.pos;
          data_size = 2U * chars;
          c.pos += data_size;
        }
        if (parent != kNone) add_piece(parent, kNone, PieceKind::kPI, kString, data_size, data, &target);
        break;
      }
      case kTemplateInstance: parse_template_instance(c, parent, depth + 1); break;
      default: throw ParseError(at, "unexpected BinXML token " + hex(token) + " in element content");
    }
  }
}

void BinXmlParser::add_text_value(Cursor& c, std::uint32_t element, std::uint32_t attribute) {
  const std::uint8_t type = u8(c);
  std::uint32_t size = 0;
  if (type == kString) {
    size = 2U * u16(c);
  } else if (type == kAnsiString) {
    size = u16(c);
  } else {
    size = fixed_value_size(type);
    if (size == 0) throw ParseError(c.pos - 1, "unsupported value type " + hex(type) + " in a value token");
  }
  need(c, size);
  add_piece(element, attribute, PieceKind::kValue, type, size, chunk_.bytes().data() + c.pos, nullptr);
  c.pos += size;
}

void BinXmlParser::add_substitution(Cursor& c, const Substitutions& subs, std::uint8_t token, std::uint32_t element,
                                    std::uint32_t attribute, int depth) {
  const std::uint32_t at = c.pos - 1;
  const std::uint16_t id = u16(c);
  const std::uint8_t declared = u8(c);  // the instance's value type is authoritative
  if (subs.values == nullptr) throw ParseError(at, "substitution token outside a template");
  if (placeholders_) {
    if (attribute == kNone && element == kNone) throw ParseError(at, "substitution outside an element");
    add_piece(element, attribute, PieceKind::kSubstitution, declared, id, nullptr, nullptr);
    return;
  }
  if (id >= subs.count) {
    throw ParseError(
        at, "substitution " + std::to_string(id) + " beyond the template's " + std::to_string(subs.count) + " values");
  }
  const Value& v = subs.values[id];
  if (v.type == kNull) return;  // optional (and empty normal) substitutions render nothing
  if (v.type == kBinXml && attribute == kNone) {
    if (element == kNone) throw ParseError(at, "BinXML value outside an element");
    Cursor nested{v.offset, v.offset + v.size};
    parse_content(nested, Substitutions{}, element, depth + 1);
    return;
  }
  (void)token;
  if (attribute == kNone && element == kNone) throw ParseError(at, "substitution value outside an element");
  add_piece(element, attribute, PieceKind::kValue, v.type, v.size, chunk_.bytes().data() + v.offset, nullptr);
}

void BinXmlParser::parse_attribute_value(Cursor& c, const Substitutions& subs, std::uint32_t attribute) {
  while (c.pos < c.end) {
    const std::uint8_t token = chunk_.bytes()[c.pos];
    switch (token & ~kTokenMoreFlag) {
      case kValue:
        c.pos++;
        add_text_value(c, kNone, attribute);
        break;
      case kNormalSubstitution:
      case kOptionalSubstitution:
        c.pos++;
        add_substitution(c, subs, token, kNone, attribute, 0);
        break;
      case kCharRef: {
        c.pos++;
        const std::uint16_t ch = u16(c);
        add_piece(kNone, attribute, PieceKind::kCharRef, 0, ch, nullptr, nullptr);
        break;
      }
      case kEntityRef: {
        c.pos++;
        const Name& name = read_name(c);
        add_piece(kNone, attribute, PieceKind::kEntityRef, 0, 0, nullptr, &name);
        break;
      }
      default: return;
    }
  }
}

void BinXmlParser::parse_element(Cursor& c, const Substitutions& subs, std::uint32_t parent, std::uint8_t token,
                                 int depth) {
  if (depth > kMaxDepth) throw ParseError(c.pos, "BinXML nested too deeply");
  if (element_has_dependency_id(c)) u16(c);
  u32(c);  // data size: the token stream is authoritative
  const Name& name = read_name(c);

  auto& tree = *tree_;
  const auto index = static_cast<std::uint32_t>(tree.elements.size());
  tree.elements.push_back(Element{&name});
  if (parent == kNone) {
    if (tree.root == kNone) tree.root = index;
  } else {
    add_piece(parent, kNone, PieceKind::kElement, 0, index, nullptr, nullptr);
  }

  if (token & kTokenMoreFlag) {
    u32(c);  // attribute list size
    while (c.pos < c.end && (chunk_.bytes()[c.pos] & ~kTokenMoreFlag) == kAttribute) {
      c.pos++;
      const Name& attr_name = read_name(c);
      const auto attr = static_cast<std::uint32_t>(tree.attributes.size());
      tree.attributes.push_back(Attribute{&attr_name});
      parse_attribute_value(c, subs, attr);
      // An attribute whose whole value was an empty optional substitution is not rendered.
      if (tree.attributes[attr].first_piece == kNone) {
        tree.attributes.pop_back();
        continue;
      }
      Element& e = tree.elements[index];
      if (e.last_attribute == kNone) {
        e.first_attribute = attr;
      } else {
        tree.attributes[e.last_attribute].next = attr;
      }
      e.last_attribute = attr;
    }
  }

  const std::uint32_t at = c.pos;
  const std::uint8_t close = u8(c);
  if (close == kCloseEmptyElement) return;
  if (close != kCloseStartElement) {
    throw ParseError(at, "expected close-start or close-empty token, found " + hex(close));
  }
  parse_content(c, subs, index, depth);
  split_array_content(parent, index);
}

void BinXmlParser::split_array_content(std::uint32_t parent, std::uint32_t index) {
  auto& tree = *tree_;
  const Element& e = tree.elements[index];
  if (parent == kNone || e.first_piece == kNone || e.first_piece != e.last_piece) return;
  const Piece array = tree.pieces[e.first_piece];
  if (array.kind != PieceKind::kValue || (array.value_type & kArrayFlag) == 0) return;
  const std::uint8_t type = array.value_type & ~kArrayFlag;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> items;  // offset, size within the array
  const bool split =
      for_each_array_item(array.value_type, array.data, array.size,
                          [&](std::uint32_t offset, std::uint32_t size) { items.emplace_back(offset, size); });
  if (!split) return;   // variable-size items: keep the joined rendering
  if (items.empty()) {  // an empty array gives one empty element
    tree.elements[index].first_piece = tree.elements[index].last_piece = kNone;
    return;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::uint32_t element = index;
    if (i > 0) {
      element = static_cast<std::uint32_t>(tree.elements.size());
      Element copy = tree.elements[index];
      copy.first_piece = copy.last_piece = kNone;
      tree.elements.push_back(copy);
      add_piece(parent, kNone, PieceKind::kElement, 0, element, nullptr, nullptr);
    }
    const auto piece = static_cast<std::uint32_t>(tree.pieces.size());
    tree.pieces.push_back(Piece{PieceKind::kValue, type, kNone, items[i].second, array.data + items[i].first});
    tree.elements[element].first_piece = tree.elements[element].last_piece = piece;
  }
}

BinXmlParser::TemplateDefinition BinXmlParser::read_template_instance(Cursor& c, std::vector<Value>& values) {
  const auto bytes = chunk_.bytes();
  u8(c);   // unknown, 0x01
  u32(c);  // template id
  const std::uint32_t def_offset = u32(c);
  if (static_cast<std::size_t>(def_offset) + 24 > bytes.size()) {
    throw ParseError(c.pos - 4, "template definition offset " + hex(def_offset) + " outside the chunk");
  }
  const std::uint32_t def_size = le32(bytes.data() + def_offset + 20);
  const std::uint32_t body = def_offset + 24;
  if (def_size > bytes.size() - body) {
    throw ParseError(def_offset, "template definition of " + std::to_string(def_size) + " bytes runs past the chunk");
  }
  if (def_offset == c.pos) {  // defined inline, here: skip over it
    need(c, 24 + def_size);
    c.pos += 24 + def_size;
  }

  const std::uint32_t count = u32(c);
  if (count > (c.end - c.pos) / 4) {
    throw ParseError(c.pos - 4, "template instance claims " + std::to_string(count) + " values, more than fit");
  }
  values.clear();
  std::uint32_t data = c.pos + 4U * count;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t* d = bytes.data() + c.pos + 4ULL * i;
    values.push_back(Value{d[2], data, le16(d)});
    data += le16(d);
  }
  c.pos += 4U * count;
  need(c, data - c.pos);
  c.pos = data;
  return TemplateDefinition{def_offset, body, def_size};
}

void BinXmlParser::parse_template_instance(Cursor& c, std::uint32_t parent, int depth) {
  if (placeholders_) throw ParseError(c.pos - 1, "template instance inside a template definition");
  if (++template_depth_ > kMaxTemplateDepth) throw ParseError(c.pos, "templates nested too deeply");
  if (value_stack_.size() < static_cast<std::size_t>(template_depth_)) value_stack_.resize(template_depth_);
  auto& values = value_stack_[template_depth_ - 1];
  const TemplateDefinition definition = read_template_instance(c, values);
  Cursor t{definition.body, definition.body + definition.size};
  parse_content(t, Substitutions{values.data(), static_cast<std::uint32_t>(values.size())}, parent, depth);
  --template_depth_;
}

}  // namespace ashiato::evtx
