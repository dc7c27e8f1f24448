#include "evtx/event_fields.h"

#include <algorithm>

#include "evtx/format.h"
#include "evtx/template_fields.h"
#include "evtx/value_renderer.h"

namespace ashiato::evtx {
namespace {

constexpr int kMaxLeafDepth = 32;

// Writes each field the walk finds with its text from the tree.
class TreeFieldWriter final : public FieldVisitor {
 public:
  TreeFieldWriter(EventFieldBuilder& builder, const RecordTree& tree, EventBatch& batch,
                  std::vector<FieldId>& system_fields)
      : builder_(builder), tree_(tree), batch_(batch), system_fields_(system_fields) {}

  void field(const FieldSite& site) override {
    const FieldId id = builder_.field_in_event(site.id, site.system, site.section, system_fields_);
    const std::size_t start = batch_.text_buffer().size();
    append_pieces_text(batch_.text_buffer(), tree_, site.first_piece);
    batch_.commit_field(id, start);
    if (site.time) set_time_from(batch_, tree_.pieces[site.first_piece]);
  }

 private:
  EventFieldBuilder& builder_;
  const RecordTree& tree_;
  EventBatch& batch_;
  std::vector<FieldId>& system_fields_;
};

}  // namespace

EventFieldBuilder::EventFieldBuilder() : templates_(std::make_unique<TemplateFields>(*this)) {}
EventFieldBuilder::~EventFieldBuilder() = default;

void EventFieldBuilder::begin_chunk() {
  data_names_.clear();
  templates_->begin_chunk();
}

void set_time_from(EventBatch& batch, const Piece& first) {
  if (first.kind != PieceKind::kValue) return;
  if (first.value_type == kFileTime && first.size == 8) {
    batch.set_time(Timestamp::from_filetime(le64(first.data)));
  } else if (auto t = parse_iso8601(batch.last_value())) {
    batch.set_time(*t);
  }
}

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
  for (std::uint32_t p = first; p != kNone; p = tree.pieces[p].next) {
    // A name made of substitution values differs from record to record: no template field list.
    if (tree.pieces[p].kind == PieceKind::kSubstitution) throw ParseError(0, "Data name set by a substitution");
    append_piece_text(scratch_, tree.pieces[p]);
  }
  scratch_.erase(std::remove(scratch_.begin(), scratch_.end(), ' '), scratch_.end());
  const FieldId id = intern_field(scratch_);
  if (cacheable) data_names_.emplace(piece.data, id);
  return id;
}

FieldId EventFieldBuilder::field_in_event(FieldId id, bool system, const std::string* section,
                                          std::vector<FieldId>& system_fields) {
  if (system) {
    system_fields.push_back(id);
  } else if (section != nullptr && std::find(system_fields.begin(), system_fields.end(), id) != system_fields.end()) {
    return qualified_field(id, *section);
  }
  return id;
}

FieldId EventFieldBuilder::qualified_field(FieldId id, const std::string& section) {
  auto it = qualified_.find(id);
  if (it == qualified_.end())
    it = qualified_.emplace(id, intern_field(section + "." + std::string(field_name(id)))).first;
  return it->second;
}

void EventFieldBuilder::visit_leaves(const RecordTree& tree, std::uint32_t element, const std::string& section,
                                     FieldVisitor& visitor, int depth) {
  if (depth > kMaxLeafDepth) return;
  const Element& e = tree.elements[element];
  for (std::uint32_t a = e.first_attribute; a != kNone; a = tree.attributes[a].next) {
    FieldSite site{attribute_field(*e.name, *tree.attributes[a].name), tree.attributes[a].first_piece, &section};
    site.absent_when_empty = true;
    visitor.field(site);
  }
  if (!tree.has_child_elements(element)) {
    FieldSite site{element_field(*e.name), e.first_piece, &section};
    site.on_array = e.first_attribute == kNone ? ArrayContent::kRepeated : ArrayContent::kUnplanned;
    visitor.field(site);
    return;
  }
  tree.for_each_child(element, [&](std::uint32_t child) { visit_leaves(tree, child, section, visitor, depth + 1); });
}

void EventFieldBuilder::visit_section_content(const RecordTree& tree, std::uint32_t parent, const Name& section,
                                              FieldVisitor& visitor) {
  static const FieldId data = intern_field("Data");
  const std::string& section_name = section.text;
  // EventData holds <Data> elements; UserData and other sections one wrapper element, then leaves.
  const bool event_data = section_name == "EventData";
  for (std::uint32_t p = tree.elements[parent].first_piece; p != kNone; p = tree.pieces[p].next) {
    const Piece& piece = tree.pieces[p];
    if (piece.kind == PieceKind::kSubstitution) {
      visitor.nested_content(piece.size, &section);
      continue;
    }
    if (piece.kind != PieceKind::kElement) continue;
    const Element& c = tree.elements[piece.size];
    if (!event_data || c.name->text != "Data") {
      visit_leaves(tree, piece.size, section_name, visitor, 0);
      continue;
    }
    std::uint32_t name_attr = kNone;
    for (std::uint32_t a = c.first_attribute; a != kNone; a = tree.attributes[a].next) {
      if (tree.attributes[a].name->text == "Name") name_attr = a;
    }
    FieldSite site = name_attr != kNone ? FieldSite{data_field(tree, name_attr), c.first_piece, &section_name}
                                        : FieldSite{data, c.first_piece};
    site.on_array = ArrayContent::kRepeated;
    visitor.field(site);
  }
}

void EventFieldBuilder::visit(const RecordTree& tree, FieldVisitor& visitor) {
  if (tree.root == kNone) return;
  const std::uint32_t system = tree.find_child(tree.root, "System");
  if (system != kNone) {
    tree.for_each_child(system, [&](std::uint32_t child) {
      const Element& c = tree.elements[child];
      const bool time = c.name->text == "TimeCreated";
      for (std::uint32_t a = c.first_attribute; a != kNone; a = tree.attributes[a].next) {
        const Attribute& attr = tree.attributes[a];
        FieldSite site{attribute_field(*c.name, *attr.name), attr.first_piece};
        site.system = site.absent_when_empty = true;
        site.time = time;
        visitor.field(site);
      }
      if (c.first_piece != kNone && !tree.has_child_elements(child)) {
        FieldSite site{element_field(*c.name), c.first_piece};
        site.system = site.absent_when_empty = true;
        site.on_array = ArrayContent::kUnplanned;
        visitor.field(site);
      }
    });
  }
  visit_sections(tree, tree.root, system, visitor);
}

void EventFieldBuilder::visit_sections(const RecordTree& tree, std::uint32_t parent, std::uint32_t system,
                                       FieldVisitor& visitor) {
  for (std::uint32_t p = tree.elements[parent].first_piece; p != kNone; p = tree.pieces[p].next) {
    const Piece& piece = tree.pieces[p];
    if (piece.kind == PieceKind::kElement && piece.size != system) {
      visit_section_content(tree, piece.size, *tree.elements[piece.size].name, visitor);
    } else if (piece.kind == PieceKind::kSubstitution) {
      visitor.nested_content(piece.size, nullptr);
    }
  }
}

void EventFieldBuilder::add(const RecordTree& tree, const RecordInfo& info, std::uint32_t file_id, EventBatch& batch) {
  batch.begin_event(Timestamp::from_filetime(info.written_time), SourceRef{file_id, info.record_id, info.file_offset});
  system_fields_.clear();
  TreeFieldWriter writer(*this, tree, batch, system_fields_);
  visit(tree, writer);
}

bool EventFieldBuilder::add_direct(Chunk& chunk, std::uint32_t begin, std::uint32_t end, const RecordInfo& info,
                                   std::uint32_t file_id, EventBatch& batch) {
  return templates_->add(chunk, begin, end, info, file_id, batch);
}

}  // namespace ashiato::evtx
