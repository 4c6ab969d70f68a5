#pragma once
// Descriptions of classes and their bag-of-words encoding, for the text-conditioned GAN
// (models/gan/cgan.hpp; Reed et al. 2016, in small).
//
// A description is a short sentence naming a class ("a pair of trousers", "an ankle boot").
// Tokens: the text lowercased, split at every character that is not a letter, a digit or an
// inner '-' ("T-shirt/top" -> "t-shirt", "top"). The vocabulary is the sorted set of the
// training wordings' tokens; a text's bag of words is the mean of the one-hot vectors of its
// known tokens ([V], sums to 1); unknown tokens are ignored, and a text without a known token is
// refused naming the text. Held-out wordings are made of known words only: they check that an
// unseen wording of known words still reaches its class.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

struct Wording {
  Index label = 0;  // the class it describes
  std::string text;
};

struct ClassDescriptions {
  std::vector<std::string> class_names;  // K
  std::vector<Wording> training;         // each class has at least one
  std::vector<Wording> held_out;         // unseen in training; known words only
};

// Fashion-MNIST's 10 classes (T-shirt/top, Trouser, ..., Ankle boot), six training wordings and
// two held-out ones each.
ClassDescriptions fashion_mnist_descriptions();

// Lowercased tokens of text (see above).
std::vector<std::string> tokenize(const std::string& text);

class Vocabulary {
 public:
  Vocabulary() = default;
  // The sorted unique tokens of the wordings' texts.
  explicit Vocabulary(std::span<const Wording> wordings);
  Index size() const { return static_cast<Index>(words_.size()); }
  const std::vector<std::string>& words() const { return words_; }
  // The index of word, or -1.
  Index find(const std::string& word) const;
  // [V] mean of the one-hot vectors of text's known tokens; throws naming text if it has none.
  VectorF bag(const std::string& text) const;

 private:
  std::vector<std::string> words_;
};

// Wordings as text lines "label<TAB>text" (a model file attribute) and back; parsing checks
// labels in [0, classes) and that no text is empty or holds a tab or newline.
std::string wordings_to_lines(std::span<const Wording> wordings);
std::vector<Wording> wordings_from_lines(const std::string& lines, Index classes, const std::string& where);

}  // namespace logp
