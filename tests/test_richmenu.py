"""``helpbot line richmenu apply`` (issue 10, section 7): faq/richmenu.yaml -> an image drawn by
Pillow -> LINE's rich menu endpoints through line-bot-sdk v3, against the fake LINE (checked with
LINE's OpenAPI document and the SDK's models); and the buttons are answered by the bot."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from linebot.v3.messaging import ApiException, Configuration, MessagingApiBlob
from PIL import Image, ImageFont

from helpbot.channels.line.richmenu_image import (
    FONT_CANDIDATES,
    button_boxes,
    find_font,
    missing_characters,
    render_menu,
)
from helpbot.cli.line import line as line_command
from helpbot.errors import ConfigError
from helpbot.knowledge.richmenu_file import read_richmenu
from tests.fakes.line_api import FakeLineApi
from tests.fakes.line_webhooks import new_user_id, postback_event

SAMPLE = Path(__file__).parent.parent / "faq" / "richmenu.yaml"
TOKEN = "test-channel-access-token"
JAPANESE_FONT = next((path for path in FONT_CANDIDATES if Path(path).is_file()), None)
needs_japanese_font = pytest.mark.skipif(
    JAPANESE_FONT is None, reason="no Japanese font (Debian: apt-get install fonts-ipafont-gothic)"
)


def _spec(text: str | None = None):
    spec, problems = read_richmenu(text or SAMPLE.read_text(encoding="utf-8"), "faq/richmenu.yaml")
    assert problems == [], [str(p) for p in problems]
    return spec


def test_the_sample_menu_has_the_four_buttons():
    spec = _spec()
    assert [(b.label, b.action) for b in spec.buttons] == [
        ("スタッフに相談", "staff"), ("制度をさがす", "programs"), ("よくある質問", "topics"),
        ("緊急のとき", "crisis"),
    ]
    assert spec.buttons[1].text is None
    assert spec.pixels == (2500, 843)
    assert button_boxes(spec) == [(0, 0, 625, 843), (625, 0, 625, 843), (1250, 0, 625, 843),
                                  (1875, 0, 625, 843)]


def test_two_rows_cover_the_full_size():
    spec = _spec(SAMPLE.read_text(encoding="utf-8").replace("size: compact", "size: full"))
    boxes = button_boxes(spec)
    assert spec.pixels == (2500, 1686)
    assert sum(w * h for _x, _y, w, h in boxes) == 2500 * 1686
    assert boxes[0] == (0, 0, 1250, 843) and boxes[3] == (1250, 843, 1250, 843)


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("color: \"#2E7D32\"", "color: #2E7D32"), 29, "'color' is not a colour: nothing"),
        (("action: topics", "action: faq"), 36, "unknown action 'faq'"),
        (("label: 緊急のとき", "label: 緊急のときに電話するところの一覧はこちらです"), 39,
         "'label' is longer than 20 characters"),
        (("chat_bar_text: メニュー", "chat_bar_text: こまったときのメニューはこちら"), 7,
         "'chat_bar_text' is longer than 14 characters"),
        (("size: compact", "size: huge"), 10, "unknown size 'huge'"),
        (("    text_color", "    txt_color"), 30, "unknown field 'txt_color'"),
    ],
)
def test_mistakes_are_told_with_their_line(change, line, message):
    text = SAMPLE.read_text(encoding="utf-8").replace(*change, 1)
    spec, problems = read_richmenu(text, "faq/richmenu.yaml")
    assert spec is None
    assert any(p.line == line and p.message.startswith(message) for p in problems), [
        str(p) for p in problems]


def test_a_font_without_japanese_is_noticed_not_drawn_as_boxes():
    latin_only = ImageFont.load_default(size=40)  # Pillow's own font: Latin letters only
    assert missing_characters(latin_only, "スタッフ Help") == ["ス", "タ", "ッ", "フ"]
    with pytest.raises(ConfigError, match="does not exist"):
        find_font("/nonexistent/font.ttf")
    with pytest.raises(ConfigError, match="apt-get install fonts-ipafont-gothic"):
        find_font(None, candidates=("/nonexistent/a.ttf",))


@needs_japanese_font
def test_the_image_is_the_menu_size_with_each_button_in_its_colour():
    spec = _spec()
    data = render_menu(spec, font_path=find_font(None))
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 1024 * 1024
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (2500, 843)
        rgb = image.convert("RGB")
        for button, (x, y, w, h) in zip(spec.buttons, button_boxes(spec), strict=True):
            corner = rgb.getpixel((x + 40, y + 40))
            assert corner == _rgb(button.color), button.label
            label_band = rgb.crop((x, y + h // 3, x + w, y + 2 * h // 3))
            colours = {c for _n, c in label_band.getcolors(maxcolors=100_000)}
            assert _rgb(button.text_color) in colours, f"no label drawn on {button.label}"
        assert rgb.getpixel((625, 400)) == (255, 255, 255)  # the gap between buttons


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


# -- at LINE (the fake) ---------------------------------------------------------------------

@pytest.fixture
def line_env(fake_line: FakeLineApi, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("LINE_CHANNEL_SECRET", "test-secret")
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("LINE_API_BASE_URL", fake_line.base_url)
    # The images go to LINE's data host: here the same fake under another name, to tell apart.
    data_url = fake_line.base_url.replace("127.0.0.1", "localhost")
    monkeypatch.setenv("LINE_API_DATA_BASE_URL", data_url)
    folder = tmp_path / "faq"
    folder.mkdir()
    (folder / "richmenu.yaml").write_bytes(SAMPLE.read_bytes())
    return folder


@needs_japanese_font
def test_apply_creates_uploads_and_sets_the_default(fake_line: FakeLineApi, line_env: Path):
    result = CliRunner().invoke(line_command, ["richmenu", "apply", "--dir", str(line_env)])
    assert result.exit_code == 0, result.output
    menus = fake_line.rich_menus
    (menu_id,) = menus.menus
    assert menus.default_menu_id == menu_id and menu_id in result.output
    menu = menus.menus[menu_id]
    assert menu["size"] == {"width": 2500, "height": 843}
    assert menu["selected"] is True  # shown open: people see the buttons without a tap
    assert menu["chatBarText"] == "メニュー" and menu["name"].startswith("helpbot ")
    actions = [area["action"] for area in menu["areas"]]
    assert actions[0] == {"type": "postback", "label": "スタッフに相談", "data": "a=human",
                          "displayText": "スタッフに相談"}
    assert actions[1] == {"type": "postback", "label": "制度をさがす", "data": "a=pfind",
                          "displayText": "制度をさがす"}
    assert actions[2]["data"] == "a=topics" and actions[3]["data"] == "a=crisis"
    content_type, image = menus.images[menu_id]
    assert content_type == "image/png"
    with Image.open(io.BytesIO(image)) as drawn:
        assert drawn.size == (2500, 843)
    (upload,) = [r for r in fake_line.requests if r.path.endswith("/content")]
    assert upload.headers["host"].startswith("localhost:")  # the data host, not the API host
    assert [r.path for r in fake_line.requests if r.method == "POST"][:2] == [
        "/v2/bot/richmenu/validate", "/v2/bot/richmenu"]
    assert fake_line.violations == []


@needs_japanese_font
def test_apply_again_changes_nothing_and_a_new_label_replaces_the_menu(
    fake_line: FakeLineApi, line_env: Path
):
    runner = CliRunner()
    assert runner.invoke(line_command, ["richmenu", "apply", "--dir", str(line_env)]).exit_code == 0
    (first,) = fake_line.rich_menus.menus
    again = runner.invoke(line_command, ["richmenu", "apply", "--dir", str(line_env)])
    assert again.exit_code == 0 and "already at LINE" in again.output
    assert list(fake_line.rich_menus.menus) == [first]
    menu_file = line_env / "richmenu.yaml"
    menu_file.write_text(menu_file.read_text(encoding="utf-8").replace("よくある質問", "Q&A"),
                         encoding="utf-8")
    changed = runner.invoke(line_command, ["richmenu", "apply", "--dir", str(line_env)])
    assert changed.exit_code == 0, changed.output
    (second,) = fake_line.rich_menus.menus  # the first was deleted after the switch
    assert second != first and fake_line.rich_menus.default_menu_id == second
    assert "1 older helpbot menu(s) removed" in changed.output
    assert fake_line.violations == []


@needs_japanese_font
def test_a_refusal_at_line_is_one_clear_line(fake_line: FakeLineApi, line_env: Path):
    fake_line.fail_next(401, paths=("/v2/bot/richmenu/list",))
    result = CliRunner().invoke(line_command, ["richmenu", "apply", "--dir", str(line_env)])
    assert result.exit_code == 1
    assert "LINE refused the rich menu (401)" in result.output
    assert "LINE_CHANNEL_ACCESS_TOKEN" in result.output
    assert "Traceback" not in result.output


def test_a_mistake_in_the_file_stops_before_line(fake_line: FakeLineApi, line_env: Path):
    menu_file = line_env / "richmenu.yaml"
    menu_file.write_text(menu_file.read_text(encoding="utf-8").replace("action: crisis",
                                                                      "action: sos"),
                         encoding="utf-8")
    result = CliRunner().invoke(line_command, ["richmenu", "apply", "--dir", str(line_env)])
    assert result.exit_code == 1
    assert ("faq/richmenu.yaml:40: ボタンの動き（action）'sos' はありません / unknown action 'sos'"
            in result.output)
    assert fake_line.requests == []


def test_the_fake_holds_line_to_its_rules(fake_line: FakeLineApi):
    """A default without an image, an image of the wrong size, a second upload: refused."""
    from linebot.v3.messaging import ApiClient, MessagingApi, RichMenuRequest

    area = {"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843},
            "action": {"type": "postback", "data": "a=human"}}
    body = {"size": {"width": 2500, "height": 843}, "selected": False, "name": "t",
            "chatBarText": "メニュー", "areas": [area]}
    configuration = Configuration(host=fake_line.base_url, access_token=TOKEN)
    with ApiClient(configuration) as client:
        api, blob = MessagingApi(client), MessagingApiBlob(client)
        menu_id = api.create_rich_menu(RichMenuRequest.from_dict(body)).rich_menu_id
        with pytest.raises(ApiException) as early:
            api.set_default_rich_menu(menu_id)
        assert early.value.status == 400 and "upload richmenu image" in early.value.body
        with pytest.raises(ApiException) as wrong:
            blob.set_rich_menu_image(menu_id, _png(1200, 405),
                                     _headers={"Content-Type": "image/png"})
        assert wrong.value.status == 400
        assert any("the image is 1200x405, the menu 2500x843" in v for v in fake_line.violations)
        blob.set_rich_menu_image(menu_id, _png(2500, 843), _headers={"Content-Type": "image/png"})
        with pytest.raises(ApiException) as twice:
            blob.set_rich_menu_image(menu_id, _png(2500, 843),
                                     _headers={"Content-Type": "image/png"})
        assert twice.value.status == 400 and "already been uploaded" in twice.value.body
        api.set_default_rich_menu(menu_id)
        assert api.get_default_rich_menu_id().rich_menu_id == menu_id
        too_tall = {**body, "size": {"width": 1000, "height": 1000}}
        with pytest.raises(ApiException) as ratio:
            api.create_rich_menu(RichMenuRequest.from_dict(too_tall))
        assert ratio.value.status == 400
        assert any("width/height >= 1.45" in v for v in fake_line.violations)
        assert any("must lie inside the 1000x1000 menu" in v for v in fake_line.violations)


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


# -- the buttons, answered by the bot ---------------------------------------------------------

def _tap(line, fake_line, data: str):
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    assert line.post(postback_event(data, user_id=person, reply_token=token)).status_code == 200
    line.settle()
    return fake_line.replies[-1].messages[-1]


def test_the_topics_button_lists_the_topics(line, fake_line):
    message = _tap(line, fake_line, "a=topics")
    assert message["text"].startswith("よくある質問を分類ごとに見られます")
    labels = [item["action"]["label"] for item in message["quickReply"]["items"]]
    assert "食べ物" in labels and len(labels) >= 4
    assert fake_line.violations == []


def test_the_emergency_button_sends_every_line_and_offers_staff(line, fake_line, database):
    from sqlalchemy import select

    from helpbot.storage.models import Case

    message = _tap(line, fake_line, "a=crisis")
    assert "119" in message["text"] and "110" in message["text"]
    assert "0120-279-338" in message["text"]  # よりそいホットライン, from crisis.yaml
    # No case is opened, so nothing may say staff were told.
    assert "スタッフ" not in message["text"] and "伝えました" not in message["text"]
    items = message["quickReply"]["items"]
    assert [item["action"]["data"] for item in items] == ["a=human"]
    with database.session() as session:
        assert session.scalars(select(Case)).all() == []  # a tap opens no case
    assert fake_line.violations == []


def test_the_emergency_button_never_says_staff_were_told_even_without_a_tap_intro(
    line, fake_line, faq_dir
):
    crisis = faq_dir / "crisis.yaml"
    text = crisis.read_text(encoding="utf-8")
    start = text.index("  tap_intro:")
    crisis.write_text(text[:start] + text[text.index("  closing:"):], encoding="utf-8")
    message = _tap(line, fake_line, "a=crisis")
    assert "0120-279-338" in message["text"] and "119" in message["text"]
    assert "スタッフ" not in message["text"] and "伝えました" not in message["text"]
