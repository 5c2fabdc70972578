#include "unit/explain/explain_test_support.h"

#include <gtest/gtest.h>

namespace smartchurn::test {
namespace {

class BundleCacheCleaner : public ::testing::Environment {
 public:
  void TearDown() override { bundle_cache().clear(); }
};

// gtest owns registered environments.
const ::testing::Environment* const kCleaner =
    ::testing::AddGlobalTestEnvironment(new BundleCacheCleaner);

}  // namespace
}  // namespace smartchurn::test
