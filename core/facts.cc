#include "core/facts.h"

#include <algorithm>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/tokenize.h"
#include "core/utf8.h"
#include "core/word_filter.h"

namespace claimdiff {
namespace {

constexpr size_t kMinQuoteWords = 3;
constexpr size_t kMaxSpeakerWords = 5;

// A token without one attached و or ف ("وقال" → "قال").
std::string_view Bare(std::string_view w) {
  for (std::string_view p : {"و", "ف"}) {
    if (w.starts_with(p) && w.size() > p.size() + 4) return w.substr(p.size());
  }
  return w;
}

const absl::flat_hash_set<std::string_view>& SpeechVerbs() {
  static const absl::flat_hash_set<std::string_view> t = {
      "قال",  "قالت",  "يقول", "تقول",   "اضاف",  "اضافت",  "اكد",     "اكدت", "دعا",
      "دعت",  "ذكر",   "ذكرت", "اشار",   "اشارت", "اوضح",   "اوضحت",   "صرح",  "صرحت",
      "تابع", "تابعت", "كتب",  "كتبت",   "اعلن",  "اعلنت",  "حذر",     "حذرت", "said",
      "says", "added", "told", "stated", "wrote", "warned", "declared"};
  return t;
}

// Words that end a speaker's name: complementizers, prepositions, conjunctions.
const absl::flat_hash_set<std::string_view>& SpeakerStops() {
  static const absl::flat_hash_set<std::string_view> t = {
      "ان",   "انه", "انها",   "انهم",      "الي",  "علي",   "في",    "من",     "عن", "بان",
      "بانه", "لـ",  "امس",    "اليوم",     "يوم",  "خلال",  "that",  "on",     "in", "to",
      "the",  "at",  "during", "yesterday", "بيان", "مؤتمر", "تصريح", "تصريحات"};
  return t;
}

const absl::flat_hash_set<std::string_view>& NegationCues() {
  static const absl::flat_hash_set<std::string_view> t = {
      "لم",   "لن",     "ليس",    "ليست", "لا",      "غير",    "عدم", "نفي",
      "نفت",  "ينفي",   "تنفي",   "نفوا", "ينفون",   "not",    "no",  "never",
      "deny", "denied", "denies", "nor",  "neither", "without"};
  return t;
}

// Change words by direction, in matching form; each entry is compared with a token and its
// light stem.
const absl::flat_hash_set<std::string_view>& RiseWords() {
  static const absl::flat_hash_set<std::string_view> t = {
      "ارتفاع", "ارتفع", "ارتفعت", "يرتفع",    "ترتفع",     "صعود",  "صعد",     "صعدت",
      "يصعد",   "تصعد",  "زياده",  "زاد",      "زادت",      "يزيد",  "تزيد",    "قفزه",
      "قفز",    "قفزت",  "يقفز",   "تقفز",     "ترفع",      "يرفع",  "رفع",     "رفعت",
      "مكاسب",  "تعافي", "يتعافي", "تتعافي",   "انتعاش",    "نمو",   "تضاعف",   "rise",
      "rises",  "rose",  "risen",  "rising",   "gain",      "gains", "gained",  "jump",
      "jumped", "surge", "surged", "increase", "increased", "climb", "climbed", "up"};
  return t;
}

const absl::flat_hash_set<std::string_view>& FallWords() {
  static const absl::flat_hash_set<std::string_view> t = {
      "تراجع",  "تراجعت",  "يتراجع",  "تتراجع",   "انخفاض",   "انخفض",     "انخفضت",  "ينخفض",
      "تنخفض",  "هبوط",    "هبط",     "هبطت",     "يهبط",     "تهبط",      "تدهور",   "تدهورت",
      "يتدهور", "تتدهور",  "يهوي",    "تهوي",     "هوت",      "خسائر",     "خساره",   "نقص",
      "انكماش", "تقلص",    "fall",    "falls",    "fell",     "fallen",    "falling", "drop",
      "drops",  "dropped", "decline", "declined", "decrease", "decreased", "slump",   "slumped",
      "plunge", "plunged", "loss",    "losses",   "down"};
  return t;
}

bool IsToggleMark(char32_t c) {
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x201F || c == 0x2033 ||
         c == 0xFF02;
}

struct Range {
  size_t begin;
  size_t end;
};

// Quoted ranges of `text` (marks excluded), tolerating a closing mark used to open and a
// missing close (the quote then runs to the end).
std::vector<Range> QuotedRanges(std::string_view text) {
  std::vector<Range> out;
  bool open = false;
  bool guillemet = false;
  size_t start = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t at = pos;
    const char32_t c = DecodeUtf8(text, &pos);
    if (IsToggleMark(c)) {
      if (!open) {
        open = true, guillemet = false, start = pos;
      } else if (!guillemet) {
        out.push_back({start, at});
        open = false;
      }
    } else if (c == 0x00AB || c == 0x2039) {
      if (!open) open = true, guillemet = true, start = pos;
    } else if ((c == 0x00BB || c == 0x203A) && open && guillemet) {
      out.push_back({start, at});
      open = false;
    }
  }
  if (open) out.push_back({start, text.size()});
  return out;
}

constexpr uint8_t kNegationCue = 1;
constexpr uint8_t kRiseCue = 2;
constexpr uint8_t kFallCue = 4;

// What a word cues: the negation, rise and fall words above, in one table.
uint8_t CueOf(std::string_view w) {
  static const absl::flat_hash_map<std::string_view, uint8_t> t = [] {
    absl::flat_hash_map<std::string_view, uint8_t> m;
    for (std::string_view x : NegationCues()) m[x] |= kNegationCue;
    for (std::string_view x : RiseWords()) m[x] |= kRiseCue;
    for (std::string_view x : FallWords()) m[x] |= kFallCue;
    return m;
  }();
  static const WordFilter filter = [] {
    WordFilter f;
    for (const auto& [x, cue] : t) f.Add(x);
    return f;
  }();
  if (!filter.MayContain(w)) return 0;
  const auto it = t.find(w);
  return it == t.end() ? 0 : it->second;
}

}  // namespace

bool HasFacts(const SpanFacts& f) {
  return !f.numbers.empty() || !f.quotes.empty() || !f.negations.empty() || f.direction != 0 ||
         !f.direction_cue.empty();
}

SpanFactsTable::SpanFactsTable(const SpanFactsTable& other)
    : slot_(other.slot_), facts_(other.facts_) {}

SpanFactsTable& SpanFactsTable::operator=(const SpanFactsTable& other) {
  if (this != &other) {
    slot_ = other.slot_;
    facts_ = other.facts_;
  }
  return *this;
}

void SpanFactsTable::resize(size_t spans) {
  slot_.resize(spans, kNone);
  if (mu_ == nullptr) mu_ = std::make_unique<std::mutex>();  // a table moved from
}

const SpanFacts& SpanFactsTable::None() {
  static const SpanFacts none;
  return none;
}

const SpanFacts& SpanFactsTable::Set(size_t i, SpanFacts facts) {
  if (!HasFacts(facts)) return None();
  std::scoped_lock lock(*mu_);
  slot_[i] = static_cast<uint32_t>(facts_.size());
  return facts_.emplace_back(std::move(facts));
}

SpanFacts FactExtractor::Extract(const Document& doc, const Span& span,
                                 const SpanFacts* previous) const {
  const NormalizedText norm = normalizer_.Normalize(SpanText(doc, span));
  const std::vector<Token> tokens = Tokenize(norm.text);
  return Extract(doc, span, previous, norm, tokens, FindNumbers(norm.text, tokens));
}

SpanFacts FactExtractor::Extract(const Document& doc, const Span& span, const SpanFacts* previous,
                                 const NormalizedText& norm, const std::vector<Token>& tokens,
                                 const std::vector<NumberMention>& numbers,
                                 const ContentWordForms* words) const {
  SpanFacts facts;
  const std::string_view text = SpanText(doc, span);
  auto word = [&](size_t i) { return TokenText(norm.text, tokens[i]); };
  // Original byte range of tokens [a, b), relative to the span.
  auto original = [&](size_t a, size_t b) {
    return norm.ToOriginal(tokens[a].begin, tokens[b - 1].end);
  };

  for (const NumberMention& m : numbers) {
    NumberFact f;
    f.mention = m;
    const auto [b, e] = original(m.first_token, m.end_token);
    f.begin = span.begin + b;
    f.end = span.begin + e;
    facts.numbers.push_back(std::move(f));
  }

  // One pass for negation and direction: each token, its bare form and its light stem are
  // looked up once in the table of cue words.
  bool rise = false;
  bool fall = false;
  size_t next_word = 0;  // the next content word of `words`
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view w = word(i);
    const std::string_view bare = Bare(w);
    const uint8_t as_written = CueOf(w);
    const uint8_t cue = as_written | (bare.size() == w.size() ? as_written : CueOf(bare));
    // "لا يزال", "لا تزال" mean "still": no negation.
    const bool still = bare == "لا" && i + 1 < tokens.size() &&
                       (word(i + 1) == "يزال" || word(i + 1) == "تزال" || word(i + 1) == "يزالون" ||
                        word(i + 1) == "زال");
    if (!still &&
        ((cue & kNegationCue) != 0 || (w == "t" && i > 0 && word(i - 1).ends_with("n")))) {
      facts.negations.emplace_back(bare);
    }
    // A content word's stem as ContentWordFormsOf made it (LightStem of the word; a number
    // keeps its text there, so numbers are stemmed here).
    if (words != nullptr) {
      while (next_word < words->size() && words->token[next_word] < i) ++next_word;
    }
    const std::string_view stem = words != nullptr && next_word < words->size() &&
                                          words->token[next_word] == i && !tokens[i].numeric
                                      ? words->stem[next_word]
                                      : LightStem(w);
    const uint8_t any = cue | (stem.size() == w.size() ? as_written : CueOf(stem));
    const bool r = (any & kRiseCue) != 0;
    const bool f = (any & kFallCue) != 0;
    if ((r || f) && facts.direction_cue.empty()) facts.direction_cue = std::string(w);
    rise |= r;
    fall |= f;
  }
  facts.direction = rise == fall ? 0 : rise ? 1 : -1;

  // Index of the first token at or after byte `pos` of the span (matching form offsets map to
  // original offsets through norm.offsets).
  auto first_token_at = [&](size_t orig_pos) {
    size_t i = 0;
    while (i < tokens.size() && norm.offsets[tokens[i].begin] < orig_pos) ++i;
    return i;
  };
  auto gap_before = [&](size_t i) {
    const size_t from = i == 0 ? 0 : tokens[i - 1].end;
    return std::string_view(norm.text).substr(from, tokens[i].begin - from);
  };
  // `drop_object`: the verb takes an object before "إلى" ("دعا دومينيك راب بكين إلى ..."),
  // so the last word before it is not part of the name.
  auto speaker_after = [&](size_t i, size_t limit, bool drop_object = false) -> std::string {
    const size_t start = i;
    size_t end = i;
    // "وأضاف: «..." names nobody: a colon or a quote mark right after the verb.
    if (i < limit && i > 0 && gap_before(i).find_first_of(":\"") != std::string_view::npos) {
      return {};
    }
    while (end < limit && end - start < kMaxSpeakerWords) {
      const std::string_view w = word(end);
      if (SpeakerStops().contains(w) || SpeakerStops().contains(Bare(w)) || tokens[end].numeric) {
        break;
      }
      // A colon or comma ends the name.
      if (end > start && gap_before(end).find_first_of(":,\"") != std::string_view::npos) break;
      ++end;
    }
    if (drop_object && end - start >= 3 && end < limit && word(end) == "الي") --end;
    if (end == start) return {};
    const auto [b, e] = original(start, end);
    return std::string(text.substr(b, e - b));
  };

  size_t after_previous_quote = 0;  // a speaker is never looked for inside an earlier quote
  for (const Range& q : QuotedRanges(text)) {
    const size_t first = first_token_at(q.begin);
    const size_t last = first_token_at(q.end);
    const size_t floor = after_previous_quote;
    after_previous_quote = std::max(after_previous_quote, last);
    if (last - first < kMinQuoteWords) continue;
    QuoteFact f;
    // Trim white space inside the marks.
    size_t qb = q.begin;
    size_t qe = q.end;
    while (qb < qe && text[qb] == ' ') ++qb;
    while (qe > qb && text[qe - 1] == ' ') --qe;
    f.begin = span.begin + static_cast<uint32_t>(qb);
    f.end = span.begin + static_cast<uint32_t>(qe);
    // A speech verb before the quote, nearest first; a verb with no name after it ("وأضاف:")
    // means the speaker is the one already named.
    bool verb_without_name = false;
    for (size_t k = first; k-- > floor && f.speaker.empty();) {
      if (SpeechVerbs().contains(word(k)) || SpeechVerbs().contains(Bare(word(k)))) {
        const std::string_view verb = Bare(word(k));
        f.speaker = speaker_after(k + 1, first, verb == "دعا" || verb == "دعت");
        verb_without_name = f.speaker.empty();
        break;
      }
    }
    // "X: «...»": the words before a colon that ends right before the quote.
    if (f.speaker.empty() && !verb_without_name && first > floor) {
      const std::string_view before = text.substr(0, q.begin);
      const size_t colon = before.find_last_of(':');
      if (colon != std::string_view::npos &&
          before.find_first_not_of(" \"“”«»", colon + 1) == std::string_view::npos) {
        const size_t end_tok = first_token_at(colon);
        const size_t start_tok = std::max(floor, end_tok > 2 ? end_tok - 2 : 0);
        f.speaker = speaker_after(start_tok, end_tok);
      }
    }
    // "«...» وفقا لـ X", "حسب X", "according to X", "«...», said X".
    if (f.speaker.empty()) {
      for (size_t k = last; k < tokens.size() && k < last + 3; ++k) {
        const std::string_view raw = word(k);
        const std::string_view w = Bare(raw);
        if (raw == "وفقا" || raw == "وفق" || w == "حسب" || w == "بحسب") {
          f.speaker = speaker_after(k + 1, tokens.size());
        } else if (w == "according" && k + 1 < tokens.size() && word(k + 1) == "to") {
          f.speaker = speaker_after(k + 2, tokens.size());
        } else if (SpeechVerbs().contains(w) || SpeechVerbs().contains(raw)) {
          f.speaker = speaker_after(k + 1, tokens.size());
        }
        if (!f.speaker.empty()) break;
      }
    }
    if (f.speaker.empty() && !facts.quotes.empty()) f.speaker = facts.quotes.back().speaker;
    if (f.speaker.empty() && previous != nullptr && !previous->quotes.empty()) {
      f.speaker = previous->quotes.back().speaker;
    }
    facts.quotes.push_back(std::move(f));
  }
  return facts;
}

bool SameSpeaker(const Normalizer& normalizer, const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return true;
  const NormalizedText na = normalizer.Normalize(a);
  const NormalizedText nb = normalizer.Normalize(b);
  absl::flat_hash_set<std::string_view> words;
  for (const Token& t : Tokenize(na.text)) {
    const std::string_view w = TokenText(na.text, t);
    if (!IsStopWord(w)) words.insert(LightStem(w));
  }
  for (const Token& t : Tokenize(nb.text)) {
    const std::string_view w = TokenText(nb.text, t);
    if (!IsStopWord(w) && words.contains(LightStem(w))) return true;
  }
  return false;
}

}  // namespace claimdiff
