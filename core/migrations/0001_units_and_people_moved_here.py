"""Units, people and submission tokens move here from stationing, their tables unchanged."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('stationing', '0004_unit_webhook_url'),
        ('enterprises', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are; only Django's idea of which app owns them moves.
            state_operations=[
                migrations.CreateModel(
                    name='SubmissionToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.UUIDField(default=uuid.uuid4, unique=True)),
                        ('result_url', models.CharField(blank=True, max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '表单提交记录',
                        'verbose_name_plural': '表单提交记录',
                        'db_table': 'stationing_submissiontoken',
                    },
                ),
                migrations.CreateModel(
                    name='Unit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='单位名称')),
                        ('short_name', models.CharField(blank=True, max_length=50, verbose_name='简称')),
                        ('level', models.CharField(choices=[('province', '省级'), ('city', '市级'), ('county', '县级'), ('township', '乡镇级')], max_length=16, verbose_name='层级')),
                        ('kind', models.CharField(choices=[('government', '党委政府（属地）'), ('department', '部门单位')], max_length=16, verbose_name='类型')),
                        ('is_dispatching', models.BooleanField(default=False, verbose_name='派出单位')),
                        ('is_responsible', models.BooleanField(default=False, verbose_name='承办单位')),
                        ('contact_name', models.CharField(blank=True, max_length=50, verbose_name='联系人')),
                        ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                        ('webhook_url', models.URLField(blank=True, help_text='企业微信或钉钉群机器人的 Webhook 地址；填写后本单位的提醒同时推送到群里。', max_length=500, verbose_name='机器人推送地址')),
                        ('path', models.CharField(db_index=True, default='', editable=False, max_length=255, verbose_name='层级路径')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='core.unit', verbose_name='上级单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后修改人')),
                    ],
                    options={
                        'verbose_name': '单位',
                        'verbose_name_plural': '单位',
                        'db_table': 'stationing_unit',
                        'ordering': ['path', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Profile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                        ('name', models.CharField(max_length=50, verbose_name='姓名')),
                        ('phone', models.CharField(blank=True, max_length=20, null=True, unique=True, verbose_name='手机号')),
                        ('rank', models.CharField(blank=True, choices=[('clerk', '科员'), ('deputy_section', '副科级'), ('section', '正科级'), ('deputy_division', '副处级'), ('division', '正处级'), ('other', '其他')], max_length=20, verbose_name='职级')),
                        ('title', models.CharField(blank=True, max_length=50, verbose_name='职务')),
                        ('enterprise', models.ForeignKey(blank=True, help_text='仅企业联络人填写。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contacts', to='enterprises.enterprise', verbose_name='所属企业')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后修改人')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, help_text='驻企干部填派出单位；职能部门人员填本部门；督查室和领导填所在机关。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='core.unit', verbose_name='所在单位')),
                    ],
                    options={
                        'verbose_name': '人员',
                        'verbose_name_plural': '人员',
                        'db_table': 'stationing_profile',
                        'ordering': ['unit__path', 'name'],
                    },
                ),
            ],
        ),
    ]
