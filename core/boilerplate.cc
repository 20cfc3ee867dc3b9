#include "core/boilerplate.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/hash.h"
#include "core/parallel.h"
#include "core/tokenize.h"

namespace claimdiff {
namespace {

// Interface vocabulary, in matching form. Each entry is matched against a token and its stem.
const absl::flat_hash_set<std::string_view>& UiWords() {
  static const absl::flat_hash_set<std::string_view> words{
      // Arabic
      "شارك", "شاركها", "شاركه", "مشاركه", "المشاركه", "تابعنا", "تابعونا", "اشترك", "اشتراك",
      "الاشتراك", "النشره", "نشره", "تعليق", "تعليقات", "التعليقات", "طباعه", "اطبع", "اقرا",
      "ايضا", "المزيد", "صله", "الاكثر", "مشاهده", "قراءه", "تداولا", "زر", "الذهاب", "الاعلي",
      "للاعلي", "الرئيسيه", "اعلان", "الاعلانات", "اعلانات", "الوسوم", "وسوم", "كلمات", "مفتاحيه",
      "المساهمون", "المساهمين", "بقلم", "تحرير", "حقوق", "محفوظه", "الخط", "تصغير", "تكبير",
      "انتقل", "التحديثات", "الحيه", "رابط", "الرابط", "نسخ", "واتساب", "فيسبوك", "تويتر", "تلغرام",
      "تيليجرام", "البريد", "التالي", "السابق", "المقال", "مقالات",
      // English
      "share", "shares", "tweet", "facebook", "twitter", "whatsapp", "telegram", "linkedin",
      "email", "print", "scroll", "top", "related", "more", "read", "subscribe", "newsletter",
      "comments", "comment", "advertisement", "cookies", "cookie", "menu", "home", "login", "sign",
      "follow", "copyright", "rights", "reserved", "back", "next", "previous", "tags",
      "contributors", "link", "copy", "skip", "content", "click"};
  return words;
}

const absl::flat_hash_set<std::string_view>& BylineLeads() {
  static const absl::flat_hash_set<std::string_view> words{
      "بقلم", "كتب", "كتبت", "اعداد", "تحرير", "المساهمون", "by", "written", "reporting"};
  return words;
}

const absl::flat_hash_set<std::string_view>& DateWords() {
  static const absl::flat_hash_set<std::string_view> words{
      "يناير",   "فبراير",    "مارس",    "ابريل",    "مايو",     "يونيو",     "يوليو",
      "اغسطس",   "سبتمبر",    "اكتوبر",  "نوفمبر",   "ديسمبر",   "كانون",     "شباط",
      "اذار",    "نيسان",     "ايار",    "حزيران",   "تموز",     "اب",        "ايلول",
      "تشرين",   "الاول",     "الثاني",  "الاحد",    "الاثنين",  "الثلاثاء",  "الاربعاء",
      "الخميس",  "الجمعه",    "السبت",   "م",        "ص",        "هـ",        "ه",
      "january", "february",  "march",   "april",    "may",      "june",      "july",
      "august",  "september", "october", "november", "december", "jan",       "feb",
      "mar",     "apr",       "jun",     "jul",      "aug",      "sep",       "sept",
      "oct",     "nov",       "dec",     "monday",   "tuesday",  "wednesday", "thursday",
      "friday",  "saturday",  "sunday",  "am",       "pm",       "gmt",       "utc",
      "updated", "published", "تحديث",   "نشر",      "بتوقيت",   "غرينتش",    "مكه"};
  return words;
}

bool IsUiWord(std::string_view token) {
  const auto& ui = UiWords();
  return ui.contains(token) || ui.contains(LightStem(token));
}

bool EndsLikeSentence(std::string_view norm) {
  while (!norm.empty() &&
         (norm.back() == ' ' || norm.back() == '"' || norm.back() == '\'' || norm.back() == ')')) {
    norm.remove_suffix(1);
  }
  return !norm.empty() &&
         (norm.back() == '.' || norm.back() == '!' || norm.back() == '?' || norm.back() == ':');
}

}  // namespace

bool LooksLikeFurniture(std::string_view original, const Normalizer& normalizer,
                        bool title_candidate) {
  for (std::string_view marker : {"{{", "}}", "{%", "%}", "<%", "%>", "${"}) {
    if (original.find(marker) != std::string_view::npos) return true;
  }
  // More than 8 words is a sentence, not furniture: most spans are, and their first dozen-odd
  // words tell it without normalizing the rest. Text is normalized a segment (a character and
  // its marks) at a time and an ASCII space starts a segment and ends a token, so the words
  // of the text before a space are the whole text's first words.
  constexpr size_t kMaxFurnitureWords = 8;
  for (size_t k = 0, spaces = 0; k < original.size(); ++k) {
    if (original[k] != ' ' || ++spaces < 2 * kMaxFurnitureWords) continue;
    const NormalizedText head = normalizer.Normalize(original.substr(0, k));
    if (CountTokens(head.text) > kMaxFurnitureWords) return false;
    break;
  }
  const NormalizedText norm = normalizer.Normalize(original);
  const std::vector<Token> tokens = Tokenize(norm.text);
  const size_t words = tokens.size();
  if (words == 0) return true;  // only punctuation or symbols
  // Font-size controls: "+ الخط -", "A+ A-".
  if (words <= 3 && norm.text.find('+') != std::string::npos &&
      norm.text.find('-') != std::string::npos) {
    return true;
  }
  if (words > kMaxFurnitureWords) return false;
  size_t ui = 0;
  bool digits = false;
  for (const Token& t : tokens) {
    ui += IsUiWord(TokenText(norm.text, t));
    digits |= t.numeric;
  }
  const std::string_view first = TokenText(norm.text, tokens.front());
  if (BylineLeads().contains(first) && words <= 6) return true;
  if (words <= 6 && ui >= 1 && ui * 3 >= words) return true;
  if (!title_candidate && words <= 2 && !digits && !EndsLikeSentence(norm.text)) return true;
  return false;
}

bool LooksLikeDateline(std::string_view original, const Normalizer& normalizer) {
  const NormalizedText norm = normalizer.Normalize(original);
  const std::vector<Token> tokens = Tokenize(norm.text);
  if (tokens.empty() || tokens.size() > 10) return false;
  bool number = false;
  for (const Token& t : tokens) {
    if (t.numeric) {
      number = true;
      continue;
    }
    if (!DateWords().contains(TokenText(norm.text, t))) return false;
  }
  return number;
}

void FlagRepeatedSpans(const std::vector<Document>& docs, std::vector<Span>* spans,
                       const Normalizer& normalizer, const BoilerplateOptions& options) {
  FlagRepeatedSpans(docs, spans, normalizer, options, /*threads=*/1);
}

namespace {

// The key of the span whose matching form is `normalized` (its words joined by single spaces).
void KeyOf(std::string_view normalized, const std::vector<Token>& tokens, std::string* key) {
  key->clear();
  for (const Token& t : tokens) {
    if (!key->empty()) key->push_back(' ');
    key->append(TokenText(normalized, t));
  }
}

// A span's key into `key`, and its word count.
uint32_t SpanKey(const Document& doc, const Span& s, const Normalizer& normalizer,
                 std::string* key) {
  const NormalizedText norm = normalizer.Normalize(SpanText(doc, s));
  const std::vector<Token> tokens = Tokenize(norm.text);
  KeyOf(norm.text, tokens, key);
  return static_cast<uint32_t>(tokens.size());
}

SpanFormPrint PrintOfKey(std::string_view key) {
  return {StableHash64(key, 0x6b657931), StableHash64(key, 0x6b657932)};
}

// Calls store(i, key) for each span i with its key (in a buffer reused per thread), and sets
// words[i] to its word count; spans in parallel.
template <typename Store>
void ForEachSpanKey(const std::vector<Document>& docs, const std::vector<Span>& spans,
                    const Normalizer& normalizer, int threads, std::vector<uint32_t>* words,
                    const Store& store) {
  words->assign(spans.size(), 0);
  ParallelFor(spans.size(), threads, [&](size_t begin, size_t end) {
    std::string key;
    for (size_t i = begin; i < end; ++i) {
      (*words)[i] = SpanKey(docs[spans[i].doc], spans[i], normalizer, &key);
      store(i, key);
    }
  });
}

struct Seen {
  uint32_t last_doc = UINT32_MAX;
  uint32_t first_in_doc = 0;  // index, within last_doc, of the key's first span
  uint32_t docs = 0;
  uint32_t words = 0;
  uint32_t first_span = 0;  // the first span with the key
};

// Counts the documents of each key in span order and sets `repeat_of` (when `spans` is not
// null); entry_of[i] is span i's entry. `Key` is what the index holds of keys[i]: a view of a
// string key, or a fingerprint.
template <typename Key, typename Keys>
std::vector<Seen> CountKeys(const Keys& keys, const std::vector<uint32_t>& words,
                            const std::vector<Span>& in, std::vector<Span>* spans,
                            std::vector<uint32_t>* entry_of) {
  const size_t n = in.size();
  // Room for every span's key from the start: growing the table and the entries by doubling
  // held the old and the new side by side, at 100,000 documents the peak of the shingling stage.
  absl::flat_hash_map<Key, uint32_t> index;
  index.reserve(n);
  std::vector<Seen> seen;
  seen.reserve(n);
  entry_of->assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const auto [it, inserted] = index.try_emplace(Key(keys[i]), static_cast<uint32_t>(seen.size()));
    if (inserted) {
      seen.emplace_back();
      seen.back().first_span = static_cast<uint32_t>(i);
    }
    Seen& entry = seen[it->second];
    const uint32_t doc = in[i].doc;
    if (entry.last_doc != doc) {
      entry.last_doc = doc;
      entry.first_in_doc = in[i].index;
      ++entry.docs;
    } else if (words[i] > 0 && spans != nullptr) {
      (*spans)[i].repeat_of = entry.first_in_doc;
    }
    entry.words = words[i];
    (*entry_of)[i] = it->second;
  }
  return seen;
}

}  // namespace

SpanFormPrint SpanFormPrintOf(std::string_view normalized, const std::vector<Token>& tokens,
                              std::string* key) {
  KeyOf(normalized, tokens, key);
  return PrintOfKey(*key);
}

void FlagRepeatedSpans(const std::vector<Document>& docs, std::vector<Span>* spans,
                       const Normalizer& normalizer, const BoilerplateOptions& options, int threads,
                       const CorpusRepeats* corpus) {
  std::vector<SpanFormPrint> prints(spans->size());
  std::vector<uint32_t> words;
  ForEachSpanKey(docs, *spans, normalizer, threads, &words,
                 [&](size_t i, const std::string& key) { prints[i] = PrintOfKey(key); });
  FlagRepeatedSpans(docs, spans, prints, words, normalizer, options, corpus);
}

void FlagRepeatedSpans(const std::vector<Document>& docs, std::vector<Span>* spans,
                       const std::vector<SpanFormPrint>& prints, const std::vector<uint32_t>& words,
                       const Normalizer& normalizer, const BoilerplateOptions& options,
                       const CorpusRepeats* corpus) {
  const size_t n = spans->size();
  std::vector<uint32_t> entry_of;
  std::vector<Seen> seen = CountKeys<SpanFormPrint>(prints, words, *spans, spans, &entry_of);
  uint64_t documents = docs.size();
  if (corpus != nullptr) {
    // The corpus's counts replace this part's own, looked up by each distinct key's text.
    std::string key;
    for (Seen& entry : seen) {
      const Span& first = (*spans)[entry.first_span];
      SpanKey(docs[first.doc], first, normalizer, &key);
      entry.docs = corpus->documents_with(key);
    }
    documents = corpus->documents;
  }
  const auto min_docs = static_cast<uint32_t>(options.min_repeat_docs);
  const auto share_docs = static_cast<uint32_t>(
      std::max<double>(min_docs, std::ceil(options.repeat_share * static_cast<double>(documents))));
  for (size_t i = 0; i < n; ++i) {
    const Seen& entry = seen[entry_of[i]];
    if (entry.docs < min_docs) continue;
    const bool short_repeat = entry.words <= static_cast<uint32_t>(options.short_repeat_words);
    const bool everywhere = documents >= 6 && entry.docs >= share_docs;
    if (short_repeat || everywhere) (*spans)[i].boilerplate = true;
  }
}

std::vector<SpanForm> CountSpanForms(const std::vector<Document>& docs,
                                     const std::vector<Span>& spans, const Normalizer& normalizer,
                                     int threads) {
  std::vector<std::string> keys(spans.size());
  std::vector<uint32_t> words;
  ForEachSpanKey(docs, spans, normalizer, threads, &words,
                 [&](size_t i, const std::string& key) { keys[i] = key; });
  std::vector<uint32_t> entry_of;
  const std::vector<Seen> seen =
      CountKeys<std::string_view>(keys, words, spans, nullptr, &entry_of);
  std::vector<SpanForm> out;
  out.reserve(seen.size());
  for (const Seen& entry : seen) {
    out.push_back({std::move(keys[entry.first_span]), entry.docs});
  }
  return out;
}

}  // namespace claimdiff
