from django.template import Context, Template


def render(value):
    return Template("{% load account_tags %}{{ value|phone }}").render(
        Context({"value": value})
    )


def test_taiwan_numbers_show_as_written_locally_and_others_stay_international():
    assert render("+886912345678") == "0912-345-678"
    assert render("+886223456789") == "0223456789"
    assert render("+819012345678") == "+819012345678"
    assert render("") == ""
