// export_json: the bundle as a self-describing document for people and other tools. Unlike the
// bundle (an internal format that may change), this layout is versioned for outside readers;
// docs/export.md describes it.
#include <cmath>

#include "export/model_view.h"
#include "smartchurn/export.h"

namespace smartchurn {

namespace {

using exporter::ModelView;
using features::Candidate;
using features::FeatureKind;
using nlohmann::json;

// JSON has no NaN or infinity: they are written as text, as the bundle does.
json number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

json describe_inputs(const ModelView& view) {
  json out = json::array();
  for (std::size_t i = 0; i < view.inputs.size(); ++i) {
    const ColumnSchema& s = view.inputs[i].schema;
    json column = {{"index", i}, {"name", s.name}, {"type", to_string(s.type)}};
    if (s.type == ColumnType::kBoolean) {
      column["true_label"] = s.true_label;
      column["false_label"] = s.false_label;
    } else if (s.type == ColumnType::kCategorical) {
      column["levels"] = s.levels;
    }
    out.push_back(std::move(column));
  }
  return out;
}

json describe_feature(const ModelView& view, std::size_t index) {
  const Candidate& c = view.features[index];
  json f = {{"index", index},
            {"name", c.name},
            {"kind", features::to_string(c.kind)},
            {"sources", c.sources}};
  if (!c.lower.empty() || !c.upper.empty()) {
    json caps = json::array();
    for (std::size_t s = 0; s < c.sources.size(); ++s) {
      caps.push_back({{"lower", number(c.lower.empty() ? -INFINITY : c.lower.at(s))},
                      {"upper", number(c.upper.empty() ? INFINITY : c.upper.at(s))}});
    }
    f["caps"] = std::move(caps);
  }
  if (!std::isnan(c.fill)) f["fill"] = number(c.fill);
  f["center"] = number(c.center);
  f["scale"] = number(c.scale);
  if (!c.level.empty()) f["level"] = c.level;
  if (c.kind == FeatureKind::kCategory || (c.kind == FeatureKind::kOneHot && !c.levels.empty())) {
    f["levels"] = c.levels;
  }
  if (view.output_of[index] >= 0) {
    f["model_input"] = view.output_of[index];
  } else {
    f["model_input"] = nullptr;
  }
  return f;
}

json describe_pca(const ModelView& view) {
  const auto& p = *view.pca;
  json components = json::array();
  for (const auto& row : p.components) {
    json weights = json::array();
    for (double w : row) weights.push_back(number(w));
    components.push_back(std::move(weights));
  }
  return {{"inputs", view.pca_inputs},
          {"first_model_input", view.model_inputs.size() - p.components.size()},
          {"mean", p.mean},
          {"scale", p.scale},
          {"components", std::move(components)},
          {"explained_variance_ratio", p.explained_variance_ratio}};
}

// Names of the category codes a model input holds, when it is a native category feature.
std::vector<std::string> category_names(const ModelView& view, int model_input) {
  for (std::size_t i = 0; i < view.features.size(); ++i) {
    if (view.output_of[i] != model_input) continue;
    if (view.features[i].kind != FeatureKind::kCategory) return {};
    auto names = view.features[i].levels;
    names.push_back(features::kOtherLevel);
    return names;
  }
  return {};
}

json describe_tree(const ModelView& view, const std::vector<xgb::TreeNode>& tree) {
  json nodes = json::array();
  for (std::size_t id = 0; id < tree.size(); ++id) {
    const auto& node = tree[id];
    if (node.is_leaf()) {
      nodes.push_back({{"id", id}, {"leaf", number(node.value)}});
      continue;
    }
    json split = {{"id", id},
                  {"feature", node.feature},
                  {"feature_name", view.model_inputs.at(std::size_t(node.feature))},
                  {"missing", node.default_left ? "left" : "right"},
                  {"left", node.left},
                  {"right", node.right}};
    if (node.categorical) {
      split["categories"] = node.categories;
      auto names = category_names(view, node.feature);
      if (!names.empty()) {
        json named = json::array();
        for (int code : node.categories) {
          named.push_back(code >= 0 && std::size_t(code) < names.size() ? names[std::size_t(code)]
                                                                        : std::to_string(code));
        }
        split["category_names"] = std::move(named);
      }
    } else {
      split["threshold"] = number(node.value);
    }
    nodes.push_back(std::move(split));
  }
  return {{"nodes", std::move(nodes)}};
}

json describe_scorer(const ModelView& view) {
  if (view.linear) {
    json weights = json::array();
    for (std::size_t i = 0; i < view.linear->coefficients.size(); ++i) {
      weights.push_back(
          {{"feature", view.model_inputs.at(i)}, {"weight", number(view.linear->coefficients[i])}});
    }
    return {{"type", "logistic_regression"},
            {"intercept", number(view.linear->intercept)},
            {"weights", std::move(weights)}};
  }
  const auto& ensemble = *view.ensemble;
  json trees = json::array();
  for (const auto& tree : ensemble.trees) trees.push_back(describe_tree(view, tree));
  return {{"type", "tree_ensemble"},
          {"base_score", number(ensemble.base_score)},
          {"base_margin", number(xgb::base_margin(ensemble.base_score))},
          {"tree_count", ensemble.trees.size()},
          {"trees", std::move(trees)}};
}

}  // namespace

json export_json(const Bundle& bundle) {
  const ModelView view = exporter::make_model_view(bundle);
  json features = json::array();
  for (std::size_t i = 0; i < view.features.size(); ++i)
    features.push_back(describe_feature(view, i));
  json out = {
      {"format", "smartchurn-model-description"},
      {"format_version", kExportJsonFormat},
      {"generated_by", std::string("smartchurn ") + SMARTCHURN_VERSION},
      {"model",
       {{"family", view.model_name},
        {"style", bundle.pipeline.style() == InputStyle::kTree ? "tree" : "scaled_one_hot"}}},
      {"provenance", bundle.provenance},
      {"target",
       {{"column", bundle.target_column},
        {"positive_label", bundle.positive_label},
        {"negative_label", bundle.negative_label}}},
      {"risk_tiers", {{"medium", view.tiers.medium}, {"high", view.tiers.high}}},
      {"missing_values",
       {{"tokens", {"", "NA", "N/A", "null", "NaN", "?"}}, {"extra_tokens", view.na_tokens}}},
      {"inputs", describe_inputs(view)},
      {"features", std::move(features)},
      {"model_inputs", view.model_inputs},
      {"scorer", describe_scorer(view)},
      {"metrics", bundle.metrics},
  };
  if (view.pca) out["pca"] = describe_pca(view);
  return out;
}

}  // namespace smartchurn
