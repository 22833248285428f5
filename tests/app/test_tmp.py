from core.settings import get_setting
from core.workspace.store import open_store
from tests.app.conftest import open_page
from ui.workspace import LOCAL_USER


def test_x(marts):
    s = open_store(get_setting("database_url"))
    item = s.save(LOCAL_USER, "view", "Vue", "note", {"page": "carte", "params": {}})
    at = open_page("mon_espace")
    b = at.button(key=f"espace_{item.id}_renommer")
    print("ID1", b.id)
    at.text_input(key=f"espace_{item.id}_titre").set_value("Renommée").run()
    b = at.button(key=f"espace_{item.id}_renommer")
    print("ID2", b.id)
    at = b.click().run()
    print("ID3", at.button(key=f"espace_{item.id}_renommer").id)
