def test_not_found_page_is_chinese(world, client_for):
    response = client_for(world.cadre_a).get("/enterprises/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_forbidden_page_is_chinese(world, client_for):
    response = client_for(world.cadre_a).get("/enterprises/new/")
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()
