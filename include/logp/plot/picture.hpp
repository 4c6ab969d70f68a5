#pragma once
// A scene (plot/scene.hpp) written to a file whose extension picks the format: .svg (to_svg) or
// .png (rasterize at scale 2, io/png.hpp). Written atomically.
#include <optional>
#include <string>

#include "logp/plot/scene.hpp"

namespace logp::plot {

enum class PictureFormat { svg, png };

// The format a file name asks for (".svg" / ".png", any case); nullopt for any other name.
std::optional<PictureFormat> picture_format(const std::string& path);

// Throws an Error naming the path unless its extension is .svg or .png.
void write_picture(const std::string& path, const Scene& scene);

}  // namespace logp::plot
