#include "logs/canonical_fields.h"

namespace ashiato::logs {

const CanonicalFields& canonical() {
  static const CanonicalFields fields;
  return fields;
}

}  // namespace ashiato::logs
