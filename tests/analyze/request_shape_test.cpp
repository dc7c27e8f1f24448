// Request shapes (analyze/beacon/request_shape.h): each path segment and query value by its class
// (N digits, H hex of 8 or more, B encoded of 16 or more mixing letters and digits, w anything
// else), the extension and the parameter names kept; and how alike two shapes are.
#include "analyze/beacon/request_shape.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ashiato::analyze::beacon {
namespace {

TEST(RequestShape, AnImplantsCallsToDifferentSitesHaveOneShape) {
  // The same implant calling two compromised sites: different words, the same shape.
  EXPECT_EQ(request_shape("/wp-content/themes/tabi/inc/news.php", "id=aGVsbG8gd29ybGQxMjM0NTY&t=1433116800"),
            "/w/w/w/w/w.php?id=B&t=N");
  EXPECT_EQ(request_shape("/blog/wp-includes/js/tinymce/top.php", "t=1433117400&id=ZXhhbXBsZTEyMzQ1Njc4OQ"),
            "/w/w/w/w/w.php?id=B&t=N");
}

TEST(RequestShape, SegmentsByTheirClass) {
  EXPECT_EQ(request_shape("/123/0456789", ""), "/N/N");
  EXPECT_EQ(request_shape("/deadbeef", ""), "/H");                    // 8 hex: H
  EXPECT_EQ(request_shape("/deadbee", ""), "/w");                     // 7 hex: too short
  EXPECT_EQ(request_shape("/DEADBEEF0123", ""), "/H");                // upper case hex too
  EXPECT_EQ(request_shape("/YWJjZGVmZ2hpamtsbW5vcA1", ""), "/B");     // 23 letters and digits
  EXPECT_EQ(request_shape("/a1b2c3d4e5f6g7h", ""), "/w");             // 15: too short for B
  EXPECT_EQ(request_shape("/a1b2c3d4e5f6g7h8", ""), "/B");            // 16
  EXPECT_EQ(request_shape("/abcdefghijklmnopqrstuvwxyz", ""), "/w");  // no digits: a word
  EXPECT_EQ(request_shape("/aGVsbG8_d29y-bGQx%3D%3D", ""), "/B");     // URL-safe base64, escapes
  EXPECT_EQ(request_shape("/images/logo-2015.png", ""), "/w/w.png");
}

TEST(RequestShape, ExtensionsOfTheLastSegmentOnly) {
  EXPECT_EQ(request_shape("/Index.PHP", ""), "/w.php");    // lower case
  EXPECT_EQ(request_shape("/12345.jpg", ""), "/N.jpg");    // the stem by its class
  EXPECT_EQ(request_shape("/v1.2/status", ""), "/w/w");    // a dot in a folder is no extension
  EXPECT_EQ(request_shape("/backup.tar-gz", ""), "/w");    // not letters and digits
  EXPECT_EQ(request_shape("/archive.toolong", ""), "/w");  // longer than 5
  EXPECT_EQ(request_shape("/.htaccess", ""), "/w");        // a dot file has no stem
  EXPECT_EQ(request_shape("/deadbeefcafe.bin", ""), "/H.bin");
}

TEST(RequestShape, RootsEmptySegmentsAndTrailingSlashes) {
  EXPECT_EQ(request_shape("/", ""), "/");
  EXPECT_EQ(request_shape("", ""), "/");
  EXPECT_EQ(request_shape("//a//b", ""), "/w/w");  // empty segments skipped
  EXPECT_EQ(request_shape("/a/b/", ""), "/w/w/");  // a folder stays a folder
  EXPECT_EQ(request_shape("/", "q=1"), "/?q=N");
}

TEST(RequestShape, TheQueryInThePathOrApart) {
  EXPECT_EQ(request_shape("/news.php?id=5", ""), "/w.php?id=N");
  // A separate query wins over one left in the path.
  EXPECT_EQ(request_shape("/news.php?x=abc", "id=5"), "/w.php?id=N");
}

TEST(RequestShape, AbsoluteFormTargetsOfProxyLogs) {
  EXPECT_EQ(request_shape("http://c2.example.jp/inc/news.php?id=123", ""), "/w/w.php?id=N");
  EXPECT_EQ(request_shape("http://203.0.113.5", ""), "/");
  EXPECT_EQ(request_shape("https://c2.example.jp/", ""), "/");
  EXPECT_EQ(request_shape("http://c2.example.jp:8080/a/b.php", "k=v"), "/w/w.php?k=w");
}

TEST(RequestShape, ParametersLowerCasedSortedAndOnce) {
  EXPECT_EQ(request_shape("/a", "Zeta=1&alpha=x&ALPHA=y&mid=deadbeef00"), "/w?alpha=w&mid=H&zeta=N");
  EXPECT_EQ(request_shape("/a", "flag&x=&&y=2"), "/w?flag=&x=&y=N");  // no value, empty value, empty item
  // A repeated name counts once, with the first class after sorting.
  EXPECT_EQ(request_shape("/a", "v=word&v=1"), "/w?v=N");
  EXPECT_EQ(request_shape("/a", "v=word&V=other"), "/w?v=w");
}

TEST(RequestShape, AQueryThatIsItselfDataIsKeptByItsClass) {
  EXPECT_EQ(request_shape("/gate.php", "aGVsbG8gd29ybGQxMjM0NTY"), "/w.php?B=");
  EXPECT_EQ(request_shape("/gate.php", "aGVsbG8gd29ybGQxMjM0NTY="), "/w.php?B=");  // base64 padding
  EXPECT_EQ(request_shape("/gate.php", "0123456789abcdef0123=1"), "/w.php?H=N");
  // Any name longer than 24 characters is data, not a parameter name.
  EXPECT_EQ(request_shape("/gate.php", "thisisaverylongparametername=1"), "/w.php?w=N");
}

TEST(ShapeSimilarity, EqualShapesAreOne) {
  EXPECT_DOUBLE_EQ(shape_similarity("/w/w/w.php?id=B", "/w/w/w.php?id=B"), 1.0);
  EXPECT_DOUBLE_EQ(shape_similarity("/", "/"), 1.0);
}

TEST(ShapeSimilarity, ByDepthExtensionParameterNamesAndValueClasses) {
  // One parameter more: names 1 of 2 alike (0.3 × 0.5), the common one of the same class.
  EXPECT_DOUBLE_EQ(shape_similarity("/w/w/w.php?id=B", "/w/w/w.php?id=B&t=N"), 0.25 + 0.25 + 0.15 + 0.2);
  // The same name, another class.
  EXPECT_DOUBLE_EQ(shape_similarity("/w/w/w.php?id=B", "/w/w/w.php?id=N"), 0.25 + 0.25 + 0.3);
  // Another extension.
  EXPECT_DOUBLE_EQ(shape_similarity("/w/w/w.php?id=B", "/w/w/w.asp?id=B"), 0.25 + 0.3 + 0.2);
  // One segment deeper: depth 2/3.
  EXPECT_DOUBLE_EQ(shape_similarity("/w/w/w.php?id=B", "/w/w/w/w.php?id=B"), 0.25 * (2.0 / 3) + 0.25 + 0.3 + 0.2);
  // Nothing alike but a little depth: "/" is one deep, the other three.
  EXPECT_DOUBLE_EQ(shape_similarity("/w/w/w.php?id=B", "/"), 0.25 * (1.0 / 3));
  // Four or more segments apart: depth 0.
  EXPECT_DOUBLE_EQ(shape_similarity("/w/w/w/w/w.php?id=B", "/w.php?q=w"), 0.25);
  // Without parameters on either side, names and classes count as alike.
  EXPECT_DOUBLE_EQ(shape_similarity("/w/w.js", "/N/H.js"), 1.0);
}

TEST(ShapeSimilarity, SymmetricAndWithinZeroAndOne) {
  const std::vector<std::string> shapes = {"/",          "/w",         "/w/w/w.php?id=B",  "/w/w/w.php?id=B&t=N",
                                           "/N/H.js",    "/w?B=",      "/w/w/?a=&b=w&c=N", "/w/w/w/w/w/w/w.aspx",
                                           "/w.php?id=", "/w/?x=H&y=H"};
  for (const auto& a : shapes) {
    for (const auto& b : shapes) {
      const double ab = shape_similarity(a, b), ba = shape_similarity(b, a);
      EXPECT_DOUBLE_EQ(ab, ba) << a << " / " << b;
      EXPECT_GE(ab, 0.0) << a << " / " << b;
      EXPECT_LE(ab, 1.0) << a << " / " << b;
    }
  }
}

TEST(ShapeSimilarity, OfShapesMadeByRequestShape) {
  const std::string implant = request_shape("/wp/inc/news.php", "id=aGVsbG8gd29ybGQxMjM0NTY");
  const std::string other_site = request_shape("/blog/img/top.php", "id=ZXhhbXBsZTEyMzQ1Njc4OQ");
  const std::string update_check = request_shape("/api/v2/status", "client=chrome&version=124");
  EXPECT_EQ(implant, "/w/w/w.php?id=B");
  EXPECT_DOUBLE_EQ(shape_similarity(implant, other_site), 1.0);
  EXPECT_LT(shape_similarity(implant, update_check), 0.3);
}

}  // namespace
}  // namespace ashiato::analyze::beacon
