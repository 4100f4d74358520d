"""Forms speak to a Chinese office: an empty choice says 请选择…, an error names its field."""

import pytest
from django import forms
from django.urls import reverse

from core.forms import EMPTY_CHOICE_LABEL, PortalForm, PortalModelForm
from enterprises.models import Enterprise

from .pages import cadre_pages, office_pages

DASHES = "---------"


@pytest.mark.django_db
def test_no_dashes_on_any_page_of_the_office(world, client_for):
    client = client_for(world.office)
    for name, url in office_pages(world):
        html = client.get(url).content.decode()
        assert DASHES not in html, name


@pytest.mark.django_db
def test_no_dashes_on_any_page_of_a_cadre(world, client_for, report_problem):
    client = client_for(world.cadre_a)
    for name, url in cadre_pages(world, report_problem.report):
        html = client.get(url).content.decode()
        assert DASHES not in html, name


@pytest.mark.django_db
def test_form_selects_prompt_and_list_filters_say_all(world, client_for):
    client = client_for(world.office)
    form_page = client.get(reverse("assignment-create", args=[world.programme.pk]))
    assert '<option value="" selected>请选择…</option>' in form_page.content.decode()
    # The ticket form's category had its own "---------" choice.
    ticket_form = client_for(world.cadre_a).get(reverse("ticket-create"))
    assert '<option value="" selected>请选择…</option>' in ticket_form.content.decode()
    # A list filter's empty choice (django-filter's FILTERS_EMPTY_CHOICE_LABEL) reads 全部.
    tickets = client.get(reverse("ticket-list")).content.decode()
    assert '<option value="" selected>全部</option>' in tickets


@pytest.mark.django_db
def test_required_errors_name_the_field(world, client_for):
    client = client_for(world.office)
    response = client.post(reverse("enterprise-create"), {"form_token": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["请填写“企业名称”。"]
    assert errors["region"] == ["请选择“所属区域”。"]
    html = response.content.decode()
    assert "这个字段是必填项" not in html and "该字段是必填项" not in html


@pytest.mark.django_db
def test_choice_and_invalid_errors_name_the_field(world, client_for):
    client = client_for(world.office)
    response = client.post(
        reverse("programme-create"),
        {"name": "二批", "organiser": "999999", "start_date": "2026-13-01", "status": "nope"},
    )
    errors = response.context["form"].errors
    assert errors["organiser"] == ["“主办单位”中没有所选的选项，请重新选择。"]
    assert errors["start_date"] == ["“开始日期”的格式不正确，请重新填写。"]
    assert errors["status"] == ["“状态”中没有所选的选项，请重新选择。"]


def test_a_message_the_form_sets_itself_is_kept():
    class Form(PortalForm):
        name = forms.CharField(label="名称", error_messages={"required": "起个名字吧。"})
        code = forms.CharField(label="代码")
        files = forms.FileField(label="附件")
        agree = forms.BooleanField(label="同意")
        hidden = forms.CharField(widget=forms.HiddenInput)

    form = Form(data={})
    assert form.errors["name"] == ["起个名字吧。"]
    assert form.errors["code"] == ["请填写“代码”。"]
    assert form.errors["files"] == ["请上传“附件”。"]
    assert form.errors["agree"] == ["请勾选“同意”。"]
    # Hidden bookkeeping fields keep Django's message; the top of the form shows it.
    assert "“" not in form.errors["hidden"][0]


@pytest.mark.django_db
def test_model_blank_choices_and_empty_labels_prompt():
    class Form(PortalModelForm):
        class Meta:
            model = Enterprise
            fields = ["region", "industry", "size"]

    form = Form()
    assert form.fields["region"].empty_label == EMPTY_CHOICE_LABEL
    for name in ("industry", "size"):
        labels = [label for _value, label in form.fields[name].choices]
        assert DASHES not in labels
        assert EMPTY_CHOICE_LABEL in labels
    assert DASHES not in str(form)


@pytest.mark.django_db
def test_api_messages_are_unchanged(world, api):
    """The API keeps DRF's own messages (the forms' Chinese wording is the pages' only)."""
    response = api(world.office).post(reverse("api-enterprise-list"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["该字段是必填项。"]
