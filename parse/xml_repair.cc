// RepairXml: rewrites a document that is not well-formed into one that is.
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "parse/ascii.h"
#include "parse/xml_prep.h"
#include "parse/xml_prep_internal.h"

namespace newsd::parse {
namespace {

std::string_view LocalPart(std::string_view name) { return name.substr(name.rfind(':') + 1); }

// The elements an item or entry start tag implies the end of everything inside: items are
// children of an RSS channel (RSS 1.0: of rdf:RDF), entries of an Atom feed.
bool HoldsEntries(std::string_view entry_local, std::string_view name) {
  const std::string_view local = LocalPart(name);
  if (entry_local == "item") return local == "channel" || local == "RDF" || local == "rss";
  return entry_local == "entry" && local == "feed";
}

// An item or entry start tag of RSS or Atom (unprefixed, or under the usual prefixes), not an
// extension's (mod_content's <content:item>).
bool IsEntryName(std::string_view name) {
  return name == "item" || name == "entry" || name == "rss:item" || name == "atom:entry";
}

// Elements of the feed vocabularies that only ever carry attributes: Atom's link (href) and
// category (term), RSS's enclosure and Media RSS's thumbnail (url), iTunes' image (href). Left
// open by an HTML-minded template ("<link href=...>") and followed by another start tag, they
// are read as empty rather than as holding the rest of their parent.
bool EmptyByVocabulary(std::string_view name, const std::vector<std::string_view>& attributes) {
  auto has = [&](std::string_view a) {
    return std::find(attributes.begin(), attributes.end(), a) != attributes.end();
  };
  const std::string_view local = LocalPart(name);
  if (local == "enclosure" || local == "thumbnail") return has("url");
  if (local == "link" || local == "image") return has("href");
  return local == "category" && has("term");
}

// HTML's void elements, which have no end tag: raw HTML in a description ("<br>", "<img ...>")
// leaves them open by design. Not <source>, which RSS 2.0 items use with text.
bool IsHtmlVoid(std::string_view name) {
  static constexpr std::string_view kNames[] = {"br",  "hr",    "img",   "wbr",   "area",
                                                "col", "embed", "input", "param", "track"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// HTML's inline formatting elements: a paragraph start ends the paragraph open below them.
bool IsHtmlInline(std::string_view name) {
  static constexpr std::string_view kNames[] = {"b",    "i",      "em", "strong", "span", "a",
                                                "font", "u",      "s",  "small",  "sub",  "sup",
                                                "code", "strike", "q",  "cite",   "abbr", "mark"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// RSS elements that hold text only (unprefixed, or Dublin Core's), and the item-level
// elements that cannot be inside one: "<category>Politics<pubDate>..." left the category
// open, and the start of a sibling ends it. Raw HTML inside a description ("<p>", "<a>")
// names none of these, so it stays inside.
bool IsRssTextElement(std::string_view name) {
  static constexpr std::string_view kNames[] = {"title",   "link",     "description", "guid",
                                                "pubDate", "category", "comments",    "author"};
  if (name.starts_with("dc:")) return true;
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}
bool IsRssItemChild(std::string_view name) {
  return IsRssTextElement(name) || name == "enclosure" || name == "content:encoded" ||
         name.starts_with("media:") || name == "item";
}

class Repairer {
 public:
  explicit Repairer(std::string_view doc) : doc_(doc) {}

  std::string Run(std::string* cut_off, bool* ended_open) {
    out_.reserve(doc_.size() + 64);
    while (pos_ < doc_.size()) {
      size_t lt = doc_.find('<', pos_);
      if (lt == std::string_view::npos) lt = doc_.size();
      AppendText(doc_.substr(pos_, lt - pos_));
      pos_ = lt;
      if (pos_ < doc_.size()) Markup();
    }
    // Elements still open here were cut off by the end of the document (a truncated
    // response): mark the entries among them, in one pass over the output (thousands of open
    // entries, one insert each, would make it quadratic).
    if (cut_off != nullptr) cut_off->clear();
    if (ended_open != nullptr) *ended_open = !stack_.empty();
    std::vector<size_t> marks;
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      const std::string_view local = it->name.substr(it->name.rfind(':') + 1);
      if (local != "item" && local != "entry") continue;
      marks.push_back(it->attributes_at);
      if (cut_off != nullptr && cut_off->empty()) *cut_off = std::string(it->name);
    }
    if (!marks.empty()) MarkCutOff(std::move(marks));
    while (!stack_.empty()) CloseTop();
    return std::move(out_);
  }

 private:
  void AppendText(std::string_view text) {
    if (!stack_.empty() && !stack_.back().has_text &&
        std::any_of(text.begin(), text.end(), [](char c) { return !IsXmlSpace(c); })) {
      stack_.back().has_text = true;
    }
    for (char c : text) {
      if (c == '>') {
        out_ += "&gt;";
      } else {
        out_.push_back(c);
      }
    }
  }

  void Push(std::string_view name, size_t attributes_at) {
    stack_.push_back(Open{name, attributes_at, false});
    ++open_[name];
    if (HoldsEntries("item", name)) ++item_holders_;
    if (HoldsEntries("entry", name)) ++entry_holders_;
  }

  // Inserts the cut-off attribute at each of `at` (offsets into out_, innermost first).
  void MarkCutOff(std::vector<size_t> at) {
    std::sort(at.begin(), at.end());
    std::string marked;
    marked.reserve(out_.size() + at.size() * (sizeof(kCutOffAttribute) - 1));
    size_t from = 0;
    for (size_t offset : at) {
      marked.append(out_, from, offset - from);
      marked.append(kCutOffAttribute);
      from = offset;
    }
    marked.append(out_, from, std::string::npos);
    out_ = std::move(marked);
  }

  void CloseTop() {
    const std::string_view name = stack_.back().name;
    out_ += "</";
    out_ += name;
    out_ += '>';
    --open_[name];
    if (HoldsEntries("item", name)) --item_holders_;
    if (HoldsEntries("entry", name)) --entry_holders_;
    stack_.pop_back();
  }

  void Markup() {
    std::string_view rest = doc_.substr(pos_);
    if (rest.size() > 1 && (rest[1] == '!' || rest[1] == '?')) {
      std::string_view kind;
      size_t len = SpecialLength(doc_, pos_, &kind);
      if (len == std::string_view::npos) {
        if (kind == "cdata" && EndCdataAtItsElement(rest)) return;
        if (kind == "cdata") {
          out_.append(rest);
          out_ += "]]>";
        } else if (kind == "comment") {
          out_.append(rest);
          out_ += "-->";
        }
        pos_ = doc_.size();
        return;
      }
      if (kind == "cdata" && !stack_.empty()) stack_.back().has_text = true;
      out_.append(rest.substr(0, len));
      pos_ += len;
      return;
    }
    if (rest.size() > 1 && rest[1] == '/') {
      EndTag();
    } else if (rest.size() > 1 && IsNameStart(rest[1]) &&
               static_cast<unsigned char>(rest[1]) < 0x80) {
      // A name in another script ("<Бессмертный полк>", quotation marks typed as '<' '>')
      // is text: no feed vocabulary or HTML names an element so.
      StartTag();
    } else {
      out_ += "&lt;";
      ++pos_;
    }
  }

  // A CDATA section never closed, inside an element (a description whose "]]>" a template
  // forgot): it ends where that element's end tag is, so that the items after it are read.
  // False when there is no such end tag (the document was cut off inside it).
  bool EndCdataAtItsElement(std::string_view rest) {
    if (stack_.empty()) return false;
    std::string end_tag = "</";
    end_tag += stack_.back().name;
    end_tag += '>';
    const size_t at = rest.find(end_tag);
    if (at == std::string_view::npos) return false;
    stack_.back().has_text = true;
    out_.append(rest.substr(0, at));
    out_ += "]]>";
    pos_ += at;
    return true;
  }

  std::string_view Name(size_t* p) {
    size_t start = *p;
    while (*p < doc_.size() && IsNameChar(doc_[*p])) ++*p;
    return doc_.substr(start, *p - start);
  }

  void EndTag() {
    size_t p = pos_ + 2;
    std::string_view name = Name(&p);
    size_t gt = doc_.find('>', p);
    pos_ = gt == std::string_view::npos ? doc_.size() : gt + 1;
    auto open = open_.find(name);
    if (name.empty() || open == open_.end() || open->second == 0) return;  // stray: drop it
    // Each element is closed once: however deep the match, the repair stays linear.
    while (stack_.back().name != name) CloseTop();
    CloseTop();
  }

  void StartTag() {
    size_t p = pos_ + 1;
    std::string_view name = Name(&p);
    std::string tag(1, '<');
    tag += name;
    std::vector<std::string_view> seen;
    std::unordered_set<std::string_view> seen_many;
    bool self_close = false, closed = false;
    while (p < doc_.size()) {
      char c = doc_[p];
      if (c == '>') {
        ++p, closed = true;
        break;
      } else if (c == '/' && p + 1 < doc_.size() && doc_[p + 1] == '>') {
        p += 2, closed = self_close = true;
        break;
      } else if (c == '<') {
        closed = true;  // unterminated tag: end it here
        break;
      } else if (IsNameStart(c)) {
        std::string_view attr = Name(&p);
        while (p < doc_.size() && IsXmlSpace(doc_[p])) ++p;
        std::string value(attr);
        if (p < doc_.size() && doc_[p] == '=') {
          ++p;
          while (p < doc_.size() && IsXmlSpace(doc_[p])) ++p;
          value = AttrValue(&p);
        }
        if (attr == kCutOffAttributeName) continue;  // only the repair sets it
        if (!FirstUse(attr, &seen, &seen_many)) continue;
        tag += ' ';
        tag += attr;
        tag += "=\"";
        tag += value;
        tag += '"';
      } else {
        ++p;  // whitespace, or junk inside the tag
      }
    }
    pos_ = p;
    if (!closed) return;  // truncated document: drop the partial tag
    CloseImpliedBy(name, seen);
    if (!self_close && EmptyByVocabulary(name, seen) && NextIsStartTag()) self_close = true;
    if (IsHtmlVoid(name)) self_close = true;
    tag += self_close ? "/>" : ">";
    const size_t attributes_at = out_.size() + 1 + name.size();
    out_ += tag;
    if (!self_close) Push(name, attributes_at);
  }

  // Records `attr` among a tag's attributes; false when it is there already (a duplicate,
  // dropped). A tag with thousands of attributes (hostile, or a broken template) is checked
  // through a set, not a scan per attribute.
  static bool FirstUse(std::string_view attr, std::vector<std::string_view>* seen,
                       std::unordered_set<std::string_view>* seen_many) {
    constexpr size_t kScanned = 16;
    if (seen->size() < kScanned) {
      if (std::find(seen->begin(), seen->end(), attr) != seen->end()) return false;
    } else {
      if (seen_many->empty()) seen_many->insert(seen->begin(), seen->end());
      if (!seen_many->insert(attr).second) return false;
    }
    seen->push_back(attr);
    return true;
  }

  // Ends what a start tag of `name` cannot be inside of: an item or entry ends every element
  // opened in its channel or feed since (an item left open, an unclosed <image> or
  // <atom:link>), a sibling of an RSS text element ends that element.
  void CloseImpliedBy(std::string_view name, const std::vector<std::string_view>& attributes) {
    const std::string_view local = LocalPart(name);
    if (IsEntryName(name)) {
      if ((local == "item" ? item_holders_ : entry_holders_) == 0) return;
      while (!HoldsEntries(local, stack_.back().name)) CloseTop();
      return;
    }
    // As in HTML, "<p>" ends a paragraph left open (with the inline elements inside it): a
    // template that never closes its paragraphs does not nest them thousands deep.
    if (name == "p" && open_["p"] > 0) {
      constexpr size_t kInlineLookDown = 32;
      for (size_t k = 0; k < std::min(stack_.size(), kInlineLookDown); ++k) {
        const std::string_view below = stack_[stack_.size() - 1 - k].name;
        if (below == "p") {
          for (; k + 1 > 0; --k) CloseTop();
          return;
        }
        if (!IsHtmlInline(below)) break;
      }
    }
    // An HTML <link rel=...> or <title> inside a description is markup of the description.
    const bool html_like = (name == "link" || name == "title") && !attributes.empty();
    if (!stack_.empty() && stack_.back().has_text && IsRssTextElement(stack_.back().name) &&
        IsRssItemChild(name) && !html_like) {
      CloseTop();
    }
  }

  // True when only white space stands between pos_ and the next start tag.
  bool NextIsStartTag() const {
    size_t p = pos_;
    while (p < doc_.size() && IsXmlSpace(doc_[p])) ++p;
    return p + 1 < doc_.size() && doc_[p] == '<' && IsNameStart(doc_[p + 1]);
  }

  std::string AttrValue(size_t* p) {
    std::string v;
    if (*p < doc_.size() && (doc_[*p] == '"' || doc_[*p] == '\'')) {
      const char q = doc_[(*p)++];
      size_t end = *p;
      while (end < doc_.size() && doc_[end] != q && doc_[end] != '<') ++end;
      if (end < doc_.size() && doc_[end] == '<') {
        // No '<' is in a value: its closing quote is missing (isPermaLink="false>), and it
        // ends at the tag's '>' (or here), not at a quote of some later tag.
        const size_t gt = doc_.find('>', *p);
        end = gt < end ? gt : end;
      }
      while (*p < end) AppendAttrChar(doc_[(*p)++], &v);
      if (*p < doc_.size() && doc_[*p] == q) ++*p;
    } else {
      while (*p < doc_.size() && !IsXmlSpace(doc_[*p]) && doc_[*p] != '>') {
        AppendAttrChar(doc_[(*p)++], &v);
      }
    }
    return v;
  }

  static void AppendAttrChar(char c, std::string* v) {
    if (c == '<') {
      *v += "&lt;";
    } else if (c == '"') {
      *v += "&quot;";
    } else {
      v->push_back(c);
    }
  }

  // An element opened and not yet closed: its name, and where its attributes go in out_.
  struct Open {
    std::string_view name;
    size_t attributes_at;
    bool has_text = false;  // Text other than white space was appended inside it.
  };

  std::string_view doc_;
  size_t pos_ = 0;
  std::string out_;
  std::vector<Open> stack_;
  // How many elements of each name are open, and how many of them hold items (an RSS channel)
  // or entries (an Atom feed): an end tag or an item finds whether it has a match at once.
  std::unordered_map<std::string_view, size_t> open_;
  size_t item_holders_ = 0;
  size_t entry_holders_ = 0;
};

}  // namespace

std::string RepairXml(std::string_view doc, std::string* cut_off, bool* ended_open) {
  return Repairer(doc).Run(cut_off, ended_open);
}

}  // namespace newsd::parse
