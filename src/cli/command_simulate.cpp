#include "cli/commands.h"
namespace ashiato::cli {
void register_simulate(CLI::App&, int&) {}
}  // namespace ashiato::cli
