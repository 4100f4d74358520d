"""The notification engine's models move here from supervision, their tables unchanged."""

import django.db.models.deletion
import notifications.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('supervision', '0005_notification_kinds'),
        ('core', '0001_units_and_people_moved_here'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are; only Django's idea of which app owns them moves.
            state_operations=[
                migrations.CreateModel(
                    name='JobRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=64, unique=True)),
                        ('last_started_at', models.DateTimeField(blank=True, null=True)),
                        ('last_finished_at', models.DateTimeField(blank=True, null=True)),
                        ('last_result', models.TextField(blank=True)),
                    ],
                    options={
                        'verbose_name': '定时任务记录',
                        'verbose_name_plural': '定时任务记录',
                        'db_table': 'supervision_jobrun',
                    },
                ),
                migrations.CreateModel(
                    name='CalendarFeed',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(default=notifications.models.new_feed_token, max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now=True)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '日历订阅',
                        'verbose_name_plural': '日历订阅',
                        'db_table': 'supervision_calendarfeed',
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=32, verbose_name='类型')),
                        ('object_key', models.CharField(help_text='如 report:12、ticket:7。', max_length=64, verbose_name='对象')),
                        ('period_key', models.CharField(blank=True, help_text='同一对象在不同期限各提醒一次。', max_length=64, verbose_name='期次')),
                        ('subject', models.CharField(max_length=200, verbose_name='标题')),
                        ('body', models.TextField(verbose_name='内容')),
                        ('link', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                        ('email_state', models.CharField(choices=[('pending', '待发送'), ('sending', '发送中'), ('sent', '已发送'), ('failed', '发送失败'), ('skipped', '无需发送')], db_index=True, default='pending', max_length=16, verbose_name='邮件状态')),
                        ('email_attempts', models.PositiveSmallIntegerField(default=0, verbose_name='邮件尝试次数')),
                        ('email_claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('email_next_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('email_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='邮件发送时间')),
                        ('email_error', models.TextField(blank=True, verbose_name='邮件错误')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                    ],
                    options={
                        'verbose_name': '通知',
                        'verbose_name_plural': '通知',
                        'db_table': 'supervision_notification',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='supervision_recipie_514b32_idx')],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'object_key', 'period_key', 'recipient'), name='notification_once_per_recipient')],
                    },
                    bases=(notifications.models.KindLabelMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='NotificationPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=32, verbose_name='类型')),
                        ('email', models.BooleanField(default=True, verbose_name='发送邮件')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_prefs', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '通知设置',
                        'verbose_name_plural': '通知设置',
                        'db_table': 'supervision_notificationpreference',
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='notification_pref_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=32, verbose_name='类型')),
                        ('object_key', models.CharField(max_length=64, verbose_name='对象')),
                        ('period_key', models.CharField(blank=True, max_length=64, verbose_name='期次')),
                        ('url', models.URLField(max_length=500, verbose_name='地址')),
                        ('payload', models.JSONField(verbose_name='内容')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                        ('state', models.CharField(choices=[('pending', '待发送'), ('sending', '发送中'), ('sent', '已发送'), ('failed', '发送失败'), ('skipped', '无需发送')], default='pending', max_length=16, verbose_name='状态')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='尝试次数')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                        ('error', models.TextField(blank=True, verbose_name='错误')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '机器人推送',
                        'verbose_name_plural': '机器人推送',
                        'db_table': 'supervision_webhookdelivery',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'object_key', 'period_key', 'unit'), name='webhook_once_per_unit')],
                    },
                    bases=(notifications.models.KindLabelMixin, models.Model),
                ),
            ],
        ),
    ]
