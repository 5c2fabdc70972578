#include "export/model_view.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "smartchurn/error.h"

namespace smartchurn::exporter {

namespace {

using nlohmann::json;

// A number the bundle wrote, either plain or as "NaN" / "Infinity" / "-Infinity" text.
double number_of(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "NaN") return NAN;
    if (text == "Infinity") return INFINITY;
    if (text == "-Infinity") return -INFINITY;
    char* end = nullptr;
    double parsed = std::strtod(text.c_str(), &end);
    if (end != text.c_str() && *end == '\0') return parsed;
  }
  throw_bad_data("the model bundle holds '" + value.dump() + "' where a number belongs");
}

// The trees the model predicts with, each split on one of the model's `feature_count` inputs.
xgb::TreeEnsemble decode_ensemble(const json& state, std::size_t feature_count) {
  xgb::TreeEnsemble ensemble =
      xgb::decode_booster(state.at("booster"), state.at("rounds").get<int>());
  if (ensemble.features_read() > feature_count) {
    throw_bad_data("a tree of the model bundle splits on a feature the model does not have");
  }
  return ensemble;
}

}  // namespace

int ModelView::input_index(const std::string& column) const {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].schema.name == column) return int(i);
  }
  return -1;
}

ModelView make_model_view(const Bundle& bundle) {
  if (!bundle.model) throw_bad_data("the model bundle holds no model");
  ModelView view;
  try {
    for (const auto& name : bundle.pipeline.input_columns()) {
      int index = bundle.schema.index_of(name);
      if (index < 0) throw_bad_data("input column '" + name + "' is not in the bundle's schema");
      view.inputs.push_back({bundle.schema.columns[std::size_t(index)]});
    }
    view.na_tokens = bundle.schema.na_tokens;
    const json prep = bundle.pipeline.to_json();
    view.features = prep.at("features").get<std::vector<features::Candidate>>();
    if (prep.contains("pca")) {
      view.pca_inputs = prep["pca"].at("inputs").get<std::vector<std::size_t>>();
      view.pca = prep["pca"].at("state").get<features::Pca>();
    }
    int next = 0;
    for (std::size_t i = 0; i < view.features.size(); ++i) {
      bool in_pca = view.pca && std::find(view.pca_inputs.begin(), view.pca_inputs.end(), i) !=
                                    view.pca_inputs.end();
      view.output_of.push_back(in_pca ? -1 : next++);
      for (const auto& source : view.features[i].sources) {
        if (view.input_index(source) < 0) {
          throw_bad_data("feature '" + view.features[i].name + "' reads '" + source +
                         "', which is not an input column");
        }
      }
    }
    for (const auto& info : bundle.pipeline.features()) view.model_inputs.push_back(info.name);
    view.model_name = bundle.model_name;
    view.tiers = bundle.tiers;
    const json state = bundle.model->save();
    switch (bundle.model->kind()) {
      case ModelKind::kLinear: {
        LinearScorer linear;
        linear.coefficients = state.at("coefficients").get<std::vector<double>>();
        linear.intercept = number_of(state.at("intercept"));
        if (linear.coefficients.size() != view.model_inputs.size()) {
          throw_bad_data("the linear model has a weight count unlike its feature count");
        }
        view.linear = std::move(linear);
        break;
      }
      case ModelKind::kTreeEnsemble:
        view.ensemble = decode_ensemble(state, view.model_inputs.size());
        break;
    }
  } catch (const json::exception& e) {
    throw_bad_data(std::string("the model bundle cannot be exported: ") + e.what());
  }
  return view;
}

}  // namespace smartchurn::exporter
