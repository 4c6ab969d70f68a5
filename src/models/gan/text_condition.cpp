// Class descriptions and their bag of words (include/logp/models/gan/text_condition.hpp).
#include "logp/models/gan/text_condition.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"

namespace logp {

ClassDescriptions fashion_mnist_descriptions() {
  ClassDescriptions d;
  d.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  const std::vector<std::vector<std::string>> training = {
      {"a t-shirt", "t-shirt", "a top", "a tee", "the t-shirt or top", "a top with short sleeves"},
      {"a pair of trousers", "trousers", "trouser", "pants", "a pair of pants", "long trousers"},
      {"a pullover", "pullover", "a sweater", "a warm sweater", "a jumper", "a knitted pullover"},
      {"a dress", "dress", "a long dress", "a summer dress", "a dress for a woman", "the dress of a woman"},
      {"a coat", "coat", "a warm coat", "a long coat", "a jacket", "a coat with a hood"},
      {"a sandal", "sandals", "a pair of sandals", "a summer sandal", "an open shoe", "a sandal for summer"},
      {"a shirt", "shirt", "a shirt with long sleeves", "a button shirt", "a long sleeved shirt", "the shirt"},
      {"a sneaker", "sneakers", "a pair of sneakers", "a sports shoe", "a running shoe", "a trainer"},
      {"a bag", "bag", "a handbag", "a bag with a handle", "a leather bag", "the handbag"},
      {"an ankle boot", "ankle boots", "a boot", "a pair of boots", "a leather boot", "a short boot"}};
  const std::vector<std::vector<std::string>> held_out = {
      {"a tee with short sleeves", "the top"},
      {"the pants", "long pants"},
      {"the warm jumper", "a knitted sweater"},
      {"the summer dress", "a dress for summer"},
      {"the jacket", "a long warm jacket"},
      {"the sandals", "an open summer shoe"},
      {"a button shirt with long sleeves", "a sleeved button shirt"},
      {"the running sneakers", "a shoe for sports"},
      {"the leather handbag", "a handbag with a handle"},
      {"a boot for the ankle", "a pair of leather ankle boots"}};
  for (std::size_t k = 0; k < training.size(); ++k) {
    for (const std::string& text : training[k]) d.training.push_back({static_cast<Index>(k), text});
    for (const std::string& text : held_out[k]) d.held_out.push_back({static_cast<Index>(k), text});
  }
  return d;
}

std::vector<std::string> tokenize(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  const auto flush = [&] {
    while (!current.empty() && current.back() == '-') current.pop_back();  // no trailing '-'
    if (!current.empty()) tokens.push_back(current);
    current.clear();
  };
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      current.push_back(static_cast<char>(std::tolower(c)));
    } else if (ch == '-' && !current.empty()) {  // an inner '-' ("t-shirt"); a leading one splits
      current.push_back('-');
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

Vocabulary::Vocabulary(std::span<const Wording> wordings) {
  for (const Wording& w : wordings)
    for (std::string& token : tokenize(w.text)) words_.push_back(std::move(token));
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
}

Index Vocabulary::find(const std::string& word) const {
  const auto it = std::lower_bound(words_.begin(), words_.end(), word);
  return it != words_.end() && *it == word ? static_cast<Index>(it - words_.begin()) : -1;
}

VectorF Vocabulary::bag(const std::string& text) const {
  VectorF bag = VectorF::Zero(size());
  int known = 0;
  for (const std::string& token : tokenize(text)) {
    const Index i = find(token);
    if (i < 0) continue;  // unknown words are ignored
    bag(i) += 1.0f;
    ++known;
  }
  if (known == 0)
    throw Error("text '" + excerpt(text) + "': no known word (the model knows " + std::to_string(size()) +
                " words, e.g. '" + (words_.empty() ? std::string() : words_.front()) + "')");
  return bag / static_cast<float>(known);
}

std::string wordings_to_lines(std::span<const Wording> wordings) {
  std::string lines;
  for (const Wording& w : wordings) lines += std::to_string(w.label) + "\t" + w.text + "\n";
  return lines;
}

std::vector<Wording> wordings_from_lines(const std::string& lines, Index classes, const std::string& where) {
  std::vector<Wording> wordings;
  std::istringstream in(lines);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t tab = line.find('\t');
    require(tab != std::string::npos && tab > 0 && tab + 1 < line.size(),
            where + ": a wording is not 'label<TAB>text': '" + excerpt(line) + "'");
    Index label = -1;
    try {
      std::size_t used = 0;
      label = std::stoll(line.substr(0, tab), &used);
      if (used != tab) label = -1;
    } catch (const std::exception&) {
      label = -1;
    }
    require(label >= 0 && label < classes, where + ": a wording's label is not a class in [0, " +
                                               std::to_string(classes) + "): '" + excerpt(line) + "'");
    const std::string text = line.substr(tab + 1);
    require(text.find('\t') == std::string::npos, where + ": a wording holds a tab: '" + excerpt(line) + "'");
    wordings.push_back({label, text});
  }
  return wordings;
}

}  // namespace logp
