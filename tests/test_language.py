def test_pages_are_chinese_even_for_an_english_browser(world, client_for):
    client = client_for(world.office)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "驻企服务平台" in page and 'lang="zh-hans"' in page


def test_english_when_the_user_switches(world, client_for):
    client = client_for(world.office)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get("/").content.decode()
