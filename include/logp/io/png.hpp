#pragma once
// PNG image grids of examples (samples, data) through stb_image_write.
#include <cstdint>
#include <string>
#include <vector>

#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

// examples: D x n with spec.shape = (H, W, C), C in {1, 3}. Values map to 0..255: binary 0/1 ->
// 0/255, categorical v -> round(255 v / (levels - 1)), real -> min..max of the batch.
// Tiles are laid out in rows of `columns` with a 1-pixel gap. Written atomically.
void write_png_grid(const std::string& path, const Matrix& examples, const DataSpec& spec, Index columns);

// The PNG encoding of one H x W x C 8-bit image (for compressed-length scores), in memory.
std::vector<std::uint8_t> encode_png(const std::vector<std::uint8_t>& pixels, int height, int width, int channels);

// Writes one H x W x C 8-bit image (row-major, C in {1, 3}) as a PNG file, atomically.
void write_png(const std::string& path, const std::vector<std::uint8_t>& pixels, int height, int width, int channels);

}  // namespace logp
