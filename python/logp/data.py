"""logp dataset files (the files `logp data` writes) as numpy arrays."""
from . import _logp


class Split:
    """One split of a dataset file, read whole and checked as every logp tool checks it.

    x: N x D array, uint8 for binary and categorical data, float32 for real data.
    y: N int64 labels, or None. kind, levels, shape: what the data is ("binary", 2, (28, 28, 1)).
    ``spec`` is the dict of kind, levels and shape that ``fit`` accepts as keywords.
    """

    def __init__(self, path, name):
        d = _logp._read_split(str(path), name)
        self.x, self.y = d["x"], d["y"]
        self.kind, self.levels, self.shape, self.where = d["kind"], d["levels"], tuple(d["shape"]), d["where"]

    @property
    def spec(self):
        return {"kind": self.kind, "levels": self.levels, "shape": self.shape}

    def __repr__(self):
        return f"Split({self.where}, N={self.x.shape[0]}, D={self.x.shape[1]}, kind={self.kind})"


class Dataset:
    """A logp dataset file: ``Dataset(path).split("test").x``."""

    def __init__(self, path):
        self.path = str(path)
        self.splits = list(_logp._list_splits(self.path))

    def split(self, name):
        return Split(self.path, name)

    def __repr__(self):
        return f"Dataset({self.path!r}, splits={self.splits})"
