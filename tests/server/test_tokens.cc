#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "server/tokens.h"
#include "smartchurn/error.h"
#include "test_support/temp_dir.h"

namespace smartchurn::server {
namespace {

class TokensTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    const std::string path = dir_.file(std::to_string(written_++) + ".txt");
    std::ofstream(path) << text;
    return path;
  }
  smartchurn::test::TempDir dir_{"smartchurn-tokens"};
  int written_ = 0;
};

// The Error a load throws; "no error" when it does not throw.
Error load_error(const std::string& path) {
  try {
    (void)Tokens::load(path);
  } catch (const Error& e) {
    return e;
  }
  return Error(ErrorCode::kInternal, "no error");
}

TEST_F(TokensTest, LoadsRolesSkippingCommentsAndBlankLines) {
  const Tokens tokens =
      Tokens::load(write("# team tokens\n"
                         "\n"
                         "view-123 viewer Alice\n"
                         "  ana-456\tanalyst   # the analysts\n"
                         "adm-789 admin Bob the admin\n"));
  EXPECT_TRUE(tokens.enabled());
  EXPECT_EQ(tokens.role_for("Bearer view-123"), Role::kViewer);
  EXPECT_EQ(tokens.role_for("Bearer ana-456"), Role::kAnalyst);
  EXPECT_EQ(tokens.role_for("bearer   adm-789 "), Role::kAdmin);
}

TEST_F(TokensTest, UnknownOrMalformedAuthorizationIsNone) {
  const Tokens tokens = Tokens::load(write("view-123 viewer\n"));
  for (const std::string header :
       {"", "Bearer", "Bearer ", "Bearer view-12", "Bearer view-1234", "Basic view-123", "view-123",
        "Bearerview-123", "Bearer VIEW-123"}) {
    EXPECT_EQ(tokens.role_for(header), Role::kNone) << header;
  }
}

TEST_F(TokensTest, BadLineNamesFileAndLine) {
  const std::string path = write("good-1 viewer\n\nlonely-token\n");
  const Error error = load_error(path);
  EXPECT_EQ(error.code(), ErrorCode::kBadData);
  EXPECT_EQ(error.where().file, path);
  EXPECT_EQ(error.where().line, 3u);
}

TEST_F(TokensTest, UnknownRoleIsNamed) {
  const Error error = load_error(write("# c\ntok-1 superuser\n"));
  EXPECT_EQ(error.code(), ErrorCode::kBadData);
  EXPECT_EQ(error.where().line, 2u);
  EXPECT_NE(error.message().find("superuser"), std::string::npos);
}

TEST_F(TokensTest, DuplicateTokenAndEmptyFileAreBadData) {
  EXPECT_EQ(load_error(write("a viewer\na admin\n")).where().line, 2u);
  EXPECT_EQ(load_error(write("a viewer\na admin\n")).code(), ErrorCode::kBadData);
  EXPECT_EQ(load_error(write("# nobody\n")).code(), ErrorCode::kBadData);
}

TEST_F(TokensTest, MissingFileIsIo) {
  EXPECT_EQ(load_error("/nonexistent/dir/tokens.txt").code(), ErrorCode::kIo);
}

TEST(Tokens, AllowAllMakesEveryCallerAdmin) {
  const Tokens tokens = Tokens::allow_all();
  EXPECT_FALSE(tokens.enabled());
  EXPECT_EQ(tokens.role_for(""), Role::kAdmin);
  EXPECT_EQ(tokens.role_for("Bearer anything"), Role::kAdmin);
}

}  // namespace
}  // namespace smartchurn::server
