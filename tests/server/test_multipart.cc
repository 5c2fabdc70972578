// The streaming multipart parser: every split of the body into pieces gives the same parts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/api_error.h"
#include "server/multipart.h"

namespace smartchurn::server {
namespace {

struct Parsed {
  std::vector<FormPart> parts;
  std::vector<std::string> contents;
};

// Feeds `body` in pieces of `piece` bytes (0: all at once).
Parsed parse(const std::string& boundary, const std::string& body, std::size_t piece = 0,
             MultipartLimits limits = {}) {
  Parsed out;
  MultipartParser parser(
      boundary,
      [&](const FormPart& part) {
        out.parts.push_back(part);
        out.contents.emplace_back();
      },
      [&](const char* data, std::size_t size) { out.contents.back().append(data, size); }, limits);
  if (piece == 0) piece = body.size() + 1;
  for (std::size_t at = 0; at < body.size(); at += piece) {
    parser.feed(std::string_view(body).substr(at, piece));
  }
  parser.finish();
  return out;
}

std::string error_of(const std::string& boundary, const std::string& body,
                     MultipartLimits limits = {}) {
  try {
    parse(boundary, body, 0, limits);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    return e.what();
  }
  return "no error";
}

const std::string kForm =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
    "first batch\r\n"
    "--XyZ\r\n"
    "content-disposition: form-data; name=\"file\"; filename=\"a;b \\\"q\\\".csv\"\r\n"
    "Content-Type: text/csv\r\n\r\n"
    "id,churn\r\n1,Yes --XyZ inline\r\n-\r\n--X\r\n"
    "--XyZ  \r\n"
    "Content-Disposition: form-data; name=target\r\n\r\n"
    "churn\r\n"
    "--XyZ--\r\nepilogue";

TEST(Multipart, EverySplitGivesTheSameParts) {
  for (std::size_t piece : {0, 1, 2, 3, 5, 7, 13, 64}) {
    const Parsed parsed = parse("XyZ", kForm, piece);
    ASSERT_EQ(parsed.parts.size(), 3u) << piece;
    EXPECT_EQ(parsed.parts[0].name, "note");
    EXPECT_EQ(parsed.contents[0], "first batch");
    EXPECT_EQ(parsed.parts[1].name, "file");
    EXPECT_EQ(parsed.parts[1].filename, "a;b \"q\".csv");
    EXPECT_EQ(parsed.parts[1].content_type, "text/csv");
    EXPECT_EQ(parsed.contents[1], "id,churn\r\n1,Yes --XyZ inline\r\n-\r\n--X") << piece;
    EXPECT_EQ(parsed.parts[2].name, "target");
    EXPECT_EQ(parsed.contents[2], "churn");
  }
}

TEST(Multipart, FirstBoundaryAtTheStartAndEmptyParts) {
  const Parsed parsed =
      parse("b", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n--b--");
  ASSERT_EQ(parsed.parts.size(), 1u);
  EXPECT_EQ(parsed.contents[0], "");
}

TEST(Multipart, ExtendedFilename) {
  const Parsed parsed =
      parse("b",
            "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"plain.csv\"; "
            "filename*=UTF-8''Zo%C3%AB.csv\r\n\r\nx\r\n--b--\r\n");
  ASSERT_EQ(parsed.parts.size(), 1u);
  EXPECT_EQ(parsed.parts[0].filename, "Zo\xC3\xAB.csv");
}

TEST(Multipart, MalformedFormsNameTheProblem) {
  EXPECT_NE(error_of("b", "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nabc")
                .find("final boundary is missing"),
            std::string::npos);
  EXPECT_NE(error_of("b", "no boundary here at all").find("no boundary"), std::string::npos);
  EXPECT_NE(error_of("b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--")
                .find("no Content-Disposition"),
            std::string::npos);
  EXPECT_NE(error_of("b", "--b\r\nContent-Disposition: form-data; name=\"x\r\n\r\nx\r\n--b--")
                .find("unclosed quote"),
            std::string::npos);
  EXPECT_NE(error_of("b", "--b\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b--")
                .find("not form-data"),
            std::string::npos);
  EXPECT_NE(error_of("b", "--bjunk\r\n").find("not followed by a line break"), std::string::npos);
  EXPECT_NE(error_of("b", "--b\r\nno colon here\r\n\r\nx\r\n--b--").find("without a name"),
            std::string::npos);
}

TEST(Multipart, LimitsOnHeadersPartsAndPreamble) {
  MultipartLimits limits;
  limits.max_part_header_bytes = 100;
  const std::string long_header = "--b\r\nContent-Disposition: form-data; name=\"" +
                                  std::string(200, 'n') + "\"\r\n\r\nx\r\n--b--";
  EXPECT_NE(error_of("b", long_header, limits).find("longer than 100 bytes"), std::string::npos);

  limits = {};
  limits.max_parts = 2;
  std::string many;
  for (int i = 0; i < 3; ++i) many += "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n";
  EXPECT_NE(error_of("b", many + "--b--", limits).find("more than 2 parts"), std::string::npos);

  limits = {};
  limits.max_preamble_bytes = 10;
  EXPECT_NE(error_of("b", std::string(100, 'p') + "\r\n--b--", limits).find("before the first"),
            std::string::npos);
}

TEST(Multipart, BoundaryFromTheContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; BOUNDARY=\"a b;c\""), "a b;c");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary="), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')),
            std::nullopt);
}

TEST(Multipart, CallbackErrorsStopTheParser) {
  MultipartParser parser(
      "b", [](const FormPart&) {},
      [](const char*, std::size_t) { throw std::runtime_error("full"); });
  EXPECT_THROW(parser.feed("--b\r\nContent-Disposition: form-data; name=x\r\n\r\n" +
                           std::string(100, 'x') + "\r\n--b--"),
               std::runtime_error);
}

}  // namespace
}  // namespace smartchurn::server
