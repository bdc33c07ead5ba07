"""The data directory's controlled vocabulary: domains, modalities and languages, each a code
with Japanese and English labels and the words people search with.

Codes are what is stored (holders, requests); labels are what people see (`label(kind, code,
lang)`); `lookup(kind, word)` maps a typed word in either language (code, label or synonym,
NFKC-normalised and case-folded) to its code. Modalities are the issue's list (text, image,
audio, video, tabular, code, other). Domains are the programme's working list; `other` covers
the rest and the holder's description is searched as free text too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    en: str
    ja: str
    synonyms: tuple[str, ...] = ()

    def words(self) -> set[str]:
        return {normalise(w) for w in (self.code, self.en, self.ja, *self.synonyms)}


DOMAINS: tuple[Term, ...] = (
    Term(
        "medical",
        "Medical and health",
        "医療・ヘルスケア",
        ("medicine", "health", "clinical", "医療", "医学", "病院", "ヘルスケア", "健康"),
    ),
    Term("legal", "Legal", "法律", ("law", "contract", "法務", "判例", "契約")),
    Term(
        "finance",
        "Finance",
        "金融",
        ("financial", "banking", "insurance", "銀行", "保険", "証券", "会計"),
    ),
    Term(
        "science",
        "Science and research",
        "科学・研究",
        ("research", "paper", "papers", "academic", "論文", "研究", "学術"),
    ),
    Term(
        "public",
        "Government and public sector",
        "行政・公共",
        ("government", "administrative", "行政", "自治体", "公共"),
    ),
    Term(
        "manufacturing",
        "Manufacturing and industry",
        "製造・産業",
        ("industry", "industrial", "factory", "製造", "産業", "工場"),
    ),
    Term("education", "Education", "教育", ("school", "textbook", "学校", "教科書", "教材")),
    Term(
        "news",
        "News and media",
        "ニュース・メディア",
        ("media", "newspaper", "broadcast", "ニュース", "新聞", "報道", "放送"),
    ),
    Term(
        "literature",
        "Books and literature",
        "書籍・文学",
        ("books", "book", "novel", "publishing", "書籍", "文学", "小説", "出版"),
    ),
    Term(
        "web",
        "Web and social",
        "ウェブ・SNS",
        ("social", "sns", "forum", "ウェブ", "SNS", "掲示板"),
    ),
    Term(
        "software",
        "Software and code",
        "ソフトウェア",
        ("programming", "source code", "ソフトウェア", "プログラム", "ソースコード"),
    ),
    Term(
        "dialogue",
        "Dialogue and customer service",
        "対話・顧客対応",
        ("conversation", "chat", "call center", "対話", "会話", "コールセンター", "顧客対応"),
    ),
    Term(
        "geospatial",
        "Geospatial and mobility",
        "地理空間・移動",
        ("map", "maps", "mobility", "transport", "地図", "交通", "地理"),
    ),
    Term(
        "agriculture",
        "Agriculture and food",
        "農業・食品",
        ("farming", "food", "農業", "食品", "食"),
    ),
    Term("other", "Other", "その他", ()),
)

MODALITIES: tuple[Term, ...] = (
    Term(
        "text", "Text", "テキスト", ("テキスト", "文章", "文書", "documents", "corpus", "コーパス")
    ),
    Term("image", "Image", "画像", ("images", "photo", "photos", "画像", "写真")),
    Term("audio", "Audio", "音声", ("speech", "voice", "音声", "音")),
    Term("video", "Video", "動画", ("movie", "動画", "映像")),
    Term(
        "tabular", "Tabular", "表形式", ("table", "tables", "structured", "表", "表形式", "構造化")
    ),
    Term("code", "Code", "コード", ("source code", "コード")),
    Term("other", "Other", "その他", ()),
)

LANGUAGES: tuple[Term, ...] = (
    Term("ja", "Japanese", "日本語", ("japanese", "jp", "日本語", "和文")),
    Term("en", "English", "英語", ("english", "英語", "英文")),
    Term("zh", "Chinese", "中国語", ("chinese", "中国語")),
    Term("ko", "Korean", "韓国語", ("korean", "韓国語")),
    Term("multi", "Multilingual", "多言語", ("multilingual", "多言語")),
    Term("other", "Other", "その他", ()),
)

VOCABULARY: dict[str, tuple[Term, ...]] = {
    "domains": DOMAINS,
    "modalities": MODALITIES,
    "languages": LANGUAGES,
}


def normalise(text: str) -> str:
    """NFKC (full-width → half-width, ｶﾅ → カナ) and case-folded, for matching typed words."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def codes(kind: str) -> list[str]:
    return [term.code for term in VOCABULARY[kind]]


def label(kind: str, code: str, lang: str) -> str:
    """The `lang` label of `code` in `kind` ("domains", "modalities", "languages"); an
    unknown code is shown as itself."""
    for term in VOCABULARY[kind]:
        if term.code == code:
            return term.ja if lang == "ja" else term.en
    return code


def labels(kind: str, code_list: list[str], lang: str) -> str:
    """Comma-separated labels (Japanese uses 、), or "—" for none."""
    if not code_list:
        return "—"
    return ("、" if lang == "ja" else ", ").join(label(kind, c, lang) for c in code_list)


def lookup(kind: str, word: str) -> str | None:
    """The code whose code, label or synonym is `word` (either language), else None."""
    key = normalise(word)
    for term in VOCABULARY[kind]:
        if key in term.words():
            return term.code
    return None


def parse_codes(kind: str, text: str) -> tuple[list[str], list[str]]:
    """Split an import cell ("medical, legal" / "医療、法律" / a YAML list joined) into codes.
    Returns (codes in order without duplicates, words not recognised)."""
    found: list[str] = []
    unknown: list[str] = []
    for part in _split(text):
        code = lookup(kind, part)
        if code is None:
            unknown.append(part)
        elif code not in found:
            found.append(code)
    return found, unknown


def _split(text: str) -> list[str]:
    for sep in ("、", "，", ";", "；", "|", "/"):
        text = text.replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]
