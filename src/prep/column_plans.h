// Single-column preparation learnt from training rows: caps, imputation, missing indicators and
// categorical encoding, as candidate features.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "features/candidate.h"
#include "smartchurn/pipeline.h"

namespace smartchurn::prep {

// The candidate features the plans are made of live one layer down, in features/ (combined
// features, selection and PCA build on them too; the Pipeline here composes all of it).
using features::Candidate;
using features::FeatureKind;

// Candidates for one input column; `y_rows[i]` is the label of `rows[i]`. Notes on what was done
// (caps, rare levels) are appended to `notes`.
std::vector<Candidate> plan_column(const Column& column, std::span<const float> y_rows,
                                   std::span<const std::size_t> rows, const PrepOptions& options,
                                   nlohmann::json& notes);

}  // namespace smartchurn::prep
