#include "core/numbers.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/word_filter.h"

namespace claimdiff {
namespace {

using Table = absl::flat_hash_map<std::string_view, double>;

// ---- lexicons (matching form: ا for أ إ آ, ه for ة, ي for ى) ----

const Table& Scales() {
  static const Table t = {
      {"الف", 1e3},      {"الاف", 1e3},     {"الالاف", 1e3},    {"الفا", 1e3},
      {"مليون", 1e6},    {"ملايين", 1e6},   {"الملايين", 1e6},  {"مليونا", 1e6},
      {"مليار", 1e9},    {"مليارات", 1e9},  {"المليارات", 1e9}, {"مليارا", 1e9},
      {"بليون", 1e9},    {"thousand", 1e3}, {"thousands", 1e3}, {"million", 1e6},
      {"millions", 1e6}, {"billion", 1e9},  {"billions", 1e9},  {"trillion", 1e12},
      {"ترليون", 1e12},  {"تريليون", 1e12}};
  return t;
}

// Scale words that stand alone as a number: duals, and the singular after "a".
const Table& StandaloneScales() {
  static const Table t = {{"الفين", 2e3},   {"الفان", 2e3},   {"مليونين", 2e6}, {"مليونان", 2e6},
                          {"مليارين", 2e9}, {"ملياران", 2e9}, {"مليون", 1e6},   {"مليار", 1e9},
                          {"million", 1e6}, {"billion", 1e9}, {"thousand", 1e3}};
  return t;
}

const Table& Fractions() {
  static const Table t = {{"ربع", 0.25},     {"نصف", 0.5},  {"ثلث", 1.0 / 3},
                          {"quarter", 0.25}, {"half", 0.5}, {"third", 1.0 / 3}};
  return t;
}

const Table& ArabicUnits() {
  static const Table t = {{"واحد", 1},   {"واحده", 1},  {"احد", 1},    {"احدي", 1}, {"اثنان", 2},
                          {"اثنين", 2},  {"اثنتان", 2}, {"اثنتين", 2}, {"اثنا", 2}, {"اثنتا", 2},
                          {"ثلاثه", 3},  {"ثلاث", 3},   {"اربعه", 4},  {"اربع", 4}, {"خمسه", 5},
                          {"خمس", 5},    {"سته", 6},    {"ست", 6},     {"سبعه", 7}, {"سبع", 7},
                          {"ثمانيه", 8}, {"ثماني", 8},  {"ثمان", 8},   {"تسعه", 9}, {"تسع", 9},
                          {"عشره", 10},  {"عشر", 10}};
  return t;
}

const Table& ArabicTens() {
  static const Table t = {{"عشرون", 20},  {"عشرين", 20},  {"ثلاثون", 30}, {"ثلاثين", 30},
                          {"اربعون", 40}, {"اربعين", 40}, {"خمسون", 50},  {"خمسين", 50},
                          {"ستون", 60},   {"ستين", 60},   {"سبعون", 70},  {"سبعين", 70},
                          {"ثمانون", 80}, {"ثمانين", 80}, {"تسعون", 90},  {"تسعين", 90}};
  return t;
}

const Table& ArabicHundreds() {
  static const Table t = {{"مئه", 100},     {"مائه", 100},     {"مئتان", 200},   {"مئتين", 200},
                          {"مائتان", 200},  {"مائتين", 200},   {"مئتي", 200},    {"مائتي", 200},
                          {"ثلاثمئه", 300}, {"ثلاثمائه", 300}, {"اربعمئه", 400}, {"اربعمائه", 400},
                          {"خمسمئه", 500},  {"خمسمائه", 500},  {"ستمئه", 600},   {"ستمائه", 600},
                          {"سبعمئه", 700},  {"سبعمائه", 700},  {"ثمانمئه", 800}, {"ثمانمائه", 800},
                          {"تسعمئه", 900},  {"تسعمائه", 900}};
  return t;
}

const Table& EnglishNumbers() {
  static const Table t = {{"one", 1},        {"two", 2},       {"three", 3},     {"four", 4},
                          {"five", 5},       {"six", 6},       {"seven", 7},     {"eight", 8},
                          {"nine", 9},       {"ten", 10},      {"eleven", 11},   {"twelve", 12},
                          {"thirteen", 13},  {"fourteen", 14}, {"fifteen", 15},  {"sixteen", 16},
                          {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},
                          {"thirty", 30},    {"forty", 40},    {"fifty", 50},    {"sixty", 60},
                          {"seventy", 70},   {"eighty", 80},   {"ninety", 90},   {"dozen", 12}};
  return t;
}

struct Vague {
  double low;
  double high;
};

const absl::flat_hash_map<std::string_view, Vague>& VagueWords() {
  static const absl::flat_hash_map<std::string_view, Vague> t = {{"عشرات", {10, 99}},
                                                                 {"العشرات", {10, 99}},
                                                                 {"مئات", {100, 999}},
                                                                 {"المئات", {100, 999}},
                                                                 {"الاف", {1000, 9999}},
                                                                 {"الالاف", {1000, 9999}},
                                                                 {"ملايين", {1e6, 9.999999e6}},
                                                                 {"الملايين", {1e6, 9.999999e6}},
                                                                 {"مليارات", {1e9, 9.999999e9}},
                                                                 {"dozens", {12, 99}},
                                                                 {"hundreds", {100, 999}},
                                                                 {"thousands", {1000, 9999}},
                                                                 {"millions", {1e6, 9.999999e6}},
                                                                 {"billions", {1e9, 9.999999e9}},
                                                                 {"tens", {10, 99}}};
  return t;
}

const absl::flat_hash_map<std::string_view, std::string_view>& Currencies() {
  static const absl::flat_hash_map<std::string_view, std::string_view> t = {
      {"دولار", "usd"},    {"دولارات", "usd"}, {"الدولارات", "usd"}, {"دولارا", "usd"},
      {"يورو", "eur"},     {"جنيه", "egp"},    {"جنيهات", "egp"},    {"جنيها", "egp"},
      {"استرليني", "gbp"}, {"ريال", "sar"},    {"ريالات", "sar"},    {"درهم", "aed"},
      {"دراهم", "aed"},    {"دينار", "dinar"}, {"دنانير", "dinar"},  {"ليره", "lira"},
      {"dollar", "usd"},   {"dollars", "usd"}, {"usd", "usd"},       {"euro", "eur"},
      {"euros", "eur"},    {"eur", "eur"},     {"pounds", "gbp"},    {"gbp", "gbp"},
      {"yen", "jpy"},      {"yuan", "cny"}};
  return t;
}

const absl::flat_hash_map<std::string_view, int>& Months() {
  static const absl::flat_hash_map<std::string_view, int> t = {
      {"يناير", 1},     {"فبراير", 2},  {"مارس", 3},      {"ابريل", 4},    {"مايو", 5},
      {"يونيو", 6},     {"يوليو", 7},   {"اغسطس", 8},     {"سبتمبر", 9},   {"اكتوبر", 10},
      {"نوفمبر", 11},   {"ديسمبر", 12}, {"شباط", 2},      {"اذار", 3},     {"نيسان", 4},
      {"ايار", 5},      {"حزيران", 6},  {"تموز", 7},      {"ايلول", 9},    {"january", 1},
      {"february", 2},  {"march", 3},   {"april", 4},     {"may", 5},      {"june", 6},
      {"july", 7},      {"august", 8},  {"september", 9}, {"october", 10}, {"november", 11},
      {"december", 12}, {"jan", 1},     {"feb", 2},       {"mar", 3},      {"apr", 4},
      {"jun", 6},       {"jul", 7},     {"aug", 8},       {"sep", 9},      {"sept", 9},
      {"oct", 10},      {"nov", 11},    {"dec", 12}};
  return t;
}

struct QualifierPhrase {
  std::vector<std::string_view> words;
  Qualifier qualifier;
};

// Longest first, so "ما يقدر بنحو" wins over "بنحو".
const std::vector<QualifierPhrase>& QualifiersBefore() {
  static const std::vector<QualifierPhrase> t = {
      {{"ما", "لا", "يقل", "عن"}, Qualifier::kOver},
      {{"ما", "يقدر", "بنحو"}, Qualifier::kAbout},
      {{"ما", "يزيد", "علي"}, Qualifier::kOver},
      {{"ما", "يزيد", "عن"}, Qualifier::kOver},
      {{"لا", "يقل", "عن"}, Qualifier::kOver},
      {{"as", "many", "as"}, Qualifier::kUpTo},
      {{"ما", "يقارب"}, Qualifier::kAbout},
      {{"يقدر", "بنحو"}, Qualifier::kAbout},
      {{"يزيد", "علي"}, Qualifier::kOver},
      {{"اكثر", "من"}, Qualifier::kOver},
      {{"ازيد", "من"}, Qualifier::kOver},
      {{"اقل", "من"}, Qualifier::kUnder},
      {{"more", "than"}, Qualifier::kOver},
      {{"at", "least"}, Qualifier::kOver},
      {{"upwards", "of"}, Qualifier::kOver},
      {{"fewer", "than"}, Qualifier::kUnder},
      {{"less", "than"}, Qualifier::kUnder},
      {{"up", "to"}, Qualifier::kUpTo},
      {{"an", "estimated"}, Qualifier::kAbout},
      {{"الي", "حد"}, Qualifier::kUpTo},
      {{"نحو"}, Qualifier::kAbout},
      {{"بنحو"}, Qualifier::kAbout},
      {{"حوالي"}, Qualifier::kAbout},
      {{"بحوالي"}, Qualifier::kAbout},
      {{"قرابه"}, Qualifier::kAbout},
      {{"زهاء"}, Qualifier::kAbout},
      {{"يقارب"}, Qualifier::kAbout},
      {{"تقريبا"}, Qualifier::kAbout},
      {{"حتي"}, Qualifier::kUpTo},
      {{"about"}, Qualifier::kAbout},
      {{"around"}, Qualifier::kAbout},
      {{"nearly"}, Qualifier::kAbout},
      {{"almost"}, Qualifier::kAbout},
      {{"approximately"}, Qualifier::kAbout},
      {{"roughly"}, Qualifier::kAbout},
      {{"estimated"}, Qualifier::kAbout},
      {{"some"}, Qualifier::kAbout},
      {{"over"}, Qualifier::kOver},
      {{"under"}, Qualifier::kUnder},
      {{"below"}, Qualifier::kUnder},
  };
  return t;
}

// A word with at most one attached conjunction or preposition (و ف ب ل ك) and an article
// (ال, or لل after ل), in every way it can be read.
// At most four readings, without allocating: this runs for every word of every span.
struct ReadingList {
  std::array<std::string_view, 4> items;
  size_t size = 0;
  void push_back(std::string_view v) {
    if (size < items.size()) items[size++] = v;
  }
  const std::string_view* begin() const { return items.data(); }
  const std::string_view* end() const { return items.data() + size; }
};

ReadingList Readings(std::string_view w) {
  ReadingList out;
  out.push_back(w);
  auto letters = [](std::string_view s) {
    size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  };
  std::string_view rest = w;
  for (std::string_view p : {"و", "ف", "ب", "ل", "ك"}) {
    if (rest.starts_with(p) && letters(rest) > 3) {
      rest.remove_prefix(p.size());
      out.push_back(rest);
      break;
    }
  }
  if (rest.starts_with("ال") && letters(rest) > 4) out.push_back(rest.substr(4));
  if (w.starts_with("لل") && letters(w) > 4) out.push_back(w.substr(4));
  return out;
}

template <typename Map>
auto LookupAny(const Map& map, std::string_view w) -> std::optional<typename Map::mapped_type> {
  for (std::string_view r : Readings(w)) {
    auto it = map.find(r);
    if (it != map.end()) return it->second;
  }
  return std::nullopt;
}

// Digits with "," or "." separators: "250,000" → 250000, "1.5" → 1.5, "2,5" → 2.5.
std::optional<double> Digits(std::string_view w, bool* grouped) {
  std::string clean;
  *grouped = false;
  const size_t last_sep = w.find_last_of(",.");
  for (size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    if (c >= '0' && c <= '9') {
      clean.push_back(c);
    } else if (c == ',' || c == '.') {
      const bool grouping =
          w.size() - i - 1 >= 3 && (i + 4 == w.size() || w[i + 4] == ',' || w[i + 4] == '.');
      if (grouping) {
        *grouped = true;
      } else if (i == last_sep) {
        clean.push_back('.');
      }
    } else {
      return std::nullopt;
    }
  }
  if (clean.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), v);
  if (ec != std::errc() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// The words that may start a figure, and a filter on how a word ends. Every reading of a word
// (Readings) is a suffix of it, so a word none of whose last bytes end a start word has no
// reading in the set: two small bit tables (the last four bytes, or a whole word of fewer)
// answer that for most words without hashing them.
struct StartWords {
  absl::flat_hash_set<std::string_view> words;
  BitTable16 tail_bits;               // hashes of words' last 4 bytes
  BitTable16 short_bits;              // hashes of whole words under 4 bytes
  std::array<bool, 4> short_sizes{};  // which sizes under 4 bytes some word has

  static uint32_t Bucket(std::string_view bytes) {
    uint32_t x = 0;
    for (const char c : bytes) x = (x << 8) | static_cast<unsigned char>(c);
    x |= static_cast<uint32_t>(bytes.size()) << 30;  // sizes apart ("ab" vs "\0ab")
    return (x * 0x9E3779B1u) >> 16;
  }
  void Insert(std::string_view w) {
    words.insert(w);
    if (w.size() >= 4) {
      tail_bits.Set(Bucket(w.substr(w.size() - 4)));
    } else {
      short_bits.Set(Bucket(w));
      short_sizes[w.size()] = true;
    }
  }
  // False when no suffix of `w` is in `words`; true when one may be.
  bool MayEndIn(std::string_view w) const {
    if (w.size() >= 4 && tail_bits.Test(Bucket(w.substr(w.size() - 4)))) return true;
    for (size_t k = 0; k < 4 && k <= w.size(); ++k) {
      if (short_sizes[k] && short_bits.Test(Bucket(w.substr(w.size() - k)))) return true;
    }
    return false;
  }
};

class Parser {
 public:
  Parser(std::string_view text, const std::vector<Token>& tokens) : text_(text), tokens_(tokens) {}

  std::vector<NumberMention> Run() {
    std::vector<NumberMention> out;
    size_t floor = 0;  // tokens before this belong to an earlier mention
    for (size_t i = 0; i < tokens_.size(); ++i) {
      std::optional<NumberMention> m = At(i);
      if (!m) continue;
      // Qualifier before the figure, not reaching into an earlier mention.
      m->qualifier_token = m->first_token;
      if (m->qualifier == Qualifier::kExact) {
        for (const QualifierPhrase& q : QualifiersBefore()) {
          const size_t n = q.words.size();
          if (m->first_token < floor + n) continue;
          const size_t start = m->first_token - n;
          size_t k = 0;
          for (std::string_view w : q.words) {
            // The phrase's first word may carry a preposition: "لأكثر من 70".
            ReadingList forms;
            if (k == 0) {
              forms = Readings(Word(start));
            } else {
              forms.push_back(Word(start + k));
            }
            if (std::find(forms.begin(), forms.end(), w) == forms.end()) break;
            ++k;
          }
          if (k == n) {
            m->qualifier = q.qualifier;
            m->qualifier_token = start;
            break;
          }
        }
      }
      // "50 شخصا تقريبا": the qualifier may follow the figure or its counted thing.
      for (size_t k = m->end_token; k < m->end_token + 2 && k < tokens_.size(); ++k) {
        if (m->qualifier == Qualifier::kExact &&
            (Word(k) == "تقريبا" || Word(k) == "approximately")) {
          m->qualifier = Qualifier::kAbout;
        }
      }
      // A year needs no qualifier of quantity; with one it is a count ("more than 2000").
      if (m->kind == NumberKind::kYear && m->qualifier != Qualifier::kExact &&
          m->qualifier != Qualifier::kRange) {
        m->kind = NumberKind::kCount;
      }
      if (m->kind == NumberKind::kCount || m->kind == NumberKind::kPercent) {
        m->unit = UnitAfter(m->end_token);
      }
      floor = m->end_token;
      i = m->end_token - 1;
      out.push_back(std::move(*m));
    }
    return out;
  }

 private:
  std::string_view Word(size_t i) const {
    return i < tokens_.size() ? TokenText(text_, tokens_[i]) : std::string_view();
  }
  // The raw text between tokens i-1 and i.
  std::string_view Gap(size_t i) const {
    if (i == 0 || i >= tokens_.size()) return {};
    return text_.substr(tokens_[i - 1].end, tokens_[i].begin - tokens_[i - 1].end);
  }
  static bool OnlySpacesAnd(std::string_view gap, char c) {
    bool seen = false;
    for (char x : gap) {
      if (x == c) {
        seen = true;
      } else if (x != ' ') {
        return false;
      }
    }
    return seen;
  }

  struct Core {
    double low = 0;
    double high = 0;
    size_t end = 0;
    bool plain_integer = false;  // digits only, no separators, no scale
    bool scaled = false;
    bool ordinal = false;
  };

  // A spelled Arabic or English cardinal below 1000 starting at i.
  std::optional<Core> Spelled(size_t i) const {
    // Day names that read as numbers with the article: الأحد (Sunday), الاثنين (Monday).
    for (std::string_view day : {"الاحد", "والاحد", "الاثنين", "والاثنين", "يوم"}) {
      if (Word(i) == day) return std::nullopt;
    }
    double value = 0;
    size_t j = i;
    bool any = false;
    if (auto h = LookupAny(ArabicHundreds(), Word(j))) {
      value += *h, ++j, any = true;
    } else if (auto u = LookupAny(ArabicUnits(), Word(j));
               u && *u < 10 && (Word(j + 1) == "مئه" || Word(j + 1) == "مائه")) {
      value += *u * 100, j += 2, any = true;  // "ثلاث مئة"
    }
    if (any && (Word(j).starts_with("و"))) {
      // "مئة وخمسون"
      if (auto rest = Spelled(j)) {
        if (rest->high < 100) return Core{value + rest->low, value + rest->low, rest->end};
      }
    }
    if (!any || j == i) {
      if (auto u = LookupAny(ArabicUnits(), Word(j))) {
        double v = *u;
        ++j;
        if (Word(j) == "عشر" || Word(j) == "عشره") {  // teens
          v += 10;
          ++j;
        } else if (Word(j).starts_with("و")) {
          if (auto t = ArabicTens().find(Word(j).substr(2)); t != ArabicTens().end()) {
            v += t->second;  // "خمسة وعشرون"
            ++j;
          }
        }
        value += v;
        any = true;
      } else if (auto t = LookupAny(ArabicTens(), Word(j))) {
        value += *t;
        ++j;
        any = true;
      }
    }
    if (!any) {
      // English: "twenty five", "two hundred and fifty".
      auto e = EnglishNumbers().find(Word(j));
      if (e == EnglishNumbers().end()) return std::nullopt;
      double v = e->second;
      ++j;
      if (Word(j) == "hundred") {
        v *= 100;
        ++j;
        if (Word(j) == "and") ++j;
        if (auto r = EnglishNumbers().find(Word(j)); r != EnglishNumbers().end()) {
          v += r->second;
          ++j;
        } else if (Word(j - 1) == "and") {
          --j;
        }
      }
      if (v >= 20 && std::fmod(v, 10) == 0 && v < 100) {
        if (auto r = EnglishNumbers().find(Word(j));
            r != EnglishNumbers().end() && r->second < 10) {
          v += r->second;
          ++j;
        }
      }
      return Core{v, v, j};
    }
    return Core{value, value, j};
  }

  // The figure at token i without qualifier, percent or currency.
  std::optional<Core> CoreAt(size_t i) const {
    const std::string_view w = Word(i);
    Core c;
    if (tokens_[i].numeric) {
      bool grouped = false;
      std::optional<double> v = Digits(w, &grouped);
      if (!v && w.size() > 1) {
        for (auto [suffix, scale] :
             {std::pair<std::string_view, double>{"bn", 1e9}, {"k", 1e3}, {"m", 1e6}, {"b", 1e9}}) {
          if (w.ends_with(suffix)) {
            if (auto d = Digits(w.substr(0, w.size() - suffix.size()), &grouped)) {
              v = *d * scale;
              c.scaled = true;
            }
            break;
          }
        }
        for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
          if (!v && w.ends_with(suffix)) {
            if (auto d = Digits(w.substr(0, w.size() - 2), &grouped)) {
              v = *d;
              c.ordinal = true;
            }
          }
        }
      }
      if (!v) return std::nullopt;
      c.low = c.high = *v;
      c.end = i + 1;
      c.plain_integer =
          !grouped && !c.scaled && !c.ordinal && w.find_first_of(",.") == std::string_view::npos;
      return c;
    }
    if (auto f = LookupAny(Fractions(), w)) {
      size_t j = i + 1;
      while (Word(j) == "of" || Word(j) == "a" || Word(j) == "من") ++j;
      if (auto s = LookupAny(Scales(), Word(j))) {
        c.low = c.high = std::round(*f * *s);
        c.end = j + 1;
        c.scaled = true;
        return c;
      }
      return std::nullopt;
    }
    // "ثلاثة أرباع مليون", "three quarters of a million".
    if ((w == "ثلاثه" && Word(i + 1) == "ارباع") || (w == "three" && Word(i + 1) == "quarters")) {
      size_t j = i + 2;
      while (Word(j) == "of" || Word(j) == "a" || Word(j) == "من") ++j;
      if (auto s = LookupAny(Scales(), Word(j))) {
        c.low = c.high = 0.75 * *s;
        c.end = j + 1;
        c.scaled = true;
        return c;
      }
    }
    if (auto v = LookupAny(VagueWords(), w)) {
      // "tens of thousands", "عشرات الآلاف" are handled by the scale step.
      c.low = v->low;
      c.high = v->high;
      c.end = i + 1;
      if (w == "tens" && (Word(i + 1) != "of" || !Scales().contains(Word(i + 2)))) {
        return std::nullopt;  // "tens" only counts in "tens of thousands"
      }
      return c;
    }
    if (auto s = LookupAny(StandaloneScales(), w)) {
      c.low = c.high = *s;
      c.end = i + 1;
      c.scaled = true;
      return c;
    }
    if (auto s = Spelled(i)) return s;
    return std::nullopt;
  }

  // Applies scale words after a core: "250 ألف", "عشرات الآلاف", "tens of thousands".
  void ApplyScales(Core* c) const {
    size_t j = c->end;
    if (Word(j) == "of" && VagueWords().contains(Word(c->end - 1))) ++j;
    std::optional<double> s = LookupAny(Scales(), Word(j));
    if (!s) return;
    if (c->low == c->high) {
      c->low = c->high = c->low * *s;
    } else {
      c->low *= *s;
      c->high = (c->high + 1) * *s - 1;
    }
    c->end = j + 1;
    c->scaled = true;
    c->plain_integer = false;
  }

  // Whether word i could start a figure at all: digits, or a reading found in a lexicon.
  bool MayStartFigure(size_t i) const {
    if (tokens_[i].numeric) return true;
    static const StartWords kStarts = [] {
      StartWords all;
      for (const Table* t : {&Scales(), &StandaloneScales(), &Fractions(), &ArabicUnits(),
                             &ArabicTens(), &ArabicHundreds(), &EnglishNumbers()}) {
        for (const auto& [k, v] : *t) all.Insert(k);
      }
      for (const auto& [k, v] : VagueWords()) all.Insert(k);
      for (const auto& [k, v] : Months()) all.Insert(k);
      all.Insert("ثلاثه");
      all.Insert("three");
      return all;
    }();
    const std::string_view w = Word(i);
    if (!kStarts.MayEndIn(w)) return false;  // most words: no reading can be a start word
    for (std::string_view r : Readings(w)) {
      if (kStarts.words.contains(r)) return true;
    }
    return false;
  }

  std::optional<NumberMention> At(size_t i) const {
    if (!MayStartFigure(i)) return std::nullopt;
    // Dates that start with a month name: "July 19, 2021", "يوليو 2021".
    if (auto month = Months().find(Word(i));
        month != Months().end() && i + 1 < tokens_.size() && tokens_[i + 1].numeric) {
      bool g = false;
      const std::optional<double> a = Digits(Word(i + 1), &g);
      if (a && *a >= 1 && *a <= 31 && i + 2 < tokens_.size() && tokens_[i + 2].numeric) {
        const std::optional<double> y = Digits(Word(i + 2), &g);
        if (y && *y >= 1800 && *y <= 2100) {
          return Mention(i, i + 3, *y * 10000 + month->second * 100 + *a, NumberKind::kDate);
        }
      }
      if (a && *a >= 1800 && *a <= 2100) {
        return Mention(i, i + 2, *a * 10000 + month->second * 100, NumberKind::kDate);
      }
    }
    std::optional<Core> c = CoreAt(i);
    if (!c) return std::nullopt;
    // Dates that start with the day: "19 يوليو 2021", "19/07/2021".
    if (c->plain_integer && c->low >= 1 && c->low <= 31) {
      if (auto month = Months().find(Word(c->end)); month != Months().end()) {
        bool g = false;
        size_t end = c->end + 1;
        double year = 0;
        if (end < tokens_.size() && tokens_[end].numeric) {
          if (auto y = Digits(Word(end), &g); y && *y >= 1800 && *y <= 2100) {
            year = *y;
            ++end;
          }
        }
        return Mention(i, end, year * 10000 + month->second * 100 + c->low, NumberKind::kDate);
      }
      if (c->end + 1 < tokens_.size() && OnlySpacesAnd(Gap(c->end), '/') &&
          OnlySpacesAnd(Gap(c->end + 1), '/')) {
        bool g = false;
        const auto m = Digits(Word(c->end), &g);
        const auto y = Digits(Word(c->end + 1), &g);
        if (m && y && *m >= 1 && *m <= 12 && *y >= 1800 && *y <= 2100) {
          return Mention(i, c->end + 2, *y * 10000 + *m * 100 + c->low, NumberKind::kDate);
        }
      }
    }
    if (c->ordinal) return Mention(i, c->end, c->low, NumberKind::kOrdinal);
    ApplyScales(&*c);

    NumberMention m;
    m.first_token = i;
    m.low = c->low;
    m.high = c->high;
    m.qualifier = c->low == c->high ? Qualifier::kExact : Qualifier::kRange;
    m.kind = NumberKind::kCount;
    size_t end = c->end;

    // Written ranges: "10-20", "10 الى 20", "between 10 and 20", "بين 10 و20".
    const bool between = i > 0 && (Word(i - 1) == "بين" || Word(i - 1) == "between");
    size_t next = end;
    if (next < tokens_.size()) {
      const std::string_view link = Word(next);
      const bool dash = tokens_[next].numeric && OnlySpacesAnd(Gap(next), '-');
      const bool word_link =
          link == "الي" || link == "to" || (between && (link == "و" || link == "and"));
      if (dash || word_link) {
        const size_t y = dash ? next : next + 1;
        if (y < tokens_.size()) {
          if (std::optional<Core> hi = CoreAt(y)) {
            // "10 الى 20 مليون": the scale written once applies to both ends.
            const double raw = hi->low;
            ApplyScales(&*hi);
            double lo = c->low;
            if (!c->scaled && hi->scaled && raw > 0) lo *= hi->low / raw;
            if (hi->high > lo) {
              m.low = lo;
              m.high = hi->high;
              m.qualifier = Qualifier::kRange;
              end = hi->end;
              c->plain_integer = false;
            }
          }
        }
      }
    }

    // Percent and money after the figure; a currency sign before it.
    const std::string_view after = Word(end);
    if (after == "%" || after == "percent" || after == "بالمئه" || after == "بالمائه") {
      m.kind = NumberKind::kPercent;
      ++end;
    } else if (after == "per" && Word(end + 1) == "cent") {
      m.kind = NumberKind::kPercent;
      end += 2;
    } else if (after == "في" && (Word(end + 1) == "المئه" || Word(end + 1) == "المائه")) {
      m.kind = NumberKind::kPercent;
      end += 2;
    } else if (auto cur = LookupAny(Currencies(), after)) {
      m.kind = NumberKind::kMoney;
      m.unit = std::string(*cur);
      ++end;
    } else {
      const size_t before = tokens_[i].begin;
      size_t k = before;
      while (k > 0 && text_[k - 1] == ' ') --k;
      if (k > 0) {
        const std::string_view prefix = text_.substr(0, k);
        for (auto [sign, code] : {std::pair<std::string_view, std::string_view>{"$", "usd"},
                                  {"€", "eur"},
                                  {"£", "gbp"}}) {
          if (prefix.ends_with(sign)) {
            m.kind = NumberKind::kMoney;
            m.unit = std::string(code);
          }
        }
      }
    }
    if (m.kind == NumberKind::kCount && c->plain_integer && m.low >= 1800 && m.low <= 2100) {
      m.kind = NumberKind::kYear;
    }
    m.end_token = end;
    return m;
  }

  NumberMention Mention(size_t first, size_t end, double value, NumberKind kind) const {
    NumberMention m;
    m.first_token = first;
    m.end_token = end;
    m.low = m.high = value;
    m.kind = kind;
    return m;
  }

  // The counted thing: the first content word after the figure, past "من"/"of".
  std::string UnitAfter(size_t j) const {
    for (size_t k = 0; k < 3 && j < tokens_.size(); ++k, ++j) {
      const std::string_view w = Word(j);
      if (tokens_[j].numeric) return {};
      if (w == "من" || w == "of" || w == "the" || IsStopWord(w)) continue;
      if (Scales().contains(w) || VagueWords().contains(w)) continue;
      return std::string(LightStem(w));
    }
    return {};
  }

  std::string_view text_;
  const std::vector<Token>& tokens_;
};

}  // namespace

std::string_view QualifierName(Qualifier q) {
  switch (q) {
    case Qualifier::kExact:
      return "exact";
    case Qualifier::kAbout:
      return "about";
    case Qualifier::kOver:
      return "over";
    case Qualifier::kUnder:
      return "under";
    case Qualifier::kUpTo:
      return "up_to";
    case Qualifier::kRange:
      return "range";
  }
  return "exact";
}

std::string_view NumberKindName(NumberKind k) {
  switch (k) {
    case NumberKind::kCount:
      return "count";
    case NumberKind::kPercent:
      return "percent";
    case NumberKind::kMoney:
      return "money";
    case NumberKind::kYear:
      return "year";
    case NumberKind::kDate:
      return "date";
    case NumberKind::kOrdinal:
      return "ordinal";
  }
  return "count";
}

std::vector<NumberMention> FindNumbers(std::string_view text, const std::vector<Token>& tokens) {
  return Parser(text, tokens).Run();
}

Interval Allowed(const NumberMention& n) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  switch (n.qualifier) {
    case Qualifier::kExact:
      return {n.low * 0.98, n.high * 1.02};
    case Qualifier::kRange:
      return {n.low, n.high};
    case Qualifier::kAbout:
      return {n.low * 0.8, n.high * 1.2};
    case Qualifier::kOver:
      return {n.low, kInf};
    case Qualifier::kUnder:
      return {0, n.high};
    case Qualifier::kUpTo:
      return {0, n.high};
  }
  return {n.low, n.high};
}

bool Compatible(const NumberMention& a, const NumberMention& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == NumberKind::kYear || a.kind == NumberKind::kDate ||
      a.kind == NumberKind::kOrdinal) {
    return a.low == b.low && a.high == b.high;
  }
  const Interval x = Allowed(a);
  const Interval y = Allowed(b);
  return x.low <= y.high && y.low <= x.high;
}

}  // namespace claimdiff
