#pragma once
// Fashion-MNIST as logp dataset files, from the IDX files of Debian's dataset-fashion-mnist
// package (/usr/share/datasets/fashion-mnist).
//
// Splits: train = the first 50,000 of the official training set, valid = its last 10,000,
// test = the official 10,000. Labels (0..9) are kept. Two files are written into out_dir:
//   fashion-mnist-8bit.h5    categorical, 256 levels, the raw pixels
//   fashion-mnist-binary.h5  binary, x = (pixel >= 128)
#include <string>
#include <vector>

namespace logp {

inline constexpr const char* kFashionMnistDebianDir = "/usr/share/datasets/fashion-mnist";

struct FashionMnistFiles {
  std::string eight_bit;
  std::string binary;
};

FashionMnistFiles write_fashion_mnist(const std::string& source_dir, const std::string& out_dir);

// The files write_fashion_mnist writes into out_dir, and the IDX files it may read from
// source_dir (each stem with and without .gz): the command line checks that no output is an input.
FashionMnistFiles fashion_mnist_files(const std::string& out_dir);
std::vector<std::string> fashion_mnist_sources(const std::string& source_dir);

}  // namespace logp
