// A small seeded customer table and bundles trained on it, for the exporter tests.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "smartchurn/trainer.h"
#include "unit/dataset_builder.h"

namespace smartchurn::test {

inline Dataset export_customers() {
  std::vector<double> tenure, charges, paperless;
  std::vector<std::string> contract, churn;
  uint64_t state = 7;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / 9007199254740992.0;
  };
  const char* contracts[] = {"Month-to-month", "One year", "Two year"};
  for (int i = 0; i < 200; ++i) {
    double t = std::floor(72 * next());
    int k = int(3 * next());
    double c = 20 + 80 * next();
    double risk = 1.0 - t / 20 + (k == 0 ? 1.2 : -1.0) + (c - 60) / 40;
    tenure.push_back(i % 19 == 0 ? NAN : t);
    charges.push_back(std::round(c * 100) / 100);
    paperless.push_back(next() < 0.5 ? 1.0 : 0.0);
    contract.push_back(i % 23 == 0 ? "" : contracts[k]);
    churn.push_back(next() < 1 / (1 + std::exp(-risk)) ? "Yes" : "No");
  }
  return DatasetBuilder()
      .numeric("tenure", tenure)
      .numeric("charges", charges)
      .boolean("paperless", paperless)
      .categorical("contract", contract)
      .categorical("churn", churn)
      .build();
}

inline Bundle export_bundle(const std::string& model, std::size_t pca = 0) {
  TrainOptions o;
  o.target = "churn";
  o.models = {model};
  o.folds = 2;
  o.threads = 1;
  o.prep.pca_components = pca;
  if (model == "rf") o.model_params["rf"] = {{"n_trees", 5}};
  if (model == "gbm") o.model_params["gbm"] = {{"max_rounds", 20}};
  return train(export_customers(), o).bundle;
}

}  // namespace smartchurn::test
