// A fresh temporary directory per store test, and small record builders.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "smartchurn/store.h"
#include "test_support/temp_dir.h"

namespace smartchurn::test {

class StoreTest : public ::testing::Test {
 protected:
  std::string db_path() const { return temp_.file("smartchurn.db"); }

  TempDir temp_{"smartchurn-store"};
  std::string dir_ = temp_.path();
};

inline ModelRecord model_named(const std::string& name) {
  ModelRecord model;
  model.name = name;
  model.algorithm = "gbm";
  model.bundle_path = "/models/" + name + ".json";
  return model;
}

inline ScoredCustomer score_of(const std::string& customer_id, int64_t model_id, double probability,
                               const std::string& tier, const std::string& scored_at = "") {
  ScoredCustomer score;
  score.customer_id = customer_id;
  score.model_id = model_id;
  score.probability = probability;
  score.tier = tier;
  score.inputs = {{"id", customer_id}};
  score.scored_at = scored_at;
  return score;
}

}  // namespace smartchurn::test
