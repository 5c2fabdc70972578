// A fresh temporary directory per store test, and small record builders.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "smartchurn/store.h"

namespace smartchurn::test {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "smartchurn-store-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string db_path() const { return (std::filesystem::path(dir_) / "smartchurn.db").string(); }

  std::string dir_;
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
