// Decodes one record's BinXML into a RecordTree, expanding templates and substitutions.
#pragma once
#include <cstdint>
#include <vector>

#include "evtx/chunk.h"
#include "evtx/format.h"
#include "evtx/record_tree.h"

namespace ashiato::evtx {

class BinXmlParser {
 public:
  // A substitution value of a template instance.
  struct Value {
    std::uint8_t type;
    std::uint32_t offset;  // chunk-relative
    std::uint32_t size;
  };
  struct Cursor {
    std::uint32_t pos;
    std::uint32_t end;
  };
  struct TemplateDefinition {
    std::uint32_t offset;  // of the definition header, chunk-relative; identifies the template
    std::uint32_t body;    // first byte of its BinXML
    std::uint32_t size;    // bytes of BinXML
  };

  explicit BinXmlParser(Chunk& chunk) : chunk_(chunk) {}
  // Parses BinXML in chunk bytes [begin, end) into `tree` (cleared first). Throws ParseError.
  void parse(std::uint32_t begin, std::uint32_t end, RecordTree& tree);
  // Parses a template definition alone into `tree`: each substitution becomes a
  // PieceKind::kSubstitution piece. Throws ParseError, also for what only values could make valid
  // (a substitution outside any element, a template instance inside the template). With
  // `under_root`, the template's content goes into a nameless root element, as when it is the
  // BinXML value of a substitution inside an element.
  void parse_template(const TemplateDefinition& definition, bool under_root, RecordTree& tree);
  // Reads the operands of a template instance token (the token byte already consumed): the
  // definition it uses, skipped over when stored inline, and its substitution values. Throws ParseError.
  TemplateDefinition read_template_instance(Cursor& c, std::vector<Value>& values);

 private:
  struct Substitutions {
    const Value* values = nullptr;
    std::uint32_t count = 0;
  };

  // Bounds-checked reads; inline because they run for every token and value.
  void need(const Cursor& c, std::uint32_t n) const {
    if (c.pos > c.end || c.end - c.pos < n) [[unlikely]]
      truncated(c, n);
  }
  std::uint8_t u8(Cursor& c) {
    need(c, 1);
    return chunk_.bytes()[c.pos++];
  }
  std::uint16_t u16(Cursor& c) {
    need(c, 2);
    const auto v = le16(chunk_.bytes().data() + c.pos);
    c.pos += 2;
    return v;
  }
  std::uint32_t u32(Cursor& c) {
    need(c, 4);
    const auto v = le32(chunk_.bytes().data() + c.pos);
    c.pos += 4;
    return v;
  }
  [[noreturn]] void truncated(const Cursor& c, std::uint32_t n) const;

  // Reads tokens into the content of `parent` until an end-of-element or end-of-fragment token.
  void parse_content(Cursor& c, const Substitutions& subs, std::uint32_t parent, int depth);
  void parse_element(Cursor& c, const Substitutions& subs, std::uint32_t parent, std::uint8_t token, int depth);
  void parse_attribute_value(Cursor& c, const Substitutions& subs, std::uint32_t attribute);
  void parse_template_instance(Cursor& c, std::uint32_t parent, int depth);
  bool element_has_dependency_id(const Cursor& c) const;
  const Name& read_name(Cursor& c);
  // Appends a piece to an element's content (element != kNone) or an attribute's value.
  void add_piece(std::uint32_t element, std::uint32_t attribute, PieceKind kind, std::uint8_t value_type,
                 std::uint32_t size, const std::uint8_t* data, const Name* name);
  void add_substitution(Cursor& c, const Substitutions& subs, std::uint8_t token, std::uint32_t element,
                        std::uint32_t attribute, int depth);
  void add_text_value(Cursor& c, std::uint32_t element, std::uint32_t attribute);
  void split_array_content(std::uint32_t parent, std::uint32_t index);

  Chunk& chunk_;
  RecordTree* tree_ = nullptr;
  std::vector<std::vector<Value>> value_stack_;  // substitution values per template nesting level
  int template_depth_ = 0;
  bool placeholders_ = false;  // parsing a template definition alone
};

}  // namespace ashiato::evtx
