#include "export/model_view.h"

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

std::vector<TreeNode> decode_tree(const json& tree, std::size_t feature_count) {
  const auto& left = tree.at("left_children");
  const auto& right = tree.at("right_children");
  const auto& split_index = tree.at("split_indices");
  const auto& condition = tree.at("split_conditions");
  const auto& default_left = tree.at("default_left");
  const json no_types = json::array();
  const auto& split_type = tree.contains("split_type") ? tree["split_type"] : no_types;
  const std::size_t count = left.size();
  if (right.size() != count || split_index.size() != count || condition.size() != count ||
      default_left.size() != count || (!split_type.empty() && split_type.size() != count)) {
    throw_bad_data("a tree of the model bundle has arrays of different lengths");
  }
  std::vector<TreeNode> nodes(count);
  for (std::size_t i = 0; i < count; ++i) {
    TreeNode& node = nodes[i];
    node.left = left[i].get<int>();
    node.right = right[i].get<int>();
    node.feature = split_index[i].get<int>();
    node.value = static_cast<float>(number_of(condition[i]));
    node.default_left = default_left[i].get<int>() != 0;
    node.categorical = !split_type.empty() && split_type[i].get<int>() == 1;
    bool children_ok = node.left < 0
                           ? node.right < 0
                           : node.left < int(count) && node.right >= 0 && node.right < int(count) &&
                                 node.left > int(i) && node.right > int(i);
    bool feature_ok =
        node.is_leaf() || (node.feature >= 0 && std::size_t(node.feature) < feature_count);
    if (!children_ok || !feature_ok) throw_bad_data("a tree of the model bundle is malformed");
  }
  if (tree.contains("categories_nodes")) {
    const auto& cat_nodes = tree["categories_nodes"];
    const auto& segments = tree.at("categories_segments");
    const auto& sizes = tree.at("categories_sizes");
    const auto& categories = tree.at("categories");
    for (std::size_t k = 0; k < cat_nodes.size(); ++k) {
      auto node = cat_nodes[k].get<std::size_t>();
      auto begin = segments.at(k).get<std::size_t>();
      auto size = sizes.at(k).get<std::size_t>();
      if (node >= count || begin + size > categories.size()) {
        throw_bad_data("a categorical split of the model bundle is malformed");
      }
      for (std::size_t c = begin; c < begin + size; ++c) {
        nodes[node].categories.push_back(categories[c].get<int>());
      }
    }
  }
  return nodes;
}

TreeEnsemble decode_ensemble(const json& state, std::size_t feature_count) {
  const auto& learner = state.at("booster").at("learner");
  const auto& booster = learner.at("gradient_booster");
  if (booster.value("name", std::string("gbtree")) != "gbtree") {
    throw_bad_data("only gbtree boosters can be exported, not " + booster.value("name", ""));
  }
  const auto& model = booster.at("model");
  TreeEnsemble ensemble;
  ensemble.base_score =
      static_cast<float>(number_of(learner.at("learner_model_param").at("base_score")));
  const auto& param = model.at("gbtree_model_param");
  const int parallel =
      param.contains("num_parallel_tree") ? int(number_of(param["num_parallel_tree"])) : 1;
  const int rounds = state.at("rounds").get<int>();
  const auto& trees = model.at("trees");
  const std::size_t used = std::size_t(rounds) * std::size_t(std::max(parallel, 1));
  if (rounds < 1 || used > trees.size()) {
    throw_bad_data("the model bundle predicts with more trees than it holds");
  }
  for (std::size_t t = 0; t < used; ++t)
    ensemble.trees.push_back(decode_tree(trees[t], feature_count));
  return ensemble;
}

}  // namespace

int ModelView::input_index(const std::string& column) const {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].schema.name == column) return int(i);
  }
  return -1;
}

float base_margin(float base_score) { return -std::log(1.0f / base_score - 1.0f); }

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
    view.features = prep.at("features").get<std::vector<prep::Candidate>>();
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
    if (state.contains("coefficients")) {
      LinearScorer linear;
      linear.coefficients = state.at("coefficients").get<std::vector<double>>();
      linear.intercept = number_of(state.at("intercept"));
      if (linear.coefficients.size() != view.model_inputs.size()) {
        throw_bad_data("the linear model has a weight count unlike its feature count");
      }
      view.linear = std::move(linear);
    } else if (state.contains("booster")) {
      view.ensemble = decode_ensemble(state, view.model_inputs.size());
    } else {
      throw_bad_data("model '" + bundle.model_name + "' cannot be exported");
    }
  } catch (const json::exception& e) {
    throw_bad_data(std::string("the model bundle cannot be exported: ") + e.what());
  }
  return view;
}

}  // namespace smartchurn::exporter
