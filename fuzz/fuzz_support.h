// What the fuzz targets share: a scratch directory for the process, small seeded demo data and a
// model bundle trained once on it, so every input is scored against real preparation and trees.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "smartchurn/bundle.h"

namespace smartchurn::fuzz {

// A directory made at the first call and removed when the process exits normally.
const std::string& scratch_directory();

// Writes `bytes` to `name` inside the scratch directory (replacing it) and returns the path.
std::string write_scratch_file(const std::string& name, std::string_view bytes);

// The seeded demo customer base (rows lines after the header) as CSV text.
std::string demo_csv(std::size_t rows);

// A bundle of `model` ("lr", "rf" or "gbm") trained on 400 demo customers with 2 folds, without
// the global view: a second or so, once per process.
Bundle train_demo_bundle(const std::string& model);

}  // namespace smartchurn::fuzz

// The libFuzzer entry points every target defines (the replay driver calls them too).
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
