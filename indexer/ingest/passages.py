"""Cut a report body into passages a reader would want to land on.

(Longer than most modules: the cut is one pass — lines into atoms, atoms into
sections by heading rank, sections into paragraphs, the long ones cut to a
readable size — whose steps share the atom records and read best together.)

The reports number their own headings, outermost first::

    壹、貳、…拾、貳拾肆、   ›   一、二、   ›   （一）(一)   ›   1. 1、   ›   (1)（1）

and some carry markdown ``#`` headings too.  A heading's *rank* (its depth in
that ladder) decides what it encloses, so ``## 六、參訪過程`` is a sibling of
``### 五、行程簡述`` whatever its ``#`` count says.

>>> [p.heading_path for p in split_passages("壹、目的\\n\\n為拓展交流。\\n\\n一、心得\\n\\n收穫良多。")]
[('壹、目的',), ('壹、目的', '一、心得')]

Every passage's ``text`` is exactly ``body[start:end]``; passages are in
order, never overlap, and together hold every non-blank character of the body.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from indexer.models import Passage

# A passage is a paragraph as the author wrote it: one paragraph, one table, one list
# (a heading leads the paragraph below it). Only what is longer than MAX_CHARS is cut:
# a paragraph after a sentence near PIECE_CHARS (council records without blank lines,
# Big5 text, a run of one character), else at a line end, else at a space or comma;
# a table or list between rows or items near MAX_CHARS.
MAX_CHARS = 800
# Bumped when the cut changes what passages a text gives: builds made before are cut anew
# (their ids keep landing: indexer/index/anchors.py). 2: paragraphs, not sections.
PASSAGES_VERSION = 4  # 4: a page break's paragraphs rejoined only when the first is prose cut mid-sentence
PIECE_CHARS = 500
MIN_FRAGMENT = 15  # shorter passages without a heading are merged into a neighbour
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_LINE_END = re.compile("\n")
_PAUSE = re.compile(r"[\s，、,：:]")

_FORMAL = "壹貳貮參叁肆伍陸柒捌玖拾佰"
_PLAIN = "一二三四五六七八九十百"
# (rank, pattern) for each numbering style, matched at the start of a line.
_NUMBERING = (
    (1, re.compile(rf"[{_FORMAL}]+\s*、")),
    (1, re.compile(r"附\s*[件錄录]\s*[一二三四五六七八九十\d]*\s*(?:[：:、．.]|$)")),
    (2, re.compile(rf"[{_PLAIN}]+\s*、")),
    (3, re.compile(rf"[（(]\s*[{_PLAIN}]+\s*[）)]")),
    (4, re.compile(r"\d{1,2}\s*[.．、](?!\d)")),  # not "1.5倍" nor "1.103年8月…"
    (5, re.compile(r"[（(]\s*\d{1,2}\s*[）)]")),
)
_MARKDOWN = re.compile(r"(#{1,6})\s+(\S.*)")
_TOC_TITLE = re.compile(r"目\s*[錄录次]")
_LEADERS = ("...", "……", "．．．", "···")  # dot leaders before a page number
# A speaker's label alone on its line, as transcripts and minutes write turns:
# 李議員宗霖：, 工務局建築管理科蔡科長亨旺：, 主席：（郭議員鴻儀）
_SPEAKER = re.compile(r"[^\s：:。，,；;、（(]{1,16}[：:](?:\s*[（(][^）)\n]{1,14}[）)])?")
_LIST_ITEM = re.compile(r"(?:[-*+]\s|\d{1,2}\s*[.．、]|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]+)\s*[）)])")


def heading_title(line: str) -> str:
    """A line as it reads in a heading path: no surrounding space, no markdown ``#``.

    >>> heading_title("## 壹、目的  ")
    '壹、目的'
    """
    text = line.strip()
    match = _MARKDOWN.fullmatch(text)
    return match.group(2).rstrip() if match else text


def heading_rank(line: str) -> int | None:
    """The depth of a heading line (0 outermost … 5), or None for any other line.

    Markdown headings are always headings; a numbered line is one only when it
    reads like a title: short, and not a sentence (the 施政報告 writes list items
    such as "1.103年8月1至5日，由本府…。" that start with a number too).

    >>> heading_rank("貳拾肆、國際事務"), heading_rank("（一）姊妹市認養活動"), heading_rank("### 心得")
    (1, 3, 2)
    >>> heading_rank("2. 蔣市長則回應表示此次訪日，首站拜訪青年局即顯見雙方關係密切。") is None
    True
    """
    text = line.strip()
    if not text or "\t" in text:
        return None
    markdown = _MARKDOWN.fullmatch(text)
    if markdown:
        rank = _numbering_rank(markdown.group(2))
        return rank if rank is not None else len(markdown.group(1)) - 1
    if is_toc_entry(text) or not _reads_like_title(text):
        return None
    return _numbering_rank(text)


def is_toc_entry(text: str) -> bool:
    """Whether a line ends in a tab or dot leaders, then a page number of 1-4 digits.

    `text` is a stripped line.  (A regex said so before, and took time growing
    with the square of the length of a line of dots.)

    >>> is_toc_entry("壹、目的……………1"), is_toc_entry("一、行程\\t12"), is_toc_entry("共計 3 天")
    (True, True, False)
    """
    digits = len(text)
    while digits and text[digits - 1].isdecimal():
        digits -= 1
    if not 1 <= len(text) - digits <= 4:
        return False
    before = text[:digits].rstrip()
    return "\t" in text[len(before) : digits] or before.endswith(_LEADERS)


def is_table_row(line: str) -> bool:
    """Tables arrive as tab-separated lines; a tab-only line is blank, not a row."""
    return "\t" in line.lstrip() and heading_rank(line) is None


def split_passages(body: str) -> tuple[Passage, ...]:
    """Cut `body` into passages along its headings (see the module docstring)."""
    atoms = _atoms(body)
    spans: list[_Span] = []
    for section in _sections(atoms):
        spans.extend(_chunk(section))
    spans = _merge_fragments(body, _merge_bare_headings(spans))
    return _with_ids(body, spans)


# --- internals -------------------------------------------------------------


@dataclass
class _Atom:
    """An indivisible run of lines: a heading, a paragraph, a table or a table of contents."""

    kind: str  # heading / para / table / toc
    start: int  # first non-blank character
    end: int  # just after the last non-blank character
    lines: list[str]
    rank: int = 0
    title: str = ""
    continued: bool = False  # a piece of a long paragraph after its first piece


@dataclass
class _Section:
    heading: _Atom | None
    path: tuple[str, ...]
    content: list[_Atom]


@dataclass
class _Span:
    start: int
    end: int
    path: tuple[str, ...]
    opens_with_heading: bool
    heading_only: bool = False


def _numbering_rank(text: str) -> int | None:
    for rank, pattern in _NUMBERING:
        if pattern.match(text):
            return rank
    return None


def _reads_like_title(text: str) -> bool:
    # Titles carry no sentence punctuation; a list item cut at a page break
    # ("5. 研考會主委俞振華補充說明，在臺北市的…臺北科技大") is short but has a comma.
    return len(text) <= 80 and not any(c in text for c in "。，；;！？") and text[-1] not in ",、"


def _kind(line: str) -> str:
    if not line.strip():
        return "blank"
    if heading_rank(line) is not None:
        return "heading"
    return "table" if is_table_row(line) else "para"


def _atoms(body: str) -> list[_Atom]:
    lines, offsets, pos = body.split("\n"), [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    kinds = [_kind(line) for line in lines]

    def atom(kind: str, first: int, last: int, **extra) -> _Atom:
        start = offsets[first] + len(lines[first]) - len(lines[first].lstrip())
        end = offsets[last] + len(lines[last].rstrip())
        return _Atom(kind, start, end, lines[first : last + 1], **extra)

    def next_nonblank(i: int) -> int:
        while i < len(lines) and kinds[i] == "blank":
            i += 1
        return i

    atoms, i = [], 0
    while (i := next_nonblank(i)) < len(lines):
        title = heading_title(lines[i])
        toc_end = _toc_end(lines, kinds, i) if _TOC_TITLE.fullmatch(title) else None
        if toc_end is not None:  # a long one cut between its lines, as a table
            atoms.append(atom("toc", i, toc_end, rank=1, title=title))
            i = toc_end + 1
        elif kinds[i] == "heading":
            atoms.append(atom("heading", i, i, rank=heading_rank(lines[i]), title=title))
            i += 1
        else:
            # A table runs on across blank lines (and page breaks) while rows follow;
            # a paragraph runs until a blank line, a heading or a table row.
            # A speaker's label on a line of its own (李議員宗霖：) starts a turn, a paragraph.
            last, kind = i, kinds[i]
            while (nxt := next_nonblank(last + 1) if kind == "table" else last + 1) < len(lines) \
                    and kinds[nxt] == kind and not (kind == "para" and _SPEAKER.fullmatch(lines[nxt].strip())):
                last = nxt
            atoms.append(atom(kind, i, last))
            i = last + 1
    # Rejoined first, then cut: a long list a page break cut mid-item is cut again at a sentence's end.
    return [piece for whole in _rejoin_page_breaks(atoms) for piece in _cut_long(body, whole)]


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Prose runs on with these inside a sentence; a title, a caption or a form's field has none.
_MID_SENTENCE = re.compile(r"[，、；]")
_SENTENCE_MARK = re.compile(r"[，、；。！？]")
_LABEL = re.compile(r"[表圖附]\s*[一二三四五六七八九十\d]")  # 表四、… 圖1 … : a caption of its own


def continues_across_break(before: str, after: str) -> bool:
    """Whether the paragraph `after` goes on with the sentence the line `before` left
    unfinished: a page break (or a converter) cut one paragraph in two.

    `before` is prose cut mid-sentence: a long line, with a comma inside, that stops
    on a Chinese character.  `after` goes on with a Chinese character and is prose
    itself: not a heading, list item, table row, speaker, caption or label.

    >>> continues_across_break("並透過每年雙方互訪、八代物產展等", "活動建立良好友誼。")
    True
    >>> continues_across_break("參與東京晴空塔下「台灣祭」活動，並現場製作蚵仔煎行銷臺灣小吃", "大阪府知事吉村洋文赴東京拜會蔣市長")
    False
    """
    last, first = before.strip(), after.lstrip().split("\n", 1)[0].strip()
    return (len(last) >= 16 and bool(_CJK.fullmatch(last[-1])) and bool(_MID_SENTENCE.search(last))
            and heading_rank(last) is None and not is_table_row(before)
            and bool(first) and bool(_CJK.match(first)) and heading_rank(first) is None
            and not is_table_row(first) and not _LIST_ITEM.match(first) and not _LABEL.match(first)
            and not _SPEAKER.fullmatch(first) and bool(_SENTENCE_MARK.search(after)))


def _rejoin_page_breaks(atoms: list[_Atom]) -> list[_Atom]:
    """A paragraph a page break cut in two (`…八代物產展等` / `活動建立良好友誼。`) is
    one again (`continues_across_break`)."""
    joined: list[_Atom] = []
    for atom in atoms:
        here = joined[-1] if joined else None
        if (here is not None and here.kind == atom.kind == "para"
                and continues_across_break(here.lines[-1], "\n".join(atom.lines))):
            here.lines += ["", *atom.lines]  # in place: a long run of such halves stays linear
            here.end = atom.end
        else:
            joined.append(atom)
    return joined


def _cut_long(body: str, atom: _Atom) -> list[_Atom]:
    """`atom` itself, or pieces of it when it is longer than MAX_CHARS: a paragraph's
    near PIECE_CHARS, a table's near MAX_CHARS."""
    if atom.end - atom.start <= MAX_CHARS:
        return [atom]
    # A table is cut between rows first; a paragraph after a sentence first.
    by_line = atom.kind in ("table", "toc")
    breaks = (_LINE_END, _SENTENCE_END, _PAUSE) if by_line else (_SENTENCE_END, _LINE_END, _PAUSE)
    size = MAX_CHARS if by_line else PIECE_CHARS
    pieces, start = [], atom.start
    while start < atom.end:
        end = min(start + size, atom.end)
        if end < atom.end:
            # The last break in the window's second half (never a piece under half the size);
            # each pattern is one character, so the first match read backwards is the last one.
            window = body[start + size // 2 : end][::-1]
            found = next((m for m in (pattern.search(window) for pattern in breaks) if m), None)
            if found:
                end -= found.start()
        text = body[start:end]
        first = start + len(text) - len(text.lstrip())
        last = start + len(text.rstrip())
        if last > first:
            pieces.append(_Atom(atom.kind, first, last, body[first:last].split("\n"), rank=atom.rank, title=atom.title,
                                continued=bool(pieces)))
        start = end
    return pieces


def _toc_end(lines: list[str], kinds: list[str], title_index: int) -> int | None:
    """Last line of a 目錄 block starting at `title_index`, if two or more entries follow it."""
    last, entries = title_index, 0
    for j in range(title_index + 1, len(lines)):
        if kinds[j] == "blank":
            continue
        if not is_toc_entry(lines[j].strip()):
            break
        last, entries = j, entries + 1
    return last if entries >= 2 else None


def _sections(atoms: list[_Atom]) -> list[_Section]:
    sections: list[_Section] = []
    stack: list[_Atom] = []  # enclosing headings, ranks strictly increasing
    for atom in atoms:
        if atom.kind == "toc":
            # A table of contents encloses nothing: what follows starts afresh.
            sections.append(_Section(atom, (atom.title,), []))
            stack = []
        elif atom.kind == "heading":
            while stack and stack[-1].rank >= atom.rank:
                stack.pop()
            stack.append(atom)
            sections.append(_Section(atom, tuple(h.title for h in stack), []))
        else:
            after_toc = bool(sections) and sections[-1].heading is not None and sections[-1].heading.kind == "toc"
            if not sections or after_toc:
                sections.append(_Section(None, tuple(h.title for h in stack), []))
            sections[-1].content.append(atom)
    return sections


def _is_caption(atom: _Atom) -> bool:
    text = atom.lines[0].strip() if len(atom.lines) == 1 else ""
    return atom.kind == "para" and 0 < len(text) <= 40 and "。" not in text


# A form's field on a line of its own: 出國期間：…, 關鍵詞：…, 報告日期：…
_FIELD = re.compile(r"[^\s：:，。、]{2,10}[：:]")


def _is_field(atom: _Atom) -> bool:
    return atom.kind == "para" and len(atom.lines) == 1 and bool(_FIELD.match(atom.lines[0].strip()))


def _is_list(atom: _Atom) -> bool:
    return atom.kind == "para" and bool(_LIST_ITEM.match(atom.lines[0].strip()))


def _joined(atoms: list[_Atom], i: int) -> bool:
    """Whether atoms[i] and atoms[i + 1] must stay in the same passage."""
    here, there = atoms[i], atoms[i + 1]
    after = atoms[i + 2] if i + 2 < len(atoms) else None
    if there.continued:  # the pieces of a long paragraph were cut apart on purpose
        return False
    if _is_field(there):  # a form's fields go together, not under what stands above them
        return _is_field(here)
    if _is_caption(here) and there.kind == "table":  # 表一、… above its table
        return True
    # a transcript's title line (no punctuation) leads its first turn
    if (i == 0 and _is_caption(here) and not _SENTENCE_MARK.search(here.lines[0])
            and there.kind == "para" and _SPEAKER.fullmatch(there.lines[0].strip())):
        return True
    if _is_caption(there) and not (after and after.kind == "table"):  # photo captions, 備註
        return True
    if here.kind == "para" and here.lines[-1].rstrip()[-1:] in ("：", ":"):  # 摘要如下： + its list
        return True
    return _is_list(here) and _is_list(there)


def _chunk(section: _Section) -> list[_Span]:
    """A span for each paragraph, table or list of the section; its heading leads the first."""
    content = section.content
    head = section.heading
    if head is not None and head.kind == "toc":
        return [_Span(head.start, head.end, section.path, True)]
    units: list[list[_Atom]] = []
    for i, atom in enumerate(content):
        # Joined atoms (a list's items, captions) stay together while that stays readable.
        if units and _joined(content, i - 1) and atom.end - units[-1][0].start <= MAX_CHARS:
            units[-1].append(atom)
        else:
            units.append([atom])
    if head is not None and not units:
        return [_Span(head.start, head.end, section.path, True, heading_only=True)]
    return [
        _Span(head.start if n == 0 and head is not None else unit[0].start, unit[-1].end, section.path,
              opens_with_heading=(n == 0 and head is not None))
        for n, unit in enumerate(units)
    ]


def _merge_bare_headings(spans: list[_Span]) -> list[_Span]:
    """A heading with nothing under it (肆、過程 right before 一、參訪日程) joins what follows."""
    merged: list[_Span] = []
    pending: _Span | None = None
    for span in spans:
        if span.heading_only:
            pending = pending or span
            pending = _Span(pending.start, span.end, span.path, True, heading_only=True)
            continue
        if pending is not None:
            # The passage opens with the headings, so its path is the deepest of them.
            path = span.path if span.opens_with_heading else pending.path
            span = _Span(pending.start, span.end, path, True)
            pending = None
        merged.append(span)
    if pending is not None:
        if merged:
            merged[-1].end = pending.end
        else:
            merged.append(_Span(pending.start, pending.end, pending.path, True))
    return merged


def _merge_fragments(body: str, spans: list[_Span]) -> list[_Span]:
    """A stray short line with no heading (a cover line, a caption) joins a neighbour."""
    merged: list[_Span] = []
    carry: _Span | None = None
    for span in spans:
        if carry is not None:
            span = _Span(carry.start, span.end, carry.path, carry.opens_with_heading)
            carry = None
        small = len("".join(body[span.start : span.end].split())) < MIN_FRAGMENT
        if small and not span.opens_with_heading:
            if merged:
                merged[-1].end = span.end
            else:
                carry = span
            continue
        merged.append(span)
    if carry is not None:
        merged.append(carry)
    return merged


def _with_ids(body: str, spans: list[_Span]) -> tuple[Passage, ...]:
    """Ids hash the heading path and the text, so an unchanged passage keeps its id."""
    seen: dict[str, int] = {}
    passages = []
    for span in spans:
        text = body[span.start : span.end]
        key = "\x1f".join(span.path) + "\x1e" + " ".join(text.split())
        base = "p-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
        seen[base] = seen.get(base, 0) + 1
        passage_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        passages.append(Passage(passage_id, span.path, text, span.start, span.end))
    return tuple(passages)
