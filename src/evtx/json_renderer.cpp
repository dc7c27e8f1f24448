#include "evtx/json_renderer.h"

#include "core/json_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "evtx/format.h"
#include "evtx/value_renderer.h"

namespace ashiato::evtx {
namespace {

class JsonWriter {
 public:
  JsonWriter(std::string& out, const RecordTree& tree, bool pretty) : out_(out), tree_(tree), pretty_(pretty) {}

  void document() {
    out_.push_back('{');
    ++depth_;
    const Element& root = tree_.elements[tree_.root];
    key(root.name->text, true);
    value_of(tree_.root);
    --depth_;
    newline();
    out_.push_back('}');
  }

 private:
  void newline() {
    if (!pretty_) return;
    out_.push_back('\n');
    out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
  }

  void key(std::string_view name, bool first) {
    if (!first) out_.push_back(',');
    newline();
    append_json_string(out_, name);
    out_ += pretty_ ? ": " : ":";
  }

  // Text of a piece list as a JSON value: a lone numeric or boolean value stays unquoted.
  void text_value(std::uint32_t first) {
    const Piece& p = tree_.pieces[first];
    if (p.next == kNone && p.kind == PieceKind::kValue && is_json_scalar(p.value_type)) {
      scratch_.clear();
      append_value(scratch_, p.value_type, p.data, p.size);
      out_ += scratch_;
      return;
    }
    scratch_.clear();
    append_pieces_text(scratch_, tree_, first);
    append_json_string(out_, scratch_);
  }

  static bool has_name_attribute(const RecordTree& tree, const Element& e, std::uint32_t& attr) {
    for (std::uint32_t a = e.first_attribute; a != kNone; a = tree.attributes[a].next) {
      if (tree.attributes[a].name->text == "Name") {
        attr = a;
        return true;
      }
    }
    return false;
  }

  void attributes(const Element& e) {
    key("#attributes", true);
    out_.push_back('{');
    ++depth_;
    bool first = true;
    for (std::uint32_t a = e.first_attribute; a != kNone; a = tree_.attributes[a].next) {
      key(tree_.attributes[a].name->text, first);
      first = false;
      text_value(tree_.attributes[a].first_piece);
    }
    --depth_;
    newline();
    out_.push_back('}');
  }

  void value_of(std::uint32_t index) {
    const Element& e = tree_.elements[index];
    const bool has_attrs = e.first_attribute != kNone;
    const bool has_children = tree_.has_child_elements(index);
    if (!has_children) {
      if (!has_attrs) {
        if (e.first_piece == kNone) {
          out_ += "null";
        } else {
          text_value(e.first_piece);
        }
        return;
      }
      out_.push_back('{');
      ++depth_;
      attributes(e);
      if (e.first_piece != kNone) {
        key("#text", false);
        text_value(e.first_piece);
      }
      --depth_;
      newline();
      out_.push_back('}');
      return;
    }
    out_.push_back('{');
    ++depth_;
    bool first = true;
    if (has_attrs) {
      attributes(e);
      first = false;
    }
    std::vector<std::string> used;
    std::vector<std::uint32_t> unnamed_data;
    for (std::uint32_t p = e.first_piece; p != kNone; p = tree_.pieces[p].next) {
      const Piece& piece = tree_.pieces[p];
      if (piece.kind != PieceKind::kElement) continue;
      const Element& child = tree_.elements[piece.size];
      std::uint32_t name_attr = kNone;
      if (child.name->text == "Data" && has_name_attribute(tree_, child, name_attr)) {
        scratch_.clear();
        append_pieces_text(scratch_, tree_, tree_.attributes[name_attr].first_piece);
        key(unique(used, scratch_), first);
        first = false;
        if (child.first_piece == kNone) {
          out_ += "\"\"";
        } else {
          text_value(child.first_piece);
        }
        continue;
      }
      if (child.name->text == "Data" && child.first_attribute == kNone && !tree_.has_child_elements(piece.size)) {
        if (unnamed_data.empty()) {  // all unnamed <Data> go under one key, where the first one is
          for (std::uint32_t q = p; q != kNone; q = tree_.pieces[q].next) {
            const Piece& sibling = tree_.pieces[q];
            if (sibling.kind != PieceKind::kElement) continue;
            const Element& d = tree_.elements[sibling.size];
            if (d.name->text == "Data" && d.first_attribute == kNone && !tree_.has_child_elements(sibling.size)) {
              unnamed_data.push_back(sibling.size);
            }
          }
          key(unique(used, "Data"), first);
          first = false;
          unnamed_data_group(unnamed_data);
        }
        continue;
      }
      key(unique(used, child.name->text), first);
      first = false;
      value_of(piece.size);
    }
    --depth_;
    newline();
    out_.push_back('}');
  }

  void unnamed_data_group(const std::vector<std::uint32_t>& unnamed_data) {
    {
      out_.push_back('{');
      ++depth_;
      key("#text", true);
      if (unnamed_data.size() > 1) out_.push_back('[');
      ++depth_;
      for (std::size_t i = 0; i < unnamed_data.size(); ++i) {
        if (i > 0) out_.push_back(',');
        if (unnamed_data.size() > 1) newline();
        const Element& d = tree_.elements[unnamed_data[i]];
        if (d.first_piece == kNone) {
          out_ += "\"\"";
        } else {
          scratch_.clear();
          append_pieces_text(scratch_, tree_, d.first_piece);
          append_json_string(out_, scratch_);
        }
      }
      --depth_;
      if (unnamed_data.size() > 1) {
        newline();
        out_.push_back(']');
      }
      --depth_;
      newline();
      out_.push_back('}');
    }
  }

  static std::string unique(std::vector<std::string>& used, std::string_view name) {
    std::string candidate(name);
    for (int n = 1; std::find(used.begin(), used.end(), candidate) != used.end(); ++n) {
      candidate = fmt::format("{}_{}", name, n);
    }
    used.push_back(candidate);
    return candidate;
  }

  std::string& out_;
  const RecordTree& tree_;
  bool pretty_;
  int depth_ = 0;
  std::string scratch_;
};

}  // namespace

void append_json(std::string& out, const RecordTree& tree, bool pretty) {
  if (tree.root == kNone) {
    out += "{}";
    return;
  }
  JsonWriter(out, tree, pretty).document();
}

}  // namespace ashiato::evtx
