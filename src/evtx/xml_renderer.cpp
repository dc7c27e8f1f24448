#include "evtx/xml_renderer.h"

#include <fmt/format.h>

#include "core/utf16.h"
#include "evtx/value_renderer.h"

namespace ashiato::evtx {
namespace {

class XmlWriter {
 public:
  XmlWriter(std::string& out, const RecordTree& tree) : out_(out), tree_(tree) {}

  void element(std::uint32_t index, int depth) {
    const Element& e = tree_.elements[index];
    indent(depth);
    out_.push_back('<');
    out_ += e.name->text;
    for (std::uint32_t a = e.first_attribute; a != kNone; a = tree_.attributes[a].next) {
      const Attribute& attr = tree_.attributes[a];
      out_.push_back(' ');
      out_ += attr.name->text;
      out_ += "=\"";
      in_attribute_ = true;
      pieces(attr.first_piece, depth);
      in_attribute_ = false;
      out_.push_back('"');
    }
    out_.push_back('>');
    if (tree_.has_child_elements(index)) {
      out_.push_back('\n');
      for (std::uint32_t p = e.first_piece; p != kNone; p = tree_.pieces[p].next) {
        const Piece& piece = tree_.pieces[p];
        if (piece.kind == PieceKind::kElement) {
          element(piece.size, depth + 1);
        } else {
          indent(depth + 1);
          this->piece(piece, depth + 1);
          out_.push_back('\n');
        }
      }
      indent(depth);
    } else if (e.first_piece == kNone) {
      out_.push_back('\n');
      indent(depth);
    } else {
      pieces(e.first_piece, depth);
    }
    out_ += "</";
    out_ += e.name->text;
    out_ += ">\n";
  }

 private:
  void indent(int depth) { out_.append(static_cast<std::size_t>(depth) * 2, ' '); }

  void pieces(std::uint32_t first, int depth) {
    for (std::uint32_t p = first; p != kNone; p = tree_.pieces[p].next) piece(tree_.pieces[p], depth);
  }

  void piece(const Piece& p, int depth) {
    switch (p.kind) {
      case PieceKind::kValue:
        scratch_.clear();
        append_value(scratch_, p.value_type, p.data, p.size);
        append_xml_escaped(out_, scratch_, in_attribute_);
        break;
      case PieceKind::kEntityRef: out_ += '&' + p.name->text + ';'; break;
      case PieceKind::kCharRef: fmt::format_to(std::back_inserter(out_), "&#{};", p.size); break;
      case PieceKind::kCData:
        out_ += "<![CDATA[";
        append_utf16le(out_, p.data, p.size / 2);
        out_ += "]]>";
        break;
      case PieceKind::kPI:
        out_ += "<?" + p.name->text;
        if (p.size > 0) {
          out_.push_back(' ');
          append_utf16le(out_, p.data, p.size / 2);
        }
        out_ += "?>";
        break;
      case PieceKind::kElement: element(p.size, depth); break;
      case PieceKind::kSubstitution: break;  // record trees hold values, not placeholders
    }
  }

  std::string& out_;
  const RecordTree& tree_;
  std::string scratch_;
  bool in_attribute_ = false;
};

}  // namespace

void append_xml_escaped(std::string& out, std::string_view text, bool in_attribute) {
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"':
        if (in_attribute) {
          out += "&quot;";
        } else {
          out.push_back(ch);
        }
        break;
      default: out.push_back(ch);
    }
  }
}

void append_xml(std::string& out, const RecordTree& tree) {
  out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  if (tree.root != kNone) XmlWriter(out, tree).element(tree.root, 0);
}

}  // namespace ashiato::evtx
