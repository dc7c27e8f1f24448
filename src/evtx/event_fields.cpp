#include "evtx/event_fields.h"

#include <algorithm>

#include "evtx/format.h"
#include "evtx/value_renderer.h"

namespace ashiato::evtx {
namespace {

constexpr int kMaxLeafDepth = 32;

}  // namespace

FieldId EventFieldBuilder::element_field(const Name& element) {
  auto& name = const_cast<Name&>(element);  // the cache lives in the chunk's name table
  if (name.field == kNoField) name.field = intern_field(name.text);
  return name.field;
}

FieldId EventFieldBuilder::attribute_field(const Name& element, const Name& attribute) {
  auto& name = const_cast<Name&>(element);
  for (const auto& [attr, id] : name.with_attribute) {
    if (attr == &attribute) return id;
  }
  const FieldId id = intern_field(name.text + "_" + attribute.text);
  name.with_attribute.emplace_back(&attribute, id);
  return id;
}

FieldId EventFieldBuilder::data_field(const RecordTree& tree, std::uint32_t name_attribute) {
  const std::uint32_t first = tree.attributes[name_attribute].first_piece;
  const Piece& piece = tree.pieces[first];
  // Data names written literally in a template have stable bytes for the chunk's lifetime.
  const bool cacheable = piece.next == kNone && piece.kind == PieceKind::kValue;
  if (cacheable) {
    auto it = data_names_.find(piece.data);
    if (it != data_names_.end()) return it->second;
  }
  scratch_.clear();
  append_pieces_text(scratch_, tree, first);
  scratch_.erase(std::remove(scratch_.begin(), scratch_.end(), ' '), scratch_.end());
  const FieldId id = intern_field(scratch_);
  if (cacheable) data_names_.emplace(piece.data, id);
  return id;
}

void EventFieldBuilder::add_field(EventBatch& batch, FieldId id, std::uint32_t first_piece, const RecordTree& tree) {
  const std::size_t start = batch.text_buffer().size();
  append_pieces_text(batch.text_buffer(), tree, first_piece);
  batch.commit_field(id, start);
}

void EventFieldBuilder::add_payload_field(EventBatch& batch, FieldId id, const std::string& section,
                                          const RecordTree& tree, std::uint32_t first_piece) {
  if (std::find(system_fields_.begin(), system_fields_.end(), id) != system_fields_.end()) {
    auto it = qualified_.find(id);
    if (it == qualified_.end()) {
      it = qualified_.emplace(id, intern_field(section + "." + std::string(field_name(id)))).first;
    }
    id = it->second;
  }
  add_field(batch, id, first_piece, tree);
}

void EventFieldBuilder::add_leaves(const RecordTree& tree, std::uint32_t element, const std::string& section,
                                   EventBatch& batch, int depth) {
  if (depth > kMaxLeafDepth) return;
  const Element& e = tree.elements[element];
  for (std::uint32_t a = e.first_attribute; a != kNone; a = tree.attributes[a].next) {
    add_payload_field(batch, attribute_field(*e.name, *tree.attributes[a].name), section, tree,
                      tree.attributes[a].first_piece);
  }
  if (!tree.has_child_elements(element)) {
    add_payload_field(batch, element_field(*e.name), section, tree, e.first_piece);
    return;
  }
  tree.for_each_child(element, [&](std::uint32_t child) { add_leaves(tree, child, section, batch, depth + 1); });
}

void EventFieldBuilder::add_payload(const RecordTree& tree, std::uint32_t section, EventBatch& batch) {
  const Element& s = tree.elements[section];
  const std::string& section_name = s.name->text;
  if (section_name == "EventData") {
    static const FieldId data = intern_field("Data");
    tree.for_each_child(section, [&](std::uint32_t child) {
      const Element& c = tree.elements[child];
      if (c.name->text == "Data") {
        std::uint32_t name_attr = kNone;
        for (std::uint32_t a = c.first_attribute; a != kNone; a = tree.attributes[a].next) {
          if (tree.attributes[a].name->text == "Name") name_attr = a;
        }
        if (name_attr != kNone) {
          add_payload_field(batch, data_field(tree, name_attr), section_name, tree, c.first_piece);
        } else {
          add_field(batch, data, c.first_piece, tree);
        }
      } else {
        add_leaves(tree, child, section_name, batch, 0);
      }
    });
    return;
  }
  // UserData and other sections: one wrapper element, then leaves.
  tree.for_each_child(section, [&](std::uint32_t child) { add_leaves(tree, child, section_name, batch, 0); });
}

void EventFieldBuilder::add(const RecordTree& tree, const RecordInfo& info, std::uint32_t file_id, EventBatch& batch) {
  batch.begin_event(Timestamp::from_filetime(info.written_time), SourceRef{file_id, info.record_id, info.file_offset});
  system_fields_.clear();
  if (tree.root == kNone) return;
  const std::uint32_t system = tree.find_child(tree.root, "System");
  if (system != kNone) {
    tree.for_each_child(system, [&](std::uint32_t child) {
      const Element& c = tree.elements[child];
      for (std::uint32_t a = c.first_attribute; a != kNone; a = tree.attributes[a].next) {
        const Attribute& attr = tree.attributes[a];
        const FieldId id = attribute_field(*c.name, *attr.name);
        system_fields_.push_back(id);
        add_field(batch, id, attr.first_piece, tree);
        // The event's time is TimeCreated's SystemTime, read straight from its FILETIME.
        const Piece& p = tree.pieces[attr.first_piece];
        if (c.name->text == "TimeCreated" && p.kind == PieceKind::kValue) {
          if (p.value_type == kFileTime && p.size == 8) {
            batch.set_time(Timestamp::from_filetime(le64(p.data)));
          } else if (auto t = parse_iso8601(batch.last_value())) {  // forwarded events: text
            batch.set_time(*t);
          }
        }
      }
      if (c.first_piece != kNone && !tree.has_child_elements(child)) {
        const FieldId id = element_field(*c.name);
        system_fields_.push_back(id);
        add_field(batch, id, c.first_piece, tree);
      }
    });
  }
  tree.for_each_child(tree.root, [&](std::uint32_t section) {
    if (section != system) add_payload(tree, section, batch);
  });
}

}  // namespace ashiato::evtx
