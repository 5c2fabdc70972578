// Fuzz target: the CSV reader on arbitrary bytes, both the record parser over a stream
// (CsvReader, strict and lenient) and read_dataset with type inference over a file.
// Expected refusals are smartchurn::Error; anything else escaping, or a crash, is a finding.
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "smartchurn/csv.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"

namespace {

void parse_records(std::string_view bytes, bool lenient) {
  std::istringstream in{std::string(bytes)};
  try {
    // A small field cap, so long fields hit the limit path as well as the normal one.
    smartchurn::CsvOptions options;
    options.max_field_bytes = 512;
    smartchurn::CsvReader reader(in, "fuzz.csv", options);
    std::vector<std::string> fields;
    bool ragged = false;
    while (lenient ? reader.next_lenient(fields, ragged) : reader.next(fields)) {
      if (!ragged && fields.size() != reader.header().size()) __builtin_trap();
    }
  } catch (const smartchurn::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  parse_records(bytes, false);
  parse_records(bytes, true);
  try {
    std::string path = smartchurn::fuzz::write_scratch_file("input.csv", bytes);
    smartchurn::ReadOptions options;
    options.na_tokens = {"Unknown"};
    smartchurn::Dataset dataset = smartchurn::read_dataset(path, options);
    for (const auto& column : dataset.columns) {
      if (dataset.rows() > 0) (void)column.text_at(dataset.rows() - 1);
    }
    (void)dataset.schema();
  } catch (const smartchurn::Error&) {
  }
  return 0;
}
