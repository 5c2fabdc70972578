// TreeSHAP through the model's own contributions (Model::contributions: XGBoost's pred_contribs
// for the tree families), so XGBoost stays behind the model interface.
#include "explain/feature_attribution.h"
#include "smartchurn/error.h"
#include "smartchurn/model.h"

namespace smartchurn::explain {

namespace {

class ModelContributions : public FeatureAttribution {
 public:
  ModelContributions(const std::string& model_name, const nlohmann::json& state,
                     std::vector<bool> categorical)
      : model_(create_model(model_name)), categorical_(std::move(categorical)) {
    model_->load(state);
    // Callers split rows between their own threads; one thread each.
    model_->set_threads(1);
  }

  void attribute(const FeatureMatrix& x, double* out) const override {
    model_->contributions(x, categorical_, std::span<double>(out, x.rows * (x.cols + 1)));
  }

 private:
  std::unique_ptr<Model> model_;
  std::vector<bool> categorical_;
};

}  // namespace

std::unique_ptr<FeatureAttribution> tree_attribution(const std::string& model_name,
                                                     const nlohmann::json& state,
                                                     std::vector<bool> categorical) {
  return std::make_unique<ModelContributions>(model_name, state, std::move(categorical));
}

}  // namespace smartchurn::explain
