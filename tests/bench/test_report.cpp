// Benchmark reports: the Markdown and HTML renderings, and the HTML page rendered by headless
// Chromium (skipped, with a warning, where no Chromium is installed; CI installs it).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/sample_report.hpp"
#include "logp/bench/report_html.hpp"
#include "logp/bench/report_markdown.hpp"
#include "support/decoded_png.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

size_t count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The first headless Chromium on PATH, or "".
std::string find_chromium() {
  const char* path = std::getenv("PATH");
  const char* names[] = {"chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"};
  for (const char* name : names) {
    std::stringstream search(path ? path : "");
    for (std::string dir; std::getline(search, dir, ':');)
      if (!dir.empty() && fs::exists(fs::path(dir) / name)) return (fs::path(dir) / name).string();
  }
  return "";
}

struct Rgb {
  int r, g, b;
};

bool near(const unsigned char* pixel, Rgb color, int tolerance) {
  return std::abs(pixel[0] - color.r) <= tolerance && std::abs(pixel[1] - color.g) <= tolerance &&
         std::abs(pixel[2] - color.b) <= tolerance;
}

}  // namespace

TEST_CASE("the HTML report is self-contained and carries every number in a table", "[report]") {
  const std::string html = logp::bench::render_html(logp::testing::sample_report());
  // Three charts: NLL intervals, ROC, training; each with an accessible name and description.
  CHECK(count(html, "<svg ") == 3);
  CHECK(count(html, "role=\"img\"") == 3);
  CHECK(count(html, "<title id=") == 3);
  CHECK(count(html, "<desc id=") == 3);
  // No scripts and nothing fetched: the only URL is the SVG namespace name.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("href") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(count(html, "http") == count(html, "http://www.w3.org/2000/svg"));
  // Numbers appear in tables too, and markup characters in text are escaped.
  CHECK(html.find("<td class=\"num\">24.30 ± 0.30</td>") != std::string::npos);
  CHECK(html.find("0.9100 [0.8900, 0.9300]") != std::string::npos);
  CHECK(html.find("&lt;with markup characters&gt; &amp; such") != std::string::npos);
  CHECK(html.find("nade seed 1 (nll), AUROC 0.910") != std::string::npos);  // legend: model, score, AUROC
}

TEST_CASE("the Markdown report tabulates likelihoods, comparisons and detection metrics", "[report]") {
  const std::string markdown = logp::bench::render_markdown(logp::testing::sample_report());
  CHECK(markdown.find("| toy | bernoulli |  | exact | 24.30 ± 0.30 | [23.71, 24.89] |") != std::string::npos);
  CHECK(markdown.find("| nade seed 1 | bernoulli | 4.200 ± 0.100 | [4.000, 4.400] |") != std::string::npos);
  CHECK(markdown.find("| perturbed | toy |  | nade | 1 | nll | 0.9100 [0.8900, 0.9300] |") != std::string::npos);
  CHECK(markdown.find("| toy | nade | 1 | 8 | 21.00 | 21.38 | 8 |") != std::string::npos);
  CHECK(markdown.find("sample-based metrics: not run") != std::string::npos);
}

TEST_CASE("the HTML report renders in headless Chromium", "[report]") {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    WARN("SKIPPED: no headless Chromium on PATH (chromium-headless-shell or chromium); tools/setup.sh installs it");
    return;
  }
  logp::testing::TempDir dir;
  const std::string page = dir.file("report.html"), shot = dir.file("report.png");
  std::ofstream(page) << logp::bench::render_html(logp::testing::sample_report());
  const int width = 1100, height = 2400;
  const std::string command = chromium + " --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot=" +
                              shot + " --window-size=" + std::to_string(width) + "," + std::to_string(height) +
                              " file://" + page + " >" + dir.file("chromium.log") + " 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  REQUIRE(fs::exists(shot));

  const logp::testing::DecodedPng png = logp::testing::decode_png(shot);
  REQUIRE(png.decoded());
  const int w = png.width, h = png.height;
  CHECK(w == width);
  CHECK(h == height);
  // The series colors (bernoulli #0072B2, nade #D55E00) must be painted, and in at least three
  // separate bands of rows: the NLL chart, the ROC chart and the training chart.
  size_t blue = 0, orange = 0, bands = 0;
  int last_colored_row = -1000;
  for (int y = 0; y < h; ++y) {
    bool colored_row = false;
    for (int x = 0; x < w; ++x) {
      const unsigned char* p = png.rgb.data() + 3 * (static_cast<size_t>(y) * w + x);
      const bool is_blue = near(p, {0x00, 0x72, 0xB2}, 40), is_orange = near(p, {0xD5, 0x5E, 0x00}, 40);
      blue += is_blue;
      orange += is_orange;
      colored_row = colored_row || is_blue || is_orange;
    }
    if (colored_row) {
      if (y - last_colored_row > 60) ++bands;
      last_colored_row = y;
    }
  }
  INFO("blue " << blue << ", orange " << orange << ", bands " << bands);
  CHECK(blue > 300);
  CHECK(orange > 300);
  CHECK(bands >= 3);
}
