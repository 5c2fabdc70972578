#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "server/server_fixture.h"
#include "server/static_files.h"
#include "smartchurn/error.h"
#include "unit/error_code_of.h"

namespace smartchurn::server {
namespace {

class StaticFilesDirect : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = root_.file("site");
    std::filesystem::create_directories(site_ / "css");
    std::ofstream(site_ / "index.html") << "shell";
    std::ofstream(site_ / "css" / "app.css") << "body{}";
    std::ofstream(root_.file("secret.txt")) << "secret";
    std::ofstream(root_.file("site-private.txt")) << "secret";
    std::filesystem::create_symlink(root_.file("secret.txt"), site_ / "link.txt");
    std::filesystem::create_directory_symlink(root_.path(), site_ / "up");
  }
  test::TempDir root_;
  std::filesystem::path site_;
};

TEST_F(StaticFilesDirect, ServesFilesWithTheirType) {
  const StaticFiles files(site_.string());
  const Response css = files.serve("/css/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.body, "body{}");
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(files.serve("/").body, "shell");
  EXPECT_EQ(files.serve("/css/./app.css").body, "body{}");
  // The dashboard routes in the fragment (/#/customers/12): other paths are no page of it.
  for (const std::string missing : {"/customers/12", "/css", "/metrics", "/nope.png"}) {
    const Response response = files.serve(missing);
    EXPECT_EQ(response.status, 404) << missing;
    EXPECT_EQ(response.content_type, "text/plain; charset=utf-8") << missing;
  }
}

TEST_F(StaticFilesDirect, NeverLeavesTheDirectory) {
  const StaticFiles files(site_.string());
  for (const std::string& path : std::vector<std::string>{
           "/../secret.txt", "/css/../../secret.txt", "/..", "/../site-private.txt", "/link.txt",
           "/up/secret.txt", "/css\\..\\..\\secret.txt", std::string("/a\0b.txt", 8)}) {
    const Response response = files.serve(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_NE(response.body, "secret") << path;
  }
}

TEST(StaticFiles, MissingDirectoryIsIo) {
  EXPECT_EQ(smartchurn::test::code_of([] { StaticFiles("/nonexistent/static/dir"); }),
            ErrorCode::kIo);
}

TEST(StaticFiles, ContentTypes) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("blob"), "application/octet-stream");
}

}  // namespace
}  // namespace smartchurn::server
