"""``helpbot line richmenu apply``: draw the rich menu from faq/richmenu.yaml and set it at LINE."""

from __future__ import annotations

from pathlib import Path

import click

from helpbot.cli.faq import resolve_faq_dir
from helpbot.cli.settings import cli_settings
from helpbot.errors import ConfigError, DeliveryError
from helpbot.knowledge.richmenu_file import RichMenuSpec, read_richmenu

MENU_FILE = "richmenu.yaml"


@click.group()
def line() -> None:
    """Set up what LINE shows beside the conversation."""


@line.group()
def richmenu() -> None:
    """The rich menu: the buttons under the chat (faq/richmenu.yaml)."""


@richmenu.command()
@click.option("--dir", "faq_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The FAQ folder holding richmenu.yaml (default: $HELPBOT_FAQ_DIR or ./faq).")
@click.option("--file", "menu_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The menu file (default: richmenu.yaml in the FAQ folder).")
@click.option("--image-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also save the drawn image here (PNG), to look at it.")
@click.option("--dry-run", is_flag=True, help="Check and draw only; do not call LINE.")
def apply(faq_dir: Path | None, menu_file: Path | None, image_out: Path | None,
          dry_run: bool) -> None:
    """Draw the menu image from richmenu.yaml, upload it and make it everyone's default."""
    from helpbot.channels.line.richmenu_image import find_font, render_menu

    path = menu_file or resolve_faq_dir(None, faq_dir) / MENU_FILE
    spec = _read(path)
    try:
        image = render_menu(spec, font_path=find_font(spec.font))
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    if image_out is not None:
        image_out.write_bytes(image)
        click.echo(f"image: {image_out} ({len(image)} bytes, {spec.pixels[0]}x{spec.pixels[1]})")
    if dry_run:
        click.echo(f"OK: {path} is ready ({len(spec.buttons)} buttons); LINE was not called.")
        return
    _apply(spec, image)


def _read(path: Path) -> RichMenuSpec:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise click.ClickException(
            f"{path} does not exist. Copy faq/richmenu.yaml from helpbot's sample and edit it."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read {path}: {error}; save it as UTF-8") from None
    spec, problems = read_richmenu(text, f"{path.parent.name}/{path.name}")
    if spec is None:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"fix the {len(problems)} problem(s) above in {path}")
    return spec


def _apply(spec: RichMenuSpec, image: bytes) -> None:
    from helpbot.channels.line.richmenu import apply_rich_menu

    settings = cli_settings()
    token = settings.line_channel_access_token
    if not token:
        raise click.ClickException(
            "LINE_CHANNEL_ACCESS_TOKEN is not set: set it (LINE Developers console -> your "
            "channel -> Messaging API), or use --dry-run to only draw the menu."
        )
    try:
        applied = apply_rich_menu(spec, image, access_token=token,
                                  base_url=settings.line_api_base_url,
                                  data_base_url=settings.line_content_base_url)
    except DeliveryError as error:
        raise click.ClickException(str(error)) from None
    how = "created and uploaded" if applied.created else "already at LINE"
    click.echo(f"OK: rich menu {applied.rich_menu_id} ({applied.name}, {how}) is the default; "
               f"{len(applied.deleted)} older helpbot menu(s) removed.")
