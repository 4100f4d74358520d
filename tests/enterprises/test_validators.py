import pytest
from django.core.exceptions import ValidationError

from enterprises.services import enterprise_create
from enterprises.validators import validate_credit_code
from tests.factories import RegionFactory


def error_of(value):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(value)
    return caught.value.messages[0], caught.value.code


def test_valid_code_is_accepted():
    validate_credit_code("91350100M000100Y43")


def test_lower_case_and_spaces_are_normalised_not_refused():
    validate_credit_code("  91350100m000100y43 ")


def test_wrong_check_character_is_refused_with_the_expected_one():
    message, code = error_of("91350100M000100Y44")
    assert code == "credit_code_check"
    assert "校验位" in message and "“3”" in message


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_outside_the_alphabet_are_refused(letter):
    message, code = error_of(f"91350100M00010{letter}Y43")
    assert code == "credit_code_alphabet"
    assert "I、O、S、V、Z" in message and letter in message


def test_other_characters_are_refused():
    message, code = error_of("91350100M00010-Y43")
    assert code == "credit_code_alphabet"
    assert "数字和大写字母" in message


@pytest.mark.parametrize("value", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_wrong_length_is_refused(value):
    message, code = error_of(value)
    assert code == "credit_code_length"
    assert "18位" in message


def test_division_code_must_be_digits():
    message, code = error_of("91A50100M000100Y43")
    # Checked before the check character, which this code also gets wrong.
    assert code == "credit_code_division"
    assert "行政区划码" in message


@pytest.mark.django_db
def test_credit_code_is_unique_after_normalising():
    region = RegionFactory()
    fields = dict(industry="C", ownership="private", size="small", region=region)
    enterprise = enterprise_create(by=None, name="甲", credit_code=" 91350100m000100y43", **fields)
    assert enterprise.credit_code == "91350100M000100Y43"
    with pytest.raises(ValidationError) as caught:
        enterprise_create(by=None, name="乙", credit_code="91350100M000100Y43", **fields)
    assert "已登记" in caught.value.message_dict["credit_code"][0]
