"""Every audited action, once, with the label an auditor reads. A new kind of event gets a member here;
the audit trail's `action` column accepts nothing else."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Sessions
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出登录")
    LOCKOUT = "lockout", _("账号锁定")
    ACCOUNT_UNLOCK = "account_unlock", _("解除账号锁定")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    OTP_ENROL = "otp_enrol", _("绑定双因素认证")
    OTP_RESET = "otp_reset", _("重置双因素认证")
    TOKEN_CREATE = "token_create", _("签发 API 令牌")
    TOKEN_REVOKE = "token_revoke", _("撤销 API 令牌")
    # A page, endpoint or object the user may not use (always with outcome "refused")
    ACCESS = "access", _("访问")
    # Admin site edits
    ADMIN_CREATE = "admin_create", _("后台新增")
    ADMIN_CHANGE = "admin_change", _("后台修改")
    ADMIN_DELETE = "admin_delete", _("后台删除")
    # People
    MEMBERSHIP_SET = "membership_set", _("设置成员角色")
    RESPONSIBLE_PERSON_SET = "responsible_person_set", _("指定责任人")
    PERSON_SAVE = "person_save", _("维护责任人档案")
    # Plans
    PLAN_IMPORT = "plan_import", _("导入方案")
    PLAN_IN_FORCE = "plan_in_force", _("设为现行版本")
    PLAN_PUBLIC = "plan_public", _("选择公开版本")
    PLAN_REPEAL = "plan_repeal", _("废止方案")
    PLAN_CARRY_OVER = "plan_carry_over", _("修订沿用进展")
    PLAN_LINK = "plan_link", _("关联上级方案")
    TASK_LINKS_CONFIRM = "task_links_confirm", _("确认任务关联")
    # 征求意见
    COMMENT_PERIOD_OPEN = "comment_period_open", _("开启征求意见")
    COMMENT_SUBMIT = "comment_submit", _("提交意见")
    COMMENT_MODERATE = "comment_moderate", _("审核意见")
    COMMENT_ANSWER = "comment_answer", _("答复意见")
    # The reporting loop
    CYCLE_OPEN = "cycle_open", _("开启填报周期")
    REPORT_DRAFT = "report_draft", _("新建进展报告")
    REPORT_UPDATE = "report_update", _("修改进展报告")
    REPORT_SUBMIT = "report_submit", _("提交进展报告")
    REPORT_WITHDRAW = "report_withdraw", _("撤回进展报告")
    REPORT_APPROVE = "report_approve", _("审核通过进展报告")
    REPORT_SEND_BACK = "report_send_back", _("退回修改进展报告")
    REPORT_ACCEPT = "report_accept", _("验收进展报告")
    REPORT_RETURN = "report_return", _("退回进展报告")
    REPORT_UNDO_ACCEPT = "report_undo_accept", _("撤销验收进展报告")
    REPORT_CARRY_FORWARD = "report_carry_forward", _("沿用上期进展")
    REPORT_PUBLISH = "report_publish", _("公开进展报告")
    CONTRIBUTION_SAVE = "contribution_save", _("保存配合进展")
    EVIDENCE_UPLOAD = "evidence_upload", _("上传佐证材料")
    EVIDENCE_DOWNLOAD = "evidence_download", _("下载佐证材料")
    REMINDER_SENT = "reminder_sent", _("发送提醒")
    # Metrics and cases
    OBSERVATION_RECORD = "observation_record", _("填报指标数据")
    OBSERVATION_CORRECT = "observation_correct", _("更正指标数据")
    CASE_CREATE = "case_create", _("提出创新案例")
    CASE_ADVANCE = "case_advance", _("更新案例阶段")
    CASE_UPDATE = "case_update", _("修改创新案例")
    CASE_REVIEW = "case_review", _("案例分类审查")
    CASE_ATTACH = "case_attach", _("上传案例附件")
    CASE_FILE_DOWNLOAD = "case_file_download", _("下载案例附件")
    EVALUATION_RECORD = "evaluation_record", _("登记评估")
    EVALUATION_REPORT_DOWNLOAD = "evaluation_report_download", _("下载评估报告")
    CRITERION_ADD = "criterion_add", _("增加评估指标")
    FINDING_ASSIGN = "finding_assign", _("交办整改事项")
    FINDING_RESPOND = "finding_respond", _("报送整改情况")
    FINDING_CLOSE = "finding_close", _("整改销号")
    FINDING_RETURN = "finding_return", _("退回整改情况")
    # Annual work plans (年度工作计划 with 节点)
    WORK_PLAN_OPEN = "work_plan_open", _("新建年度工作计划")
    MILESTONE_ADD = "milestone_add", _("添加节点")
    MILESTONE_DROP = "milestone_drop", _("删除节点")
    MILESTONE_MEET = "milestone_meet", _("节点完成")
    WORK_PLAN_SUBMIT = "work_plan_submit", _("报送年度工作计划")
    WORK_PLAN_APPROVE = "work_plan_approve", _("审定年度工作计划")
    WORK_PLAN_RETURN = "work_plan_return", _("退回年度工作计划")
    WORK_PLAN_AMEND = "work_plan_amend", _("修订年度工作计划")
    # Risks (风险评估与预警)
    RISK_RAISE = "risk_raise", _("登记风险")
    RISK_CLOSE = "risk_close", _("化解风险")
    RISK_EDIT = "risk_edit", _("修改风险")
    # Funding (资金保障)
    FUNDING_SAVE = "funding_save", _("登记改革项目资金")
    # Supervision (催办, 督办)
    CYCLE_CLOSE = "cycle_close", _("关闭填报周期")
    CHANNEL_ADD = "channel_add", _("配置消息渠道")
    ESCALATION_RUN = "escalation_run", _("运行催办督办")
    NOTICE_ISSUE = "notice_issue", _("下发督办单")
    NOTICE_DROP = "notice_drop", _("不予督办")
    NOTICE_SIGN = "notice_sign", _("签收督办单")
    NOTICE_REPLY = "notice_reply", _("反馈督办单")
    NOTICE_CLOSE = "notice_close", _("办结督办单")
    NOTICE_RETURN = "notice_return", _("退回督办单")
    EXTENSION_REQUEST = "extension_request", _("申请延期")
    EXTENSION_APPROVE = "extension_approve", _("批准延期")
    EXTENSION_REFUSE = "extension_refuse", _("不予批准延期")
    INSTRUCTION_WRITE = "instruction_write", _("领导批示")
    MEETING_RECORD = "meeting_record", _("记录会议")
    DECISION_ADD = "decision_add", _("添加议定事项")
    COORDINATION_RAISE = "coordination_raise", _("提出协调事项")
    ASSIGNMENT_ASSIGN = "assignment_assign", _("分派协调事项")
    ASSIGNMENT_ANSWER = "assignment_answer", _("反馈落实情况")
    ASSIGNMENT_CLOSE = "assignment_close", _("办结督办事项")
    ASSIGNMENT_RETURN = "assignment_return", _("退回督办事项")
    EXEMPTION_REQUEST = "exemption_request", _("申请容错免责")
    EXEMPTION_APPROVE = "exemption_approve", _("认定容错免责")
    EXEMPTION_REFUSE = "exemption_refuse", _("不予容错免责")
    SCORE_ADJUST = "score_adjust", _("考核加减分")
    NOTICE_URGE = "notice_urge", _("催办督办单")
    # Lists (saved filters and exports)
    SAVED_VIEW_SAVE = "saved_view_save", _("保存筛选条件")
    SAVED_VIEW_DELETE = "saved_view_delete", _("删除筛选条件")
    SAVED_VIEW_OPEN = "saved_view_open", _("使用筛选条件")
    # Documents in and out
    LEDGER_IMPORT = "ledger_import", _("导入台账")
    EXPORT_DOCUMENT = "export_document", _("下载文书")
    EXPORT_PLAN = "export_plan", _("导出方案")
    EXPORT_LEDGER = "export_ledger", _("导出台账")
    EXPORT_OPENDATA = "export_opendata", _("导出公开数据")
    EXPORT_BRIEFING = "export_briefing", _("导出简报")
    EXPORT_WORKPLAN = "export_workplan", _("导出工作计划")
    EXPORT_FUNDING = "export_funding", _("导出资金保障")
    EXPORT_LIST = "export_list", _("导出清单")
    AUDIT_EXPORT = "audit_export", _("导出审计日志")
    AUDIT_PURGE = "audit_purge", _("清理过期审计日志")

    @classmethod
    def export_of(cls, kind: str) -> AuditAction:
        """The export action of a command's document kind (ledger, opendata, briefing, workplan)."""
        return cls(f"export_{kind}")

    @classmethod
    def notice_step(cls, action: str) -> AuditAction:
        """The audit action of a 督办单 step (issue, drop, sign, reply, close, return)."""
        return cls(f"notice_{action}")

    @classmethod
    def report_transition(cls, action: str) -> AuditAction:
        """The audit action of a review-workflow step (submit, approve, send_back, accept, return)."""
        return cls(f"report_{action}")
