#include "core/segment.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/boilerplate.h"
#include "core/tokenize.h"
#include "core/utf8.h"

namespace claimdiff {
namespace {

struct Range {
  size_t begin;
  size_t end;
};

bool IsLineBreak(char32_t c) {
  return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85 || c == 0x0B ||
         c == 0x0C;
}

// Shrinks [r.begin, r.end) of `text` past leading and trailing white space.
Range Trim(std::string_view text, Range r) {
  while (r.begin < r.end) {
    size_t next = r.begin;
    if (!IsSpaceLike(DecodeUtf8(text, &next))) break;
    r.begin = next;
  }
  while (r.end > r.begin) {
    size_t prev = r.end;
    if (!IsSpaceLike(DecodeUtf8Before(text, &prev))) break;
    r.end = prev;
  }
  return r;
}

std::vector<Range> Lines(std::string_view text) {
  std::vector<Range> lines;
  size_t start = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t at = pos;
    const char32_t c = DecodeUtf8(text, &pos);
    if (!IsLineBreak(c)) continue;
    lines.push_back({start, at});
    if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    start = pos;
  }
  lines.push_back({start, text.size()});
  std::vector<Range> out;
  for (Range r : lines) {
    r = Trim(text, r);
    if (r.begin < r.end) out.push_back(r);
  }
  return out;
}

// Quotation state while scanning: straight and curly double quotes toggle (news sites often
// use a closing mark to open), guillemets nest.
struct QuoteState {
  bool toggled = false;
  int depth = 0;
  bool open() const { return toggled || depth > 0; }
  void Feed(char32_t c) {
    switch (c) {
      case '"':
      case 0x201C:
      case 0x201D:
      case 0x201E:
      case 0x201F:
      case 0x2033:
      case 0xFF02:
        toggled = !toggled;
        break;
      case 0x00AB:
      case 0x2039:
        ++depth;
        break;
      case 0x00BB:
      case 0x203A:
        depth = std::max(0, depth - 1);
        break;
      default:
        break;
    }
  }
};

bool EndsLikeSentence(std::string_view text, Range r) {
  size_t pos = r.end;
  while (pos > r.begin) {
    const char32_t c = DecodeUtf8Before(text, &pos);
    switch (c) {
      case '.':
      case '!':
      case '?':
      case ':':
      case 0x061F:  // ؟
      case 0x06D4:  // ۔
      case 0x2026:  // …
        return true;
      case '"':
      case '\'':
      case ')':
      case 0x201C:
      case 0x201D:
      case 0x00AB:
      case 0x00BB:
      case 0x2019:
        continue;
      default:
        if (IsSpaceLike(c)) continue;
        return false;
    }
  }
  return false;
}

bool HasArabic(std::string_view text, Range r) {
  for (size_t pos = r.begin; pos < r.end;) {
    const char32_t c = DecodeUtf8(text, &pos);
    if (c >= 0x0600 && c <= 0x06FF) return true;
  }
  return false;
}

// Token end offsets (relative to `base`) of the words in text[r), for counting words between
// two offsets.
std::vector<size_t> WordEnds(std::string_view text, Range r) {
  std::vector<size_t> ends;
  for (const Token& t : Tokenize(text.substr(r.begin, r.end - r.begin))) {
    ends.push_back(r.begin + t.end);
  }
  return ends;
}

size_t WordsBetween(const std::vector<size_t>& ends, size_t a, size_t b) {
  const auto lo = std::upper_bound(ends.begin(), ends.end(), a);
  const auto hi = std::upper_bound(ends.begin(), ends.end(), b);
  return hi > lo ? static_cast<size_t>(hi - lo) : 0;
}

// Splits a sentence longer than options.max_sentence_words at commas and semicolons outside
// quotations, never leaving a piece shorter than options.min_clause_words.
std::vector<Range> SplitClauses(std::string_view text, Range sentence,
                                const SegmentOptions& options) {
  const std::vector<size_t> ends = WordEnds(text, sentence);
  const auto max_words = static_cast<size_t>(options.max_sentence_words);
  const auto min_words = static_cast<size_t>(options.min_clause_words);
  if (ends.size() <= max_words) return {sentence};
  std::vector<Range> out;
  size_t cut = sentence.begin;
  QuoteState quote;
  for (size_t pos = sentence.begin; pos < sentence.end;) {
    const char32_t c = DecodeUtf8(text, &pos);
    quote.Feed(c);
    const bool separator = c == ',' || c == ';' || c == 0x060C || c == 0x061B;
    if (!separator || quote.open()) continue;
    if (WordsBetween(ends, cut, pos) >= min_words &&
        WordsBetween(ends, pos, sentence.end) >= min_words) {
      out.push_back({cut, pos});
      cut = pos;
    }
  }
  out.push_back({cut, sentence.end});
  return out;
}

}  // namespace

absl::StatusOr<Segmenter> Segmenter::Create(const SegmentOptions& options) {
  absl::StatusOr<Normalizer> normalizer = Normalizer::Create();
  if (!normalizer.ok()) return normalizer.status();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> sentences(
      icu::BreakIterator::createSentenceInstance(icu::Locale("ar"), status));
  if (U_FAILURE(status) || sentences == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU sentence BreakIterator unavailable: ", u_errorName(status)));
  }
  return Segmenter(options, *std::move(normalizer), std::move(sentences));
}

Segmenter::Segmenter(SegmentOptions options, Normalizer normalizer,
                     std::unique_ptr<icu::BreakIterator> sentences)
    : options_(options), normalizer_(std::move(normalizer)), sentences_(std::move(sentences)) {}
Segmenter::Segmenter(Segmenter&&) noexcept = default;
Segmenter& Segmenter::operator=(Segmenter&&) noexcept = default;
Segmenter::~Segmenter() = default;

std::vector<Span> Segmenter::Segment(const Document& doc, uint32_t doc_index) const {
  const std::string_view text = doc.text;
  const std::vector<Range> lines = Lines(text);
  std::vector<Span> spans;
  auto add = [&](Range r, SpanKind kind) {
    r = Trim(text, r);
    if (r.begin >= r.end) return;
    Span s;
    s.doc = doc_index;
    s.index = static_cast<uint32_t>(spans.size());
    s.begin = static_cast<uint32_t>(r.begin);
    s.end = static_cast<uint32_t>(r.end);
    s.kind = kind;
    s.boilerplate = kind != SpanKind::kTitle && kind != SpanKind::kDateline &&
                    LooksLikeFurniture(SpanText(doc, s), normalizer_);
    spans.push_back(s);
  };
  auto words_in = [&](Range r) { return CountTokens(text.substr(r.begin, r.end - r.begin)); };

  // The headline.
  size_t title_line = lines.size();
  const size_t look = std::min<size_t>(lines.size(), 6);
  if (!doc.title.empty()) {
    for (size_t i = 0; i < look; ++i) {
      if (text.substr(lines[i].begin, lines[i].end - lines[i].begin) == doc.title) {
        title_line = i;
        break;
      }
    }
  } else if (doc.line == 0) {
    for (size_t i = 0; i < look && title_line == lines.size(); ++i) {
      const std::string_view line = text.substr(lines[i].begin, lines[i].end - lines[i].begin);
      const size_t words = words_in(lines[i]);
      if (words >= 3 && words <= static_cast<size_t>(options_.max_title_words) &&
          !LooksLikeFurniture(line, normalizer_, true)) {
        title_line = i;
      }
    }
    if (title_line == lines.size() && !lines.empty() &&
        words_in(lines[0]) <= static_cast<size_t>(options_.max_title_words)) {
      title_line = 0;
    }
  }

  std::unique_ptr<icu::BreakIterator> bi(sentences_->clone());
  for (size_t li = 0; li < lines.size(); ++li) {
    const Range line = lines[li];
    if (li == title_line) {
      add(line, SpanKind::kTitle);
      continue;
    }
    const std::string_view line_text = text.substr(line.begin, line.end - line.begin);
    if (!EndsLikeSentence(text, line) &&
        words_in(line) <= static_cast<size_t>(options_.max_heading_words)) {
      add(line,
          LooksLikeDateline(line_text, normalizer_) ? SpanKind::kDateline : SpanKind::kHeading);
      continue;
    }
    // Sentence boundaries from ICU, in bytes of the line.
    std::vector<size_t> breaks;
    UErrorCode status = U_ZERO_ERROR;
    UText* ut =
        utext_openUTF8(nullptr, line_text.data(), static_cast<int64_t>(line_text.size()), &status);
    if (U_SUCCESS(status)) {
      bi->setText(ut, status);
      for (int32_t b = bi->first(); b != icu::BreakIterator::DONE; b = bi->next()) {
        breaks.push_back(line.begin + static_cast<size_t>(b));
      }
    }
    utext_close(ut);
    breaks.push_back(line.begin);
    breaks.push_back(line.end);
    // A spaced Latin comma between sentences, as some Arabic sites write: "... للخطر , وفي".
    if (HasArabic(text, line)) {
      for (size_t p = line.begin + 1; p + 1 < line.end; ++p) {
        if (text[p] == ',' && (text[p - 1] == ' ' || text[p - 1] == '\t') &&
            (text[p + 1] == ' ' || text[p + 1] == '\t')) {
          breaks.push_back(p + 1);
        }
      }
    }
    std::sort(breaks.begin(), breaks.end());
    breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());

    // Undo breaks inside an open quotation (up to max_quote_words).
    std::vector<Range> sentences;
    QuoteState quote;
    bool was_open = false;
    for (size_t i = 0; i + 1 < breaks.size(); ++i) {
      const Range piece{breaks[i], breaks[i + 1]};
      if (was_open && !sentences.empty() &&
          words_in(sentences.back()) < static_cast<size_t>(options_.max_quote_words)) {
        sentences.back().end = piece.end;
      } else {
        sentences.push_back(piece);
        quote = QuoteState();
      }
      for (size_t pos = piece.begin; pos < piece.end;) quote.Feed(DecodeUtf8(text, &pos));
      was_open = quote.open();
    }
    for (Range sentence : sentences) {
      sentence = Trim(text, sentence);
      if (sentence.begin >= sentence.end) continue;
      const std::vector<Range> clauses = SplitClauses(text, sentence, options_);
      for (const Range& r : clauses) {
        add(r, clauses.size() > 1 ? SpanKind::kClause : SpanKind::kSentence);
      }
    }
  }
  return spans;
}

}  // namespace claimdiff
