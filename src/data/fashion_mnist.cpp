#include "logp/data/fashion_mnist.hpp"

#include <filesystem>

#include "logp/core/error.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/data/importers/idx.hpp"

namespace logp {
namespace {

constexpr std::uint64_t kPixels = 28 * 28;
constexpr std::uint64_t kTrainSize = 50000;
const char* const kIdxStems[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                 "t10k-labels-idx1-ubyte"};

struct Split {
  std::vector<std::uint8_t> pixels;   // N x 784
  std::vector<std::int64_t> labels;   // N
};

std::string find_file(const std::string& dir, const std::string& stem) {
  for (const std::string& name : {stem + ".gz", stem}) {
    const std::filesystem::path path = std::filesystem::path(dir) / name;
    if (std::filesystem::exists(path)) return path.string();
  }
  throw Error(dir + ": " + stem + "(.gz) not found; install Fashion-MNIST with 'apt-get install dataset-fashion-mnist' "
              "or pass --source DIR with the four IDX files");
}

Split read_split(const std::string& dir, const std::string& images_stem, const std::string& labels_stem) {
  const std::string images_path = find_file(dir, images_stem);
  const std::string labels_path = find_file(dir, labels_stem);
  const IdxArray images = read_idx(images_path);
  const IdxArray labels = read_idx(labels_path);
  if (images.is_float || images.dims.size() != 3 || images.dims[1] != 28 || images.dims[2] != 28)
    throw Error(images_path + ": expected N x 28 x 28 unsigned bytes");
  if (labels.is_float || labels.dims.size() != 1 || labels.dims[0] != images.dims[0])
    throw Error(labels_path + ": expected " + std::to_string(images.dims[0]) + " byte labels");
  return {images.bytes, std::vector<std::int64_t>(labels.bytes.begin(), labels.bytes.end())};
}

Split slice(const Split& all, std::uint64_t first, std::uint64_t count) {
  Split part;
  part.pixels.assign(all.pixels.begin() + static_cast<std::ptrdiff_t>(first * kPixels),
                     all.pixels.begin() + static_cast<std::ptrdiff_t>((first + count) * kPixels));
  part.labels.assign(all.labels.begin() + static_cast<std::ptrdiff_t>(first),
                     all.labels.begin() + static_cast<std::ptrdiff_t>(first + count));
  return part;
}

Split binarize(Split split) {
  for (std::uint8_t& v : split.pixels) v = v >= 128 ? 1 : 0;
  return split;
}

}  // namespace

FashionMnistFiles write_fashion_mnist(const std::string& source_dir, const std::string& out_dir) {
  if (!std::filesystem::is_directory(out_dir)) std::filesystem::create_directories(out_dir);
  const Split official_train = read_split(source_dir, kIdxStems[0], kIdxStems[1]);
  const Split official_test = read_split(source_dir, kIdxStems[2], kIdxStems[3]);
  const std::uint64_t n_train = official_train.labels.size();
  if (n_train <= kTrainSize)
    throw Error(source_dir + ": expected more than " + std::to_string(kTrainSize) + " training images, found " +
                std::to_string(n_train));
  const Split train = slice(official_train, 0, kTrainSize);
  const Split valid = slice(official_train, kTrainSize, n_train - kTrainSize);

  std::map<std::string, std::string> provenance = {
      {"source", "Fashion-MNIST (Xiao, Rasul & Vollgraf 2017), IDX files in " + source_dir},
      {"split_rule", "train = official train[0:50000], valid = official train[50000:60000], test = official t10k"},
  };
  const FashionMnistFiles files = fashion_mnist_files(out_dir);
  {
    DataSpec spec{DataKind::categorical, 256, static_cast<Index>(kPixels), {28, 28, 1}};
    DatasetWriter writer(files.eight_bit, spec, provenance);
    writer.add_split("train", train.pixels, train.labels);
    writer.add_split("valid", valid.pixels, valid.labels);
    writer.add_split("test", official_test.pixels, official_test.labels);
    writer.commit();
  }
  {
    provenance["binarize_rule"] = "x = (pixel >= 128) on the raw 0..255 pixels";
    DataSpec spec{DataKind::binary, 2, static_cast<Index>(kPixels), {28, 28, 1}};
    DatasetWriter writer(files.binary, spec, provenance);
    writer.add_split("train", binarize(train).pixels, train.labels);
    writer.add_split("valid", binarize(valid).pixels, valid.labels);
    writer.add_split("test", binarize(official_test).pixels, official_test.labels);
    writer.commit();
  }
  return files;
}

FashionMnistFiles fashion_mnist_files(const std::string& out_dir) {
  return {(std::filesystem::path(out_dir) / "fashion-mnist-8bit.h5").string(),
          (std::filesystem::path(out_dir) / "fashion-mnist-binary.h5").string()};
}

std::vector<std::string> fashion_mnist_sources(const std::string& source_dir) {
  std::vector<std::string> paths;
  for (const std::string stem : kIdxStems)
    for (const std::string& name : {stem + ".gz", stem}) paths.push_back((std::filesystem::path(source_dir) / name).string());
  return paths;
}

}  // namespace logp
