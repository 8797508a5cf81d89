"""Bad documents are refused with a message that names the file, the problem and the place."""

from __future__ import annotations

import pytest

from luoshi.ingest import IngestError, parse_bytes
from luoshi.ingest.model import AnomalyCode
from tests.variants import as_docx, bundled_text


def refuse(data: bytes, name: str = "plan.txt") -> IngestError:
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, name)
    return caught.value


def test_empty_file():
    error = refuse(b"", "empty.txt")
    assert str(error) == "empty.txt：文件为空"  # ingest alone speaks the source language
    assert (error.template, error.params, error.where_template) == ("文件为空", {}, None)
    assert refuse(b" \n\r\n\t ").message == "文件为空"


def test_binary_file_names_the_line_of_the_first_nul():
    error = refuse(b"line one\nline two\n\x00\x01\x02\xff", "blob.bin")
    assert error.where == "第 3 行"
    assert (error.where_template, error.where_params) == ("第 %(n)s 行", {"n": 3})
    assert "二进制内容" in error.message


def test_undecodable_bytes():
    assert "无法按 UTF-8 或 GB18030" in refuse(bytes(range(128, 256)) * 20).message


def test_a_zip_that_is_not_a_word_file():
    assert "不是可读的 .docx" in refuse(b"PK\x03\x04" + b"junk" * 50, "fake.docx").message


def test_document_with_nothing_task_like():
    text = "某市工作方案\n一、总体要求\n全面落实。\n二、保障措施\n加强组织领导，确保取得实效。"
    error = refuse(text.encode())
    assert error.message.startswith("全文没有像任务的内容")
    assert error.where == "第 5 行"  # the last line it read


def test_a_plan_cut_before_its_task_part_has_nothing_task_like():
    text = "\n".join(bundled_text().splitlines()[:120])  # stops before 四、主要任务和措施
    error = refuse(text.encode())
    assert error.message.startswith("全文没有像任务的内容")
    assert error.where == "第 119 行"  # the last line it read: 三年共100家


def test_a_plan_that_names_no_unit_is_read_from_its_numbered_items():
    text = (
        "某市工作方案\n一、总体要求\n全面落实。\n二、工作措施\n（一）建立台账。\n（二）加强督查。"
    )
    plan = parse_bytes(text.encode(), "plan.txt")
    assert [t.title for t in plan.tasks] == ["建立台账。", "加强督查。"]
    assert plan.report.of(AnomalyCode.NO_UNITS_IN_DOCUMENT)


def test_truncated_document_names_the_task_it_stops_in():
    lines = bundled_text().splitlines()
    cut = (
        next(i for i, line in enumerate(lines) if line.startswith("(四十)")) + 4
    )  # inside its measures
    error = refuse("\n".join(lines[:cut]).encode(), "cut.txt")
    assert error.message == "文件在任务（四十）中间结束，该任务没有落实举措：文件似乎不完整"
    assert error.where == f"第 {cut - 3} 行"
    assert str(error).startswith("cut.txt，第 ")


def test_duplicated_task_number_names_both_lines():
    lines = bundled_text().splitlines()
    second = lines.index(next(line for line in lines if line.startswith("(二)")))
    lines[second] = lines[second].replace("(二)", "(一)", 1)
    error = refuse("\n".join(lines).encode())
    assert error.message == "任务编号 （一） 重复，首次出现于第 125 行"
    assert error.where == f"第 {second + 1} 行"


def test_word_file_errors_name_the_paragraph():
    lines = bundled_text().splitlines()
    second = lines.index(next(line for line in lines if line.startswith("(三)")))
    lines[second] = lines[second].replace("(三)", "(二)", 1)
    error = refuse(as_docx("\n".join(lines)), "plan.docx")
    assert error.where == f"第 {second + 1} 段"
