"""Every migration of this app up to 0020_list_actions in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from luoshi.audit.append_only import no_triggers, triggers


class Migration(migrations.Migration):

    initial = True

    replaces = [('audit', '0001_initial'), ('audit', '0002_auditevent_action_choices'), ('audit', '0003_extension_actions'), ('audit', '0004_report_withdraw'), ('audit', '0005_plan_versions_and_comments'), ('audit', '0006_observation_correct'), ('audit', '0007_hash_chain'), ('audit', '0008_security_actions'), ('audit', '0009_case_actions'), ('audit', '0010_person_save'), ('audit', '0011_case_update'), ('audit', '0012_supervision_actions'), ('audit', '0013_evaluation_actions'), ('audit', '0014_work_plan_and_risk_actions'), ('audit', '0015_province_and_links'), ('audit', '0016_funding_actions'), ('audit', '0017_token_actions'), ('audit', '0018_undo_accept'), ('audit', '0019_amend_and_risk_edit_actions'), ('audit', '0020_list_actions')]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('seq', models.BigIntegerField()),
                ('hash', models.CharField(max_length=128)),
                ('signature', models.CharField(max_length=64)),
                ('purge', models.BooleanField(default=False)),
            ],
            options={
                'verbose_name': '审计签名检查点',
                'verbose_name_plural': '审计签名检查点',
                'ordering': ['seq'],
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('username', models.CharField(blank=True, db_index=True, max_length=150, verbose_name='用户')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='来源IP')),
                ('action', models.CharField(choices=[('login', '登录'), ('logout', '退出登录'), ('lockout', '账号锁定'), ('account_unlock', '解除账号锁定'), ('password_change', '修改密码'), ('otp_enrol', '绑定双因素认证'), ('otp_reset', '重置双因素认证'), ('token_create', '签发 API 令牌'), ('token_revoke', '撤销 API 令牌'), ('access', '访问'), ('admin_create', '后台新增'), ('admin_change', '后台修改'), ('admin_delete', '后台删除'), ('membership_set', '设置成员角色'), ('responsible_person_set', '指定责任人'), ('person_save', '维护责任人档案'), ('plan_import', '导入方案'), ('plan_in_force', '设为现行版本'), ('plan_public', '选择公开版本'), ('plan_repeal', '废止方案'), ('plan_carry_over', '修订沿用进展'), ('plan_link', '关联上级方案'), ('task_links_confirm', '确认任务关联'), ('comment_period_open', '开启征求意见'), ('comment_submit', '提交意见'), ('comment_moderate', '审核意见'), ('comment_answer', '答复意见'), ('cycle_open', '开启填报周期'), ('report_draft', '新建进展报告'), ('report_update', '修改进展报告'), ('report_submit', '提交进展报告'), ('report_withdraw', '撤回进展报告'), ('report_approve', '审核通过进展报告'), ('report_send_back', '退回修改进展报告'), ('report_accept', '验收进展报告'), ('report_return', '退回进展报告'), ('report_undo_accept', '撤销验收进展报告'), ('report_carry_forward', '沿用上期进展'), ('report_publish', '公开进展报告'), ('contribution_save', '保存配合进展'), ('evidence_upload', '上传佐证材料'), ('evidence_download', '下载佐证材料'), ('reminder_sent', '发送提醒'), ('observation_record', '填报指标数据'), ('observation_correct', '更正指标数据'), ('case_create', '提出创新案例'), ('case_advance', '更新案例阶段'), ('case_update', '修改创新案例'), ('case_review', '案例分类审查'), ('case_attach', '上传案例附件'), ('case_file_download', '下载案例附件'), ('evaluation_record', '登记评估'), ('evaluation_report_download', '下载评估报告'), ('criterion_add', '增加评估指标'), ('finding_assign', '交办整改事项'), ('finding_respond', '报送整改情况'), ('finding_close', '整改销号'), ('finding_return', '退回整改情况'), ('work_plan_open', '新建年度工作计划'), ('milestone_add', '添加节点'), ('milestone_drop', '删除节点'), ('milestone_meet', '节点完成'), ('work_plan_submit', '报送年度工作计划'), ('work_plan_approve', '审定年度工作计划'), ('work_plan_return', '退回年度工作计划'), ('work_plan_amend', '修订年度工作计划'), ('risk_raise', '登记风险'), ('risk_close', '化解风险'), ('risk_edit', '修改风险'), ('funding_save', '登记改革项目资金'), ('cycle_close', '关闭填报周期'), ('channel_add', '配置消息渠道'), ('escalation_run', '运行催办督办'), ('notice_issue', '下发督办单'), ('notice_drop', '不予督办'), ('notice_sign', '签收督办单'), ('notice_reply', '反馈督办单'), ('notice_close', '办结督办单'), ('notice_return', '退回督办单'), ('extension_request', '申请延期'), ('extension_approve', '批准延期'), ('extension_refuse', '不予批准延期'), ('instruction_write', '领导批示'), ('meeting_record', '记录会议'), ('decision_add', '添加议定事项'), ('coordination_raise', '提出协调事项'), ('assignment_assign', '分派协调事项'), ('assignment_answer', '反馈落实情况'), ('assignment_close', '办结督办事项'), ('assignment_return', '退回督办事项'), ('exemption_request', '申请容错免责'), ('exemption_approve', '认定容错免责'), ('exemption_refuse', '不予容错免责'), ('score_adjust', '考核加减分'), ('notice_urge', '催办督办单'), ('saved_view_save', '保存筛选条件'), ('saved_view_delete', '删除筛选条件'), ('saved_view_open', '使用筛选条件'), ('ledger_import', '导入台账'), ('export_document', '下载文书'), ('export_plan', '导出方案'), ('export_ledger', '导出台账'), ('export_opendata', '导出公开数据'), ('export_briefing', '导出简报'), ('export_workplan', '导出工作计划'), ('export_funding', '导出资金保障'), ('export_list', '导出清单'), ('audit_export', '导出审计日志'), ('audit_purge', '清理过期审计日志')], db_index=True, max_length=60, verbose_name='操作')),
                ('object_type', models.CharField(blank=True, db_index=True, max_length=60, verbose_name='对象类型')),
                ('object_id', models.CharField(blank=True, max_length=60, verbose_name='对象ID')),
                ('object_repr', models.CharField(blank=True, max_length=200, verbose_name='对象')),
                ('outcome', models.CharField(choices=[('success', '成功'), ('refused', '拒绝'), ('failed', '失败')], default='success', max_length=10, verbose_name='结果')),
                ('detail', models.JSONField(blank=True, default=dict, verbose_name='详情')),
                ('seq', models.BigIntegerField(null=True, unique=True, verbose_name='序号')),
                ('prev_hash', models.CharField(blank=True, max_length=128)),
                ('hash', models.CharField(blank=True, max_length=128)),
                ('algorithm', models.CharField(blank=True, max_length=10, verbose_name='摘要算法')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '审计记录',
                'verbose_name_plural': '审计记录',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.RunPython(triggers, no_triggers),  # PostgreSQL only: append-only rows
    ]
