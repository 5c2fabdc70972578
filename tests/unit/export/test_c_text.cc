#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "export/c_text.h"

namespace smartchurn::exporter {
namespace {

TEST(CText, StringLiteralsEscapeQuotesBackslashesTrigraphsAndBytes) {
  EXPECT_EQ(c_string("Month-to-month"), "\"Month-to-month\"");
  EXPECT_EQ(c_string("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
  EXPECT_EQ(c_string("?"
                     "?/"),
            "\"\\?\\?/\"");
  EXPECT_EQ(c_string("caf\xc3\xa9\n"), "\"caf\\303\\251\\012\"");
}

TEST(CText, CommentsCannotCloseOrNest) {
  EXPECT_EQ(c_comment("a */ b /* c"), "a *_ b /_ c");
  EXPECT_EQ(c_comment("tab\there?"), "tab_here_");
}

TEST(CText, IdentifiersAreUpperCasedWithUnderscores) {
  EXPECT_EQ(c_identifier_upper("Total Charges (USD)"), "TOTAL_CHARGES__USD_");
  EXPECT_TRUE(is_c_identifier("smartchurn_v2"));
  EXPECT_TRUE(is_c_identifier("_x"));
  EXPECT_FALSE(is_c_identifier("9lives"));
  EXPECT_FALSE(is_c_identifier("a-b"));
  EXPECT_FALSE(is_c_identifier(""));
}

TEST(CText, DoublesReadBackExactly) {
  EXPECT_EQ(c_double(1.0), "1.0");
  EXPECT_EQ(c_double(-0.5), "-0.5");
  EXPECT_EQ(c_double(NAN), "NAN");
  EXPECT_EQ(c_double(-INFINITY), "(-HUGE_VAL)");
  for (double value : {0.1, 1.0 / 3.0, -123456.789e-200, 6.02214076e23}) {
    EXPECT_EQ(std::strtod(c_double(value).c_str(), nullptr), value) << c_double(value);
  }
}

TEST(CText, FloatsReadBackExactlyWithTheSuffix) {
  EXPECT_EQ(c_float(2.0f), "2.0f");
  EXPECT_EQ(c_float(0.5f), "0.5f");
  EXPECT_EQ(c_float(HUGE_VALF), "HUGE_VALF");
  for (float value : {0.1f, 0.42986369f, -1.3093525f, 3.4e38f}) {
    std::string text = c_float(value);
    ASSERT_EQ(text.back(), 'f');
    EXPECT_EQ(std::strtof(text.c_str(), nullptr), value) << text;
  }
}

}  // namespace
}  // namespace smartchurn::exporter
