#include <gtest/gtest.h>

#include <sstream>

#include "smartchurn/export.h"
#include "unit/error_code_of.h"
#include "unit/export/export_test_support.h"

namespace smartchurn {
namespace {

struct CText {
  std::string source, header;
};

CText export_text(const Bundle& bundle, const std::string& prefix = "smartchurn") {
  std::ostringstream source, header;
  export_c(bundle, source, header, prefix, "scorer.h");
  return {source.str(), header.str()};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(CExporter, HeaderDeclaresTheApiWithThePrefixAndTheInputOrder) {
  Bundle bundle = test::export_bundle("lr");
  CText c = export_text(bundle, "acme");
  EXPECT_TRUE(contains(c.header, "#define ACME_INPUT_COUNT " +
                                     std::to_string(bundle.required_columns().size()) + "\n"));
  EXPECT_TRUE(contains(c.header, "#define ACME_FEATURE_COUNT " +
                                     std::to_string(bundle.pipeline.features().size()) + "\n"));
  for (std::size_t i = 0; i < bundle.required_columns().size(); ++i) {
    std::string upper;
    for (char ch : bundle.required_columns()[i]) upper += char(std::toupper(ch));
    EXPECT_TRUE(contains(c.header, "ACME_IN_" + upper + " = " + std::to_string(i) + ","))
        << bundle.required_columns()[i];
  }
  EXPECT_TRUE(contains(c.header, "double acme_predict(const acme_input* in);"));
  EXPECT_TRUE(contains(c.header, "double acme_margin(const acme_input* in);"));
  EXPECT_TRUE(contains(c.header, "const char* acme_risk_tier(double probability);"));
  EXPECT_TRUE(contains(c.header, "void acme_input_init(acme_input* in);"));
  EXPECT_TRUE(contains(c.source, "#include \"scorer.h\""));
  EXPECT_FALSE(contains(c.source, "malloc"));
  EXPECT_FALSE(contains(c.source, "sc_nodes"));  // a linear model has no trees
}

TEST(CExporter, LinearWeightsAndEveryFeatureAppear) {
  Bundle bundle = test::export_bundle("lr");
  CText c = export_text(bundle);
  const std::size_t features = bundle.pipeline.features().size();
  for (std::size_t k = 0; k < features; ++k) {
    EXPECT_EQ(count_of(c.source, "features[" + std::to_string(k) + "] = (float)v;"), 1u) << k;
  }
  const auto state = bundle.model->save();
  std::ostringstream intercept;
  intercept.precision(17);
  intercept << "double margin = " << state["intercept"].get<double>();
  EXPECT_TRUE(contains(c.source, intercept.str())) << intercept.str();
}

TEST(CExporter, TreesBecomeOneTableWithANodePerLine) {
  Bundle bundle = test::export_bundle("rf");
  CText c = export_text(bundle);
  const auto trees =
      bundle.model->save()["booster"]["learner"]["gradient_booster"]["model"]["trees"];
  std::size_t nodes = 0;
  for (const auto& tree : trees) nodes += tree["left_children"].size();
  EXPECT_EQ(trees.size(), 5u);
  EXPECT_TRUE(contains(c.source, "static const sc_node sc_nodes[" + std::to_string(nodes) + "]"));
  EXPECT_EQ(count_of(c.source, "  /* tree "), 5u);
  EXPECT_TRUE(contains(c.source, "static const int sc_tree_roots[5]"));
}

TEST(CExporter, PcaWritesItsTables) {
  Bundle bundle = test::export_bundle("gbm", 2);
  CText c = export_text(bundle);
  EXPECT_TRUE(contains(c.source, "static const double sc_pca_components[2]["));
}

TEST(CExporter, ABadPrefixIsAUsageError) {
  Bundle bundle = test::export_bundle("lr");
  EXPECT_EQ(test::code_of([&] { export_text(bundle, "my-model"); }), ErrorCode::kUsage);
  EXPECT_EQ(test::code_of([&] { export_text(bundle, ""); }), ErrorCode::kUsage);
}

}  // namespace
}  // namespace smartchurn
