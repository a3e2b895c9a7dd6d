"""``helpbot bench crisis``: recall per category, false alarms and time per message."""

from __future__ import annotations

import json
from pathlib import Path

import click

from helpbot.cli.settings import cli_settings

DEFAULT_EVAL = Path("tests/data/crisis_eval.yaml")


@click.command("crisis")
@click.option("--eval", "eval_path", type=click.Path(path_type=Path, dir_okay=False),
              default=DEFAULT_EVAL, show_default=True,
              help="Evaluation set: `crisis` and `everyday` message lists.")
@click.option("--faq-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Knowledge folder with crisis.yaml (default: HELPBOT_FAQ_DIR or ./faq).")
@click.option("--words-only", is_flag=True, help="Leave the meaning layer out.")
@click.option("--ordinary", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              multiple=True,
              help="JSONL of ordinary questions (`query`, optional `language`): how often they "
                   "set the detector off (repeatable).")
@click.option("--ordinary-kana", is_flag=True,
              help="Also each --ordinary file's questions as hiragana with one slip.")
@click.option("--show-misses", is_flag=True, help="Also list the misses and false alarms.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def crisis(
    *, eval_path: Path, faq_dir: Path | None, words_only: bool, ordinary: tuple[Path, ...],
    ordinary_kana: bool, show_misses: bool, as_json: bool,
) -> None:
    """Run the crisis detector over an evaluation set."""
    from benchmarks.crisis import run_crisis_bench

    if not eval_path.is_file():
        raise click.UsageError(
            f"evaluation set not found: {eval_path} (run from the repository, or pass --eval)"
        )
    settings = cli_settings()
    report = run_crisis_bench(
        eval_path, faq_dir or settings.faq_dir,
        semantic=settings.semantic_matching and not words_only,
        cache_dir=settings.embedding_cache_dir, ordinary=ordinary, ordinary_kana=ordinary_kana,
    )
    if not show_misses:
        report["misses"] = len(report["misses"])
        report["false_alarms"] = len(report["false_alarms"])
        for questions in report["ordinary"].values():
            questions["alarmed"] = len(questions["alarmed"])
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(
        f"{report['crisis_messages']} crisis, {report['everyday_messages']} everyday messages\n"
        f"recall {report['recall']:.3f}  false alarms {report['false_alarm_rate']:.3f}  "
        f"category right {report['category_accuracy']:.3f}  "
        f"{report['ms_per_message']:.3f} ms/message"
    )
    for category, recall in report["recall_by_category"].items():
        click.echo(f"  {category:<16} {recall:.3f}")
    for name, questions in report["ordinary"].items():
        click.echo(f"ordinary questions {name}: {questions['alarms']} of "
                   f"{questions['messages']} set it off ({questions['alarm_rate']:.3f})")
    if show_misses:
        for miss in report["misses"]:
            click.echo(f"  missed [{miss['category']}] {miss['text']}")
        for alarm in report["false_alarms"]:
            click.echo(f"  false alarm [{alarm['fired']}] {alarm['text']}  ({alarm['why']})")
