// Fuzz target: load_bundle on arbitrary bytes written to a file, then, for a bundle that loads,
// what the server does next: compile it into a Scorer and score one all-missing record. A hostile
// bundle must be refused with smartchurn::Error, never crash or run away with memory.
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "smartchurn/bundle.h"
#include "smartchurn/error.h"
#include "smartchurn/scorer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    std::string path = smartchurn::fuzz::write_scratch_file("bundle.json", bytes);
    smartchurn::Bundle bundle = smartchurn::load_bundle(path);
    smartchurn::Scorer scorer(bundle);
    std::vector<std::string_view> fields(scorer.input_columns().size(), "");
    // Not checked for [0, 1]: a hostile bundle's huge weights may well give NaN.
    (void)scorer.score_record(fields);
  } catch (const smartchurn::Error&) {
  }
  return 0;
}
