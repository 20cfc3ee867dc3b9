#include "report/internal/view.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "core/utf8.h"

namespace claimdiff::internal {

std::vector<uint32_t> SelectClusters(const Report& report, const RenderOptions& options) {
  std::vector<uint32_t> out;
  for (uint32_t c = 0; c < report.clusters.size(); ++c) {
    if (options.only && report.clusters[c].verdict != *options.only) continue;
    if (options.limit > 0 && out.size() >= options.limit) break;
    out.push_back(c);
  }
  return out;
}

std::vector<const DocumentPair*> TopPairs(const Report& report, size_t max) {
  std::vector<const DocumentPair*> out;
  for (const DocumentPair& p : report.document_pairs) out.push_back(&p);
  std::stable_sort(out.begin(), out.end(), [](const DocumentPair* x, const DocumentPair* y) {
    if (x->shared_spans != y->shared_spans) return x->shared_spans > y->shared_spans;
    return std::max(x->a_in_b, x->b_in_a) > std::max(y->a_in_b, y->b_in_a);
  });
  if (out.size() > max) out.resize(max);
  return out;
}

std::vector<uint32_t> MatrixSources(const Report& report, size_t max) {
  std::vector<uint32_t> order(report.documents.size());
  for (uint32_t d = 0; d < order.size(); ++d) order[d] = d;
  if (order.size() <= max) return order;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return report.coverage[x].shared > report.coverage[y].shared;
  });
  order.resize(max);
  std::sort(order.begin(), order.end());
  return order;
}

namespace {

struct Piece {
  SegmentKind kind;
  uint32_t doc;  // which document's text the bytes are in; kNoDoc for a synthetic space
  uint32_t begin;
  uint32_t end;
};

constexpr uint32_t kNoDoc = UINT32_MAX;

bool EndsWithSpace(const Report& r, const Piece& p) {
  if (p.doc == kNoDoc) return true;
  return p.end > p.begin &&
         (r.documents[p.doc].text[p.end - 1] == ' ' || r.documents[p.doc].text[p.end - 1] == '\n');
}

}  // namespace

std::vector<Segment> MemberSegments(const Report& report, const Cluster& cluster, size_t m,
                                    bool* truncated) {
  *truncated = false;
  const uint32_t span = cluster.members[m].span;
  const Span& sp = report.spans[span];
  const Span& ref = report.spans[cluster.reference];
  // Without word diffs (CompareOptions::word_diffs off) a member is shown whole, as the same.
  static const std::vector<DiffToken> kNoWords;
  const std::vector<DiffToken>& mw =
      m < cluster.member_words.size() ? cluster.member_words[m] : kNoWords;
  const std::vector<DiffToken>& rw = cluster.reference_words;
  std::vector<Piece> pieces;
  uint32_t cursor = sp.begin;  // member bytes emitted so far
  auto member_run = [&](SegmentKind kind, uint32_t b, uint32_t e) {
    if (b > cursor) pieces.push_back({SegmentKind::kGap, sp.doc, cursor, b});
    pieces.push_back({kind, sp.doc, b, e});
    cursor = e;
  };
  if (span == cluster.reference || m >= cluster.diffs.size()) {
    pieces.push_back({SegmentKind::kSame, sp.doc, sp.begin, sp.end});
    cursor = sp.end;
  } else {
    const WordDiff& diff = cluster.diffs[m];
    for (const DiffChunk& c : diff.chunks) {
      if (c.ref_end > c.ref_begin && c.op != DiffOp::kEqual) {
        if (c.mem_begin < mw.size() && mw[c.mem_begin].begin > cursor) {
          pieces.push_back({SegmentKind::kGap, sp.doc, cursor, mw[c.mem_begin].begin});
          cursor = mw[c.mem_begin].begin;
        }
        // Dropped words stand between spaces, whatever the member has around them.
        if (!pieces.empty() && !EndsWithSpace(report, pieces.back())) {
          pieces.push_back({SegmentKind::kGap, kNoDoc, 0, 0});
        }
        pieces.push_back(
            {SegmentKind::kDropped, ref.doc, rw[c.ref_begin].begin, rw[c.ref_end - 1].end});
        const bool more = c.mem_end > c.mem_begin || c.mem_begin < mw.size();
        const bool space_next = c.mem_begin < mw.size() && mw[c.mem_begin].begin > cursor &&
                                report.documents[sp.doc].text[cursor] == ' ';
        if (more && !space_next) pieces.push_back({SegmentKind::kGap, kNoDoc, 0, 0});
      }
      if (c.mem_end > c.mem_begin) {
        member_run(c.op == DiffOp::kEqual ? SegmentKind::kSame : SegmentKind::kAdded,
                   mw[c.mem_begin].begin, mw[c.mem_end - 1].end);
      }
    }
    if (diff.truncated) *truncated = true;
    if (diff.truncated && cursor < sp.end) {
      pieces.push_back({SegmentKind::kSame, sp.doc, cursor, sp.end});
      cursor = sp.end;
    }
  }
  if (cursor < sp.end) pieces.push_back({SegmentKind::kGap, sp.doc, cursor, sp.end});

  // Split the member's words at its figures, so a view can mark them with their values.
  const std::vector<NumberFact>& numbers = report.facts[span].numbers;
  std::vector<Segment> out;
  for (const Piece& p : pieces) {
    if (p.doc == kNoDoc) {
      out.push_back({SegmentKind::kGap, " ", nullptr});
      continue;
    }
    const std::string_view text = report.documents[p.doc].text;
    uint32_t at = p.begin;
    if (p.doc == sp.doc && (p.kind == SegmentKind::kSame || p.kind == SegmentKind::kAdded)) {
      for (const NumberFact& n : numbers) {
        if (n.begin < at || n.end > p.end) continue;
        if (n.begin > at) out.push_back({p.kind, text.substr(at, n.begin - at), nullptr});
        out.push_back({p.kind, text.substr(n.begin, n.end - n.begin), &n});
        at = n.end;
      }
    }
    if (p.end > at) out.push_back({p.kind, text.substr(at, p.end - at), nullptr});
  }
  return out;
}

std::string Inert(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = DecodeUtf8(text, &pos);
    const bool bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
                      c == 0x200F || c == 0x061C;
    const bool invisible =
        c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0x00AD || (c >= 0xFFF9 && c <= 0xFFFB);
    if (bidi || invisible) {
      out += absl::StrFormat("⟦U+%04X⟧", static_cast<uint32_t>(c));
    } else if (c < 0x20 && c != '\t') {
      out.push_back(' ');  // newlines and other controls: a space
    } else if (c == 0x7F || (c >= 0x80 && c < 0xA0)) {
      continue;
    } else {
      out.append(text.substr(start, pos - start));
    }
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace claimdiff::internal
