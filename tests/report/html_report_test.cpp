// The HTML report page: self-contained (no reference to anything outside the file), carries the
// report data, and no string from the data can end its script element. The page's behaviour in a
// browser is tested by tests/e2e/report_test.mjs.
#include "report/html_report.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "test_support.h"

namespace ashiato::report {
namespace {

constexpr std::string_view kDataOpen = R"(<script type="application/json" id="report-data">)";

std::string fixture() {
  return test::read_file(std::filesystem::path(ASHIATO_SOURCE_DIR) / "tests/e2e/report_fixture.json");
}

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The page split into the report data and everything else (markup, styles, scripts).
struct Page {
  std::string data, rest;
};

Page split(const std::string& html) {
  const std::size_t open = html.find(kDataOpen);
  EXPECT_NE(open, std::string::npos);
  if (open == std::string::npos) return {"", html};
  const std::size_t begin = open + kDataOpen.size();
  const std::size_t end = lower(html).find("</script", begin);
  EXPECT_NE(end, std::string::npos);
  return {html.substr(begin, end - begin), html.substr(0, begin) + html.substr(end)};
}

// Every src=/href= value and CSS url() that leads off the page: anything but a #fragment or a
// data: URL. Scanned by hand because std::regex recurses per character on half a megabyte.
std::vector<std::string> external_references(const std::string& text) {
  std::vector<std::string> found;
  const std::string low = lower(text);
  for (std::string_view attribute : {"src=", "href=", "url(", "@import", "<link", "<iframe", "<object", "<embed"}) {
    for (std::size_t at = low.find(attribute); at != std::string::npos; at = low.find(attribute, at + 1)) {
      std::size_t v = at + attribute.size();
      while (v < low.size() && (low[v] == '"' || low[v] == '\'' || low[v] == ' ')) ++v;
      const std::string_view value = std::string_view(low).substr(v, 8);
      const bool local = value.starts_with("#") || value.starts_with("data:");
      // Script code such as `e.src=t` is not markup; a URL in it would start with a scheme or //.
      const bool url = value.starts_with("http:") || value.starts_with("https:") || value.starts_with("//") ||
                       value.starts_with("file:") || value.starts_with("ftp:");
      const bool tag = attribute.front() == '<' || attribute.front() == '@';
      if (!local && (url || tag)) found.push_back(text.substr(at, 60));
    }
  }
  return found;
}

std::string unescape_script_json(std::string text) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"<\\/", "</"}, {"\\u003c", "<"}}) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  }
  return text;
}

TEST(HtmlReport, EscapesWhatCouldEndTheScriptElement) {
  EXPECT_EQ(escape_json_for_script(R"({"h":"</script><img src=x>"})"), R"({"h":"<\/script><img src=x>"})");
  EXPECT_EQ(escape_json_for_script(R"(["<!--<script>"])"), R"(["\u003c!--<script>"])");
  EXPECT_EQ(escape_json_for_script(R"(["a<b", "</", "<"])"), R"(["a<b", "<\/", "<"])");
  EXPECT_EQ(escape_json_for_script("<</SCRIPT"), "<<\\/SCRIPT");
  EXPECT_EQ(escape_json_for_script(""), "");
}

TEST(HtmlReport, TemplateIsSelfContained) {
  const std::string html = render_html_report("{}");
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  EXPECT_EQ(count(html, "@ASHIATO_REPORT_JSON@"), 0u);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos) << "the content security policy is missing";
  // Every script is inline: the page needs no file but itself.
  EXPECT_EQ(count(lower(html), "<script src"), 0u);
  EXPECT_NE(html.find("cytoscape"), std::string::npos);
  for (const std::string& ref : external_references(html)) ADD_FAILURE() << "external reference: " << ref;
}

TEST(HtmlReport, EmbedsTheFixtureSafely) {
  const std::string json = fixture();
  ASSERT_NE(json.find("</script><img src=x onerror=alert(1)>"), std::string::npos) << "fixture lost its hostile host";
  const std::string html = render_html_report(json);

  const std::filesystem::path out = test::temp_dir() / "report.html";
  std::ofstream(out, std::ios::binary) << html;
  EXPECT_EQ(std::filesystem::file_size(out), html.size());

  // The data element ends where the data ends: nothing in the data closed it early.
  const Page page = split(html);
  EXPECT_EQ(page.data, escape_json_for_script(json));
  EXPECT_EQ(unescape_script_json(page.data), json);
  EXPECT_EQ(count(html, kDataOpen), 1u);
  EXPECT_EQ(count(lower(page.data), "</script"), 0u);
  EXPECT_EQ(count(page.data, "<!--"), 0u);
  EXPECT_EQ(html.find("</script><img"), std::string::npos);
  // Outside the data, as many script elements end as begin ("<script" alone inside the data is
  // inert text: only "</script" or "<!--" could change how the element is parsed).
  EXPECT_EQ(count(lower(page.rest), "<script"), count(lower(page.rest), "</script>"));

  // The data is there (a Japanese headline, the C2, the hostile name in its escaped form) ...
  EXPECT_NE(page.data.find("PC-023 など 3 台が C2"), std::string::npos);
  EXPECT_NE(page.data.find("www.example-shop.jp"), std::string::npos);
  EXPECT_NE(page.data.find(R"(<\/script><img src=x onerror=alert(1)>PC-066)"), std::string::npos);
  // ... and nothing outside it refers to another file, even though the data is full of URLs.
  for (const std::string& ref : external_references(page.rest)) ADD_FAILURE() << "external reference: " << ref;
  EXPECT_EQ(page.rest.find("example-shop"), std::string::npos);
}

}  // namespace
}  // namespace ashiato::report
