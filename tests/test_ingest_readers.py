"""Reading every sample and every kind of bad input through ``ingest.readers``."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import corpora
import fixtures.ingest_files as fixture_files
from ingest.document import Document, IngestError
from ingest.readers import MAX_FILE_BYTES, SUPPORTED_EXTENSIONS, read, read_bytes

SAMPLES = sorted(corpora.path("samples").iterdir())
YANTAI = corpora.path("samples", "yantai_daily_budget_performance_2023.txt")


def read_sample(path: Path) -> Document:
    """Samples are read once per test session (shared with the PDF tests)."""
    return fixture_files.read_sample(path.name)


def check_offsets(doc: Document) -> None:
    """Every passage/page/table range is a valid, exact slice of ``doc.text``."""
    prev_end = 0
    for i, p in enumerate(doc.passages):
        assert p.index == i
        assert prev_end <= p.start < p.end <= len(doc.text)
        chunk = doc.text[p.start:p.end]
        assert chunk == chunk.strip() and chunk  # no empty or padded passages
        prev_end = p.end
    for pg in doc.pages:
        assert 0 <= pg.start <= pg.end <= len(doc.text)
    for t in doc.tables:
        if t.start is not None:
            assert 0 <= t.start < t.end <= len(doc.text)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_reads(path: Path) -> None:
    doc = read_sample(path)
    assert doc.source == path.name
    assert doc.title and doc.text and doc.passages
    assert len(doc.id) == 16
    check_offsets(doc)
    if doc.format == "text":
        assert doc.text == path.read_text(encoding="utf-8")  # decoded file, unchanged


def test_id_is_stable_content_hash() -> None:
    data = YANTAI.read_bytes()
    assert read(YANTAI).id == read_bytes(data, "other_name.txt").id
    assert read_bytes(data + b"\n", "x.txt").id != read(YANTAI).id


def test_yantai_broken_line_is_one_passage_with_exact_offsets() -> None:
    doc = read(YANTAI)
    raw = YANTAI.read_text(encoding="utf-8")
    hits = [p for p in doc.passages if "许\n\n多工作" in doc.passage_text(p)]
    assert len(hits) == 1
    p = hits[0]
    assert raw[p.start:p.end] == doc.passage_text(p)
    assert doc.passage_text(p).startswith("坚持问题导向")
    assert doc.passage_text(p).endswith("多工作走在了全省前列。")


def test_passage_sizes_are_paragraph_sized() -> None:
    for path in SAMPLES:
        doc = read_sample(path)
        sizes = [p.end - p.start for p in doc.passages]
        assert max(sizes) <= 1000, path.name
        # most of the text lives in passages of a useful size
        assert sum(s for s in sizes if s >= 50) / sum(sizes) > 0.6, path.name


def test_titles() -> None:
    assert read(YANTAI).title == "烟台在全省率先提出“6个3”绩效管理模式"
    assert read(corpora.path("samples", "law_budget_law_2018.md")).title == "中华人民共和国预算法"


# ---- encodings ---------------------------------------------------------------------

def test_gb18030_copy_reads_identical_to_utf8(tmp_path: Path) -> None:
    for name in ("yantai_daily_budget_performance_2023.txt", "gwr_national_2017.txt"):
        src = corpora.path("samples", name)
        text = src.read_text(encoding="utf-8")
        gbk = tmp_path / name
        gbk.write_bytes(text.encode("gb18030"))
        a, b = read(src), read(gbk)
        assert b.encoding == "gb18030"
        assert b.text == a.text
        assert b.title == a.title
        assert [(p.start, p.end) for p in b.passages] == [(p.start, p.end) for p in a.passages]


def test_short_gbk_file_reads(tmp_path: Path) -> None:
    f = tmp_path / "short.txt"
    f.write_bytes("预算绩效管理：2023年财政收入增长5%。".encode("gbk"))
    assert read(f).text == "预算绩效管理：2023年财政收入增长5%。"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    text = YANTAI.read_text(encoding="utf-8")
    f = tmp_path / "wide.txt"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    f.write_bytes(data)
    doc = read(f)
    assert doc.text == text
    assert len(doc.passages) == len(read(YANTAI).passages)


def test_utf8_bom_is_kept_like_open_does(tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + "标题\n正文。".encode("utf-8"))
    doc = read(f)
    assert doc.text == f.read_text(encoding="utf-8")
    assert doc.title == "标题"
    assert doc.passage_text(doc.passages[0]) == "标题"


# ---- Markdown -------------------------------------------------------------------

def test_markdown_headings_tables_and_comments(tmp_path: Path) -> None:
    md = ("<!-- 注释不索引 -->\n# 预算报告\n\n## 第一章 总则\n\n"
          "第一条 为了规范政府收支行为，制定本法。\n\n单位：万元\n\n"
          "| 项目 | 金额 |\n|---|---:|\n| 教育 | 1,200 |\n| 卫生 |  |\n\n```\ncode()\n```\n")
    f = tmp_path / "r.md"
    f.write_text(md, encoding="utf-8")
    doc = read(f)
    assert doc.format == "markdown" and doc.title == "预算报告"
    passages = [doc.passage_text(p) for p in doc.passages]
    assert "# 预算报告" in passages and "## 第一章 总则" in passages
    assert "第一条 为了规范政府收支行为，制定本法。" in passages
    assert not any("注释" in p or "code()" in p for p in passages)
    (table,) = doc.tables
    assert table.rows == [["项目", "金额"], ["教育", "1,200"], ["卫生", None]]
    assert table.caption == "单位：万元"
    assert doc.text[table.start:table.end].startswith("| 项目")
    check_offsets(doc)


# ---- .docx ------------------------------------------------------------------------

def make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("部门预算说明", level=1)
    d.add_paragraph("2023年收入预算3,121.42万元，比上年增加107.62万元。")
    d.add_paragraph("单位：万元")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["科目", "预算数", "上年数"], ["教育支出", "1,200.5", "1,100"],
                             ["合计", "1,200.5", "1,100"]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    merged = t.cell(2, 1).merge(t.cell(2, 2))
    merged.text = "1,200.5"
    d.add_paragraph("以上为预算表。")
    d.save(path)


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    f = tmp_path / "budget.docx"
    make_docx(f)
    doc = read(f)
    assert doc.format == "docx"
    assert doc.title == "部门预算说明"
    assert doc.text.startswith("部门预算说明\n2023年收入预算3,121.42万元")
    (table,) = doc.tables
    assert table.rows[0] == ["科目", "预算数", "上年数"]
    assert table.rows[1] == ["教育支出", "1,200.5", "1,100"]
    assert table.rows[2] == ["合计", "1,200.5", None]  # merged cell kept once
    assert table.caption == "单位：万元"
    assert "教育支出\t1,200.5\t1,100" in doc.text[table.start:table.end]  # searchable
    passages = [doc.passage_text(p) for p in doc.passages]
    assert "以上为预算表。" in passages and any("教育支出" in p for p in passages)
    check_offsets(doc)


def test_corrupt_docx(tmp_path: Path) -> None:
    f = tmp_path / "broken.docx"
    make_docx(f)
    f.write_bytes(f.read_bytes()[:500])
    with pytest.raises(IngestError, match="broken.docx.*docx"):
        read(f)
    g = tmp_path / "notzip.docx"
    g.write_bytes(b"this is plain text, not a zip")
    with pytest.raises(IngestError, match="notzip.docx.*corrupt"):
        read(g)


# ---- bad input ----------------------------------------------------------------------

def test_supported_extensions() -> None:
    assert {".txt", ".md", ".pdf", ".docx"} <= SUPPORTED_EXTENSIONS


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\n \t", "empty"),
    ("binary.txt", bytes(range(256)) * 40, "binary"),
    ("noise.txt", os.urandom(4096).replace(b"\x00", b"\x01"), "binary|undecodable"),
    ("photo.jpg", b"\xff\xd8\xff\xe0JFIF", "unsupported"),
    ("README", b"text", "unsupported"),
    ("fake.pdf", b"just some text", "not a PDF"),
])
def test_bad_files_raise_ingest_error_naming_file(tmp_path: Path, name: str, data: bytes,
                                                  reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(IngestError, match=reason) as err:
        read(f)
    assert name in str(err.value)
    with pytest.raises(IngestError, match=reason):
        read_bytes(data, name)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="nothere.txt.*not found"):
        read(tmp_path / "nothere.txt")
    d = tmp_path / "folder.txt"
    d.mkdir()
    with pytest.raises(IngestError, match="directory"):
        read(d)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("机密。", encoding="utf-8")
    f.chmod(0)
    try:
        with pytest.raises(IngestError, match="secret.txt.*permission"):
            read(f)
    finally:
        f.chmod(0o600)


def test_too_large_file_is_refused_without_reading(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:  # sparse file: no disk space used
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(IngestError, match="huge.txt.*too large"):
        read(f)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path: Path, codec: str) -> None:
    text = YANTAI.read_text(encoding="utf-8")
    f = tmp_path / "nobom.txt"
    f.write_bytes(text.encode(codec))
    assert read(f).text == text


def test_title_skips_a_caption_line_above_the_title(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text("政府工作报告。 日报记者 某某 摄\n政府工作报告\n各位代表：\n现在报告工作。\n",
                 encoding="utf-8")
    assert read(f).title == "政府工作报告"
    g = tmp_path / "no_title_here.txt"
    g.write_text("这是一段很长的正文，没有标题。" * 10, encoding="utf-8")
    assert read(g).title == "no_title_here"


def test_markdown_blank_line_is_a_paragraph_break(tmp_path: Path) -> None:
    first = "2014年8月31日 第十二届全国人民代表大会常务委员会第十次会议通过的决定第一次修正"
    second = "2018年12月29日 第十三届全国人民代表大会常务委员会第七次会议通过的决定第二次修正"
    f = tmp_path / "law.md"
    f.write_text(f"# 法\n\n{first}\n\n{second}\n", encoding="utf-8")
    doc = read(f)
    assert [doc.passage_text(p) for p in doc.passages] == ["# 法", first, second]


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    import docx

    f = tmp_path / "blank.docx"
    docx.Document().save(f)
    with pytest.raises(IngestError, match="blank.docx.*empty"):
        read(f)


def test_docx_title_style_wins_over_first_line(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("附件1")
    d.add_heading("关于2023年预算执行情况的报告", level=0)  # the "Title" style
    d.add_paragraph("正文。")
    f = tmp_path / "report.docx"
    d.save(f)
    assert read(f).title == "关于2023年预算执行情况的报告"


def test_mangled_files_give_a_document_or_an_ingest_error(tmp_path: Path) -> None:
    """Flipped and cut bytes in every format: never any other exception."""
    import random

    from fixtures.ingest_files import simple_pdf

    f = tmp_path / "seed.docx"
    make_docx(f)
    seeds = {"a.pdf": simple_pdf(), "b.docx": f.read_bytes(),
             "c.txt": YANTAI.read_bytes()[:3000], "d.md": b"# t\n\n| a | b |\n|--|--|\n| 1 | 2 |\n"}
    rng = random.Random(20231222)
    for name, data in seeds.items():
        for _ in range(25):
            mangled = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                mangled[rng.randrange(len(mangled))] = rng.randrange(256)
            if rng.random() < 0.3:
                mangled = mangled[: rng.randrange(1, len(mangled))]
            try:
                doc = read_bytes(bytes(mangled), name)
            except IngestError as err:
                assert name in str(err)
            else:
                check_offsets(doc)


def test_big5_traditional_chinese_reads(tmp_path: Path) -> None:
    text = ("各位代表：現在，我代表政府向大會報告工作，請予審議。過去一年，經濟運行穩中向好，"
            "財政收入增長百分之五，實現了經濟社會發展主要目標。\n") * 5
    f = tmp_path / "big5.txt"
    f.write_bytes(text.encode("big5"))
    doc = read(f)
    assert doc.text == text
    assert doc.encoding and doc.encoding.replace("_", "").lower().startswith("big5")
