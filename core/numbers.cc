#include "core/numbers.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"

namespace claimdiff {
namespace {

std::optional<double> Scale(std::string_view w) {
  static const absl::flat_hash_map<std::string_view, double> kScales = {
      {"الف", 1e3},      {"الاف", 1e3},      {"الفا", 1e3},    {"الفين", 2e3},    {"الفان", 2e3},
      {"مليون", 1e6},    {"ملايين", 1e6},    {"مليونا", 1e6},  {"مليونين", 2e6},  {"مليونان", 2e6},
      {"مليار", 1e9},    {"مليارات", 1e9},   {"مليارا", 1e9},  {"بليون", 1e9},    {"ملياري", 2e9},
      {"thousand", 1e3}, {"thousands", 1e3}, {"million", 1e6}, {"millions", 1e6}, {"billion", 1e9},
      {"billions", 1e9}, {"k", 1e3},         {"m", 1e6},       {"bn", 1e9}};
  auto it = kScales.find(w);
  if (it == kScales.end()) return std::nullopt;
  return it->second;
}

std::optional<double> Fraction(std::string_view w) {
  static const absl::flat_hash_map<std::string_view, double> kFractions = {
      {"ربع", 0.25},     {"نصف", 0.5},  {"ثلث", 1.0 / 3},
      {"quarter", 0.25}, {"half", 0.5}, {"third", 1.0 / 3}};
  auto it = kFractions.find(w);
  if (it == kFractions.end()) return std::nullopt;
  return it->second;
}

// Digits with "," or "." separators: "250,000" → 250000, "1.5" → 1.5, "2,5" → 2.5.
std::optional<double> Digits(std::string_view w) {
  std::string clean;
  const size_t last_sep = w.find_last_of(",.");
  for (size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    if (c >= '0' && c <= '9') {
      clean.push_back(c);
    } else if (c == ',' || c == '.') {
      // A separator followed by exactly three digits groups thousands; otherwise it is decimal.
      const bool grouping =
          w.size() - i - 1 >= 3 && (i + 4 == w.size() || w[i + 4] == ',' || w[i + 4] == '.');
      if (!grouping && i == last_sep) clean.push_back('.');
    } else {
      return std::nullopt;  // "250k" and similar are handled below
    }
  }
  double v = 0;
  auto [p, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), v);
  if (ec != std::errc()) return std::nullopt;
  return v;
}

}  // namespace

std::vector<NumberMention> FindNumbers(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<NumberMention> out;
  auto word = [&](size_t i) { return TokenText(text, tokens[i]); };
  // Skips "من" / "of" / "a" between a fraction and its scale: "ربع من مليون", "a quarter of a
  // million".
  auto skip_filler = [&](size_t i) {
    while (i < tokens.size() && (word(i) == "of" || word(i) == "a" || word(i) == "من")) ++i;
    return i;
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view w = word(i);
    if (tokens[i].numeric) {
      std::optional<double> v = Digits(w);
      size_t end = i + 1;
      if (!v && w.size() > 1) {  // "250k", "1.5m"
        const std::string_view digits = w.substr(0, w.size() - 1);
        const std::optional<double> d = Digits(digits);
        const std::optional<double> s = Scale(w.substr(w.size() - 1));
        if (d && s) v = *d * *s;
      }
      if (!v) continue;
      if (end < tokens.size()) {
        if (const std::optional<double> s = Scale(word(end))) {
          *v *= *s;
          ++end;
        }
      }
      out.push_back({i, end, *v});
      i = end - 1;
      continue;
    }
    if (const std::optional<double> f = Fraction(w)) {
      const size_t j = skip_filler(i + 1);
      if (j < tokens.size()) {
        if (const std::optional<double> s = Scale(word(j))) {
          out.push_back({i, j + 1, std::round(*f * *s)});
          i = j;
        }
      }
    }
  }
  return out;
}

}  // namespace claimdiff
