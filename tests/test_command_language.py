"""Commands print in one language at a time: Chinese by default (the site's language), English with
`luoshi --lang en …` or LUOSHI_LANGUAGE=en — answers, refusals and help alike. Each command is run
through the real entry point (`luoshi.__main__.main`) in this process, on the test database."""

from __future__ import annotations

import gc
import sys

import pytest
from django.db import connections

from luoshi.__main__ import main
from tests.english import CJK


def luoshi(monkeypatch, capsys, *args: str, lang: str | None = None) -> tuple[str, int]:
    """Output (stdout and stderr) and exit status of `luoshi [--lang LANG] ARGS…`."""
    monkeypatch.setattr(sys, "argv", ["luoshi", *(["--lang", lang] if lang else []), *args])
    monkeypatch.delenv("LUOSHI_LANGUAGE", raising=False)
    # A command run from argv closes every connection when it ends; on PostgreSQL that would end
    # the test's transaction (SQLite's in-memory test database ignores it).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    status = 0
    try:
        main()
    except SystemExit as error:  # a CommandError ends the process with status 1
        status = int(error.code or 0)
    finally:
        gc.unfreeze()  # main() freezes what Django set up, for a process of its own
    out = capsys.readouterr()
    return out.out + out.err, status


# (arguments, the Chinese answer, the English answer, exit status)
CASES = [
    (["audit", "verify"], "审计链完整：", "audit chain intact: ", 0),
    (["audit", "checkpoint"], "尚无审计记录", "no audit rows yet", 0),
    (["audit", "purge"], "purge 需要 --before", "purge needs --before DATE", 1),
    (["backup", "{tmp}", "--keep", "0"], "--keep 需要一个目录", "--keep needs a directory", 1),
    (["restore", "{tmp}/none.tar.gz"], "没有这个归档", "no such archive", 1),
    (["token", "revoke", "无此系统"], "没有名为“无此系统”的令牌", "no token named '无此系统'", 1),
    (
        ["token", "create", "平台", "--scope", "status:read", "--unit", "无此单位"],
        "没有名为“无此单位”的单位",
        "no unit named '无此单位'",
        1,
    ),
    (["token", "--help"], "签发、吊销或列出 API 令牌", "Issue, revoke or list API tokens", 0),
    (["serve"], "luoshi serve 使用生产环境设置", "luoshi serve runs the production settings", 1),
    (["prune-generated", "--days", "-1"], "--days 不能小于 0", "--days must be 0 or more", 1),
    (["prune-generated"], "已删除 0 个生成文件，保留 0 个", "removed 0 generated files, kept 0", 0),
    (["export-plan", "999"], "没有编号为 999 的方案", "no plan with id 999", 1),
    (["backup", "--help"], "写入备份归档", "Write a backup archive", 0),
    (
        ["import-plan", "x.txt", "--revises", "999"],
        "--revises 999：没有这个方案",
        "--revises 999: no",
        1,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "chinese", "english", "status"), CASES)
def test_a_command_answers_in_chinese_by_default_and_in_english_when_asked(
    args, chinese, english, status, monkeypatch, capsys, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    settings.LUOSHI_EVIDENCE_DIR = tmp_path / "evidence"
    settings.DEBUG = True  # `luoshi serve` refuses the development settings
    args = [a.format(tmp=tmp_path) for a in args]
    said, code = luoshi(monkeypatch, capsys, *args)
    assert (chinese in said, code) == (True, status), said
    said, code = luoshi(monkeypatch, capsys, *args, lang="en")
    assert (english in said, code) == (True, status), said
    assert not CJK.search(said.replace("无此系统", "").replace("无此单位", "")), said


@pytest.mark.django_db
def test_the_token_list_follows_the_language(monkeypatch, capsys):
    said, _ = luoshi(monkeypatch, capsys, "token", "create", "市平台", "--scope", "status:read")
    assert "密钥只在此时显示一次" in said
    said, _ = luoshi(monkeypatch, capsys, "token", "list")
    assert "\t省级平台\tstatus:read\t有效至 —\t从未使用" in said
    said, _ = luoshi(monkeypatch, capsys, "token", "list", lang="en")
    assert "\tProvincial platform\tstatus:read\tuntil —\tnever used" in said
    monkeypatch.setattr(sys, "argv", ["luoshi", "token", "revoke", "市平台"])
    monkeypatch.setenv("LUOSHI_LANGUAGE", "en")  # the environment asks as --lang does
    main()
    gc.unfreeze()
    assert "revoked 市平台" in capsys.readouterr().out
