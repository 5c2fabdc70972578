// What a Scorer holds: the compiled model, the library pipeline for Dataset scoring, and the parts
// of the bundle the batch path reads files with.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compiled_model.h"
#include "smartchurn/scorer.h"

namespace smartchurn {

struct Scorer::Impl {
  engine::CompiledModel model;
  Pipeline pipeline;  // Dataset scoring reuses the library's column-wise transform
  Schema schema;
  std::vector<std::string> id_columns;
  std::vector<std::string> optional_columns;
  RiskTiers tiers;

  explicit Impl(const Bundle& bundle);
  double margin_of(std::span<const std::string_view> fields) const;
};

}  // namespace smartchurn
