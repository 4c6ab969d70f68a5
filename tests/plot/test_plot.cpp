// Charts laid out once (plot/charts.hpp) and drawn by both backends: the raster's pixels lie where
// the layout put them, the PNG file decodes to that raster, the SVG has the same size, and a
// picture's file name picks its format.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/plot/charts.hpp"
#include "logp/plot/picture.hpp"
#include "logp/plot/raster.hpp"
#include "support/decoded_png.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::plot;
using logp::testing::TempDir;

namespace {

constexpr Rgb kWhite{255, 255, 255};
constexpr Rgb kRed{255, 0, 0};

Scene one_line(Stroke stroke) {
  Scene scene;
  scene.width = 100;
  scene.height = 50;
  auto& line = std::get<Polyline>(scene.items.emplace_back(std::in_place_type<Polyline>));  // built in place:
  line.points = {{10, 20}, {90, 20}};  // moving a temporary into the variant trips GCC 12's -Wmaybe-uninitialized
  line.stroke = stroke;
  return scene;
}

// The polyline of series `label` in a laid-out chart.
const Polyline& series_line(const Scene& scene, const std::string& label) {
  for (const Item& item : scene.items)
    if (const auto* p = std::get_if<Polyline>(&item); p && p->tooltip == label) return *p;
  FAIL("no series " << label);
  throw;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("raster: a line covers its pixels fully and nothing beyond its soft edge", "[plot]") {
  const RgbImage image = rasterize(one_line({kRed, 2.0}), 2);  // 4 image pixels wide, y 38..42
  REQUIRE((image.width == 200 && image.height == 100));
  for (int x = 24; x <= 176; x += 8) {
    CHECK(image.at(x, 39) == kRed);
    CHECK(image.at(x, 40) == kRed);
    CHECK(image.at(x, 35) == kWhite);
    CHECK(image.at(x, 44) == kWhite);
  }
  CHECK(image.at(5, 40) == kWhite);    // before its start (x = 20) and the round end's 2.5 px
  CHECK(image.at(195, 40) == kWhite);  // after its end (x = 180)
}

TEST_CASE("raster: a dashed line has its gaps where the pattern puts them", "[plot]") {
  const RgbImage image = rasterize(one_line({kRed, 1.0, 6.0, 4.0}), 2);  // dashes 12 px, gaps 8 px from x = 20
  for (int period = 0; period < 7; ++period) {
    const int start = 20 + 20 * period;
    CHECK(image.at(start + 6, 40) == kRed);         // inside a dash
    CHECK(image.at(start + 12 + 4, 40) == kWhite);  // the middle of a gap, beyond the 1.5 px soft end
  }
}

TEST_CASE("raster: text in the bitmap font sits on its baseline, anchored as SVG anchors it", "[plot]") {
  Scene scene;
  scene.width = 200;
  scene.height = 40;
  Label label;
  label.x = 100;
  label.y = 30;
  label.text = "HH";
  label.anchor = Anchor::end;
  scene.items.push_back(label);
  const RgbImage image = rasterize(scene, 1);
  int ink_low = 1000, ink_high = -1, ink_left = 1000, ink_right = -1;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      if (image.at(x, y) != kWhite) {
        ink_low = std::min(ink_low, y), ink_high = std::max(ink_high, y);
        ink_left = std::min(ink_left, x), ink_right = std::max(ink_right, x);
      }
  CHECK(ink_high == 29);   // capitals stand on the baseline y = 30 ...
  CHECK(ink_low == 23);    // ... 7 pixels high at 12 px
  CHECK(ink_right == 99);  // anchored at its end, x = 100
  CHECK(ink_left < 92);
  CHECK(ascii_text("2.5 \xC2\xB1 0.1, caf\xC3\xA9") == "2.5 +/- 0.1, caf?");
}

TEST_CASE("plot: a line chart's PNG has the series where the layout put it, the SVG the same size", "[plot]") {
  LineChart chart;
  chart.id = "c";
  chart.title = "t";
  chart.integer_x = true;
  chart.series.push_back({"rising", {0, 10}, {0, 10}, 0, false});
  const Scene scene = line_chart_scene(chart);
  const Polyline& rising = series_line(scene, "rising");
  REQUIRE(rising.points.size() == 2);
  CHECK(rising.points[0].x == Approx(70));   // x = 0 at the plot's left edge (axis 0..10)
  CHECK(rising.points[1].x == Approx(620));  // x = 10 at its right edge

  TempDir dir;
  write_picture(dir.file("c.png"), scene);
  write_picture(dir.file("c.svg"), scene);
  CHECK(dir.listing().size() == 2);  // nothing half-written left
  const testing::DecodedPng png = testing::decode_png(dir.file("c.png"));
  REQUIRE(png.decoded());
  CHECK((png.width == 2 * scene.width && png.height == 2 * scene.height));
  const Rgb blue = chart_color(0);
  for (double t : {0.3, 0.45, 0.6, 0.7}) {  // along the segment, between the grid lines and dots
    const double x = rising.points[0].x + t * (rising.points[1].x - rising.points[0].x);
    const double y = rising.points[0].y + t * (rising.points[1].y - rising.points[0].y);
    CHECK(png.at(static_cast<int>(2 * x), static_cast<int>(2 * y)) == std::vector<int>{blue.r, blue.g, blue.b});
    CHECK(png.at(static_cast<int>(2 * x), static_cast<int>(2 * y) - 20) != std::vector<int>{blue.r, blue.g, blue.b});
  }
  const std::string svg = read_file(dir.file("c.svg"));
  CHECK_THAT(svg, Catch::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(scene.width) +
                                    "\" height=\"" + std::to_string(scene.height) + "\""));
  CHECK_THAT(svg, Catch::Contains("<title>rising</title>") && Catch::Contains("stroke=\"#0072b2\""));
}

TEST_CASE("plot: the file name picks the format, anything else is refused", "[plot]") {
  CHECK(picture_format("a/b.svg") == PictureFormat::svg);
  CHECK(picture_format("B.PNG") == PictureFormat::png);
  CHECK_FALSE(picture_format("c.jpg").has_value());
  CHECK_FALSE(picture_format("svg").has_value());
  TempDir dir;
  CHECK_THROWS_WITH(write_picture(dir.file("c.jpg"), one_line({kRed})),
                    Catch::Contains("c.jpg") && Catch::Contains(".svg or .png"));
  CHECK(dir.listing().empty());
}
