#include <gtest/gtest.h>

#include "server/api_error.h"
#include "server/role.h"

namespace smartchurn::server {
namespace {

TEST(ApiError, CarriesStatusCodeAndField) {
  ApiError e(400, "invalid_field", "tenure must be a number", "tenure");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.code(), "invalid_field");
  EXPECT_EQ(e.field(), "tenure");
  EXPECT_STREQ(e.what(), "tenure must be a number");
}

TEST(Role, NamesForMessages) {
  EXPECT_STREQ(to_string(Role::kViewer), "viewer");
  EXPECT_STREQ(to_string(Role::kAdmin), "admin");
}

}  // namespace
}  // namespace smartchurn::server
