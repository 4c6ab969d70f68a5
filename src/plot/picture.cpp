#include "logp/plot/picture.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/png.hpp"
#include "logp/plot/raster.hpp"

namespace logp::plot {

std::optional<PictureFormat> picture_format(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".svg") return PictureFormat::svg;
  if (extension == ".png") return PictureFormat::png;
  return std::nullopt;
}

void write_picture(const std::string& path, const Scene& scene) {
  const std::optional<PictureFormat> format = picture_format(path);
  if (!format) throw Error(path + ": a picture is .svg or .png (the extension picks the format)");
  if (*format == PictureFormat::png) {
    const RgbImage image = rasterize(scene);
    write_png(path, image.pixels, image.height, image.width, 3);
    return;
  }
  AtomicOutput output(path);
  {
    std::ofstream file(output.temp_path(), std::ios::binary);
    file << to_svg(scene);
    if (!file) throw Error(path + ": write failed (disk full?)");
  }
  output.commit();
}

}  // namespace logp::plot
