#!/usr/bin/python3
"""Writes a logp dataset file holding the first N training examples of another (valid and test
kept whole, attributes copied), so logp and a peer can train the same epochs on the same data.

  benchmarks/peers/subset_dataset.py data/fashion-mnist-binary.h5 10000 data/fmnist-binary-10k.h5
"""
import sys

import h5py


def main():
    source, count, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with h5py.File(source, "r") as src, h5py.File(target, "w") as dst:
        for key, value in src.attrs.items():
            dst.attrs[key] = value
        for split in src:
            group = dst.create_group(split)
            for name in src[split]:
                data = src[split][name]
                rows = data[:count] if split == "train" else data[:]
                group.create_dataset(name, data=rows)
                for key, value in data.attrs.items():
                    group[name].attrs[key] = value
            if split == "train":
                group["x"].attrs["split_rule"] = f"first {count} examples of {source}:/train"


if __name__ == "__main__":
    main()
