"""修改对照表 (.docx): a revision against the version it revises, in the usual two columns —
原文 on the left, 修改后 on the right — with the kind of each change."""

from __future__ import annotations

import io

from luoshi.paperwork.word import in_chinese, official, table, title
from luoshi.plans.models import Plan
from luoshi.plans.revisions import Entry, kind_labels, stored_diff


def _side(entry: Entry, new: bool) -> str:
    item = entry.new if new else entry.old
    if item is None:
        return "（无）"
    code = f"{'任务' if item.level == 'task' else '举措'} {item.code}"
    deadline = f"\n时限：{item.deadline}" if item.deadline else ""
    units = "、".join(u.split(":")[0] for u in item.units)
    return f"{code}　{item.text}{deadline}" + (f"\n单位：{units}" if units else "")


@in_chinese
def revision_docx(plan: Plan) -> bytes:
    diff = stored_diff(plan)
    from docx import Document  # python-docx loads only when a document is made

    document = Document()
    official(document)  # GB/T 9704: A4, 公文 margins, body style and page numbers
    title(document, f"{plan.title}\n修改对照表", size=16)
    if plan.revises is not None:
        document.add_paragraph(
            f"原版本：{plan.revises.title}（{plan.revises.get_status_display()}）；"
            f"新增 {len(diff.added)} 项、删除 {len(diff.removed)} 项、修改 {len(diff.changed)} 项。"
        )
    rows = [
        [_side(e, new=False), _side(e, new=True), kind_labels(e.kinds)]
        for e in diff.changed + diff.added + diff.removed
    ]
    table(document, ["原文", "修改后", "修改类型"], rows)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
